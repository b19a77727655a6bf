"""What each screen looks like at 80x24 on the demo practice (SVG baselines).

Plain ``def`` tests: ``snap_compare`` runs the app itself with ``app.run()``.
Regenerate after an intended change with ``pytest tests/ui --snapshot-update``
and look at the report before committing the new baselines.
"""

from __future__ import annotations

from textual.pilot import Pilot

from .conftest import SIZE


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


def test_schedule_pane(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys(), terminal_size=SIZE)


def test_patients_pane_with_results(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f3", *"smi", "down"), terminal_size=SIZE)


def test_claims_pane(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f4"), terminal_size=SIZE)


def test_stock_pane(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5"), terminal_size=SIZE)


def test_help_screen(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f1"), terminal_size=SIZE)


def test_patient_screen(snap_compare, make_app) -> None:
    keys = ("f3", *"smi", "down", "enter")
    assert snap_compare(make_app(), run_before=_keys(*keys), terminal_size=SIZE)


def test_sign_in_screen(snap_compare, make_app) -> None:
    """The first screen: the practice, two boxes, and (a demo database only) the accounts."""
    assert snap_compare(make_app(user=None), run_before=_keys(), terminal_size=SIZE)


def test_sign_in_screen_after_a_wrong_password(snap_compare, make_app) -> None:
    keys = (*"frontdesk", "enter", *"not-the-password", "enter")
    assert snap_compare(make_app(user=None), run_before=_keys(*keys), terminal_size=SIZE)


def test_lock_screen(snap_compare, make_app) -> None:
    """Locked over the Patients pane with results: none of them may show."""
    keys = ("f3", *"smi", "ctrl+l")
    assert snap_compare(make_app(), run_before=_keys(*keys), terminal_size=SIZE)


def test_staff_screen(snap_compare, make_app) -> None:
    assert snap_compare(make_app(user="manager"), run_before=_keys("f9"), terminal_size=SIZE)


def test_audit_screen(snap_compare, make_app) -> None:
    assert snap_compare(make_app(user="manager"), run_before=_keys("f8"), terminal_size=SIZE)


def test_user_form(snap_compare, make_app) -> None:
    keys = ("f9", "a", *"nina", "tab", *"Nina Park", "tab", "right", "tab", *"short", "enter")
    assert snap_compare(make_app(user="manager"), run_before=_keys(*keys), terminal_size=SIZE)
