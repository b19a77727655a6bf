"""The patient screens at 80x24 on the demo practice (SVG baselines): the record, the
registration form, the duplicate warning and the merge screen.

Regenerate after an intended change with
``pytest tests/ui/test_snapshots_patients.py --snapshot-update``.
"""

from __future__ import annotations

from textual.pilot import Pilot

from .conftest import SIZE
from .test_patient_record import duplicate_pair


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


def _open(mrn: str) -> tuple[str, ...]:
    return ("f3", *mrn, "enter")


def test_patient_record(snap_compare, make_app) -> None:
    original, _twin = duplicate_pair()
    keys = _open(original.mrn)
    assert snap_compare(make_app(), run_before=_keys(*keys), terminal_size=SIZE)


def test_patient_record_allergies_section(snap_compare, make_app) -> None:
    original, _twin = duplicate_pair()
    keys = (*_open(original.mrn), "tab", "tab")
    assert snap_compare(make_app(user="clinical"), run_before=_keys(*keys), terminal_size=SIZE)


def test_registration_form(snap_compare, make_app) -> None:
    keys = ("f3", "ctrl+n", *"Okafor", "tab", *"Ngozi")
    assert snap_compare(make_app(), run_before=_keys(*keys), terminal_size=SIZE)


def test_duplicate_warning(snap_compare, make_app) -> None:
    original, _twin = duplicate_pair()
    dob = original.dob.strftime("%m/%d/%Y")
    keys = ("f3", "ctrl+n", *original.last_name, "tab", *"Dianne", "tab", "tab", "tab", "tab",
            *dob, "enter")  # fmt: skip
    assert snap_compare(make_app(), run_before=_keys(*keys), terminal_size=SIZE)


def test_merge_screen(snap_compare, make_app) -> None:
    original, twin = duplicate_pair()
    keys = (*_open(original.mrn), "m", *twin.mrn, "enter", "enter")
    assert snap_compare(make_app(user="manager"), run_before=_keys(*keys), terminal_size=SIZE)
