"""Every interactive path, as the service call it makes and the bare SQL it needs.

One ``InteractivePath`` per thing a keystroke can cause. ``service(env)`` returns a
zero-argument callable that makes the real service call (timed in-process, warm);
``sql(env)`` returns the statements that path cannot do without, run with
``sqlite3`` directly on the same file as the floor. The UI side of each path (the
same name, through the real app in a pty) lives in ``bench.ui_paths``.

Adding a path = appending one ``InteractivePath`` to ``PATHS``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness.core import TODAY

Statement = tuple[str, tuple[Any, ...]]


@dataclass
class PathEnv:
    """What a path needs to know about the database it runs on."""

    size: int
    path: Path
    queries: dict[str, str] = field(default_factory=dict)  # label -> typed search text
    sql_params: dict[str, Any] = field(default_factory=dict)
    deep_claim_after: Any = None  # service keyset key deep in the claims list
    deep_claim_sql_key: tuple[str, int] | None = None
    deep_claim_page: int = 0


@dataclass
class InteractivePath:
    name: str
    group: str
    service: Callable[[PathEnv], Callable[[], object]] | None
    sql: Callable[[PathEnv], list[Statement]] | None
    #: "all" sizes, or only the "largest", or the 20-provider "wide" copy
    sizes: str = "all"
    note: str = ""


# ------------------------------------------------------------------ search

_PATIENT_COLS = "id, mrn, last_name, first_name, dob, sex, phone_mobile, active"
_ORDER = "ORDER BY last_norm, first_norm, id LIMIT 50"


def search_queries(con: sqlite3.Connection) -> tuple[dict[str, str], dict[str, Any]]:
    """Realistic type-ahead inputs taken from the data itself (so each one finds rows)."""
    n = con.execute("SELECT COUNT(*) FROM patient").fetchone()[0]
    row = con.execute(
        "SELECT last_norm, first_norm, ssn_last4, dob, phone_last4 FROM patient "
        "WHERE last_norm >= 's' AND last_norm < 't' AND ssn_last4 <> '' AND phone_last4 <> '' "
        "AND active ORDER BY id LIMIT 1 OFFSET ?",
        (max(0, n // 40),),
    ).fetchone()
    if row is None:
        row = con.execute(
            "SELECT last_norm, first_norm, ssn_last4, dob, phone_last4 FROM patient "
            "ORDER BY id LIMIT 1"
        ).fetchone()
    last, first, ssn4, dob, phone4 = row
    dob_date = dt.date.fromisoformat(str(dob)[:10])
    smith_first = con.execute(
        "SELECT first_norm FROM patient WHERE last_norm = 'smith' ORDER BY id LIMIT 1"
    ).fetchone()
    initial = (smith_first[0][:1] if smith_first else "j") or "j"
    queries = {
        "prefix 'smi'": "smi",
        "prefix 'joh'": "joh",
        f"'smith, {initial}'": f"smith, {initial}",
        "initial+SSN4": f"{last[:1]}{ssn4}",
        "DOB m/d/yyyy": f"{dob_date.month}/{dob_date.day}/{dob_date.year}",
        "phone last 4": phone4,
    }
    params = {
        "prefix 'smi'": ("prefix", "smi"),
        "prefix 'joh'": ("prefix", "joh"),
        f"'smith, {initial}'": ("last_first", ("smith", initial)),
        "initial+SSN4": ("ssn", (last[:1], ssn4)),
        "DOB m/d/yyyy": ("dob", dob_date.isoformat()),
        "phone last 4": ("phone", phone4),
    }
    return queries, params


def _upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def search_sql(kind: str, value: Any) -> list[Statement]:
    base = f"SELECT {_PATIENT_COLS} FROM patient WHERE active = 1 AND "
    if kind == "prefix":
        return [(base + f"last_norm >= ? AND last_norm < ? {_ORDER}", (value, _upper(value)))]
    if kind == "last_first":
        last, first = value
        return [
            (
                base + f"last_norm = ? AND first_norm >= ? AND first_norm < ? {_ORDER}",
                (last, first, _upper(first)),
            )
        ]
    if kind == "ssn":
        initial, ssn4 = value
        return [
            (
                base + f"ssn_last4 = ? AND last_norm >= ? AND last_norm < ? {_ORDER}",
                (ssn4, initial, _upper(initial)),
            )
        ]
    if kind == "dob":
        return [(base + f"dob = ? {_ORDER}", (value,))]
    if kind == "phone":
        return [(base + f"phone_last4 = ? {_ORDER}", (value,))]
    raise ValueError(kind)


def _search_service(label: str) -> Callable[[PathEnv], Callable[[], object]]:
    def make(env: PathEnv) -> Callable[[], object]:
        from medoffice_tui.services.patients import search_patients

        text = env.queries[label]
        return lambda: search_patients(text)

    return make


def _search_floor(label: str) -> Callable[[PathEnv], list[Statement]]:
    def make(env: PathEnv) -> list[Statement]:
        kind, value = env.sql_params[label]
        return search_sql(kind, value)

    return make


# ----------------------------------------------------------------- schedule


def _day_bounds(day: dt.date) -> tuple[str, str]:
    nxt = day + dt.timedelta(days=1)
    return f"{day.isoformat()} 00:00:00", f"{nxt.isoformat()} 00:00:00"


def day_sql(day: dt.date) -> list[Statement]:
    lo, hi = _day_bounds(day)
    return [
        (
            "SELECT id, first_name, last_name, credential FROM provider WHERE active = 1 "
            "ORDER BY sort_order, id",
            (),
        ),
        (
            'SELECT a.id, a.provider_id, a."start", a."end", a.patient_id, p.last_name, '
            "p.first_name, p.mrn, t.name, a.reason, a.status, a.version "
            "FROM appointment a JOIN patient p ON p.id = a.patient_id "
            "JOIN provider pr ON pr.id = a.provider_id "
            "LEFT JOIN appointment_type t ON t.id = a.appt_type_id "
            'WHERE a."start" >= ? AND a."start" < ? AND a.status <> \'cancelled\' '
            'ORDER BY a."start", pr.sort_order',
            (lo, hi),
        ),
    ]


def _day_service(offset: int) -> Callable[[PathEnv], Callable[[], object]]:
    def make(env: PathEnv) -> Callable[[], object]:
        from medoffice_tui.services.schedule import day_view

        day = TODAY + dt.timedelta(days=offset)
        return lambda: day_view(day)

    return make


# ------------------------------------------------------------------- claims

_CLAIM_SELECT = (
    "SELECT c.id, c.claim_number, c.patient_id, p.last_name, p.first_name, y.name, "
    "c.service_date, c.status, c.total_charge_cents, c.balance_cents, y.timely_filing_days "
    "FROM claim c JOIN patient p ON p.id = c.patient_id JOIN payer y ON y.id = c.payer_id "
)


def claims_sql(after: tuple[str, int] | None) -> list[Statement]:
    if after is None:
        return [(_CLAIM_SELECT + "ORDER BY c.service_date, c.id LIMIT 100", ())]
    return [
        (
            _CLAIM_SELECT + "WHERE (c.service_date, c.id) > (?, ?) "
            "ORDER BY c.service_date, c.id LIMIT 100",
            after,
        )
    ]


def _claims_first(env: PathEnv) -> Callable[[], object]:
    from medoffice_tui.services.claims import list_claims

    return lambda: list_claims()


def _claims_deep(env: PathEnv) -> Callable[[], object]:
    from medoffice_tui.services.claims import list_claims

    after = env.deep_claim_after
    return lambda: list_claims(after=after)


# -------------------------------------------------------------------- stock


def low_stock_sql() -> list[Statement]:
    return [
        (
            "SELECT i.id, i.sku, i.name, i.unit, i.on_hand, i.reorder_point, i.reorder_qty, "
            "i.vendor, i.location, (SELECT MIN(l.expires_on) FROM supply_lot l "
            "WHERE l.item_id = i.id AND l.quantity > 0) FROM supply_item i "
            "WHERE i.active = 1 AND i.on_hand <= i.reorder_point ORDER BY i.name, i.id LIMIT 100",
            (),
        )
    ]


def expiring_sql(within_days: int = 30) -> list[Statement]:
    horizon = (TODAY + dt.timedelta(days=within_days)).isoformat()
    return [
        (
            "SELECT l.id, l.item_id, i.sku, i.name, l.lot_number, l.expires_on, l.quantity "
            "FROM supply_lot l JOIN supply_item i ON i.id = l.item_id "
            "WHERE l.quantity > 0 AND l.expires_on <= ? ORDER BY l.expires_on, l.id LIMIT 100",
            (horizon,),
        )
    ]


def _low_stock(env: PathEnv) -> Callable[[], object]:
    from medoffice_tui.services.stock import low_stock

    return lambda: low_stock()


def _expiring(env: PathEnv) -> Callable[[], object]:
    from medoffice_tui.services.stock import expiring_lots

    return lambda: expiring_lots(30)


# --------------------------------------------------------------- the list


def build_paths(search_labels: list[str]) -> list[InteractivePath]:
    """All paths; search labels come from the data (see ``search_queries``)."""
    paths = [
        InteractivePath(f"search {label}", "search", _search_service(label), _search_floor(label))
        for label in search_labels
    ]
    paths += [
        InteractivePath("schedule day (today)", "schedule", _day_service(0),
                        lambda env: day_sql(TODAY)),
        InteractivePath("schedule next day", "schedule", _day_service(1),
                        lambda env: day_sql(TODAY + dt.timedelta(days=1))),
        InteractivePath("schedule day, 20 providers", "schedule", _day_service(0),
                        lambda env: day_sql(TODAY), sizes="wide"),
        InteractivePath("schedule next day, 20 providers", "schedule", _day_service(1),
                        lambda env: day_sql(TODAY + dt.timedelta(days=1)), sizes="wide"),
        InteractivePath("claims list, first page", "claims", _claims_first,
                        lambda env: claims_sql(None)),
        InteractivePath("claims list, deep page", "claims", _claims_deep,
                        lambda env: claims_sql(env.deep_claim_sql_key),
                        note="keyset page reached by paging the whole list"),
        InteractivePath("low stock list", "stock", _low_stock, lambda env: low_stock_sql()),
        InteractivePath("expiring lots (30 d)", "stock", _expiring,
                        lambda env: expiring_sql(30)),
    ]  # fmt: skip
    return paths
