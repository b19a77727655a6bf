"""Reading a 271 eligibility answer (005010X279A1): for each question (found by the trace
number we sent, which the payer returns in ``TRN*2``), is the coverage active or
inactive, the office-visit copay, and the deductible still to meet; or the error the
payer gave instead (``AAA``: member not found, invalid id ...).

- active: any ``EB01`` 1-5; inactive: 6-8 (the plan-level answer, service type 30, wins);
- copay: ``EB*B`` with an amount, the office visit (service type 98) before the plan
  (30), in network before out of network;
- deductible remaining: ``EB*C`` for the period "remaining" (``EB06`` = 29), the
  individual's before the family's, in network first.
"""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui.services.x12.segments import (
    Delimiters,
    Document,
    Segment,
    Transaction,
    X12ReadError,
    cents,
    transactions,
)

ACTIVE = frozenset({"1", "2", "3", "4", "5"})
INACTIVE = frozenset({"6", "7", "8"})
#: AAA03 reject reasons (the common ones), in plain words
REJECT_REASONS = {
    "04": "authorized quantity exceeded",
    "15": "required information missing",
    "41": "authorization or access restrictions",
    "42": "the payer cannot answer right now: ask again later",
    "43": "the provider's id is invalid or missing",
    "51": "the provider is not on the payer's file",
    "56": "an inappropriate date",
    "57": "the date of service is invalid or missing",
    "58": "the date of birth is invalid or missing",
    "62": "the date of service is outside the inquiry period",
    "63": "the date of service is in the future",
    "64": "the patient's id is invalid or missing",
    "65": "the patient's name is invalid or missing",
    "67": "the patient is not found",
    "71": "the date of birth does not match the payer's",
    "72": "the member id is invalid or missing",
    "73": "the subscriber's name is invalid or missing",
    "75": "the subscriber is not found",
    "76": "the member id is on file more than once",
    "78": "the subscriber is not in the group or plan",
    "79": "the request could not be identified",
}


@dataclass(frozen=True)
class Benefit:
    info: str  # EB01
    level: str  # EB02: IND, FAM ...
    services: tuple[str, ...]  # EB03
    plan: str  # EB05
    period: str  # EB06
    cents: int | None  # EB07
    network: str  # EB12: Y, N, W, U or ""


@dataclass(frozen=True)
class Answer:
    trace: str
    status: str  # active, inactive, error, "" (no answer in it)
    plan: str
    copay_cents: int | None
    deductible_left_cents: int | None
    errors: tuple[str, ...]
    line: int

    @property
    def words(self) -> str:
        if self.status == "error":
            return "the payer could not answer: " + "; ".join(self.errors)
        if not self.status:
            return "the answer holds no benefit information"
        parts = [self.status]
        if self.plan:
            parts.append(self.plan)
        if self.copay_cents is not None:
            parts.append(f"copay ${self.copay_cents / 100:,.2f}")
        if self.deductible_left_cents is not None:
            parts.append(f"deductible left ${self.deductible_left_cents / 100:,.2f}")
        return ", ".join(parts)


def _reason(seg: Segment) -> str:
    code = seg[3].strip()
    return REJECT_REASONS.get(code, f"reject reason {code} (not in the app's list)")


def _pick(
    benefits: list[Benefit], info: str, services: tuple[str, ...], period: str = ""
) -> Benefit | None:  # noqa: E501
    candidates = [
        b
        for b in benefits
        if b.info == info and b.cents is not None and (not period or b.period == period)
    ]
    if not candidates:
        return None

    def rank(b: Benefit) -> tuple[int, int, int]:
        service = min(
            (services.index(s) for s in b.services if s in services), default=len(services)
        )
        network = 0 if b.network in ("Y", "W", "") else 1
        level = 0 if b.level in ("IND", "") else 1
        return (network, service, level)

    return min(candidates, key=rank)


def _answer(trace: str, benefits: list[Benefit], errors: list[str], line: int) -> Answer:
    if errors:
        return Answer(trace, "error", "", None, None, tuple(errors), line)
    if not benefits:
        return Answer(trace, "", "", None, None, (), line)
    status = ""
    plan_level = [b for b in benefits if "30" in b.services and (b.info in ACTIVE | INACTIVE)]
    for b in plan_level or benefits:
        if b.info in ACTIVE:
            status = "active"
            break
        if b.info in INACTIVE:
            status = "inactive"
            break
    plan = next((b.plan for b in benefits if b.plan), "")
    copay = _pick(benefits, "B", ("98", "30"))
    deductible = _pick(benefits, "C", ("30", "98"), period="29")
    return Answer(
        trace,
        status,
        plan[:60],
        copay.cents if copay else None,
        deductible.cents if deductible else None,
        (),
        line,
    )


def _read_set(ts: Transaction, d: Delimiters, answers: list[Answer], general: list[str]) -> None:
    if ts.kind != "271":
        raise X12ReadError(
            f"this file holds a {ts.kind or 'different'} transaction set, not a 271",
            segment="ST",
            line=ts.segments[0].line,
        )
    level = ""
    trace = ""
    line = 0
    benefits: list[Benefit] = []
    errors: list[str] = []

    def close() -> None:
        nonlocal trace, benefits, errors
        if level in ("22", "23") and trace:
            answers.append(_answer(trace, benefits, errors, line))
        elif level in ("22", "23") and (benefits or errors):
            general.extend(errors or ["an answer without the trace number it was asked with"])
        trace, benefits, errors = "", [], []

    for seg in ts.segments[1:-1]:
        if seg.id == "HL":
            new_level = seg[3].strip()
            # a dependent's answer follows its subscriber's HL: the subscriber HL with
            # a trace of its own is an answer; without one, the dependent carries it
            close()
            level = new_level
            line = seg.line
        elif seg.id == "TRN" and seg[1].strip() == "2":
            trace = seg[2].strip()
        elif seg.id == "AAA":
            if seg[1].strip() == "N" or seg[3].strip():
                (errors if level in ("22", "23") else general).append(_reason(seg))
        elif seg.id == "EB":
            services = (
                tuple(s.strip() for s in seg[3].split(d.repetition) if s.strip()) if seg[3] else ()
            )
            amount = seg[7].strip()
            benefits.append(
                Benefit(
                    seg[1].strip(),
                    seg[2].strip(),
                    services,
                    seg[5].strip(),
                    seg[6].strip(),
                    cents(amount, seg=seg, name="a benefit amount") if amount else None,
                    seg[12].strip(),
                )
            )
    close()


def read(document: Document) -> tuple[list[Answer], list[str]]:
    """The answers of a 271, and the errors the payer gave for the whole request."""
    answers: list[Answer] = []
    general: list[str] = []
    for ts in transactions(document):
        _read_set(ts, document.delimiters, answers, general)
    return answers, general


__all__ = ["ACTIVE", "INACTIVE", "REJECT_REASONS", "Answer", "Benefit", "read"]
