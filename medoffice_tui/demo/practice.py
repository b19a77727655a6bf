"""The practice itself: its record, roles and users, providers with their hours and
blocks, appointment types, payers and the fee schedule."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from medoffice_tui.db import models as m
from medoffice_tui.db.seed import ROLES, SYSTEM_FULL_NAME, SYSTEM_USERNAME
from medoffice_tui.demo import bulk
from medoffice_tui.demo.npi import make_npi
from medoffice_tui.demo.reference.codes import FEES
from medoffice_tui.demo.reference.payers import PAYERS
from medoffice_tui.demo.reference.staff import (
    FIRST_USER_ID,
    LUNCH_RRULE,
    PROVIDERS,
    SYSTEM_USER_ID,
    USERS,
    demo_password,
)
from medoffice_tui.demo.reference.visits import APPT_TYPES
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.timeframe import day_at, minute_of_day
from medoffice_tui.services import staff

PRACTICE_NAME = "Prairie Creek Family Medicine"


def build_practice(state: BuildState) -> None:
    """Write the practice and everything the other parts refer to."""
    rng = state.rng("practice")
    state.progress("practice", 0, 1)
    created = day_at(state.today - dt.timedelta(days=3 * 365), 9 * 60)
    _practice_and_users(state, rng, created)
    _providers(state, rng)
    _catalogues(state, rng)
    s = state.summary
    s.practice, s.users, s.providers = PRACTICE_NAME, len(USERS), len(PROVIDERS)
    s.appointment_types, s.payers, s.fee_codes = len(APPT_TYPES), len(PAYERS), len(FEES)
    state.progress("practice", 1, 1)


def _practice_and_users(state: BuildState, rng: random.Random, created: dt.datetime) -> None:
    bulk.insert_orm(
        m.Practice,
        bulk.fields(
            m.Practice,
            "id name npi tax_id address1 address2 city state zip phone time_zone "
            "slot_minutes created_at is_demo",
        ),
        [
            (
                1,
                PRACTICE_NAME,
                make_npi(rng, "1"),
                f"36-{rng.randrange(1000000, 9999999)}",
                "1450 W Irving Park Rd",
                "Suite 200",
                "Chicago",
                "IL",
                "60613-2511",
                "(773) 555-0142",
                "America/Chicago",
                15,
                created,
                True,
            )
        ],
    )
    # the migration seeded roles and the system account; the demo writes its own, with
    # fixed ids, so every build is the same whatever the database did before
    for model in (m.AuditHead, m.User, m.Role):
        model.delete().execute()
    bulk.insert_orm(
        m.Role,
        bulk.fields(m.Role, "id name description"),
        [(i, *role) for i, role in enumerate(ROLES, 1)],
    )
    role_ids = {role[0]: i for i, role in enumerate(ROLES, 1)}
    user_rows = [
        (SYSTEM_USER_ID, SYSTEM_USERNAME, SYSTEM_FULL_NAME, role_ids["manager"], "", True,
         created, True, created)
    ]  # fmt: skip
    for i, (username, full, role) in enumerate(USERS):
        password = demo_hash(state.seed, username, demo_password(username))
        user_rows.append(
            (FIRST_USER_ID + i, username, full, role_ids[role], password, True, created, False,
             created)
        )  # fmt: skip
    bulk.insert_orm(
        m.User,
        bulk.fields(
            m.User,
            "id username full_name role password_hash active created_at system password_changed_at",
        ),
        user_rows,
    )


def demo_hash(seed: int, username: str, password: str) -> str:
    """The account's argon2id hash with a salt drawn from the seed: the same build gives
    the same rows (a real account's salt is random, see ``services.staff``)."""
    salt = hashlib.sha256(f"medoffice-demo:{seed}:{username}".encode()).digest()[:16]
    return staff.hash_password(password, salt=salt)


def _providers(state: BuildState, rng: random.Random) -> None:
    """Providers, their weekly hours, a weekday lunch block each and one meeting."""
    today = state.today
    provider_rows, hour_rows, block_rows = [], [], []
    lunch_from = today - dt.timedelta(days=365 + today.weekday())  # a Monday
    npis: set[str] = set()
    for pid, (first, last, cred, taxonomy, color, hours) in enumerate(PROVIDERS, 1):
        npi = make_npi(rng, rng.choice("12"))
        while npi in npis:
            npi = make_npi(rng, rng.choice("12"))
        npis.add(npi)
        provider_rows.append((pid, first, last, cred, npi, taxonomy, color, pid, True))
        state.hours[pid] = {}
        for weekday, (start, end) in sorted(hours.items()):
            hour_rows.append((len(hour_rows) + 1, pid, weekday, start, end))
            state.hours[pid][weekday] = (minute_of_day(start), minute_of_day(end))
        lunch = 12 * 60 + (30 if pid == 3 else 0)
        block_rows.append(
            (
                len(block_rows) + 1,
                pid,
                "lunch",
                day_at(lunch_from, lunch),
                day_at(lunch_from, lunch + 60),
                LUNCH_RRULE,
                None,
                "Lunch",
            )
        )
    meeting_day = today + dt.timedelta(days=1)
    while meeting_day.weekday() > 3:
        meeting_day += dt.timedelta(days=1)
    state.meeting = (1, meeting_day, 15 * 60, 16 * 60)
    block_rows.append(
        (
            len(block_rows) + 1,
            1,
            "meeting",
            day_at(meeting_day, 15 * 60),
            day_at(meeting_day, 16 * 60),
            None,
            None,
            "Quality committee meeting",
        )
    )
    state.lunch = {
        row[1]: (minute_of_day(row[3].time()), minute_of_day(row[4].time()))
        for row in block_rows
        if row[2] == "lunch"
    }
    bulk.insert_orm(
        m.Provider,
        bulk.fields(
            m.Provider,
            "id first_name last_name credential npi taxonomy color sort_order active",
        ),
        provider_rows,
    )
    bulk.insert_orm(
        m.ProviderHours,
        bulk.fields(m.ProviderHours, "id provider weekday start_time end_time"),
        hour_rows,
    )
    bulk.insert_orm(
        m.ProviderBlock,
        bulk.fields(m.ProviderBlock, "id provider kind start end rrule until note"),
        block_rows,
    )


def _catalogues(state: BuildState, rng: random.Random) -> None:
    """Appointment types, payers and the fee schedule."""
    bulk.insert_orm(
        m.AppointmentType,
        bulk.fields(m.AppointmentType, "id name default_minutes color active"),
        [(i, t[0], t[1], t[2], True) for i, t in enumerate(APPT_TYPES, 1)],
    )
    bulk.insert_orm(
        m.Payer,
        bulk.fields(
            m.Payer,
            "id name payer_id claim_filing_indicator timely_filing_days phone address1 "
            "city state zip active",
        ),
        [
            (
                i,
                p[0],
                p[1],
                p[2],
                p[3],
                p[4],
                f"PO Box {rng.randrange(1000, 99999)}",
                p[5],
                p[6],
                p[7],
                True,
            )
            for i, p in enumerate(PAYERS, 1)
        ],
    )
    fee_from = dt.date(state.today.year - 2, 1, 1)
    bulk.insert_orm(
        m.FeeSchedule,
        bulk.fields(
            m.FeeSchedule, "id code code_kind description fee_cents effective_from effective_to"
        ),
        [(i, *fee, fee_from, None) for i, fee in enumerate(FEES, 1)],
    )
