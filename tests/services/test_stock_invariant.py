"""On hand is always the sum of the movements, whatever the desks do and in what order.

Hypothesis draws random sequences of receive, use (with and without expired stock),
count, transfer, expire and days passing, on one item split over lots in two
locations. After every step the running sums agree with the ledger
(``stock.check``), no lot is below zero, the item's on hand matches a simple model
of what should be there, and a refused step changed nothing at all.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medoffice_tui import clock
from medoffice_tui.db.models import COUNT_REASONS, StockMovement, SupplyItem, SupplyLot
from medoffice_tui.errors import DomainError
from medoffice_tui.services import stock
from tests.conftest import FROZEN_NOW

#: step kinds, weighted as at a desk: uses most often
KINDS = (
    ("receive",) * 2 + ("use",) * 4 + ("count", "transfer", "transfer") + ("expire", "later") * 2
)
#: (kind, pick: which lot or lot number, units, days, where: 0/1 or 2 = anywhere, flag)
step = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 9),
    st.integers(1, 25),
    st.integers(0, 60),
    st.integers(0, 2),
    st.booleans(),
)
steps = st.lists(step, min_size=4, max_size=24)

_skus = itertools.count(1)


def _state(item_id: int) -> tuple:
    lots = sorted(
        SupplyLot.select(SupplyLot.id, SupplyLot.quantity).where(SupplyLot.item == item_id).tuples()
    )
    return (StockMovement.select().count(), SupplyItem.get_by_id(item_id).on_hand, lots)


def _run(desk, manager, locations: list[int], plan: list[tuple]) -> None:  # noqa: ANN001
    clock.pin(now=FROZEN_NOW)
    item = stock.add_item(
        manager, name="Swabs", sku=f"SW{next(_skus)}", home_location_id=locations[0]
    ).id
    expected = 0
    for number, units, days, where in (("A", 30, 10, 0), ("B", 20, 40, 1)):
        stock.receive(
            desk,
            item,
            number,
            units,
            clock.today() + dt.timedelta(days=days),
            location_id=locations[where],
        )
        expected += units
    for step in plan:
        kind, pick, units, days, where, flag = step
        lots = stock.item_lots(item)
        expired = [r for r in lots if r.expired and r.quantity > 0]
        place = locations[where % 2]
        before = _state(item)
        try:
            if kind == "receive":
                expires = clock.today() + dt.timedelta(days=days)
                stock.receive(desk, item, f"L{pick % 4}-{days}", units, expires, location_id=place)
                expected += units
            elif kind == "use":
                anywhere = None if where == 2 else place
                stock.use(desk, item, units, location_id=anywhere, allow_expired=flag)
                expected -= units
            elif kind == "count" and lots:
                lot = lots[pick % len(lots)]
                reason = COUNT_REASONS[days % len(COUNT_REASONS)]
                stock.count_lot(desk, lot.lot_id, units if flag else units // 3, reason)
                expected += (units if flag else units // 3) - lot.quantity
            elif kind == "transfer" and lots:
                stock.transfer(desk, lots[pick % len(lots)].lot_id, place, units // 2 + 1)
            elif kind == "expire" and lots:
                lot = (expired or lots)[pick % len(expired or lots)]
                stock.expire_lot(desk, lot.lot_id)
                expected -= lot.quantity
            elif kind == "later":
                clock.pin(now=clock.now() + dt.timedelta(days=days + 1))
        except DomainError:
            assert _state(item) == before, step  # a refusal changes nothing
        report = stock.check()
        assert report.ok, (step, report)
        assert SupplyItem.get_by_id(item).on_hand == expected, step
        assert not SupplyLot.select().where(SupplyLot.quantity < 0).exists()
    moved = sum(m.quantity for m in StockMovement.select().where(StockMovement.item == item))
    assert moved == expected


@pytest.fixture
def places(database, manager) -> list[int]:
    return [stock.add_location(manager, name).id for name in ("Supply room", "Exam 1")]


def test_on_hand_is_the_sum_of_movements_under_random_sequences(
    places, desk, manager, engine
) -> None:
    examples = 40 if engine == "sqlite" else 12

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(plan=steps)
    def check(plan: list[tuple]) -> None:
        _run(desk, manager, places, plan)

    check()
