"""Desks working one supply item at once, run in fresh ('spawn') processes.

Each worker opens its own connection, waits at the barrier so every desk starts
together, then uses, receives and transfers stock of the same item through the real
services. It reports plain data: what it was told succeeded, and the type of every
refusal (the test decides which kinds are allowed).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import traceback
from typing import Any


def stock_desk_worker(
    url: str, barrier: Any, worker: int, item_id: int, locations: list[int], attempts: int
) -> dict[str, Any]:
    done: list[tuple[str, int, int]] = []  # (kind, units, movements written)
    refusals: dict[str, int] = {}
    errors: list[str] = []
    try:
        from medoffice_tui import clock
        from medoffice_tui.db.connection import close_database, open_database
        from medoffice_tui.errors import DomainError
        from medoffice_tui.services import staff, stock

        clock.pin(now=dt.datetime(2026, 11, 23, 10, 30))
        open_database(url)
        actor = staff.system_actor(via="test")
        tag = f"desk {worker}"
    except Exception as exc:  # still meet the others at the barrier, then report
        barrier.wait(timeout=120)
        return {
            "done": [],
            "refusals": {"setup": 1},
            "seconds": 0.0,
            "errors": ["".join(traceback.format_exception_only(exc)).strip()],
        }
    rng = random.Random(worker)
    barrier.wait(timeout=120)
    began = time.perf_counter()
    for n in range(attempts):
        roll = rng.random()
        try:
            if roll < 0.8:  # use 1-4 units, from where this desk stands (or anywhere)
                where = rng.choice([None, *locations])
                result = stock.use(actor, item_id, rng.randint(1, 4), reason=tag, location_id=where)
                done.append(("use", result.quantity, len(result.taken)))
            elif roll < 0.9:  # a small delivery
                units = rng.randint(1, 3)
                stock.receive(
                    actor,
                    item_id,
                    f"W{worker}",
                    units,
                    dt.date(2027, 6, 30),
                    location_id=rng.choice(locations),
                )
                done.append(("receive", units, 1))
            else:  # move a few units of the lot with the most stock to another place
                lots = [r for r in stock.item_lots(item_id) if r.quantity > 0]
                if not lots:
                    refusals["nothing to move"] = refusals.get("nothing to move", 0) + 1
                    continue
                lot = max(lots, key=lambda r: r.quantity)
                target = next(loc for loc in locations if loc != lot.location_id)
                stock.transfer(actor, lot.lot_id, target, rng.randint(1, 3), reason=tag)
                done.append(("transfer", 0, 2))
        except DomainError as refused:
            name = type(refused).__name__
            refusals[name] = refusals.get(name, 0) + 1
        except Exception as exc:  # reported; the test fails on any of these
            errors.append(f"attempt {n}: " + "".join(traceback.format_exception_only(exc)).strip())
    seconds = time.perf_counter() - began
    close_database()
    return {"done": done, "refusals": refusals, "errors": errors[:5], "seconds": seconds}
