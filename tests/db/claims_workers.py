"""Worker processes for the claims concurrency test (run in fresh 'spawn' processes).

Each opens its own connection, waits at a barrier so all start together, then posts
money to the same claim: patient payments, and one payer posting of a given line (two
workers are given the same line, so one of them must be refused, never counted twice).
"""

from __future__ import annotations

import datetime as dt
import traceback
from typing import Any


def posting_worker(
    url: str,
    barrier: Any,
    claim_id: int,
    patient_id: int,
    amounts: list[int],
    line_id: int,
    line_charge: int,
) -> dict[str, Any]:
    outcomes: dict[str, int] = {}
    taken: list[int] = []
    errors: list[str] = []
    try:
        from medoffice_tui import clock
        from medoffice_tui.db.connection import close_database, open_database
        from medoffice_tui.services import claims, staff

        clock.pin(now=dt.datetime(2026, 11, 23, 10, 0))
        open_database(url)
        actor = staff.system_actor(via="test")
    except Exception as exc:  # still meet the others at the barrier, then report
        barrier.wait(timeout=60)
        return {"outcomes": {"setup": 1}, "taken": [], "errors": [repr(exc)]}
    barrier.wait(timeout=60)

    def attempt(kind: str, call: Any) -> bool:
        try:
            call()
        except Exception as exc:
            name = f"{kind} {type(exc).__name__}"
            outcomes[name] = outcomes.get(name, 0) + 1
            if type(exc).__name__ != "InvalidInput":
                errors.append("".join(traceback.format_exception_only(exc)).strip())
            return False
        outcomes[f"{kind} ok"] = outcomes.get(f"{kind} ok", 0) + 1
        return True

    posting = claims.PayerPayment(
        claim_id,
        (
            claims.LinePosting(
                line_id,
                line_charge // 2,
                (claims.AdjustmentInput("CO", "45", line_charge - line_charge // 2),),
            ),
        ),
    )
    for index, cents in enumerate(amounts):
        if index == len(amounts) // 2:
            attempt("payer", lambda: claims.post_payer_payment(actor, posting))
        if attempt(
            "patient",
            lambda c=cents: claims.take_patient_payment(
                actor, patient_id, c, "cash", claim_id=claim_id
            ),
        ):
            taken.append(cents)
    close_database()
    return {"outcomes": outcomes, "taken": taken, "errors": errors}
