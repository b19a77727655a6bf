"""The patient panel: demographics and contact details with a family-practice age mix.

Three display-safety patients (markup-like and escape-byte names) are always present,
spread through the id range; ``schedule`` puts them on today's schedule. The MRN and
the indexed phone search key come from ``services.patients``, so demo rows look like
rows the app itself registered; every name goes into the name vocabulary the typo
search uses. Preferred language, emergency contact and suffix come from a random
stream of their own, so the rest of the panel is the same as before they existed.

``build_duplicate_pair`` (run last) turns one patient without visits ahead into a likely
duplicate of one with an upcoming visit (same last name, date of birth and mobile, the
first name misspelt), for the merge screen to show.
"""

from __future__ import annotations

import datetime as dt

from peewee import fn

from medoffice_tui.db import models as m
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import name_index
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

#: preferred languages of a Chicago-area panel, with weights
LANGUAGES = (
    ("English", 78), ("Spanish", 13), ("Polish", 2), ("Vietnamese", 1), ("Mandarin", 1),
    ("Arabic", 1), ("Korean", 1), ("Tagalog", 1), ("Hindi", 1), ("Russian", 1),
)  # fmt: skip
LANGUAGE_NAMES = tuple(lang for lang, _ in LANGUAGES)
LANGUAGE_WEIGHTS = tuple(weight for _, weight in LANGUAGES)
RELATIONSHIPS = ("spouse", "parent", "child", "sibling", "friend", "partner")

#: (first name, last name) of the display-safety patients
DISPLAY_SAFETY_NAMES = (("Alex", "Smith [/]"), ("Morgan", "[b]O'Brien"), ("Eve\x1b[31m", "Escape"))


def display_safety_ids(n_patients: int) -> list[int]:
    """The ids of the display-safety patients among ``n_patients`` (at least 3)."""
    return [1 + (k * n_patients) // 3 for k in range(len(DISPLAY_SAFETY_NAMES))]


def build_patients(state: BuildState) -> None:
    rng = state.rng("patients")
    extra = state.rng("patients-extra")  # languages, emergency contacts, suffixes
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
        "version preferred_language emergency_name emergency_relationship emergency_phone "
        "suffix allergy_status",
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
        language = weighted(extra, LANGUAGE_NAMES, LANGUAGE_WEIGHTS)
        emergency = ("", "", "")
        if extra.random() < 0.75:
            relation = "parent" if age < 18 else extra.choice(RELATIONSHIPS)
            family = relation in ("parent", "child", "sibling", "spouse")
            contact_last = last if family else extra.choice(LAST_NAMES)
            contact_phone = (
                f"({extra.choice(AREA_CODES)}) {extra.randrange(201, 999)}-"
                f"{extra.randrange(10000):04d}"
            )
            emergency = (
                f"{extra.choice(FEMALE_FIRST + MALE_FIRST)} {contact_last}",
                relation,
                contact_phone,
            )
        suffix = ""
        if sex == "M" and extra.random() < 0.02:
            suffix = extra.choice(("Jr.", "Sr.", "III"))
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
                language,
                *emergency,
                suffix,
                "unknown",
            )
        )
        state.patients.append(PatientInfo(age=age, last=last))
        if len(rows) >= batch:
            bulk.insert(m.Patient, fields, rows)
            rows.clear()
            state.progress("patients", pid, n)
    bulk.insert(m.Patient, fields, rows)
    name_index.add_names(db.obj, norm_cache.values())
    state.progress("patients", n, n)
    state.summary.patients = n


def build_duplicate_pair(state: BuildState) -> None:
    """One likely duplicate to merge: the last patient with no visit from today on and no
    claim (so no pane of today shows them) becomes a second record of the first patient
    with an upcoming visit (same last name, date of birth, sex and mobile; the first name
    misspelt)."""
    busy = m.Appointment.select(m.Appointment.patient).where(
        m.Appointment.start >= dt.datetime.combine(state.today, dt.time())
    )
    special = set(display_safety_ids(state.n_patients))
    spare = (
        m.Patient.select(m.Patient.id)
        .where(
            m.Patient.id.not_in(busy)
            & m.Patient.id.not_in(m.Claim.select(m.Claim.patient))
            & m.Patient.active
            & m.Patient.id.not_in(sorted(special))
        )
        .order_by(m.Patient.id.desc())
        .scalar()
    )
    original = (
        m.Patient.select()
        .join(m.Appointment, on=(m.Appointment.patient == m.Patient.id))
        .where(
            (m.Appointment.start >= state.now)
            & m.Patient.active
            & m.Patient.id.not_in(sorted(special))
            & (fn.LENGTH(m.Patient.first_name) >= 4)
        )
        .order_by(m.Patient.id)
        .first()
    )
    if spare is None or original is None or spare == original.id:
        return
    first = original.first_name
    typo = first[0] + first[2] + first[1] + first[3:]  # two letters swapped: "Mray"
    m.Patient.update(
        first_name=typo, middle_name="", last_name=original.last_name, dob=original.dob,
        sex=original.sex, phone_mobile=original.phone_mobile, phone_home="", phone_work="",
        last_norm=original.last_norm, first_norm=normalize(typo),
        phone_last4=phone_last4({"phone_mobile": original.phone_mobile}),
        address1=original.address1, city=original.city, state=original.state, zip=original.zip,
        email="", allergy_status="unknown",
    ).where(m.Patient.id == spare).execute()  # fmt: skip
    name_index.add_names(db.obj, [normalize(typo)])
