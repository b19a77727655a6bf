"""Schema version 8: stock across locations, purchase orders, counts and transfers.

- stock_location: real places stock is kept. Each distinct free-text
  ``supply_item.location`` becomes one (an item without one goes to "Main storage");
  the text column stays, emptied, as the item's shelf or bin within its location.
  An empty database gets no rows (``db copy`` needs an empty target): the services
  create "Main storage" and the settings row when first needed.
- supply_item: barcode (unique), category, vendor catalog number, unit cost in cents,
  a no-expiry flag, the home (storage) location, version and who-changed stamps.
- supply_lot: the location it is in (filled from its item's location); a lot number
  is unique per item *and location*, so one lot can sit in two places; a covering
  index for summing each item's in-date lots (the low-stock list).
- stock_movement gains its location, the count reason, the transfer pair, the
  purchase-order line a receipt was against, the visit a use was for and the unit
  cost; its kinds add ``transfer`` and ``count``. SQLite cannot change a CHECK in
  place, so the table is copied into a new one with every row and id kept (no other
  table references stock_movement, so no ON DELETE action can run).
- purchase_order, purchase_order_line; stock_setting (the expiry window; 30 days until set).

Every other change adds a column in place (nullable, or NOT NULL with a constant
default): no other table is rebuilt and no row is lost.
"""

from peewee import *  # noqa: F403 (frozen migration)

KINDS = ("receive", "use", "adjust", "expire", "transfer", "count")
ORDER_STATUSES = ("draft", "ordered", "partial", "received", "cancelled")
DEFAULT_LOCATION = "Main storage"


def _not_null(field, default_sql):
    """A NOT NULL column with a constant default, added without rebuilding the table."""
    field.constraints = [SQL(f"DEFAULT {default_sql}")]
    return field


def _in(column, values):
    return SQL(f"CHECK ({column} IN (" + ", ".join(f"'{v}'" for v in values) + "))")


def up(migrator, db):
    from medoffice_tui.db.engines import engine_for

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Appointment(Model):
        class Meta:
            database = db
            table_name = "appointment"

    class StockLocation(Model):
        name = CharField(max_length=60, unique=True)
        site = CharField(max_length=60, default="")
        active = BooleanField(default=True)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "stock_location"

    class StockSetting(Model):
        expiry_window_days = SmallIntegerField(default=30)
        version = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
        updated_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "stock_setting"

    # no rows of their own: an empty database stays empty (``db copy`` needs that); the
    # services create "Main storage" and the settings row when first needed
    db.create_tables([StockLocation, StockSetting])

    location_fk = ForeignKeyField(
        StockLocation, field=StockLocation.id, null=True, on_delete="SET NULL"
    )
    migrator.migrate(
        migrator.add_column(
            "supply_item", "barcode", CharField(max_length=64, null=True, unique=True)
        ),
        migrator.add_column(
            "supply_item",
            "category",
            _not_null(CharField(max_length=40, default=""), "''"),
            allow_not_null=True,
        ),
        migrator.add_column(
            "supply_item",
            "catalog_number",
            _not_null(CharField(max_length=40, default=""), "''"),
            allow_not_null=True,
        ),
        migrator.add_column(
            "supply_item",
            "cost_cents",
            _not_null(IntegerField(default=0), "0"),
            allow_not_null=True,
        ),
        migrator.add_column(
            "supply_item",
            "no_expiry",
            _not_null(BooleanField(default=False), "FALSE"),
            allow_not_null=True,
        ),
        migrator.add_column("supply_item", "home_location_id", location_fk),
        migrator.add_column(
            "supply_item", "version", _not_null(IntegerField(default=1), "1"), allow_not_null=True
        ),
        migrator.add_column(
            "supply_item",
            "updated_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL", index=False),
        ),
        migrator.add_column("supply_item", "updated_at", DateTimeField(null=True)),
        migrator.add_column(
            "supply_lot",
            "location_id",
            ForeignKeyField(StockLocation, field=StockLocation.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column("supply_lot", "unit_cost_cents", IntegerField(null=True)),
    )

    # the free-text locations become real ones; the text stays as an (empty) shelf
    texts = {
        (text or "").strip() for (text,) in db.execute_sql('SELECT "location" FROM supply_item')
    }
    names = sorted(t[:60] for t in texts if t)
    if "" in texts and DEFAULT_LOCATION not in names:
        names.append(DEFAULT_LOCATION)
    for name in names:
        StockLocation.insert(name=name, site="", active=True, version=1).execute()
    ids = dict(StockLocation.select(StockLocation.name, StockLocation.id).tuples())
    items = db.execute_sql('SELECT id, "location" FROM supply_item').fetchall()
    set_home = "UPDATE supply_item SET home_location_id = ?, \"location\" = '' WHERE id = ?"
    for item_id, text in items:
        name = (text or "").strip()[:60] or DEFAULT_LOCATION
        db.execute_sql(set_home.replace("?", db.param), (ids[name], item_id))
    db.execute_sql(
        "UPDATE supply_lot SET location_id = (SELECT i.home_location_id FROM supply_item i "
        "WHERE i.id = supply_lot.item_id)"
    )
    old_unique = [
        index.name
        for index in db.get_indexes("supply_lot")
        if index.unique and list(index.columns) == ["item_id", "lot_number"]
    ]
    migrator.migrate(
        *[migrator.drop_index("supply_lot", name) for name in old_unique],
        migrator.add_index("supply_lot", ("item_id", "lot_number", "location_id"), True),
        migrator.add_index(
            "supply_lot", ("item_id", "expires_on", "quantity", "location_id"), False
        ),
    )

    class PurchaseOrder(Model):
        vendor = CharField(max_length=120)
        status = CharField(max_length=10, default="draft")
        location = ForeignKeyField(StockLocation, null=True, on_delete="SET NULL", index=False)
        created_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
        ordered_at = DateTimeField(null=True)
        ordered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
        closed_at = DateTimeField(null=True)
        note = CharField(max_length=200, default="")
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "purchase_order"
            constraints = [_in("status", ORDER_STATUSES)]
            indexes = ((("status", "vendor"), False),)

    class SupplyItemRef(Model):
        class Meta:
            database = db
            table_name = "supply_item"

    class PurchaseOrderLine(Model):
        order = ForeignKeyField(PurchaseOrder, on_delete="CASCADE")
        item = ForeignKeyField(SupplyItemRef, on_delete="RESTRICT")
        quantity = IntegerField(constraints=[Check("quantity > 0")])
        received = IntegerField(default=0, constraints=[Check("received >= 0")])
        unit_cost_cents = IntegerField(default=0)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "purchase_order_line"
            indexes = ((("order", "item"), True),)

    db.create_tables([PurchaseOrder, PurchaseOrderLine])

    # stock_movement, copied into its new shape (a CHECK cannot change in place on SQLite)
    # its indexes go first: the new table's take the same names
    old_indexes = [
        index.name
        for index in db.get_indexes("stock_movement")
        if index.columns != ["id"] and not index.name.endswith("_pkey")
    ]
    migrator.migrate(
        *[migrator.drop_index("stock_movement", name) for name in old_indexes],
        migrator.rename_table("stock_movement", "stock_movement_v7"),
    )
    # a primary key that is a named index (PostgreSQL's "stock_movement_pkey") keeps its
    # name through the rename: free the name for the new table's (SQLite has no such index)
    for index in db.get_indexes("stock_movement_v7"):
        if index.name == "stock_movement_pkey":
            db.execute_sql('ALTER INDEX "stock_movement_pkey" RENAME TO "stock_movement_v7_pkey"')

    class SupplyLotRef(Model):
        class Meta:
            database = db
            table_name = "supply_lot"

    class StockMovement(Model):
        item = ForeignKeyField(SupplyItemRef, on_delete="CASCADE")
        lot = ForeignKeyField(SupplyLotRef, null=True, on_delete="SET NULL")
        location = ForeignKeyField(StockLocation, null=True, on_delete="RESTRICT", index=False)
        kind = CharField(max_length=8)
        quantity = IntegerField()
        reason = CharField(max_length=200, default="")
        reason_code = CharField(max_length=10, default="")
        at = DateTimeField()
        user = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
        transfer_id = IntegerField(null=True)
        order_line = ForeignKeyField(
            PurchaseOrderLine, null=True, on_delete="SET NULL", index=False
        )
        appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL", index=False)
        unit_cost_cents = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "stock_movement"
            constraints = [_in("kind", KINDS)]
            indexes = (
                (("item", "at"), False),
                (("item", "kind", "at", "location", "quantity"), False),
            )

    db.create_tables([StockMovement])
    db.execute_sql(
        "INSERT INTO stock_movement (id, item_id, lot_id, location_id, kind, quantity, reason, "
        "reason_code, at, user_id) "
        "SELECT m.id, m.item_id, m.lot_id, "
        "COALESCE((SELECT l.location_id FROM supply_lot l WHERE l.id = m.lot_id), "
        "(SELECT i.home_location_id FROM supply_item i WHERE i.id = m.item_id)), "
        "m.kind, m.quantity, m.reason, '', m.at, m.user_id FROM stock_movement_v7 m ORDER BY m.id"
    )
    db.execute_sql("DROP TABLE stock_movement_v7")
    engine_for(db).reset_sequences(["stock_movement"])


def down(migrator, db):
    raise RuntimeError(
        "schema version 8 cannot be undone in place (lots may now sit in several locations "
        "and movements have kinds version 7 does not know); restore a backup taken before "
        "the upgrade instead"
    )
