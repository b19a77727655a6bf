"""A small but varied practice written straight through the models, for DB-level tests.

Every table gets rows; values cover NULLs, unicode, markup-like text, quotes,
dates, date-times with and without microseconds, times, floats and booleans,
so a copy or an upgrade that mangles any of them shows up in a row dump.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from medoffice_tui.db import models as m
from medoffice_tui.db.copy import read_rows
from medoffice_tui.db.write_guard import writing_as

ODD_TEXT = [
    "O'Brién",
    "[bold red]markup[/]",
    'quote " and \\ backslash',
    "Zoë Ångström",
    "李 小龍",
    "tab\there",
    "",
    "emoji 🩺",
    "%s %% ? :name",
]
LAST = ["Smith", "Nguyễn", "García", "O'Neil", "Müller", "Kowalski", "Johnson", "Brown"]
FIRST = ["John", "María", "Zoë", "Li", "Ana-Sofía", "Jon", "Ben", "Chloé"]


@contextlib.contextmanager
def columns_that_exist(database: Database) -> Iterator[set[str]]:
    """Let the live models write into an older schema: defaults of columns a later
    migration adds are left out while inside. Yields the tables that exist."""
    tables = set(database.get_tables())
    saved = {}
    for model in m.ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            continue
        present = {c.name for c in database.get_columns(table)}
        meta = model._meta
        saved[model] = (meta.defaults, meta._default_by_name, meta._default_callable_list)
        names = {f.name for f in meta.sorted_fields if f.column_name in present}
        meta.defaults = {f: v for f, v in meta.defaults.items() if f.name in names}
        meta._default_by_name = {k: v for k, v in meta._default_by_name.items() if k in names}
        meta._default_callable_list = [(k, v) for k, v in meta._default_callable_list if k in names]
    try:
        yield tables
    finally:
        for model, (defaults, by_name, callables) in saved.items():
            model._meta.defaults = defaults
            model._meta._default_by_name = by_name
            model._meta._default_callable_list = callables


def _role(database: Database) -> int:
    """A role row, in whichever shape the schema has (version 1 had a permissions column)."""
    columns = {c.name for c in database.get_columns("role")}
    if "permissions" in columns:
        database.execute_sql(
            'INSERT INTO "role" (name, description, permissions) VALUES '
            f"({database.param}, {database.param}, {database.param})",
            ("front", ODD_TEXT[1], "a b c"),
        )
    else:
        m.Role.insert(name="front", description=ODD_TEXT[1]).execute()
    return m.Role.select(m.Role.id).where(m.Role.name == "front").scalar()


def build_practice(patients: int = 40, seed: int = 3) -> dict[str, int]:
    """Write a practice into the bound database (at any schema version from 1 on);
    returns rows written per table."""
    from medoffice_tui.services.text import normalize

    rnd = random.Random(seed)
    base = dt.datetime(2026, 11, 2, 8, 0)
    database = m.db.obj
    with writing_as("test:fixture"), columns_that_exist(database) as tables, m.db.atomic():
        m.Practice.create(name="Northside <Family> Clinic", npi="1234567893", tax_id="12-345678")
        role = _role(database)
        users = [
            m.User.create(
                username=f"u{i}",
                full_name=ODD_TEXT[i],
                role=role,
                locked_until=None if i else dt.datetime(2026, 11, 23, 9, 0, 0, 123456),
                active=bool(i % 2),
            )
            for i in range(3)
        ]
        providers = []
        for i in range(3):
            p = m.Provider.create(
                first_name=FIRST[i], last_name=LAST[i], credential="MD", npi=f"99{i:08d}"
            )
            providers.append(p)
            for wd in range(5):
                m.ProviderHours.create(
                    provider=p, weekday=wd, start_time=dt.time(8, 0), end_time=dt.time(16, 30)
                )
            m.ProviderBlock.create(
                provider=p,
                kind="lunch",
                start=base.replace(hour=12),
                end=base.replace(hour=13),
                rrule="FREQ=WEEKLY;BYDAY=MO,TU" if i else None,
                until=None if i else dt.date(2027, 1, 1),
                note=ODD_TEXT[i + 3],
            )
        payer = m.Payer.create(name="Acme Health", payer_id="ACME1")
        atype = m.AppointmentType.create(name="Follow-up", default_minutes=15)
        series = m.RecurringSeries.create(rrule="FREQ=WEEKLY;COUNT=4", created_by=users[1])
        m.FeeSchedule.create(
            code="99213",
            description="Office visit",
            fee_cents=12500,
            effective_from=dt.date(2026, 1, 1),
        )
        pats = []
        for i in range(patients):
            last = rnd.choice(LAST) + ("" if i < len(LAST) else str(i))
            first = rnd.choice(FIRST)
            pats.append(
                m.Patient.create(
                    mrn=f"MRN{i:05d}",
                    first_name=first,
                    last_name=last,
                    dob=dt.date(1940, 1, 1) + dt.timedelta(days=rnd.randrange(30000)),
                    notes=rnd.choice(ODD_TEXT),
                    active=rnd.random() > 0.1,
                    last_norm=normalize(last),
                    first_norm=normalize(first),
                    phone_mobile=f"555{rnd.randrange(10**7):07d}",
                    created_at=base + dt.timedelta(seconds=i, microseconds=i * 7),
                )
            )
        if "name_word" in tables:  # the name vocabulary, kept as the services keep it
            from medoffice_tui.db.engines import name_index

            name_index.rebuild(database)
        slot = 0
        statuses = ["booked", "confirmed", "completed", "cancelled", "no_show", "arrived"]
        for i, p in enumerate(pats):
            cov = m.Coverage.create(
                patient=p,
                payer=payer,
                member_id=f"X{i}",
                copay_cents=rnd.choice([0, 2500]),
                subscriber_dob=None if i % 3 else p.dob,
                effective_from=dt.date(2026, 1, 1),
            )
            if i % 4 == 0:
                m.Allergy.create(
                    patient=p,
                    substance="Penicillin",
                    noted_by=users[0] if i % 8 else None,
                    noted_on=dt.date(2020, 5, 1) if i % 8 else None,
                )
            m.Vital.create(
                patient=p,
                taken_at=base + dt.timedelta(days=i),
                systolic=120 if i % 2 else None,
                temperature_f=98.6 if i % 2 else 101.30000000000001,
                weight_lb=None if i % 5 == 0 else 150.25 + i / 3,
                height_in=0.1 + 0.2,
            )
            provider = providers[i % len(providers)]
            start = base + dt.timedelta(minutes=15 * slot)
            slot += 1
            appt = m.Appointment.create(
                patient=p,
                provider=provider,
                appt_type=atype if i % 2 else None,
                start=start,
                end=start + dt.timedelta(minutes=15),
                status=statuses[i % len(statuses)],
                reason=rnd.choice(ODD_TEXT),
                series=series if i % 7 == 0 else None,
                cancelled_at=start if i % len(statuses) == 3 else None,
            )
            if i % 2:
                continue
            claim = m.Claim.create(
                claim_number=f"C{i:06d}",
                patient=p,
                provider=provider,
                payer=payer,
                coverage=cov,
                appointment=appt,
                service_date=start.date(),
                status=rnd.choice(["draft", "submitted", "paid", "denied"]),
                total_charge_cents=12500,
                balance_cents=12500 - 10000,
                submitted_at=None if i % 4 else start + dt.timedelta(days=1),
            )
            m.ClaimDiagnosis.create(claim=claim, seq=1, code="J06.9")
            line = m.ClaimLine.create(
                claim=claim, line_no=1, procedure_code="99213", charge_cents=12500
            )
            m.ClaimStatusEvent.create(claim=claim, to_status="submitted", user=users[2])
            pay = m.Payment.create(
                kind="insurance",
                claim=claim,
                payer=payer,
                amount_cents=10000,
                received_on=start.date() + dt.timedelta(days=20),
                posted_by=None,
            )
            m.Adjustment.create(
                claim=claim,
                claim_line=line,
                payment=pay,
                group_code="CO",
                carc="45",
                amount_cents=2500,
            )
        for i in range(4):
            item = m.SupplyItem.create(sku=f"SKU{i}", name=ODD_TEXT[i], on_hand=10 * i)
            lot = m.SupplyLot.create(
                item=item,
                lot_number=f"L{i}",
                quantity=10 * i,
                expires_on=None if i == 0 else dt.date(2027, i, 1),
                received_on=dt.date(2026, 1, 1),
            )
            m.StockMovement.create(item=item, lot=lot, kind="receive", quantity=10 * i)
        for i in range(5):
            m.AuditEvent.create(
                at_utc=base + dt.timedelta(minutes=i),
                user=users[i % 3] if i else None,
                action="R",
                object_type="patient",
                object_id=pats[i].id,
                patient_id=pats[i].id,
                success=bool(i % 2),
                hash=f"{i:064d}",
            )
        for model in m.ALL_MODELS:
            if model._meta.table_name in tables and not model.select().exists():
                _one_row(model, rnd)
    return {
        model._meta.table_name: model.select().count()
        for model in m.ALL_MODELS
        if model._meta.table_name in tables
    }


def _one_row(model: type[m.BaseModel], rnd: random.Random) -> None:
    """One row for a table the practice above left empty (a table a later issue
    added): every column a value of its type, foreign keys to the first row of the
    table they name, so a copy or an upgrade is still checked on every table."""
    values: dict[str, object] = {}
    for field in model._meta.sorted_fields:
        if isinstance(field, AutoField):
            continue
        if isinstance(field, ForeignKeyField):
            target = field.rel_model
            values[field.name] = target.select(target.id).order_by(target.id).scalar()
        elif isinstance(field, BooleanField):
            values[field.name] = True
        elif isinstance(field, DateTimeField):
            values[field.name] = dt.datetime(2026, 11, 3, 10, 20, 30, 450000)
        elif isinstance(field, DateField):
            values[field.name] = dt.date(2026, 11, 3)
        elif isinstance(field, TimeField):
            values[field.name] = dt.time(10, 20)
        elif isinstance(field, FloatField):
            values[field.name] = 1.25
        elif isinstance(field, DecimalField):
            values[field.name] = Decimal("1.25")
        elif isinstance(field, IntegerField):
            values[field.name] = 1
        elif isinstance(field, CharField | TextField):
            if field.default not in (None, ""):
                values[field.name] = field.default() if callable(field.default) else field.default
            else:
                limit = getattr(field, "max_length", None) or 40
                values[field.name] = (f"{ODD_TEXT[rnd.randrange(4)]} {model.__name__}")[:limit]
    model.insert(**values).execute()


def dump_columns(database: Database) -> dict[str, dict[int, dict[str, object]]]:
    """Every row of every table that exists, by id, as {column: value} (any schema version)."""
    out: dict[str, dict[int, dict[str, object]]] = {}
    tables = set(database.get_tables())
    for model in m.ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            continue
        cursor = database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id')
        names = [d[0] for d in cursor.description]
        out[table] = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return out


def dump(database: Database) -> dict[str, list[tuple]]:
    """Every row of every table, as Python values ordered by id."""
    return {
        model._meta.table_name: [row for rows in read_rows(database, model, 1000) for row in rows]
        for model in m.ALL_MODELS
    }
