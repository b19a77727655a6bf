"""Clinical history on the chart: allergies (about 30% of patients) and recorded vitals
(about 45%), with adult and paediatric values in plausible ranges; the allergy state of
everyone else: about half asked and recorded as "no known allergies", the rest not
asked yet (drawn from a stream of its own, so the allergies themselves stay as they were)."""

from __future__ import annotations

import datetime as dt
import random

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.reference.clinical import ALLERGENS, SEVERITY_WEIGHTS
from medoffice_tui.demo.reference.staff import NURSE_USER
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.timeframe import day_at


def build_allergies_and_vitals(state: BuildState) -> None:
    rng = state.rng("clinical")
    asked = state.rng("allergy-state")
    nka: list[int] = []
    today_ord = state.today.toordinal()
    allergy_rows, vital_rows = [], []
    severities = [s for s, _ in SEVERITY_WEIGHTS]
    severity_weights = tuple(w for _, w in SEVERITY_WEIGHTS)
    for pid, info in enumerate(state.patients, 1):
        listed = rng.random() < 0.3
        if not listed and asked.random() < 0.5:
            nka.append(pid)
        if listed:
            for substance, reactions in rng.sample(
                ALLERGENS, weighted(rng, (1, 2, 3), (70, 22, 8))
            ):
                noted = dt.date.fromordinal(today_ord - rng.randrange(30, 3000))
                allergy_rows.append(
                    (
                        len(allergy_rows) + 1,
                        pid,
                        substance,
                        rng.choice(reactions),
                        weighted(rng, severities, severity_weights),
                        noted,
                        NURSE_USER,
                        True,
                    )
                )
        if rng.random() < 0.45:
            for _ in range(weighted(rng, (1, 2), (80, 20))):
                vital_rows.append(_vital(rng, len(vital_rows) + 1, pid, info.age, today_ord))
    state.progress("clinical", 0, len(allergy_rows) + len(vital_rows))
    bulk.insert(
        m.Allergy,
        bulk.fields(m.Allergy, "id patient substance reaction severity noted_on noted_by active"),
        allergy_rows,
    )
    bulk.insert(
        m.Vital,
        bulk.fields(
            m.Vital,
            "id patient taken_at taken_by systolic diastolic pulse temperature_f "
            "weight_lb height_in",
        ),
        vital_rows,
    )
    _set_allergy_states(state, nka)
    total = len(allergy_rows) + len(vital_rows)
    state.progress("clinical", total, total)
    state.summary.allergies, state.summary.vitals = len(allergy_rows), len(vital_rows)


def _vital(rng: random.Random, vid: int, pid: int, age: int, today_ord: int) -> tuple:
    taken = day_at(
        dt.date.fromordinal(today_ord - rng.randrange(1, 700)), rng.randrange(8 * 60, 17 * 60)
    )
    if age < 18:  # rough growth-chart medians with some spread
        base = 26 + 4 * age if age < 2 else min(34 + 2.4 * (age - 2), 70)
        height = round(base * rng.uniform(0.95, 1.05), 1)
        weight = round((16 + 3.5 * age + 0.25 * age * age) * rng.uniform(0.85, 1.2), 1)
        systolic, diastolic = rng.randint(90, 118), rng.randint(55, 76)
        pulse = rng.randint(75, 120) if age < 6 else rng.randint(62, 100)
    else:
        height = round(rng.gauss(66.5, 3.8), 1)
        bmi = max(17.0, rng.gauss(28.5, 5.5))
        weight = round(bmi * height * height / 703, 1)
        systolic = int(rng.gauss(112 + age * 0.35, 13))
        diastolic = max(50, min(systolic - 25, int(rng.gauss(76, 9))))
        pulse = rng.randint(56, 98)
    temp = round(rng.gauss(98.3, 0.45) if rng.random() > 0.05 else rng.uniform(99.5, 102.4), 1)
    return (vid, pid, taken, NURSE_USER, systolic, diastolic, pulse, temp, weight, height)


def _set_allergy_states(state: BuildState, nka: list[int]) -> None:
    """Allergy state "listed" for everyone with an allergy; "nka" (reviewed) for ``nka``."""
    m.Patient.update(allergy_status="listed").where(
        m.Patient.id.in_(m.Allergy.select(m.Allergy.patient))
    ).execute()
    reviewed = state.today - dt.timedelta(days=120)
    for start in range(0, len(nka), 5000):
        chunk = nka[start : start + 5000]
        m.Patient.update(allergy_status="nka", allergy_reviewed_on=reviewed).where(
            m.Patient.id.in_(chunk)
        ).execute()
