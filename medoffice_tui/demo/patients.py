"""The patient panel: demographics and contact details with a family-practice age mix.

Three display-safety patients (markup-like and escape-byte names) are always present,
spread through the id range; ``schedule`` puts them on today's schedule. The MRN and
the indexed phone search key come from ``services.patients``, so demo rows look like
rows the app itself registered.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.reference.population import (
    AGE_BANDS,
    AREA_CODES,
    CITIES,
    EMAIL_DOMAINS,
    FEMALE_FIRST,
    LAST_NAMES,
    MALE_FIRST,
    STREETS,
)
from medoffice_tui.demo.state import BuildState, PatientInfo
from medoffice_tui.demo.timeframe import day_at
from medoffice_tui.services.patients import mrn_for, phone_last4
from medoffice_tui.services.text import normalize

#: (first name, last name) of the display-safety patients
DISPLAY_SAFETY_NAMES = (("Alex", "Smith [/]"), ("Morgan", "[b]O'Brien"), ("Eve\x1b[31m", "Escape"))


def display_safety_ids(n_patients: int) -> list[int]:
    """The ids of the display-safety patients among ``n_patients`` (at least 3)."""
    return [1 + (k * n_patients) // 3 for k in range(len(DISPLAY_SAFETY_NAMES))]


def build_patients(state: BuildState) -> None:
    rng = state.rng("patients")
    n = state.n_patients
    today_ord = state.today.toordinal()
    norm_cache: dict[str, str] = {}

    def norm(text: str) -> str:
        value = norm_cache.get(text)
        if value is None:
            value = norm_cache[text] = normalize(text)
        return value

    special = {pid: k for k, pid in enumerate(display_safety_ids(n))}
    bands = [(lo, hi) for lo, hi, _ in AGE_BANDS]
    band_weights = tuple(w for _, _, w in AGE_BANDS)
    created_span = 8 * 365
    fields = bulk.fields(
        m.Patient,
        "id mrn first_name middle_name last_name preferred_name dob sex phone_home "
        "phone_mobile phone_work email address1 address2 city state zip preferred_contact "
        "ssn_last4 notes active last_norm first_norm phone_last4 created_at updated_at "
        "version",
    )
    rows: list[tuple] = []
    batch = max(1, bulk.MAX_PARAMS // len(fields)) * 4
    state.progress("patients", 0, n)
    for pid in range(1, n + 1):
        lo, hi = weighted(rng, bands, band_weights)
        age = rng.randint(lo, hi)
        dob = dt.date.fromordinal(today_ord - age * 365 - age // 4 - rng.randrange(1, 365))
        r = rng.random()
        sex = "F" if r < 0.51 else ("M" if r < 0.995 else "X")
        first = rng.choice(
            FEMALE_FIRST if sex == "F" else MALE_FIRST if sex == "M" else FEMALE_FIRST + MALE_FIRST
        )
        last = rng.choice(LAST_NAMES)
        if rng.random() < 0.04:
            last = f"{last}-{rng.choice(LAST_NAMES)}"
        if pid in special:
            first, last = DISPLAY_SAFETY_NAMES[special[pid]]
        middle = (
            rng.choice(FEMALE_FIRST if sex == "F" else MALE_FIRST) if rng.random() < 0.3 else ""
        )
        area = rng.choice(AREA_CODES)
        mobile = f"({area}) {rng.randrange(201, 999)}-{rng.randrange(10000):04d}"
        home = (
            f"({area}) {rng.randrange(201, 999)}-{rng.randrange(10000):04d}"
            if rng.random() < 0.3
            else ""
        )
        work = (
            f"({rng.choice(AREA_CODES)}) {rng.randrange(201, 999)}-{rng.randrange(10000):04d}"
            if 22 <= age <= 66 and rng.random() < 0.15
            else ""
        )
        email = ""
        if age >= 16 and rng.random() < 0.7:
            local = f"{norm(first)}.{norm(last)}".replace(" ", "").replace("'", "")
            email = f"{local}{rng.randrange(100)}@{rng.choice(EMAIL_DOMAINS)}"
        city, state_code, zip_code = rng.choice(CITIES)
        street = f"{rng.randrange(100, 9999)} {rng.choice('NSEW')} {rng.choice(STREETS)}"
        apt = f"Apt {rng.randrange(1, 40)}{rng.choice('ABCD')}" if rng.random() < 0.2 else ""
        contact = weighted(rng, ("mobile", "home", "email", "mail"), (70, 10, 18, 2))
        if (contact == "home" and not home) or (contact == "email" and not email):
            contact = "mobile"
        created = day_at(
            dt.date.fromordinal(today_ord - rng.randrange(1, created_span)),
            rng.randrange(8 * 60, 17 * 60),
        )
        phones = {"phone_mobile": mobile, "phone_home": home, "phone_work": work}
        rows.append(
            (
                pid,
                mrn_for(pid),
                first,
                middle,
                last,
                "",
                dob,
                sex,
                home,
                mobile,
                work,
                email,
                street,
                apt,
                city,
                state_code,
                zip_code,
                contact,
                f"{rng.randrange(10000):04d}",
                "",
                rng.random() > 0.01,
                norm(last),
                norm(first),
                phone_last4(phones),
                created,
                created,
                1,
            )
        )
        state.patients.append(PatientInfo(age=age, last=last))
        if len(rows) >= batch:
            bulk.insert(m.Patient, fields, rows)
            rows.clear()
            state.progress("patients", pid, n)
    bulk.insert(m.Patient, fields, rows)
    state.progress("patients", n, n)
    state.summary.patients = n
