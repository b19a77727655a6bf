"""Claims: one per patient (at least ``MIN_CLAIMS``), in every status and aging bucket,
with their status history, per-line payments and adjustments, assignees and follow-ups.

Money is posted per line as the services post it: charge = paid + CO + PR + OA on every
posted line; balance = charge - paid - adjustments, where a denied line keeps its
balance (owed until appealed or written off) and ``PR`` rows are the patient's share,
not write-offs. Some drafts carry a mistake the scrubber names (a pointer to a missing
diagnosis, a category code, a missing prior authorization), others are clean. Claims
bill completed past visits where one falls on the date of service, otherwise an insured
patient with no appointment. A ready claim is one the scrubber passes, so none is past
its payer's timely-filing limit: the demo's ready claims all export right after
``medoffice demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from medoffice_tui.demo.claim_rows import ClaimRows, LineMoney
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
from medoffice_tui.demo.reference.codes import (
    DENIAL_CARCS,
    FEE_BY_CODE,
    FEE_TEXT,
    PRIOR_AUTH_PAYER,
)
from medoffice_tui.demo.reference.payers import MEDICARE, PAYERS
from medoffice_tui.demo.reference.staff import FRONTDESK_USER, PROVIDERS, USER_IDS
from medoffice_tui.demo.state import BuildState, PatientInfo
from medoffice_tui.demo.timeframe import day_at, in_office_hours
from medoffice_tui.services.claims import AGING_BUCKETS, summaries

MIN_CLAIMS = 200
#: the billers claims are assigned to (the documented "billing" account first)
BILLERS = tuple(uid for uid, (_name, role) in USER_IDS.items() if role == "billing")
#: claims are written in batches of this many to keep memory flat
CLAIM_BATCH = 20000


#: above this many claims they are drawn in ``CLAIM_CHUNKS`` chunks, each from a random
#: stream of its own (on SQLite in worker processes, see ``claim_chunks``); at or below
#: it, from one stream in one pass (the practices up to 100,000 patients stay as they were)
CHUNKED_ABOVE = 100_000


def start_claims(state: BuildState) -> None:
    """Above ``CHUNKED_ABOVE`` claims: start the workers drawing them (``claim_chunks``),
    so the parts that do not feed the claims are built meanwhile; ``build_claims``
    writes what they drew. Everything the claims draw from is built by now: the
    patients, their coverage and the schedule's completed visits."""
    total = max(state.n_patients, MIN_CLAIMS)
    if total > CHUNKED_ABOVE:
        from medoffice_tui.demo.claim_chunks import start_in_workers  # noqa: PLC0415

        state.claims_started = start_in_workers(state, total)


def build_claims(state: BuildState) -> None:
    total = max(state.n_patients, MIN_CLAIMS)
    state.progress("claims", 0, total)
    started, state.claims_started = state.claims_started, None
    if started is not None:
        started()
    elif total > CHUNKED_ABOVE:
        from medoffice_tui.demo.claim_chunks import build_in_chunks  # noqa: PLC0415

        build_in_chunks(state, total)
    else:
        out = ClaimRows()
        pools = {day: list(v) for day, v in state.completed_by_day.items()}

        def flush(done: int) -> None:
            out.write(state.summary)
            state.progress("claims", done, total)

        draw_claims(state, state.rng("claims"), range(total), pools, out, [0], flush)
        out.write(state.summary)
    summaries.rebuild()  # the queue's summary lines, from the rows just written in bulk
    state.progress("claims", total, total)


def draw_claims(
    state: BuildState,
    rng: random.Random,
    numbers: range,
    pools: dict[dt.date, list[tuple[int, int, int]]],
    out: ClaimRows,
    drafts: list[int],
    flush: Callable[[int], None],
) -> None:
    """Draw the claims ``numbers`` (0-based; claim id = number + 1) from ``rng`` into
    ``out``, billing visits taken from ``pools``; ``flush(done)`` whenever ``out`` holds
    ``CLAIM_BATCH`` claims. ``drafts``: drafts drawn so far (the first few carry known
    mistakes)."""
    insured = [pid for pid, info in enumerate(state.patients, 1) if info.coverage_id]
    statuses = list(STATUS_WEIGHTS)
    status_weights = tuple(STATUS_WEIGHTS.values())
    # guarantee every status and every aging bucket appears
    forced = [(s, None) for s in statuses] + [("pending", b) for b in AGING_BUCKETS]
    for k in numbers:
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
        _claim(state, rng, out, status, service_date, patient, provider, appointment, drafts)
        if len(out.claims) >= CLAIM_BATCH:
            flush(k + 1)


def _claim_age(rng: random.Random, status: str, bucket: str | None) -> int:
    """Days from the date of service to today: in ``bucket``, or in a bucket drawn for
    ``status``, never younger than the status allows."""
    low = MIN_AGE[status]
    if bucket is None:
        options, weights = _bucket_choices(status)
        bucket = weighted(rng, options, weights)
    lo, hi = AGE_RANGES[bucket]
    return rng.randint(max(lo, low), hi)


_BUCKET_CHOICES: dict[str, tuple[list[str], tuple[int, ...]]] = {}


def _bucket_choices(status: str) -> tuple[list[str], tuple[int, ...]]:
    """The aging buckets a claim in ``status`` can be in, with their weights (cached)."""
    found = _BUCKET_CHOICES.get(status)
    if found is None:
        low = MIN_AGE[status]
        options = [b for b in AGING_BUCKETS if AGE_RANGES[b][1] >= low]
        weights = tuple(BUCKET_WEIGHTS[status][AGING_BUCKETS.index(b)] for b in options)
        found = _BUCKET_CHOICES[status] = (options, weights)
    return found


#: statuses a biller works: assigned to someone, often with a follow-up date
_WORKED = frozenset(
    {
        "rejected_ch",
        "rejected_payer",
        "denied",
        "appealed",
        "partially_paid",
        "corrected",
        "pending",
    }
)
#: what a deliberately faulty draft has wrong (the scrubber names each)
DRAFT_DEFECTS = ("pointer", "category", "prior_auth")


#: days before a payer's timely-filing limit that a ready claim stays at the latest (so a
#: demo built today still exports cleanly for a couple of weeks)
READY_FILING_MARGIN = 14


def _within_filing_limit(today: dt.date, service_date: dt.date, payer: int) -> dt.date:
    """A ready claim's date of service, moved forward when the drawn one is past (or near)
    the payer's filing limit: a claim that old would have gone out long ago, and the
    scrubber refuses it. Deterministic, so the claims stream's draws stay the same."""
    limit = PAYERS[payer - 1][3] - READY_FILING_MARGIN
    age = (today - service_date).days
    if age <= limit:
        return service_date
    return today - dt.timedelta(days=limit - age % 21)


def _defect(rng: random.Random, status: str, payer: int, drafts: list[int]) -> str:
    """Some drafts carry a mistake for the scrubber to find; the first three drafts are a
    wrong pointer, a category code and (for any payer) a clean one."""
    if status != "draft":
        return ""
    drafts[0] += 1
    if drafts[0] <= 3:
        return ("pointer", "category", "")[drafts[0] - 1]
    if rng.random() < 0.35:
        choice = rng.choice(DRAFT_DEFECTS)
        return "" if choice == "prior_auth" and payer != PRIOR_AUTH_PAYER else choice
    return ""


def _claim(
    state: BuildState,
    rng: random.Random,
    out: ClaimRows,
    status: str,
    service_date: dt.date,
    patient: int,
    provider: int,
    appointment: int | None,
    drafts: list[int],
) -> None:
    info = state.patients[patient - 1]
    if status == "ready":
        moved = _within_filing_limit(state.today, service_date, info.payer_id)
        if moved != service_date:
            service_date, appointment = moved, None  # a visit billed is on its own date
    cid = out.next_claim_id()
    lines, dx = claim_lines(rng, info.age, info.payer_id)
    defect = _defect(rng, status, info.payer_id, drafts)
    if defect == "category":
        dotted = [i for i, code in enumerate(dx) if "." in code]
        if dotted:
            dx[dotted[0]] = dx[dotted[0]].split(".")[0]  # J06.9 -> J06: not billable
        else:
            defect = "pointer"
    if defect == "pointer":
        code, mods, units, pointers = lines[0]
        lines[0] = (code, mods, units, f"{pointers},{len(dx) + 1}"[:7])
    telehealth = any(mods == "95" for _, mods, _, _ in lines)
    charges = [FEE_BY_CODE[code] * units for code, _, units, _ in lines]
    line_ids = [out.next_line_id() for _ in lines]
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
    money = [LineMoney() for _ in lines]
    payer = info.payer_id
    post_at = (
        times[-1]
        if status not in ("closed", "appealed", "corrected", "written_off")
        else times[len(path) - 2]
    )
    if status in ("paid", "closed", "partially_paid"):
        _post_payment(
            rng, out, status, cid, patient, info, line_ids, charges, money, visit, post_at
        )
    elif status in ("denied", "appealed", "corrected", "written_off"):
        carc, note = (
            ("29", "time limit for filing expired")
            if status == "written_off"
            else (rng.choice(DENIAL_CARCS))
        )
        for line_id, charge, line_money in zip(line_ids, charges, money, strict=True):
            out.add_adjustment(cid, line_id, None, "CO", carc, charge, f"denied: {note}", post_at)
            line_money.co, line_money.adjudicated = charge, True
        if status == "written_off":
            for line_id, charge, line_money in zip(line_ids, charges, money, strict=True):
                out.add_adjustment(
                    cid,
                    line_id,
                    None,
                    "WO",
                    "time",
                    charge,
                    "timely filing limit passed: written off",
                    times[-1],
                )
                line_money.write_off = charge
    for line_no, ((code, mods, units, pointers), line_id, charge, line_money) in enumerate(
        zip(lines, line_ids, charges, money, strict=True), 1
    ):
        out.add_line(
            line_id,
            cid,
            line_no,
            code,
            mods,
            units,
            charge,
            pointers,
            service_date,
            FEE_TEXT.get(code, ""),
            line_money,
        )
    paid = sum(x.paid + x.patient_paid for x in money)
    denied = all(x.adjudicated and x.paid == 0 and x.pr == 0 for x in money)
    adjustments = sum(x.write_off for x in money) + (
        0 if denied else sum(x.co + x.oa for x in money if x.paid or x.pr)
    )
    patient_resp = sum(x.pr for x in money)
    balance = total - paid - adjustments
    assignee = follow_up = None
    if status in _WORKED and rng.random() < 0.7:
        assignee = rng.choice(BILLERS)
        out.add_event(cid, "", "", times[-1], f"assigned to {USER_IDS[assignee][0]}", "assign")
        if rng.random() < 0.6:
            follow_up = state.today + dt.timedelta(days=rng.randint(-10, 14))
            out.add_event(
                cid, "", "", times[-1], f"follow up on {follow_up:%m/%d/%Y}", "follow_up", assignee
            )
    prior_auth = ""
    if payer == PRIOR_AUTH_PAYER and defect != "prior_auth":
        prior_auth = f"PA{rng.randrange(10**7, 10**8)}"
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
            assignee,
            follow_up,
            prior_auth,
            "P",
            FRONTDESK_USER,
        )
    )


def _status_times(
    rng: random.Random, path: tuple[str, ...], visit: dt.datetime, now: dt.datetime
) -> list[dt.datetime]:
    """When the claim reached each status of ``path``: squeezed to fit between the visit
    and now, in office hours.

    Counted in whole seconds from the visit's midnight (a visit is on the minute, so
    this is exact), and each moment made a datetime once: the same times as stepping
    datetimes along and squeezing each with ``in_office_hours``."""
    budget = (now - visit).total_seconds() * 0.95
    uniform = rng.uniform
    first = uniform(0.05, 0.3) * 86400
    gaps = [STEP_DAYS[s] * uniform(0.6, 1.4) * 86400 for s in path[1:]]
    scale = min(1.0, budget / (first + sum(gaps)))
    midnight = dt.datetime(visit.year, visit.month, visit.day)
    if visit.microsecond or now.microsecond:
        return _status_times_slow(visit, now, first, gaps, scale)
    at = visit.hour * 3600 + visit.minute * 60 + visit.second + int(first * scale)
    seconds = [at]
    for gap in gaps:
        at += max(60, int(gap * scale))
        seconds.append(at)
    until = int((now - midnight).total_seconds())
    if at > until:  # a visit yesterday with a long path: keep order, end by now
        return _status_times_slow(visit, now, first, gaps, scale)
    times = []
    for at in seconds:
        day, second = divmod(at, 86400)
        office = day * 86400 + 7 * 3600 + second // 2  # in_office_hours, in seconds
        times.append(now if office > until else midnight + dt.timedelta(seconds=office))
    return times


def _status_times_slow(
    visit: dt.datetime, now: dt.datetime, first: float, gaps: list[float], scale: float
) -> list[dt.datetime]:
    """``_status_times`` stepping datetimes along (a path that has to end by now)."""
    times = [visit + dt.timedelta(seconds=int(first * scale))]
    for gap in gaps:
        times.append(times[-1] + dt.timedelta(seconds=max(60, int(gap * scale))))
    if times[-1] > now:
        step = (now - visit) / (len(times) + 1)
        times = [visit + step * (i + 1) for i in range(len(times))]
        times = [t.replace(microsecond=0) for t in times]
    return [min(in_office_hours(t), now) for t in times]


def _spread(total: int, weights: list[int]) -> list[int]:
    """``total`` cents split in proportion to ``weights``, exactly (the last takes the rest)."""
    whole = sum(weights) or 1
    parts = [total * w // whole for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _post_payment(
    rng: random.Random,
    out: ClaimRows,
    status: str,
    cid: int,
    patient: int,
    info: PatientInfo,
    line_ids: list[int],
    charges: list[int],
    money: list[LineMoney],
    visit: dt.datetime,
    post_at: dt.datetime,
) -> None:
    """Post the payer's decision on a paid, closed or partially paid claim, line by line:
    the contractual write-off, the patient's share (paid at the visit unless partially
    paid) and, when partially paid, a denied last line."""
    payer = info.payer_id
    denied_line = (len(charges) - 1) if status == "partially_paid" and len(charges) > 1 else None
    open_lines = [i for i in range(len(charges)) if i != denied_line]
    ratio = rng.uniform(0.45, 0.85)
    allowed = {i: int(charges[i] * ratio) for i in open_lines}
    allowed_total = sum(allowed.values())
    if status == "partially_paid":
        share = max(info.copay, int(allowed_total * rng.uniform(0.2, 0.5)))
    else:
        share = info.copay + (int(allowed_total * 0.2) if payer == MEDICARE else 0)
    share = min(share, allowed_total)
    shares = _spread(share, [allowed[i] for i in open_lines]) if open_lines else []
    insurance = allowed_total - share
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
    carc = "3" if info.copay and share == info.copay else rng.choice(("1", "2"))
    for i, line_share in zip(open_lines, shares, strict=True):
        line = money[i]
        line.allowed, line.pr, line.adjudicated = allowed[i], line_share, True
        line.co = charges[i] - allowed[i]
        line.paid = allowed[i] - line_share
        if line.co:
            out.add_adjustment(
                cid, line_ids[i], pay_id, "CO", "45", line.co, "contractual obligation", post_at
            )
        if line_share:
            out.add_adjustment(
                cid, line_ids[i], pay_id, "PR", carc, line_share, "patient responsibility", post_at
            )
        if pay_id is not None:
            out.add_allocation(pay_id, cid, line_ids[i], line.paid)
    if share and status != "partially_paid":
        receipt = out.add_payment(
            "patient",
            cid,
            patient,
            None,
            share,
            rng.choice(("card", "card", "cash", "check")),
            f"RCPT{cid:08d}",
            visit + dt.timedelta(minutes=20),
        )
        for i, line_share in zip(open_lines, shares, strict=True):
            money[i].patient_paid = line_share
            out.add_allocation(receipt, cid, line_ids[i], line_share)
    if denied_line is not None:
        carc, note = rng.choice((DENIAL_CARCS[0], DENIAL_CARCS[2], DENIAL_CARCS[3]))
        out.add_adjustment(
            cid,
            line_ids[denied_line],
            pay_id,
            "CO",
            carc,
            charges[denied_line],
            f"line denied: {note}",
            post_at,
        )
        money[denied_line].co = charges[denied_line]
        money[denied_line].adjudicated = True
