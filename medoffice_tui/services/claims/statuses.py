"""A claim's statuses in plain words, and which changes are allowed from each.

The lifecycle follows what comes back from a clearinghouse and a payer: a claim is
drafted from a visit, checked by the scrubber and marked *ready*, *sent* (submitted),
*accepted* or *rejected* by the clearinghouse (999), *returned* by the payer unprocessed
(277CA rejection) or acknowledged (*pending*), then decided on the remittance (835):
*paid*, *part paid* or *denied*. A denial may be *appealed* or *corrected* (a
replacement, frequency 7); what cannot be collected is *written off*.

Three kinds of change:

- by a key (:data:`MANUAL_TRANSITIONS`): ready/back to draft, sent, accepted/rejected,
  pending, appealed, corrected, void, closed;
- by money (:data:`POSTING_STATUSES`): paid, part paid and denied follow a posted
  payment or denial, never a key, so a claim never says "paid" without the payment;
- by a write-off (``claim.write_off``): written off once nothing is left to collect.

Files (issue 12's 837P/999/277CA/835) take the same transitions through
:func:`medoffice_tui.services.claims.history.set_status` with ``source="file"``.
"""

from __future__ import annotations

from medoffice_tui.db.models import CLAIM_STATUSES, OPEN_CLAIM_STATUSES

#: a short word for each status (fits the queue's status column)
STATUS_WORDS = {
    "draft": "draft",
    "ready": "ready",
    "submitted": "sent",
    "rejected_ch": "rejected",
    "accepted_ch": "accepted",
    "rejected_payer": "returned",
    "pending": "pending",
    "paid": "paid",
    "partially_paid": "part paid",
    "denied": "denied",
    "appealed": "appealed",
    "corrected": "corrected",
    "void": "void",
    "written_off": "written off",
    "closed": "closed",
}
#: what each status means, for F1, the claim's screen and the filter line
STATUS_LABELS = {
    "draft": "draft: charges entered, not yet checked",
    "ready": "ready: the scrubber found nothing to fix; waiting to be sent",
    "submitted": "sent to the clearinghouse",
    "rejected_ch": "rejected by the clearinghouse: fix and send again",
    "accepted_ch": "accepted by the clearinghouse, on its way to the payer",
    "rejected_payer": "returned by the payer unprocessed: fix and send again",
    "pending": "with the payer, waiting for the decision",
    "paid": "paid in full",
    "partially_paid": "part paid: a balance remains",
    "denied": "denied by the payer (see the reason)",
    "appealed": "appealed: waiting for the payer's answer",
    "corrected": "a replacement claim is being prepared",
    "void": "void: entered in error, never to be sent",
    "written_off": "written off: nothing more will be collected",
    "closed": "closed",
}
assert set(STATUS_WORDS) == set(STATUS_LABELS) == set(CLAIM_STATUSES)

#: status -> statuses a person may move it to by a key
MANUAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("ready", "void"),
    "ready": ("draft", "submitted", "void"),
    "submitted": ("accepted_ch", "rejected_ch", "pending"),
    "rejected_ch": ("draft", "ready"),
    "accepted_ch": ("pending", "rejected_payer"),
    "rejected_payer": ("draft", "ready", "corrected"),
    "pending": ("appealed",),
    "paid": ("closed",),
    "partially_paid": ("appealed", "corrected"),
    "denied": ("appealed", "corrected"),
    "appealed": ("pending",),
    "corrected": ("draft", "ready"),
    "void": (),
    "written_off": (),
    "closed": (),
}
assert set(MANUAL_TRANSITIONS) == set(CLAIM_STATUSES)
#: statuses a posted payment or denial may move a claim from, and to
POSTABLE_STATUSES = frozenset(
    {"submitted", "accepted_ch", "pending", "partially_paid", "denied", "appealed", "paid"}
)
POSTING_STATUSES = ("paid", "partially_paid", "denied")
#: statuses whose charges may still be edited (the claim has not reached a payer)
EDITABLE_STATUSES = frozenset({"draft", "ready", "rejected_ch", "rejected_payer", "corrected"})
#: the permission each manual change needs (the rest need claim.edit)
SUBMIT_STATUSES = frozenset(
    {"submitted", "accepted_ch", "rejected_ch", "rejected_payer", "pending"}
)

__all__ = [
    "CLAIM_STATUSES",
    "EDITABLE_STATUSES",
    "MANUAL_TRANSITIONS",
    "OPEN_CLAIM_STATUSES",
    "POSTABLE_STATUSES",
    "POSTING_STATUSES",
    "STATUS_LABELS",
    "STATUS_WORDS",
    "SUBMIT_STATUSES",
    "next_statuses",
    "permission_for",
    "status_word",
]


def next_statuses(status: str) -> tuple[str, ...]:
    """Where a key may move a claim from ``status``."""
    return MANUAL_TRANSITIONS.get(status, ())


def permission_for(to_status: str) -> str:
    return "claim.submit" if to_status in SUBMIT_STATUSES else "claim.edit"


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))
