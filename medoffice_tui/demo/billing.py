"""Claims: one per patient (at least ``MIN_CLAIMS``), in every status and aging bucket,
with their status history, payments and adjustments.

Claim money balances: balance = charge - paid - adjustments, where denial reason
codes are posted as zero-amount memo adjustments and ``PR`` rows are the patient's
share, not write-offs. Claims bill completed past visits where one falls on the
date of service, otherwise an insured patient with no appointment.
"""

from __future__ import annotations

import datetime as dt
import random

from medoffice_tui.demo.claim_rows import ClaimRows
from medoffice_tui.demo.coding import claim_lines
from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.reference.claim_flow import (
    AGE_RANGES,
    BUCKET_WEIGHTS,
    CLAIM_PATHS,
    EVENT_NOTES,
    MIN_AGE,
    STATUS_WEIGHTS,
    STEP_DAYS,
)
from medoffice_tui.demo.reference.codes import DENIAL_CARCS, FEE_BY_CODE
from medoffice_tui.demo.reference.payers import MEDICARE
from medoffice_tui.demo.reference.staff import PROVIDERS
from medoffice_tui.demo.state import BuildState, PatientInfo
from medoffice_tui.demo.timeframe import day_at, in_office_hours
from medoffice_tui.services.claims import AGING_BUCKETS, summaries

MIN_CLAIMS = 200
#: claims are written in batches of this many to keep memory flat
CLAIM_BATCH = 20000


def build_claims(state: BuildState) -> None:
    rng = state.rng("claims")
    total = max(state.n_patients, MIN_CLAIMS)
    insured = [pid for pid, info in enumerate(state.patients, 1) if info.coverage_id]
    statuses = list(STATUS_WEIGHTS)
    status_weights = tuple(STATUS_WEIGHTS.values())
    # guarantee every status and every aging bucket appears
    forced = [(s, None) for s in statuses] + [("pending", b) for b in AGING_BUCKETS]
    pools = {day: list(v) for day, v in state.completed_by_day.items()}
    out = ClaimRows()
    state.progress("claims", 0, total)
    for k in range(total):
        if k < len(forced):
            status, bucket = forced[k]
        else:
            status, bucket = weighted(rng, statuses, status_weights), None
        age = _claim_age(rng, status, bucket)
        service_date = state.today - dt.timedelta(days=age)
        appointment = None
        pool = pools.get(service_date)
        while pool:
            aid, patient, provider = pool.pop()
            if state.patients[patient - 1].coverage_id:
                appointment = aid
                break
        if appointment is None:
            patient = rng.choice(insured)
            provider = rng.randint(1, len(PROVIDERS))
        _claim(state, rng, out, status, service_date, patient, provider, appointment)
        if len(out.claims) >= CLAIM_BATCH:
            out.write(state.summary)
            state.progress("claims", k + 1, total)
    out.write(state.summary)
    summaries.rebuild()  # the queue's summary lines, from the rows just written in bulk
    state.progress("claims", total, total)


def _claim_age(rng: random.Random, status: str, bucket: str | None) -> int:
    """Days from the date of service to today: in ``bucket``, or in a bucket drawn for
    ``status``, never younger than the status allows."""
    low = MIN_AGE[status]
    if bucket is None:
        options = [b for b in AGING_BUCKETS if AGE_RANGES[b][1] >= low]
        weights = tuple(BUCKET_WEIGHTS[status][AGING_BUCKETS.index(b)] for b in options)
        bucket = weighted(rng, options, weights)
    lo, hi = AGE_RANGES[bucket]
    return rng.randint(max(lo, low), hi)


def _claim(
    state: BuildState,
    rng: random.Random,
    out: ClaimRows,
    status: str,
    service_date: dt.date,
    patient: int,
    provider: int,
    appointment: int | None,
) -> None:
    info = state.patients[patient - 1]
    cid = out.next_claim_id()
    lines, dx = claim_lines(rng, info.age, info.payer_id)
    telehealth = any(mods == "95" for _, mods, _, _ in lines)
    line_ids = []
    charges = []
    for line_no, (code, mods, units, pointers) in enumerate(lines, 1):
        charge = FEE_BY_CODE[code] * units
        charges.append(charge)
        line_ids.append(
            out.add_line(cid, line_no, code, mods, units, charge, pointers, service_date)
        )
    for seq, code in enumerate(dx, 1):
        out.add_dx(cid, seq, code)
    total = sum(charges)
    path = CLAIM_PATHS[status]
    visit = day_at(service_date, rng.randint(8 * 60, 16 * 60))
    times = _status_times(rng, path, visit, state.now)
    previous = ""
    for to_status, at in zip(path, times, strict=True):
        out.add_event(cid, previous, to_status, at, EVENT_NOTES[to_status])
        previous = to_status
    submitted_at = times[path.index("submitted")] if "submitted" in path else None
    adjudicated = "pending" in path and status not in ("pending",)
    payer_claim_number = f"{rng.randrange(10**12, 10**13)}" if adjudicated else ""
    frequency = "7" if status == "corrected" else "1"
    paid = adjustments = patient_resp = 0
    payer = info.payer_id
    post_at = (
        times[-1]
        if status not in ("closed", "appealed", "corrected", "written_off")
        else times[len(path) - 2]
    )
    if status in ("paid", "closed", "partially_paid"):
        paid, adjustments, patient_resp = _post_payment(
            rng, out, status, cid, patient, info, line_ids, charges, visit, post_at
        )
    elif status in ("denied", "appealed", "corrected"):
        carc, note = rng.choice(DENIAL_CARCS)
        out.add_adjustment(
            cid,
            line_ids[0],
            None,
            "CO",
            carc,
            0,
            f"denied (memo, billed {total / 100:.2f}): {note}",
            post_at,
        )
    elif status == "written_off":
        out.add_adjustment(
            cid,
            line_ids[0],
            None,
            "CO",
            "29",
            total,
            "time limit for filing expired: written off",
            times[-1],
        )
        adjustments = total
    balance = total - paid - adjustments
    out.add_claim(
        (
            cid,
            f"CLM{cid:08d}",
            patient,
            provider,
            payer,
            info.coverage_id,
            appointment,
            service_date,
            "10" if telehealth else "11",
            frequency,
            payer_claim_number,
            status,
            total,
            paid,
            adjustments,
            patient_resp,
            balance,
            submitted_at,
            times[-1],
            times[0],
            times[-1],
            1,
        )
    )


def _status_times(
    rng: random.Random, path: tuple[str, ...], visit: dt.datetime, now: dt.datetime
) -> list[dt.datetime]:
    """When the claim reached each status of ``path``: squeezed to fit between the visit
    and now, in office hours."""
    budget = (now - visit).total_seconds() * 0.95
    first = rng.uniform(0.05, 0.3) * 86400
    gaps = [STEP_DAYS[s] * rng.uniform(0.6, 1.4) * 86400 for s in path[1:]]
    scale = min(1.0, budget / (first + sum(gaps)))
    times = [visit + dt.timedelta(seconds=int(first * scale))]
    for gap in gaps:
        times.append(times[-1] + dt.timedelta(seconds=max(60, int(gap * scale))))
    if times[-1] > now:  # a visit yesterday with a long path: keep order, end by now
        step = (now - visit) / (len(times) + 1)
        times = [visit + step * (i + 1) for i in range(len(times))]
        times = [t.replace(microsecond=0) for t in times]
    return [min(in_office_hours(t), now) for t in times]


def _post_payment(
    rng: random.Random,
    out: ClaimRows,
    status: str,
    cid: int,
    patient: int,
    info: PatientInfo,
    line_ids: list[int],
    charges: list[int],
    visit: dt.datetime,
    post_at: dt.datetime,
) -> tuple[int, int, int]:
    """Post the payer's payment of a paid, closed or partially paid claim: the contractual
    write-off, the patient's share (paid at the visit unless partially paid) and, when
    partially paid, a denied last line. Returns (paid, adjustments, patient's share)."""
    payer = info.payer_id
    paid = adjustments = patient_resp = 0
    denied_line = (len(charges) - 1) if status == "partially_paid" and len(charges) > 1 else None
    allowed_base = sum(c for i, c in enumerate(charges) if i != denied_line)
    allowed = int(allowed_base * rng.uniform(0.45, 0.85))
    contractual = allowed_base - allowed
    if status == "partially_paid":
        share = max(info.copay, int(allowed * rng.uniform(0.2, 0.5)))
    else:
        share = info.copay + (int(allowed * 0.2) if payer == MEDICARE else 0)
    share = min(share, allowed)
    insurance = allowed - share
    pay_id = (
        out.add_payment(
            "insurance",
            cid,
            patient,
            payer,
            insurance,
            rng.choice(("eft", "eft", "eft", "check")),
            f"{rng.choice(('EFT', 'CHK'))}{rng.randrange(10**8):08d}",
            post_at,
        )
        if insurance > 0
        else None
    )
    out.add_adjustment(
        cid, line_ids[0], pay_id, "CO", "45", contractual, "contractual obligation", post_at
    )
    adjustments += contractual
    paid += insurance
    if share:
        carc = "3" if info.copay and share == info.copay else rng.choice(("1", "2"))
        out.add_adjustment(
            cid, line_ids[0], pay_id, "PR", carc, share, "patient responsibility", post_at
        )
        patient_resp = share
        if status != "partially_paid":
            out.add_payment(
                "patient",
                cid,
                patient,
                None,
                share,
                rng.choice(("card", "card", "cash", "check")),
                f"RCPT{cid:08d}",
                visit + dt.timedelta(minutes=20),
            )
            paid += share
    if denied_line is not None:
        carc, note = rng.choice((DENIAL_CARCS[0], DENIAL_CARCS[2], DENIAL_CARCS[3]))
        out.add_adjustment(
            cid,
            line_ids[denied_line],
            pay_id,
            "CO",
            carc,
            0,
            f"line denied (memo): {note}",
            post_at,
        )
    return paid, adjustments, patient_resp
