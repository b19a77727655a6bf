"""Claims, from a finished visit to a paid claim: one package, one module per job.

- ``aging``: age, aging buckets, days left to file
- ``statuses``: status words and the allowed transitions
- ``queue``: the work queue (keyset paged, filtered, sorted)
- ``summaries``: aging and status counts kept by the write path (no scans)
- ``codes_icd``, ``codes_hcpcs``, ``code_shapes``, ``reason_codes``, ``fees``: code sets
- ``payer_settings``: each payer's timely-filing limit and prior-authorization rule
- ``charges``: entering and editing a visit's charges (a draft claim);
  ``charge_context``: the visits to bill and what the charge form opens with
- ``scrubber``: every reason a clearinghouse or payer would reject a claim
- ``history``: status changes, assignment, follow-up dates, notes; the claim's history
- ``detail``: one claim with its lines, diagnoses, money and history
- ``payments``: a payer's payment or denial per line; ``patient_payments``: a
  patient's payment, credits, write-offs; ``line_money``: a line's balance and invariant
- ``balances``, ``statements``: what a patient owes, and the PDF statement

``from medoffice_tui.services import claims`` keeps working for every caller:
``claims.list_claims``, ``aging_summary``, ``status_counts``, ``aging_bucket`` ...
"""

from medoffice_tui.services.claims.aging import (
    AGING_BUCKETS,
    UNFILED_STATUSES,
    aging_bucket,
    bucket_dates,
    days_left_to_file,
)
from medoffice_tui.services.claims.queue import (
    SORTS,
    UNASSIGNED,
    ClaimRow,
    get_claim_row,
    list_claims,
    payers,
)
from medoffice_tui.services.claims.statuses import (
    CLAIM_STATUSES,
    MANUAL_TRANSITIONS,
    OPEN_CLAIM_STATUSES,
    STATUS_LABELS,
    STATUS_WORDS,
    next_statuses,
    status_word,
)
from medoffice_tui.services.claims.summaries import aging_summary, status_counts

__all__ = [
    "AGING_BUCKETS",
    "CLAIM_STATUSES",
    "MANUAL_TRANSITIONS",
    "OPEN_CLAIM_STATUSES",
    "SORTS",
    "STATUS_LABELS",
    "STATUS_WORDS",
    "UNASSIGNED",
    "UNFILED_STATUSES",
    "ClaimRow",
    "aging_bucket",
    "aging_summary",
    "bucket_dates",
    "days_left_to_file",
    "get_claim_row",
    "list_claims",
    "payers",
    "next_statuses",
    "status_counts",
    "status_word",
]

# the rest of the package, reachable as claims.<module> and by name
from medoffice_tui.services.claims import (  # noqa: E402
    balances,
    charges,
    code_shapes,
    codes_hcpcs,
    codes_icd,
    detail,
    fees,
    history,
    line_money,
    patient_payments,
    payer_settings,
    payments,
    reason_codes,
    scrubber,
    statements,
    summaries,
)
from medoffice_tui.services.claims.charges import (  # noqa: E402
    PLACES_OF_SERVICE,
    ChargeInput,
    ChargeLineInput,
    charge_context,
    enter_charges,
    update_charges,
    visits_to_bill,
)
from medoffice_tui.services.claims.detail import ClaimDetail, get_claim, open_claim  # noqa: E402
from medoffice_tui.services.claims.history import (  # noqa: E402
    add_note,
    assign,
    assignable_staff,
    claim_history,
    mark_ready,
    set_follow_up,
    set_status,
)
from medoffice_tui.services.claims.payments import (  # noqa: E402
    AdjustmentInput,
    LinePosting,
    PayerPayment,
    post_payer_payment,
    take_patient_payment,
    write_off,
)
from medoffice_tui.services.claims.scrubber import Problem, ScrubFailed, scrub  # noqa: E402

__all__ += [
    "PLACES_OF_SERVICE",
    "AdjustmentInput",
    "ChargeInput",
    "ChargeLineInput",
    "ClaimDetail",
    "LinePosting",
    "PayerPayment",
    "Problem",
    "ScrubFailed",
    "add_note",
    "assign",
    "assignable_staff",
    "balances",
    "charge_context",
    "charges",
    "claim_history",
    "code_shapes",
    "codes_hcpcs",
    "codes_icd",
    "detail",
    "enter_charges",
    "fees",
    "get_claim",
    "history",
    "line_money",
    "patient_payments",
    "payer_settings",
    "mark_ready",
    "open_claim",
    "payments",
    "post_payer_payment",
    "reason_codes",
    "scrub",
    "scrubber",
    "set_follow_up",
    "set_status",
    "statements",
    "summaries",
    "take_patient_payment",
    "update_charges",
    "visits_to_bill",
    "write_off",
]
