"""The record's list sections (insurance, allergies, vitals, appointments, claims, notes):
the widget each one is drawn in, its columns, and how its rows are built from the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from textual.widgets import Static

from medoffice_tui.services import patients
from medoffice_tui.ui.panes.fmt import money, short_us_date
from medoffice_tui.ui.screens.patient_text import field
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

#: most rows a section list shows before it scrolls
SECTION_ROWS = 4
#: the row and cell styles the section rows below use (a past visit, a coverage never
#: checked, a severe allergy)
SECTION_STYLES = ("muted", "warn", "bad")


def _bp(v: Any) -> str:
    sys_, dia = field(v, "systolic", None), field(v, "diastolic", None)
    return f"{sys_}/{dia}" if sys_ and dia else ""


def _num(value: Any, unit: str = "") -> str:
    if value in (None, ""):
        return ""
    return (f"{value:g}" if isinstance(value, float) else str(value)) + unit


def _when(moment: Any) -> str:
    return moment.strftime("%m/%d/%y %H:%M") if isinstance(moment, dt.datetime) else ""


class Section(PagedList):
    """One list section of the record (its name says which keys apply to it).

    It declares only the styles its rows use: Textual works out every component class
    of every section each time the record's styles are applied (twice per open, six
    sections), so the list's other row styles would only cost time.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-list--header",
        "paged-list--cursor",
        "paged-list--cursor-blurred",
        "paged-list--empty",
        *(f"paged-list--{name}" for name in SECTION_STYLES),
    }

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


# only these, not the list's own set as well: set after the class is made, because
# Widget's subclass hook does not pass ``inherit_component_classes`` on (it would reset it)
Section._inherit_component_classes = False


class Demographics(Static, can_focus=True):
    """The demographics and the at-a-glance lines (insurance, allergies)."""

    section = "demographics"


def coverage_rows(coverages: Iterable[Any]) -> list[ListRow]:
    rows = []
    for cov in coverages:
        subscriber = ""
        if field(cov, "relationship") not in ("", "self"):
            subscriber = f"{field(cov, 'relationship')}: {field(cov, 'subscriber_last')}"
        checked = field(cov, "eligibility_checked_on", None)
        rows.append(ListRow(
            (field(cov, "rank_label", "")[:3], field(cov, "payer_name"), field(cov, "member_id"),
             field(cov, "group_number"), subscriber, short_us_date(checked) if checked else "never",
             f"{money(field(cov, 'copay_cents', 0))}"),
            data=cov, cell_styles={} if checked else {5: "warn"},
        ))  # fmt: skip
    return rows


def allergy_rows(allergies: Iterable[Any]) -> list[ListRow]:
    return [
        ListRow(
            (
                field(a, "substance"),
                field(a, "reaction"),
                field(a, "severity"),
                short_us_date(field(a, "noted_on", None)),
            ),
            data=a,
            cell_styles={2: "bad"} if field(a, "severity") == "severe" else {},
        )  # fmt: skip
        for a in allergies
    ]


def vitals_rows(vitals: Iterable[Any]) -> list[ListRow]:
    rows = []
    for v in vitals:
        bmi = patients.bmi(field(v, "weight_lb", None), field(v, "height_in", None))
        rows.append(ListRow(
            (_when(field(v, "taken_at", None)), _bp(v), _num(field(v, "pulse", None)),
             _num(field(v, "temperature_f", None)), _num(field(v, "weight_lb", None)),
             _num(field(v, "height_in", None)), _num(bmi), field(v, "taken_by")),
            data=v,
        ))  # fmt: skip
    return rows


def visit_rows(upcoming: Iterable[Any], past: Iterable[Any]) -> list[ListRow]:
    rows = []
    for label, visits in (("next", upcoming), ("past", past)):
        for visit in visits:
            rows.append(ListRow(
                (label, _when(field(visit, "start", None)), field(visit, "provider"),
                 field(visit, "reason"), field(visit, "status").replace("_", "-")),
                data=visit, style="" if label == "next" else "muted",
            ))  # fmt: skip
    return rows


def claim_rows(claims: Iterable[Any]) -> list[ListRow]:
    return [
        ListRow(
            (
                short_us_date(field(c, "service_date", None)),
                field(c, "claim_number"),
                field(c, "payer"),
                field(c, "status").replace("_", " "),
                money(field(c, "total_cents", 0)),
                money(field(c, "balance_cents", 0)),
            ),
            data=c,
        )  # fmt: skip
        for c in claims
    ]


def note_rows(notes: Iterable[Any]) -> list[ListRow]:
    return [
        ListRow(
            (
                _when(field(n, "created_at", None)),
                field(n, "created_by"),
                " ".join(str(field(n, "text")).split()),
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
