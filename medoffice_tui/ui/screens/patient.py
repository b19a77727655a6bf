"""A patient's record: demographics, insurance, allergies, vitals, visits, claims, notes.

An opaque full screen rather than a modal: over SSH a modal re-sends the screen
beneath it several times while it fades in; a plain screen paints once.

Each section takes the focus in turn (Tab / Shift+Tab; Up/Down move within a list) and
the keys act on the section that has it: ``e`` edits (the highlighted coverage or
allergy, the demographics ...), ``a`` adds, ``d`` removes, ``k`` records "no known
allergies", ``c`` marks the highlighted coverage's eligibility checked today. From
anywhere: ``v`` a set of vitals, ``b`` book an appointment, ``m`` merge with a
duplicate (manager). Every open (and every re-read after a save) is an audited view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.errors import DomainError
from medoffice_tui.services import patients
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import focus_now, hold_keys, release_keys
from medoffice_tui.ui.panes.fmt import age_text, money, short_us_date, us_date
from medoffice_tui.ui.patient_memory import remember
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

#: shown in place of a stored value that cannot be read (a damaged row)
DAMAGED = "(unreadable: ask the office admin to check this record)"
#: most rows a section list shows before it scrolls
SECTION_ROWS = 4
CONTACT_LABELS = {"mobile": "cell", "home": "home", "work": "work", "email": "email",
                  "mail": "mail"}  # fmt: skip


def _get(obj: Any, name: str, default: Any = "") -> Any:
    value = getattr(obj, name, default)
    return default if value is None else value


def _line(label: str, value: object, label_width: int = 10) -> Text:
    text = Text(no_wrap=True, end="")
    text.append(f"{label:<{label_width}}", style="bold")
    text.append(display(str(value)) if value not in (None, "") else "-")
    return text


def allergy_summary(detail: Any) -> str:
    allergies = _get(detail, "allergies", [])
    if allergies:
        return ", ".join(
            display(_get(a, "substance")) + (" (severe)" if _get(a, "severity") == "severe" else "")
            for a in allergies
        )
    status = _get(detail, "allergy_status", "unknown")
    if status == "nka":
        reviewed = _get(detail, "allergy_reviewed_on", None)
        return "No known allergies (NKA" + (f", {short_us_date(reviewed)})" if reviewed else ")")
    return "NOT ASKED yet"


def insurance_summary(detail: Any) -> str:
    coverages = _get(detail, "coverages", [])
    if not coverages:
        return "none on file (self-pay)"
    first = coverages[0]
    text = f"{_get(first, 'payer_name')} {_get(first, 'member_id')}"
    if len(coverages) > 1:
        text += f" (+{len(coverages) - 1} more)"
    return text


def demographics(detail: Any, today: dt.date) -> list[Text]:
    dob = _get(detail, "dob", None)
    name = f"{_get(detail, 'last_name')}, {_get(detail, 'first_name')}"
    for part in ("middle_name", "suffix"):
        if _get(detail, part):
            name += f" {_get(detail, part)}"
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
    preferred_contact = _get(detail, "preferred_contact")
    phones = "  ".join(
        f"{label}{'*' if key == preferred_contact else ''} {number}"
        for key, label, number in (
            ("mobile", "cell", _get(detail, "phone_mobile")),
            ("home", "home", _get(detail, "phone_home")),
            ("work", "work", _get(detail, "phone_work")),
        )
        if number
    ) or _get(detail, "phone")
    born = f"{us_date(dob)}  age {age_text(dob, today)}" if dob else DAMAGED
    emergency = " ".join(
        p for p in (
            _get(detail, "emergency_name"),
            f"({_get(detail, 'emergency_relationship')})"
            if _get(detail, "emergency_relationship") else "",
            _get(detail, "emergency_phone"),
        ) if p
    )  # fmt: skip
    contact = CONTACT_LABELS.get(preferred_contact, preferred_contact)
    lines = [
        _line("Name", name),
        _line(
            "MRN",
            f"{_get(detail, 'mrn')}    sex {_get(detail, 'sex')}"
            f"    language {_get(detail, 'preferred_language') or '-'}",
        ),  # fmt: skip
        _line("DOB", born),
        _line("Phone", f"{phones}    prefers {contact}" if phones else f"- prefers {contact}"),
        _line("Email", _get(detail, "email")),
        _line("Address", address),
        _line("Emergency", emergency),
        _line("Insurance", insurance_summary(detail)),
        _line("Allergies", allergy_summary(detail)),
    ]
    duplicates = _get(detail, "possible_duplicates", [])
    if duplicates:
        mrns = ", ".join(_get(d, "mrn") for d in duplicates)
        lines.append(Text(f"Possible duplicate on file: MRN {mrns} (m: merge)", style="bold"))
    if _get(detail, "merged_into", None):
        lines.append(
            Text(
                f"MERGED into MRN {_get(detail, 'merged_into_mrn')}: read only",
                style="bold reverse",
            )  # fmt: skip
        )
    elif not _get(detail, "active", True):
        lines.append(Text("INACTIVE record", style="bold reverse"))
    return lines


def _bp(v: Any) -> str:
    sys_, dia = _get(v, "systolic", None), _get(v, "diastolic", None)
    return f"{sys_}/{dia}" if sys_ and dia else ""


def _num(value: Any, unit: str = "") -> str:
    if value in (None, ""):
        return ""
    return (f"{value:g}" if isinstance(value, float) else str(value)) + unit


def _when(moment: Any) -> str:
    return moment.strftime("%m/%d/%y %H:%M") if isinstance(moment, dt.datetime) else ""


class Section(PagedList):
    """One list section of the record (its name says which keys apply to it)."""

    DEFAULT_CSS = """
    Section { height: 2; margin-bottom: 1; }
    """

    def __init__(self, section: str, columns: tuple[Column, ...], empty: str) -> None:
        super().__init__(columns, empty_text=empty, id=f"sec-{section}", classes="record-section")
        self.section = section

    def show(self, rows: list[ListRow], empty: str | None = None) -> None:
        if empty is not None:
            self.empty_text = empty
        self.styles.height = min(max(len(rows), 1), SECTION_ROWS) + 1
        self.set_rows(rows, keep_cursor=True)


class Demographics(Static, can_focus=True):
    """The demographics and the at-a-glance lines (insurance, allergies)."""

    section = "demographics"


def coverage_rows(coverages: Iterable[Any]) -> list[ListRow]:
    rows = []
    for cov in coverages:
        subscriber = ""
        if _get(cov, "relationship") not in ("", "self"):
            subscriber = f"{_get(cov, 'relationship')}: {_get(cov, 'subscriber_last')}"
        checked = _get(cov, "eligibility_checked_on", None)
        rows.append(ListRow(
            (_get(cov, "rank_label", "")[:3], _get(cov, "payer_name"), _get(cov, "member_id"),
             _get(cov, "group_number"), subscriber, short_us_date(checked) if checked else "never",
             f"{money(_get(cov, 'copay_cents', 0))}"),
            data=cov, cell_styles={} if checked else {5: "warn"},
        ))  # fmt: skip
    return rows


def allergy_rows(allergies: Iterable[Any]) -> list[ListRow]:
    return [
        ListRow(
            (
                _get(a, "substance"),
                _get(a, "reaction"),
                _get(a, "severity"),
                short_us_date(_get(a, "noted_on", None)),
            ),
            data=a,
            cell_styles={2: "bad"} if _get(a, "severity") == "severe" else {},
        )  # fmt: skip
        for a in allergies
    ]


def vitals_rows(vitals: Iterable[Any]) -> list[ListRow]:
    rows = []
    for v in vitals:
        bmi = patients.bmi(_get(v, "weight_lb", None), _get(v, "height_in", None))
        rows.append(ListRow(
            (_when(_get(v, "taken_at", None)), _bp(v), _num(_get(v, "pulse", None)),
             _num(_get(v, "temperature_f", None)), _num(_get(v, "weight_lb", None)),
             _num(_get(v, "height_in", None)), _num(bmi), _get(v, "taken_by")),
            data=v,
        ))  # fmt: skip
    return rows


def visit_rows(upcoming: Iterable[Any], past: Iterable[Any]) -> list[ListRow]:
    rows = []
    for label, visits in (("next", upcoming), ("past", past)):
        for visit in visits:
            rows.append(ListRow(
                (label, _when(_get(visit, "start", None)), _get(visit, "provider"),
                 _get(visit, "reason"), _get(visit, "status").replace("_", "-")),
                data=visit, style="" if label == "next" else "muted",
            ))  # fmt: skip
    return rows


def claim_rows(claims: Iterable[Any]) -> list[ListRow]:
    return [
        ListRow(
            (
                short_us_date(_get(c, "service_date", None)),
                _get(c, "claim_number"),
                _get(c, "payer"),
                _get(c, "status").replace("_", " "),
                money(_get(c, "total_cents", 0)),
                money(_get(c, "balance_cents", 0)),
            ),
            data=c,
        )  # fmt: skip
        for c in claims
    ]


def note_rows(notes: Iterable[Any]) -> list[ListRow]:
    return [
        ListRow(
            (
                _when(_get(n, "created_at", None)),
                _get(n, "created_by"),
                " ".join(str(_get(n, "text")).split()),
            ),
            data=n,
        )  # fmt: skip
        for n in notes
    ]


SECTIONS: tuple[tuple[str, str, tuple[Column, ...], str], ...] = (
    ("insurance", "Insurance", (
        Column("Rank", 4), Column("Payer", flex=1, min_width=10), Column("Member", 13),
        Column("Group", 9, optional=True), Column("Subscriber", 12, optional=True),
        Column("Checked", 8), Column("Copay", 7, align="right", optional=True),
    ), "No insurance on file (a: add)"),
    ("allergies", "Allergies", (
        Column("Substance", flex=1, min_width=12), Column("Reaction", 18),
        Column("Severity", 9), Column("Noted", 8),
    ), "Not asked yet (a: add, k: no known allergies)"),
    ("vitals", "Vitals", (
        Column("Taken", 14), Column("BP", 7), Column("HR", 4, align="right"),
        Column("T °F", 5, align="right"), Column("Wt lb", 6, align="right"),
        Column("Ht in", 5, align="right"), Column("BMI", 5, align="right"),
        Column("By", flex=1, min_width=4, optional=True),
    ), "No vitals recorded (v: record a set)"),
    ("visits", "Appointments", (
        Column("", 4), Column("When", 14), Column("Provider", 12),
        Column("Reason", flex=1, min_width=8), Column("Status", 10),
    ), "No appointments (b: book)"),
    ("claims", "Claims", (
        Column("Service", 8), Column("Claim", 10), Column("Payer", flex=1, min_width=8),
        Column("Status", 14), Column("Total", 9, align="right"),
        Column("Balance", 9, align="right"),
    ), "No claims"),
    ("notes", "Notes", (
        Column("When", 14), Column("By", 14), Column("Note", flex=1, min_width=10),
    ), "No notes (a: add one)"),
)  # fmt: skip

#: what each key needs: (sections it works in, or None for anywhere; the permission)
KEY_RULES: dict[str, tuple[frozenset[str] | None, str]] = {
    "edit": (
        frozenset({"demographics", "insurance", "allergies", "vitals", "notes", "visits"}),
        "",
    ),  # fmt: skip
    "add": (frozenset({"insurance", "allergies", "vitals", "notes", "visits"}), ""),
    "remove": (frozenset({"insurance", "allergies"}), ""),
    "nka": (frozenset({"allergies"}), "allergy.edit"),
    "checked": (frozenset({"insurance"}), "coverage.edit"),
    "vitals": (None, "vitals.record"),
    "book": (None, "appointment.book"),
    "merge": (None, "patient.merge"),
}
SECTION_PERMISSION = {
    "demographics": "patient.edit",
    "insurance": "coverage.edit",
    "allergies": "allergy.edit",
    "vitals": "vitals.record",
    "notes": "patient.note",
    "visits": "appointment.book",
}


class PatientScreen(SafeDispatch, Screen[None]):
    """One patient's record; Escape goes back to where it was opened from."""

    TITLE = "Patient record"

    DEFAULT_CSS = """
    PatientScreen Demographics { height: auto; padding: 0 1; margin-bottom: 1; }
    PatientScreen Demographics:focus { background: $boost; }
    PatientScreen .section-title { height: 1; text-style: bold underline; padding: 0 1; }
    PatientScreen #patient-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="patient.close", tooltip="Back to the list"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="patient.edit",
            tooltip="Edit this section (the highlighted coverage or allergy)",
        ),  # fmt: skip
        Binding(
            "a",
            "add",
            "Add",
            id="patient.add",
            tooltip="Add to this section: a coverage, an allergy, a note",
        ),  # fmt: skip
        Binding(
            "d",
            "remove",
            "Remove",
            id="patient.remove",
            tooltip="End the highlighted coverage / remove the allergy",
        ),  # fmt: skip
        Binding(
            "k", "nka", "NKA", id="patient.nka", tooltip="Asked: no known allergies"
        ),  # fmt: skip
        Binding(
            "c",
            "checked",
            "Elig. checked",
            id="patient.eligibility",
            tooltip="Eligibility of the highlighted coverage checked today",
        ),  # fmt: skip
        Binding("v", "vitals", "Vitals", id="patient.vitals", tooltip="Record a set of vitals"),
        Binding("b", "book", "Book", id="patient.book", tooltip="Book an appointment"),
        Binding(
            "s",
            "statement",
            "Statement",
            show=False,
            id="patient.statement",
            tooltip="Write the patient's statement (PDF: what is owed)",
        ),  # fmt: skip
        Binding(
            "m",
            "merge",
            "Merge",
            id="patient.merge",
            tooltip="Merge with a duplicate record (manager)",
        ),  # fmt: skip
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="patient.reload",
            tooltip="Read the record again",
        ),  # fmt: skip
    ]

    def __init__(self, patient_id: int) -> None:
        super().__init__()
        self.patient_id = patient_id
        self.detail: patients.PatientDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static(" Patient", id="patient-title", markup=False)
        with VerticalScroll(id="patient-body"):
            yield Demographics("", id="patient-detail", markup=False)
            for key, title, columns, empty in SECTIONS:
                yield Static(title, classes="section-title", id=f"title-{key}", markup=False)
                yield Section(key, columns, empty)
        yield Static("", id="patient-status", markup=False)
        yield KeyLine()

    def on_mount(self) -> None:
        remember(self.app, self.patient_id)
        focus_now(self.query_one("#patient-detail"))
        self.action_reload()

    # ------------------------------------------------------------- sections

    @property
    def section(self) -> str:
        node: Any = self.focused
        while isinstance(node, Widget) and not isinstance(node, Section | Demographics):
            node = node.parent
        return node.section if isinstance(node, Section | Demographics) else "demographics"

    def section_list(self, name: str) -> Section:
        return self.query_one(f"#sec-{name}", Section)

    def current(self, name: str) -> Any:
        row = self.section_list(name).current
        return row.data if row is not None else None

    def may(self, action: str) -> bool:
        may = getattr(self.app, "may", None)
        return bool(may and may(action))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        rule = KEY_RULES.get(action)
        if rule is None:
            return True
        sections, permission = rule
        section = self.section
        permission = permission or SECTION_PERMISSION.get(section, "")
        if permission and not self.may(permission):
            return False
        if self.detail is not None and self.detail.merged_into and action != "book":
            return None  # a merged record is read only
        if sections is not None and section not in sections:
            return False  # not a key of this section: left off the key line
        if action == "remove" and self.current(section) is None:
            return None
        if (
            action == "nka"
            and self.detail is not None
            and (self.detail.allergies or self.detail.allergy_status == "nka")
        ):
            return None
        if action == "checked" and self.current("insurance") is None:
            return None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_paged_list_highlighted(self) -> None:
        self.refresh_bindings()

    # -------------------------------------------------------------- loading

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
        self.detail = detail
        today = clock.today()
        name = f"{_get(detail, 'last_name')}, {_get(detail, 'first_name')}"
        title = Text(no_wrap=True, end="")
        title.append(f" {display(name)}", style="bold")
        dob = _get(detail, "dob", None)
        title.append(f"  MRN {display(str(_get(detail, 'mrn')))}")
        if dob:
            title.append(f"  {age_text(dob, today)}y {_get(detail, 'sex')}")
        if _get(detail, "allergies", []):
            title.append("  ALLERGIES", style="bold reverse")
        elif _get(detail, "allergy_status") != "nka":
            title.append("  allergies not asked", style="italic")
        balance = _get(detail, "open_balance_cents", 0)
        if balance:
            title.append(f"  owes ${money(balance)}")
        self.query_one("#patient-title", Static).update(title)
        body = Text("\n", end="").join(demographics(detail, today))
        self.query_one("#patient-detail", Static).update(body)
        allergy_empty = "Not asked yet (a: add, k: no known allergies)"
        if _get(detail, "allergy_status") == "nka":
            allergy_empty = allergy_summary(detail)
        self.section_list("insurance").show(coverage_rows(_get(detail, "coverages", [])))
        self.section_list("allergies").show(allergy_rows(_get(detail, "allergies", [])),
                                            allergy_empty)  # fmt: skip
        self.section_list("vitals").show(vitals_rows(_get(detail, "vitals", [])))
        self.section_list("visits").show(
            visit_rows(_get(detail, "upcoming", []), _get(detail, "past", []))
        )
        self.section_list("claims").show(claim_rows(_get(detail, "claims", [])))
        self.query_one("#title-claims", Static).update(
            f"Claims  (open balance ${money(balance)})" if balance else "Claims"
        )
        self.section_list("notes").show(note_rows(_get(detail, "note_rows", [])))
        self.refresh_bindings()

    def status(self, text: str) -> None:
        self.query_one("#patient-status", Static).update(display(text))

    # --------------------------------------------------------------- actions

    def _open_form(self, form: Any) -> None:
        self.app.push_screen(form, self._after_form)

    def _after_form(self, result: Any) -> None:
        if result is not None:
            self.action_reload()

    def _call(self, call: Callable[[], Any], done: str) -> None:
        def finished(_result: Any) -> None:
            self.status(done)
            self.action_reload()

        def refused(error: DomainError) -> None:
            self.status(str(error))
            self.notify(display(str(error)), severity="error", markup=False)
            self.action_reload()

        call_service(self, call, on_result=finished, on_error=refused,
                     key=f"patient:{self.patient_id}", description="record change")  # fmt: skip

    def action_edit(self) -> None:
        from medoffice_tui.ui.screens import patient_forms as forms

        if self.detail is None:
            return
        section = self.section
        if section == "demographics":
            self._open_form(forms.DemographicsForm(self.detail))
        elif section == "insurance":
            self._open_coverage(self.current("insurance"))
        elif section == "allergies":
            self._open_form(forms.AllergyForm(self.detail, self.current("allergies")))
        elif section == "vitals":
            self.action_vitals()
        elif section == "notes":
            self._open_form(forms.NoteForm(self.detail))
        elif section == "visits":
            self.action_book()

    def action_add(self) -> None:
        from medoffice_tui.ui.screens import patient_forms as forms

        if self.detail is None:
            return
        section = self.section
        if section == "insurance":
            self._open_coverage(None)
        elif section == "allergies":
            self._open_form(forms.AllergyForm(self.detail, None))
        elif section == "notes":
            self._open_form(forms.NoteForm(self.detail))
        elif section == "vitals":
            self.action_vitals()
        elif section == "visits":
            self.action_book()

    def _open_coverage(self, coverage: Any | None) -> None:
        """The coverage form needs the payer list first; keys typed meanwhile wait for it."""
        from medoffice_tui.ui.screens.patient_forms import CoverageForm

        detail = self.detail
        if detail is None:
            return
        hold_keys(self, "payers")

        def loaded(payers: list[patients.PayerChoice]) -> None:
            self._open_form(CoverageForm(detail, coverage, payers))
            release_keys(self, "payers")

        def refused(error: DomainError) -> None:
            release_keys(self, "payers")
            self.status(str(error))

        call_service(self, patients.list_payers, on_result=loaded, on_error=refused,
                     description="payer list")  # fmt: skip

    def action_remove(self) -> None:
        from medoffice_tui.ui.forms.confirm import ConfirmScreen

        actor = self.app.actor  # type: ignore[attr-defined]
        section = self.section
        item = self.current(section)
        if item is None:
            return
        if section == "insurance":
            rank = _get(item, "rank_label").lower()
            payer = display(_get(item, "payer_name"))
            question = f"End the {rank} coverage with {payer}? (claims that used it keep it)"

            def call() -> Any:
                return patients.end_coverage(actor, item.id, item.version)

            done = "Coverage ended."
        else:
            question = f"Remove {display(_get(item, 'substance'))} from the allergy list?"

            def call() -> Any:
                return patients.remove_allergy(actor, item.id, item.version)

            done = "Allergy removed (with none left the state is 'not asked')."

        def answered(yes: bool | None) -> None:
            if yes:
                self._call(call, done)

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_nka(self) -> None:
        if self.detail is None:
            return
        actor = self.app.actor  # type: ignore[attr-defined]
        version = self.detail.allergy_version
        self._call(lambda: patients.mark_no_known_allergies(actor, self.patient_id, version),
                   "Recorded: no known allergies.")  # fmt: skip

    def action_checked(self) -> None:
        cov = self.current("insurance")
        if cov is None:
            return
        actor = self.app.actor  # type: ignore[attr-defined]
        self._call(lambda: patients.mark_eligibility_checked(actor, cov.id),
                   "Eligibility marked checked today.")  # fmt: skip

    def action_vitals(self) -> None:
        from medoffice_tui.ui.screens.patient_forms import VitalsForm

        if self.detail is not None:
            self._open_form(VitalsForm(self.detail))

    def action_statement(self) -> None:
        from medoffice_tui.ui.claims.balance import write_statement

        write_statement(self, self.patient_id)

    def action_book(self) -> None:
        from medoffice_tui.ui.screens.patient_booking import book_for

        if self.detail is not None:
            book_for(self, self.detail)

    def action_merge(self) -> None:
        from medoffice_tui.ui.screens.merge import MergePickForm

        if self.detail is not None and self.may("patient.merge"):
            self.app.push_screen(MergePickForm(self.detail), self._after_merge)

    def _after_merge(self, survivor_id: Any) -> None:
        if isinstance(survivor_id, int) and survivor_id != self.patient_id:
            self.patient_id = survivor_id
            remember(self.app, survivor_id)
        if survivor_id is not None:
            self.action_reload()
