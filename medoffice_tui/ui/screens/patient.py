"""A patient's record, read-only: demographics, insurance, allergies, latest vitals.

An opaque full screen rather than a modal: over SSH a modal re-sends the screen
beneath it several times while it fades in; a plain screen paints once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.services import patients
from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.fmt import age_text, money, us_date
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine

#: shown in place of a stored value that cannot be read (a damaged row)
DAMAGED = "(unreadable: ask the office admin to check this record)"


def _get(obj: Any, name: str, default: Any = "") -> Any:
    value = getattr(obj, name, default)
    return default if value is None else value


def _line(label: str, value: object, label_width: int = 10) -> Text:
    text = Text(no_wrap=True, end="")
    text.append(f"{label:<{label_width}}", style="bold")
    text.append(display(str(value)) if value not in (None, "") else "-")
    return text


def _heading(title: str) -> Text:
    return Text(title, style="bold underline", end="")


def demographics(detail: Any, today: dt.date) -> list[Text]:
    dob = _get(detail, "dob", None)
    name = f"{_get(detail, 'last_name')}, {_get(detail, 'first_name')}"
    middle = _get(detail, "middle_name")
    if middle:
        name += f" {middle}"
    preferred = _get(detail, "preferred_name")
    if preferred:
        name += f' ("{preferred}")'
    address = ", ".join(
        part
        for part in (
            _get(detail, "address1"),
            _get(detail, "address2"),
            _get(detail, "city"),
            f"{_get(detail, 'state')} {_get(detail, 'zip')}".strip(),
        )
        if part
    )
    phones = "  ".join(
        f"{label} {number}"
        for label, number in (
            ("cell", _get(detail, "phone_mobile")),
            ("home", _get(detail, "phone_home")),
            ("work", _get(detail, "phone_work")),
        )
        if number
    ) or _get(detail, "phone")
    born = f"{us_date(dob)}  age {age_text(dob, today)}" if dob else DAMAGED
    lines = [
        _line("Name", name),
        _line("MRN", _get(detail, "mrn")),
        _line("DOB", f"{born}  sex {_get(detail, 'sex')}"),
        _line("Phone", phones),
        _line("Email", _get(detail, "email")),
        _line("Address", address),
    ]
    if not _get(detail, "active", True):
        lines.append(Text("INACTIVE record", style="bold reverse"))
    return lines


def coverage_lines(coverages: Iterable[Any]) -> list[Text]:
    lines = []
    for cov in coverages:
        rank = {1: "Primary", 2: "Secondary", 3: "Tertiary"}.get(_get(cov, "rank", 0), "Other")
        payer = _get(cov, "payer_name") or _get(cov, "payer")
        member = _get(cov, "member_id")
        group = _get(cov, "group_number")
        copay = _get(cov, "copay_cents", 0)
        detail = f"{payer}  member {member}"
        if group:
            detail += f"  group {group}"
        if copay:
            detail += f"  copay ${money(copay)}"
        lines.append(_line(rank, detail))
    return lines or [Text("No insurance on file", style="dim")]


def allergy_lines(allergies: Iterable[Any]) -> list[Text]:
    lines = []
    for allergy in allergies:
        text = Text(no_wrap=True, end="")
        severity = _get(allergy, "severity")
        text.append(display(_get(allergy, "substance")), style="bold")
        reaction = _get(allergy, "reaction")
        if reaction:
            text.append(f"  {display(reaction)}")
        if severity:
            text.append(f"  ({display(severity)})", style="bold" if severity == "severe" else "")
        lines.append(text)
    return lines or [Text("No known allergies", style="dim")]


def vitals_lines(vitals: Any | None) -> list[Text]:
    if vitals is None:
        return [Text("No vitals recorded", style="dim")]
    taken = _get(vitals, "taken_at", None)
    parts = []
    sys_, dia = _get(vitals, "systolic", None), _get(vitals, "diastolic", None)
    if sys_ and dia:
        parts.append(f"BP {sys_}/{dia}")
    for name, label, unit in (
        ("pulse", "HR", ""),
        ("temperature_f", "T", "F"),
        ("weight_lb", "Wt", " lb"),
        ("height_in", "Ht", " in"),
    ):
        value = _get(vitals, name, None)
        if value not in (None, ""):
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            parts.append(f"{label} {shown}{unit}")
    when = taken.strftime("%m/%d/%Y %H:%M") if isinstance(taken, dt.datetime) else ""
    return [_line(when or "Latest", "  ".join(parts), label_width=18)]


class PatientScreen(SafeDispatch, Screen[None]):
    """Read-only record of one patient; Escape goes back to the search."""

    TITLE = "Patient record"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="patient.close", tooltip="Back to the list"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="patient.reload",
            tooltip="Read the record again",
        ),
    ]

    def __init__(self, patient_id: int) -> None:
        super().__init__()
        self.patient_id = patient_id

    def compose(self) -> ComposeResult:
        yield Static(" Patient", id="patient-title", markup=False)
        with VerticalScroll(id="patient-body"):
            yield Static("", id="patient-detail", markup=False)
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#patient-body").focus()
        self.action_reload()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._load(self.patient_id)

    def _load(self, patient_id: int) -> None:
        actor = self.app.actor  # type: ignore[attr-defined]
        call_service(
            self,
            lambda: patients.get_patient(actor, patient_id),
            on_result=self._show,
            group="patient-detail",
            exclusive=True,
            description="patient record",
        )

    def _show(self, detail: Any) -> None:
        today = clock.today()
        name = f"{_get(detail, 'last_name')}, {_get(detail, 'first_name')}"
        title = Text(no_wrap=True, end="")
        title.append(f" {display(name)}", style="bold")
        title.append(f"  MRN {display(str(_get(detail, 'mrn')))}")
        self.query_one("#patient-title", Static).update(title)
        sections: list[Text] = [*demographics(detail, today), Text("")]
        sections += [_heading("Insurance"), *coverage_lines(_get(detail, "coverages", []))]
        sections += [Text(""), _heading("Allergies (active)")]
        sections += allergy_lines(_get(detail, "allergies", []))
        sections += [Text(""), _heading("Latest vitals")]
        sections += vitals_lines(
            _get(detail, "latest_vitals", None) or _get(detail, "vitals", None)
        )
        body = Text("\n", end="").join(sections)
        self.query_one("#patient-detail", Static).update(body)
