"""Schema version 14: the claims queue's owner filter reads one index range per payer.

Most urgent first walks each payer's unsent claims as one index range per status
(``payer, status, service_date, id``). With an owner filter ("nobody", "mine", a
colleague) SQLite took the (assignee, status, ...) range instead and looked up every
claim of that owner and status to keep one payer's: 101 -> 19 ms for the first page
of "nobody" at 100,000 claims (the unfiltered queue's first page took 18 ms in the
same run). (payer, status, assignee, service_date, id) is that range with the owner
in it, in the order the queue reads. A plain B-tree, the same DDL on SQLite and
PostgreSQL.
"""

COLUMNS = ("payer_id", "status", "assignee_id", "service_date", "id")


def up(migrator, db):
    migrator.migrate(migrator.add_index("claim", COLUMNS, False))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("claim", "claim_payer_id_status_assignee_id_service_date_id")
    )
