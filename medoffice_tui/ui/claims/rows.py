"""How claims read in the queue: columns whose labels need no manual, status words,
money that fits its column, ages and days left to file."""

from __future__ import annotations

from medoffice_tui.services import claims
from medoffice_tui.ui.panes.fmt import money, money_dollars, short_us_date
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

MONEY_WIDTH = 6

#: Every label whole at 80 columns (the widths add up to 80 with their gaps); the
#: list's position (``12/100+``) is shown at the end of the filter line instead of over
#: the header's last label (:class:`ClaimsList`). "F/U" is the follow-up date, as the
#: desk writes it; the owner shows as initials (the claim's screen has the full name).
COLUMNS = (
    Column("Seen", 8),
    Column("Patient", flex=3, min_width=11),
    Column("Payer", flex=2, min_width=8),
    Column("Billed", MONEY_WIDTH, align="right"),
    Column("Owed", MONEY_WIDTH, align="right"),
    Column("Status", 11),
    Column("Age", 4, align="right"),
    Column("To file", 7, align="right"),
    Column("Owner", 5, optional=True),
    Column("F/U", 5, optional=True),
)


class ClaimsList(PagedList):
    """The queue's list: its position is shown on the filter line (``position``), so
    the header keeps every column label whole."""

    def position_text(self) -> str:
        return ""

    def position(self) -> str:
        """``12/100+`` (empty when every row fits)."""
        return super().position_text()


def initials(full_name: str, username: str = "") -> str:
    """``Marta Kowalczyk`` -> ``MK`` (at most 3 letters); the username when no name."""
    letters = "".join(word[0] for word in full_name.split() if word[:1].isalpha())
    return letters[:3].upper() if letters else username[:5]


STATUS_STYLE = {
    "draft": "muted",
    "ready": "info",
    "submitted": "",
    "accepted_ch": "",
    "pending": "",
    "rejected_ch": "bad",
    "rejected_payer": "bad",
    "denied": "bad",
    "appealed": "warn",
    "corrected": "warn",
    "partially_paid": "warn",
    "paid": "ok",
    "closed": "muted",
    "void": "muted",
    "written_off": "muted",
}


def money_cell(cents: int, width: int = MONEY_WIDTH) -> str:
    """Dollars and cents; whole dollars (halves up, integers only) when a big amount
    would not fit the column."""
    text = money(cents)
    if len(text) > width:
        text = money_dollars(cents)
    return text


def to_file(days_left: int | None) -> str:
    if days_left is None:
        return ""
    return "late" if days_left < 0 else f"{days_left}d"


def claim_row(c: claims.ClaimRow, today=None) -> ListRow:  # noqa: ANN001 - a date
    import datetime as dt

    from medoffice_tui import clock

    today = today or clock.today()
    days_left = c.days_left_to_file
    file_style = ""
    if days_left is not None:
        file_style = "bad" if days_left < 0 else "warn" if days_left <= 14 else ""
    follow = c.follow_up_on.strftime("%m/%d") if isinstance(c.follow_up_on, dt.date) else ""
    follow_style = "warn" if c.follow_up_on is not None and c.follow_up_on <= today else ""
    return ListRow(
        cells=(
            short_us_date(c.service_date),
            c.patient_name,
            c.payer_name,
            money_cell(c.total_charge_cents),
            money_cell(c.balance_cents),
            claims.status_word(c.status),
            f"{c.age_days}d",
            to_file(days_left),
            initials(c.assignee_name, c.assignee) if c.assignee else "",
            follow,
        ),
        data=c,
        cell_styles={5: STATUS_STYLE.get(c.status, ""), 7: file_style, 9: follow_style},
    )
