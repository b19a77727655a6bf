"""Per-payer claim settings the desk keeps: the timely-filing limit (days from the date of
service a claim may still be sent; the queue's "To file" and the scrubber read it) and
whether the payer requires a prior authorization number on a claim (``PayerRule``).

``medoffice claims payers list|set`` and the Claims pane's payer settings form call
these; a change needs the billing or manager role (``claim.edit``) and is audited
(fields named, never values beyond the setting itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui.db.models import Payer, PayerRule
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes

#: the range a timely-filing limit may take (days): 30 days to 3 years
FILING_DAYS_MIN = 30
FILING_DAYS_MAX = 1095


@dataclass(frozen=True)
class PayerSettings:
    id: int
    name: str
    payer_code: str  # the X12 payer id
    timely_filing_days: int
    prior_auth_required: bool
    active: bool


def list_payer_settings() -> list[PayerSettings]:
    """Every payer with its filing limit and prior-authorization rule, by name."""
    rules = {
        r.payer_id: r.prior_auth_required
        for r in PayerRule.select(PayerRule.payer, PayerRule.prior_auth_required)
    }
    return [
        PayerSettings(
            p.id,
            p.name,
            p.payer_id,
            p.timely_filing_days,
            bool(rules.get(p.id, False)),
            bool(p.active),
        )
        for p in Payer.select().order_by(Payer.name, Payer.id)
    ]


def find_payer(text: str) -> int:
    """A payer's id from its X12 payer id, its database id or its name (whole, or the
    start of one name only)."""
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput("name the payer (its payer id or name)", field="payer")
    found = Payer.get_or_none(Payer.payer_id == text.upper()) or Payer.get_or_none(
        Payer.payer_id == text
    )
    if found is None and text.isdigit():
        found = Payer.get_or_none(Payer.id == int(text))
    if found is None:
        wanted = text.casefold()
        payers = list(Payer.select(Payer.id, Payer.name))
        exact = [p for p in payers if p.name.casefold() == wanted]
        starts = [p for p in payers if p.name.casefold().startswith(wanted)]
        matches = exact or starts
        if len(matches) > 1:
            raise InvalidInput(
                f"{len(matches)} payers start with that: give more of the name or the payer id",
                field="payer",
            )
        found = matches[0] if matches else None
    if found is None:
        raise NotFound("no such payer (see 'medoffice claims payers list')")
    return found.id


@writes("claim.edit")
def set_payer_settings(
    actor: Actor,
    payer_id: int,
    *,
    filing_days: int | None = None,
    prior_auth: bool | None = None,
) -> PayerSettings:
    """Change a payer's timely-filing limit and/or its prior-authorization rule."""
    payer = Payer.get_or_none(Payer.id == payer_id)
    if payer is None:
        raise NotFound("no such payer")
    fields: list[str] = []
    details: list[str] = []
    if filing_days is not None:
        if not FILING_DAYS_MIN <= filing_days <= FILING_DAYS_MAX:
            raise InvalidInput(
                f"the filing limit is {FILING_DAYS_MIN} to {FILING_DAYS_MAX} days",
                field="filing_days",
            )
        if filing_days != payer.timely_filing_days:
            Payer.update(timely_filing_days=filing_days).where(Payer.id == payer_id).execute()
            fields.append("timely_filing_days")
            details.append(f"filing {payer.timely_filing_days} -> {filing_days} days")
    if prior_auth is not None:
        rule = PayerRule.get_or_none(PayerRule.payer == payer_id)
        before = bool(rule.prior_auth_required) if rule else False
        if prior_auth != before:
            if rule is None:
                PayerRule.insert(payer=payer_id, prior_auth_required=prior_auth).execute()
            else:
                PayerRule.update(prior_auth_required=prior_auth).where(
                    PayerRule.payer == payer_id
                ).execute()
            fields.append("prior_auth_required")
            details.append(f"prior auth {'required' if prior_auth else 'not required'}")
    if fields:
        audit.record(actor, "update", "payer", payer_id, fields=fields, detail="; ".join(details))
    return next(s for s in list_payer_settings() if s.id == payer_id)
