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
    # ``seq[below(len(seq))]`` and ``lo + below(hi - lo)`` are exactly ``rng.choice(seq)``
    # and ``rng.randrange(lo, hi)`` (the same draws), without their checks and calls: a
    # million patients make tens of millions of these picks
    below, xbelow, rand, xrand = rng._randbelow, extra._randbelow, rng.random, extra.random  # noqa: SLF001
    anyone = FEMALE_FIRST + MALE_FIRST
    n_female, n_male, n_anyone = len(FEMALE_FIRST), len(MALE_FIRST), len(anyone)
    n_last, n_area, n_domain, n_city = (
        len(LAST_NAMES),
        len(AREA_CODES),
        len(EMAIL_DOMAINS),
        len(CITIES),
    )
    n_street, n_relation = len(STREETS), len(RELATIONSHIPS)
    state.progress("patients", 0, n)
    for pid in range(1, n + 1):
        lo, hi = weighted(rng, bands, band_weights)
        age = lo + below(hi - lo + 1)
        dob = dt.date.fromordinal(today_ord - age * 365 - age // 4 - 1 - below(364))
        r = rand()
        sex = "F" if r < 0.51 else ("M" if r < 0.995 else "X")
        if sex == "F":
            first = FEMALE_FIRST[below(n_female)]
        elif sex == "M":
            first = MALE_FIRST[below(n_male)]
        else:
            first = anyone[below(n_anyone)]
        last = LAST_NAMES[below(n_last)]
        if rand() < 0.04:
            last = f"{last}-{LAST_NAMES[below(n_last)]}"
        if pid in special:
            first, last = DISPLAY_SAFETY_NAMES[special[pid]]
        middle = ""
        if rand() < 0.3:
            middle = FEMALE_FIRST[below(n_female)] if sex == "F" else MALE_FIRST[below(n_male)]
        area = AREA_CODES[below(n_area)]
        mobile = f"({area}) {201 + below(798)}-{below(10000):04d}"
        home = f"({area}) {201 + below(798)}-{below(10000):04d}" if rand() < 0.3 else ""
        work = (
            f"({AREA_CODES[below(n_area)]}) {201 + below(798)}-{below(10000):04d}"
            if 22 <= age <= 66 and rand() < 0.15
            else ""
        )
        email = ""
        if age >= 16 and rand() < 0.7:
            local = f"{norm(first)}.{norm(last)}".replace(" ", "").replace("'", "")
            email = f"{local}{below(100)}@{EMAIL_DOMAINS[below(n_domain)]}"
        city, state_code, zip_code = CITIES[below(n_city)]
        street = f"{100 + below(9899)} {'NSEW'[below(4)]} {STREETS[below(n_street)]}"
        apt = f"Apt {1 + below(39)}{'ABCD'[below(4)]}" if rand() < 0.2 else ""
        contact = weighted(rng, ("mobile", "home", "email", "mail"), (70, 10, 18, 2))
        if (contact == "home" and not home) or (contact == "email" and not email):
            contact = "mobile"
        created = day_at(
            dt.date.fromordinal(today_ord - 1 - below(created_span - 1)),
            8 * 60 + below(9 * 60),
        )
        phones = {"phone_mobile": mobile, "phone_home": home, "phone_work": work}
        language = weighted(extra, LANGUAGE_NAMES, LANGUAGE_WEIGHTS)
        emergency = ("", "", "")
        if xrand() < 0.75:
            relation = "parent" if age < 18 else RELATIONSHIPS[xbelow(n_relation)]
            family = relation in ("parent", "child", "sibling", "spouse")
            contact_last = last if family else LAST_NAMES[xbelow(n_last)]
            contact_phone = (
                f"({AREA_CODES[xbelow(n_area)]}) {201 + xbelow(798)}-{xbelow(10000):04d}"
            )
            emergency = (f"{anyone[xbelow(n_anyone)]} {contact_last}", relation, contact_phone)
        suffix = ""
        if sex == "M" and xrand() < 0.02:
            suffix = ("Jr.", "Sr.", "III")[xbelow(3)]
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
                f"{below(10000):04d}",
                "",
                rand() > 0.01,
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
