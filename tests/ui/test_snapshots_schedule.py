"""What the schedule looks like (SVG baselines): the agenda and a provider's day grid at
80x24, providers side by side at 160x48, the booking form, find next available and the
confirmation calls. Regenerate after an intended change with
``pytest tests/ui/test_snapshots_schedule.py --snapshot-update``."""

from __future__ import annotations

from textual.pilot import Pilot

from .conftest import SIZE

WIDE = (160, 48)


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _keys(*keys: str):  # noqa: ANN202 - a run_before coroutine
    async def run_before(pilot: Pilot) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


def test_schedule_day_grid_one_provider_80x24(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("p"), terminal_size=SIZE)


def test_schedule_side_by_side_160x48(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys(), terminal_size=WIDE)


def test_schedule_booking_form(snap_compare, make_app) -> None:
    keys = ("p", "down", "b", *"smith, j")
    assert snap_compare(make_app(), run_before=_keys(*keys), terminal_size=SIZE)


def test_schedule_find_next_available(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f"), terminal_size=SIZE)


def test_schedule_confirmation_calls(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("R"), terminal_size=SIZE)
