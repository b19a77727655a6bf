"""The code lists acknowledgements use, in plain words for the desk.

- 277CA ``STC01``: category (A1 received, A2 accepted, A7 rejected for invalid
  information ...), claim status code (20 accepted for processing, 562 the entity's NPI
  ...) and the entity it is about (85 the billing provider ...);
- 999 ``IK5``/``AK9``: accepted, accepted with errors, partly accepted, rejected, with
  the transaction set and group error codes.

These are the common codes, worded for a front desk; a code not here is shown with its
number and "(not in the app's list)", never dropped.
"""

from __future__ import annotations

#: 277 claim status category codes (STC01-1)
CATEGORIES = {
    "A0": "forwarded to another entity",
    "A1": "received (not yet accepted for processing)",
    "A2": "accepted into adjudication",
    "A3": "returned as unprocessable",
    "A4": "not found",
    "A5": "split into more than one claim",
    "A6": "rejected for missing information",
    "A7": "rejected for invalid information",
    "A8": "rejected for a relational field in error",
    "E0": "no answer possible: error in the submitted data",
    "E1": "no answer possible: the system is unavailable",
    "E2": "no answer possible: the payer is not responding",
    "E3": "correction required: relational fields in error",
    "E4": "trading partner agreement requirement not met",
    "F0": "finalized",
    "F1": "finalized: paid",
    "F2": "finalized: denied",
    "F3": "finalized: revised",
    "F4": "finalized: adjudication complete, no payment forthcoming",
    "P0": "pending: adjudication details",
    "P1": "pending: in process",
    "P2": "pending: payer review",
    "P3": "pending: provider requested information",
    "P4": "pending: patient requested information",
    "P5": "pending: payer administrative or system hold",
}
ACCEPTED_CATEGORIES = frozenset({"A0", "A1", "A2", "A5"})
PENDING_CATEGORIES = frozenset({"P0", "P1", "P2", "P3", "P4", "P5"})
REJECTED_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8", "E0", "E3", "E4"})

#: claim status codes (STC01-2): the common ones
STATUSES = {
    "0": "no further status available electronically",
    "1": "see the remittance advice",
    "3": "adjudicated, awaiting the payment cycle",
    "16": "forwarded to another entity",
    "19": "receipt acknowledged",
    "20": "accepted for processing",
    "21": "missing or invalid information",
    "23": "returned to the sender",
    "24": "the sender is not approved as an electronic submitter",
    "25": "the entity is not approved",
    "26": "the entity is not found",
    "27": "the policy was canceled",
    "29": "subscriber and policy number do not match",
    "30": "subscriber and subscriber id do not match",
    "31": "subscriber and policyholder name do not match",
    "32": "subscriber and policy number not found",
    "33": "subscriber and subscriber id not found",
    "35": "claim not found",
    "116": "sent to the wrong payer",
    "128": "the entity's tax id",
    "164": "the entity's contract or member number",
    "187": "the date(s) of service",
    "454": "the procedure code for the services",
    "562": "the entity's National Provider Identifier (NPI)",
}
#: entity identifier codes (STC01-3)
ENTITIES = {
    "03": "the dependent",
    "1P": "the provider",
    "40": "the receiver",
    "41": "the submitter",
    "71": "the attending physician",
    "77": "the service location",
    "82": "the rendering provider",
    "85": "the billing provider",
    "87": "the pay-to provider",
    "DK": "the ordering physician",
    "DN": "the referring provider",
    "IL": "the subscriber",
    "PR": "the payer",
    "QC": "the patient",
}

#: 999 IK501 / AK901
SET_CODES = {
    "A": "accepted",
    "E": "accepted, with errors noted",
    "M": "rejected: message authentication failed",
    "P": "partly accepted",
    "R": "rejected",
    "W": "rejected: failed the validity tests",
    "X": "rejected: could not be analysed after decryption",
}
ACCEPTED_SET_CODES = frozenset({"A", "E"})
#: 999 IK502-IK506: transaction set syntax errors
SET_ERRORS = {
    "1": "this kind of transaction set is not supported",
    "2": "the SE trailer is missing",
    "3": "the ST and SE control numbers differ",
    "4": "the SE segment count is wrong",
    "5": "one or more segments are in error",
    "6": "the transaction set id is missing or invalid",
    "7": "the control number is missing or invalid",
    "23": "the control number is not unique within the group",
}
#: 999 AK905-AK909: functional group errors
GROUP_ERRORS = {
    "1": "this functional group is not supported",
    "2": "this version is not supported",
    "3": "the GE trailer is missing",
    "4": "the GS and GE control numbers differ",
    "5": "the GE count of transaction sets is wrong",
    "6": "the group control number is invalid",
}


def _known(table: dict[str, str], code: str, what: str) -> str:
    code = (code or "").strip()
    words = table.get(code)
    return words if words else f"{what} {code} (not in the app's list)"


def category_words(code: str) -> str:
    return _known(CATEGORIES, code, "category")


def status_words(code: str) -> str:
    return _known(STATUSES, code, "status code")


def entity_words(code: str) -> str:
    return _known(ENTITIES, code, "entity")


def stc_words(category: str, status: str = "", entity: str = "") -> str:
    """``A7:562:85`` -> "rejected for invalid information (A7): the entity's National
    Provider Identifier (NPI) (562), the billing provider (85)"."""
    text = f"{category_words(category)} ({category})"
    details = []
    if status:
        details.append(f"{status_words(status)} ({status})")
    if entity:
        details.append(f"{entity_words(entity)} ({entity})")
    return text + (": " + ", ".join(details) if details else "")


__all__ = [
    "ACCEPTED_CATEGORIES",
    "ACCEPTED_SET_CODES",
    "CATEGORIES",
    "ENTITIES",
    "GROUP_ERRORS",
    "PENDING_CATEGORIES",
    "REJECTED_CATEGORIES",
    "SET_CODES",
    "SET_ERRORS",
    "STATUSES",
    "category_words",
    "entity_words",
    "status_words",
    "stc_words",
]
