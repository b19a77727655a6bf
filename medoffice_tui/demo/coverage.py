"""Insurance coverage: primary (and some secondary) plans by age, with copays, member ids
in each payer's layout, and the subscriber when the patient is a child or spouse; most
plans had their eligibility checked in the last few months (a stream of its own)."""

from __future__ import annotations

import datetime as dt
import random

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.reference.payers import (
    AETNA,
    BCBS,
    CIGNA,
    HUMANA,
    MEDICAID,
    MEDICARE,
    TRICARE,
    UHC,
)
from medoffice_tui.demo.reference.population import FEMALE_FIRST, MALE_FIRST
from medoffice_tui.demo.state import BuildState, PatientInfo

#: a subscriber's first name is drawn from everyone's (built once: a million coverages)
ANY_FIRST = FEMALE_FIRST + MALE_FIRST


def build_coverages(state: BuildState) -> None:
    """Insure most patients (patient 1 always, so claims have someone) and record the plans."""
    rng = state.rng("coverage")
    checked = state.rng("coverage-eligibility")
    today = state.today
    rows = []
    insured = 0
    for pid, info in enumerate(state.patients, 1):
        senior = info.age >= 65
        if rng.random() > (0.97 if senior else 0.83) and pid != 1:
            continue  # uninsured (patient 1 always has coverage, so claims have someone)
        insured += 1
        if senior:
            payer = weighted(rng, (MEDICARE, HUMANA, BCBS), (75, 15, 10))
        elif info.age < 19:
            payer = weighted(
                rng, (MEDICAID, BCBS, AETNA, UHC, CIGNA, TRICARE), (40, 20, 10, 15, 10, 5)
            )
        else:
            payer = weighted(
                rng,
                (MEDICAID, BCBS, AETNA, UHC, CIGNA, HUMANA, TRICARE),
                (15, 28, 15, 20, 14, 3, 5),
            )
        copay = _copay(rng, payer)
        info.coverage_id, info.payer_id, info.copay = len(rows) + 1, payer, copay
        rows.append(_coverage_row(rng, len(rows) + 1, pid, info, payer, 1, copay, today))
        second_chance = 0.5 if payer == MEDICARE else 0.1
        if rng.random() < second_chance:
            if payer == MEDICARE:
                second = weighted(rng, (MEDICAID, BCBS, AETNA, UHC), (30, 30, 20, 20))
            else:
                second = rng.choice([p for p in (BCBS, AETNA, UHC, CIGNA) if p != payer])
            rows.append(_coverage_row(rng, len(rows) + 1, pid, info, second, 2, 0, today))
    fields = bulk.fields(
        m.Coverage,
        "id patient payer rank member_id group_number subscriber_first subscriber_last "
        "subscriber_dob relationship copay_cents effective_from effective_to active "
        "eligibility_checked_on subscriber_sex",
    )
    rows = [_with_checks(checked, row, today) for row in rows]
    state.progress("insurance", 0, len(rows))
    bulk.insert(m.Coverage, fields, rows)
    state.progress("insurance", len(rows), len(rows))
    state.summary.coverages, state.summary.insured_patients = len(rows), insured


def _copay(rng: random.Random, payer: int) -> int:
    if payer == MEDICARE:
        return 0
    if payer == MEDICAID:
        return rng.choice((0, 0, 100, 200, 390))
    if payer in (HUMANA, TRICARE):
        return rng.choice((0, 1000, 1500, 2000))
    return rng.choice((1500, 2000, 2500, 3000, 3500, 4000, 5000))


_DIGITS = "0123456789"
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
#: MBI layout: C A AN N A AN N A A N N, as (characters, how many)
_MBI = tuple(
    (chars, len(chars))
    for chars in (
        _DIGITS[1:], _MBI_LETTERS, _MBI_LETTERS + _DIGITS, _DIGITS, _MBI_LETTERS,
        _MBI_LETTERS + _DIGITS, _DIGITS, _MBI_LETTERS, _MBI_LETTERS, _DIGITS, _DIGITS,
    )
)  # fmt: skip


def _member_id(rng: random.Random, payer: int) -> str:
    # ``chars[below(n)]`` is exactly ``rng.choice(chars)`` (the same draw), without its
    # checks: a million coverages make ten million of these picks
    below = rng._randbelow  # noqa: SLF001
    if payer == MEDICARE:
        return "".join([chars[below(n)] for chars, n in _MBI])
    d = _DIGITS
    num = "".join([d[below(10)] for _ in range(9)])
    prefix = {
        BCBS: rng.choice(("XOF", "XOD", "ZGP", "YRB")),
        AETNA: "W",
        CIGNA: "U",
        HUMANA: "H",
        TRICARE: "DB",
    }.get(payer, "")
    return prefix + num


def _coverage_row(
    rng: random.Random,
    cid: int,
    pid: int,
    info: PatientInfo,
    payer: int,
    rank: int,
    copay: int,
    today: dt.date,
) -> tuple:
    group = (
        ""
        if payer in (MEDICARE, MEDICAID)
        else f"{rng.choice('PGKL')}{rng.randrange(10000, 999999)}"
    )
    if info.age < 18 and payer != MEDICAID:
        relationship = "child"
        sub_first = rng.choice(ANY_FIRST)
        sub_dob = today - dt.timedelta(days=(info.age + rng.randint(22, 42)) * 365)
        sub_last = info.last
    elif info.age >= 18 and payer not in (MEDICARE, MEDICAID) and rng.random() < 0.2:
        relationship = "spouse"
        sub_first = rng.choice(ANY_FIRST)
        sub_dob = today - dt.timedelta(days=(info.age + rng.randint(-5, 5)) * 365)
        sub_last = info.last
    else:
        relationship, sub_first, sub_last, sub_dob = "self", "", "", None
    effective = dt.date(today.year - rng.randint(1, 6), rng.choice((1, 1, 1, 7)), 1)
    return (
        cid,
        pid,
        payer,
        rank,
        _member_id(rng, payer),
        group,
        sub_first,
        sub_last,
        sub_dob,
        relationship,
        copay,
        effective,
        None,
        True,
    )


def _with_checks(rng: random.Random, row: tuple, today: dt.date) -> tuple:
    """The row with "eligibility last checked" (80% within 6 months) and the subscriber's sex."""
    day = today - dt.timedelta(days=rng.randrange(0, 180)) if rng.random() < 0.8 else None
    sex = rng.choice("FM") if row[9] != "self" else ""
    return (*row, day, sex)
