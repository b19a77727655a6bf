"""Rows every practice has from its first migration: the four roles and the system account.

Written as plain SQL over the columns that exist from schema version 5, so migration
0005 and the demo builder (after ``clear_all``) can both call it. Safe to call again:
it only adds what is missing.
"""

from __future__ import annotations

import datetime as dt

from peewee import Database

from medoffice_tui.db.write_guard import current_writer, writing_as

#: (name, description) of each role, in the order screens list them
ROLES = (
    ("front_desk", "Front desk: scheduling, check-in, registration, stock"),
    ("billing", "Billing: charges, claims, payments, write-offs"),
    ("clinical", "Clinical assistant: rooming, vitals, allergies, stock"),
    ("manager", "Manager: everything, plus users, merges, overbooking, audit"),
)
SYSTEM_USERNAME = "system"
SYSTEM_FULL_NAME = "medoffice (system)"


def _one(database: Database, sql: str, params: tuple = ()) -> tuple | None:
    return database.execute_sql(sql.replace("?", database.param), params).fetchone()


def ensure_roles(database: Database) -> dict[str, int]:
    """Insert any missing role; returns role name -> id."""
    with writing_as(current_writer() or "system:seed"):
        for name, description in ROLES:
            if _one(database, 'SELECT id FROM "role" WHERE name = ?', (name,)) is None:
                database.execute_sql(
                    'INSERT INTO "role" (name, description) VALUES (?, ?)'.replace(
                        "?", database.param
                    ),
                    (name, description),
                )
    rows = database.execute_sql('SELECT name, id FROM "role"').fetchall()
    return {name: rid for name, rid in rows}


def ensure_system_user(database: Database) -> int:
    """The built-in account system work is recorded as. Returns its id."""
    found = _one(database, 'SELECT id FROM "user" WHERE username = ?', (SYSTEM_USERNAME,))
    if found is not None:
        return int(found[0])
    roles = ensure_roles(database)
    now = dt.datetime.now().replace(microsecond=0)
    with writing_as(current_writer() or "system:seed"):
        database.execute_sql(
            'INSERT INTO "user" (username, full_name, role_id, password_hash, active, '
            "failed_logins, created_at, updated_at, system, version) "
            "VALUES (?, ?, ?, '', ?, 0, ?, ?, ?, 1)".replace("?", database.param),
            (SYSTEM_USERNAME, SYSTEM_FULL_NAME, roles["manager"], False, now, now, True),
        )
    found = _one(database, 'SELECT id FROM "user" WHERE username = ?', (SYSTEM_USERNAME,))
    assert found is not None
    return int(found[0])


def ensure_audit_head(database: Database) -> None:
    if _one(database, 'SELECT id FROM "audit_head" WHERE id = 1') is None:
        with writing_as(current_writer() or "system:seed"):
            database.execute_sql(
                "INSERT INTO \"audit_head\" (id, last_id, last_hash) VALUES (1, 0, '')"
            )


def ensure_reference_rows(database: Database) -> None:
    """Roles, the system account and the chain's head: what an empty practice needs."""
    ensure_roles(database)
    ensure_system_user(database)
    ensure_audit_head(database)
