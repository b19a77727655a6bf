"""What a visit bills: its procedure lines and diagnoses, by kind of visit and age.

Sick, chronic-care, preventive, procedure and new-patient visits are coded the way a
family practice codes them (E/M level, modifiers 25/95/RT, add-on tests and vaccines),
and every line points at diagnoses of the same claim.
"""

from __future__ import annotations

import random

from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.reference.codes import ACUTE_DX, CHRONIC_DX
from medoffice_tui.demo.reference.payers import HUMANA, MEDICARE


def claim_lines(rng: random.Random, age: int, payer: int) -> tuple[list, list]:
    """(lines as (code, modifiers, units, dx pointers), diagnosis codes)."""
    kind = weighted(rng, ("sick", "chronic", "preventive", "procedure", "new"), (35, 30, 18, 9, 8))
    lines: list[tuple[str, str, int, str]] = []
    if kind == "preventive":
        if age >= 65 and payer in (MEDICARE, HUMANA):
            lines.append(("G0439", "", 1, "1"))
            dx = ["Z00.00"]
        else:
            code = (
                "99392"
                if age < 5
                else "99393"
                if age < 12
                else "99394"
                if age < 18
                else "99395"
                if age < 40
                else "99396"
                if age < 65
                else "99397"
            )
            lines.append((code, "", 1, "1"))
            dx = ["Z00.129" if age < 18 else rng.choice(("Z00.00", "Z00.01"))]
        if rng.random() < 0.35:
            dx.append("Z23")
            lines += [("90471", "", 1, "2"), ("90686", "", 1, "2")]
        elif age >= 18 and rng.random() < 0.4:
            dx.append(rng.choice(CHRONIC_DX))
            lines.append(("36415", "", 1, "2"))
        return lines, dx
    if kind == "procedure":
        code, dx = rng.choice(
            (
                ("20610", ["M17.11"]),
                ("69210", ["H61.23"]),
                ("17110", ["B07.9"]),
                ("93000", ["I10"]),
            )
        )
        modifier = "RT" if code == "20610" else ""
        lines.append((weighted(rng, ("99213", "99214"), (60, 40)), "25", 1, "1"))
        lines.append((code, modifier, 1, "1"))
        if code == "20610" and rng.random() < 0.5:
            lines.append(("J1100", "", rng.randint(4, 10), "1"))
        return lines, dx
    if kind == "new":
        dx = rng.sample(CHRONIC_DX, rng.randint(1, 3))
        lines.append(
            (
                weighted(rng, ("99202", "99203", "99204"), (20, 50, 30)),
                "",
                1,
                ",".join(str(i) for i in range(1, len(dx) + 1)),
            )
        )
        return lines, dx
    if kind == "chronic":
        dx = rng.sample(CHRONIC_DX, rng.randint(1, 4))
        em = weighted(rng, ("99212", "99213", "99214", "99215"), (10, 45, 38, 7))
        telehealth = rng.random() < 0.12
        lines.append(
            (em, "95" if telehealth else "", 1, ",".join(str(i) for i in range(1, len(dx) + 1)))
        )
        if not telehealth and rng.random() < 0.4:
            lines.append(("36415", "", 1, "1"))
        if not telehealth and rng.random() < 0.1:
            lines.append(("94010", "", 1, "1"))
        return lines, dx
    dx = rng.sample(ACUTE_DX, rng.randint(1, 2))
    lines.append(
        (
            weighted(rng, ("99212", "99213", "99214"), (30, 55, 15)),
            "",
            1,
            ",".join(str(i) for i in range(1, len(dx) + 1)),
        )
    )
    if "J02.9" in dx and rng.random() < 0.7:
        lines.append(("87880", "", 1, str(dx.index("J02.9") + 1)))
    if "N39.0" in dx and rng.random() < 0.8:
        lines.append(("81002", "", 1, str(dx.index("N39.0") + 1)))
    if rng.random() < 0.08:
        lines[0] = (lines[0][0], "25", 1, lines[0][3])
        lines += [("96372", "", 1, "1"), ("J1100", "", rng.randint(4, 10), "1")]
    return lines, dx
