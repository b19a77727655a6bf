"""The day grid: rows by time on the slot grid, a cell per provider, summaries."""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db.models import ProviderBlock
from medoffice_tui.services import schedule
from tests.services import schedule_office
from tests.services.schedule_office import MONDAY, at, book

office = schedule_office.office_sqlite  # the fixture: engine-independent rules


def kinds(grid, provider, first: dt.datetime, count: int) -> list[tuple[str, str]]:
    index = next(i for i, (t, n) in enumerate(grid.rows) if t == first and n == 0)
    cells = grid.cells[provider][index : index + count]
    return [(c.start.strftime("%H:%M"), c.kind) for c in cells]


def test_cells_line_up_by_time_across_providers(office, fixture_writes):
    ProviderBlock.create(provider=office["rivera"], kind="meeting", start=at(15), end=at(16))
    follow = book(office, start=at(9), minutes=30)
    book(office, who="bob", provider="chen", start=at(9, 10), minutes=15)  # off the grid
    grid = schedule.build_grid(schedule.day_view(MONDAY), 15)
    assert grid.rows[0] == (at(8), 0) and grid.rows[-1][0] == at(16, 45)
    assert all(len(c) == len(grid.rows) for c in grid.cells.values())
    assert kinds(grid, office["rivera"], at(9), 4) == [
        ("09:00", "appointment"), ("09:10", "continued"), ("09:15", "continued"), ("09:30", "free"),
    ]  # fmt: skip
    assert kinds(grid, office["chen"], at(9), 4) == [
        ("09:00", "free"), ("09:10", "appointment"), ("09:15", "continued"), ("09:30", "free"),
    ]  # fmt: skip
    assert grid.cells[office["chen"]][grid.row_at(at(9))].end == at(9, 10)  # free until 9:10
    assert kinds(grid, office["rivera"], at(12), 1) == [("12:00", "off")]
    assert kinds(grid, office["chen"], at(12), 2) == [("12:00", "block"), ("12:15", "block_cont")]
    assert kinds(grid, office["rivera"], at(15), 1) == [("15:00", "block")]
    assert grid.row_of(office["rivera"], follow.id) == grid.row_at(at(9))


def test_two_starting_at_one_time_take_a_row_each(office):
    first = book(office, start=at(10))
    schedule.set_status(office["desk"], first.id, "no_show", 1)
    walk_in = book(office, who="bob", start=at(10))  # into the no-show's freed time
    grid = schedule.build_grid(schedule.day_view(MONDAY), 15)
    index = grid.row_at(at(10))
    assert grid.rows[index : index + 2] == [(at(10), 0), (at(10), 1)]
    rivera = grid.cells[office["rivera"]]
    assert [rivera[index].appointment.id, rivera[index + 1].appointment.id] == [
        walk_in.id,
        first.id,
    ]
    assert grid.cells[office["chen"]][index + 1].kind == "blank"


def test_summaries_balance_caseloads(office):
    a = book(office, start=at(11))
    b = book(office, who="bob", start=at(9))  # before now (10:30): not counted as open
    schedule.set_status(office["desk"], b.id, "no_show", 1)
    book(office, who="bob", provider="chen", start=at(12), actor="manager", overbook=True,
         overbook_reason="urgent")  # fmt: skip
    grid = schedule.build_grid(schedule.day_view(MONDAY), 15)
    rivera, chen = grid.summaries[office["rivera"]], grid.summaries[office["chen"]]
    # Rivera: 10:30-12 is 6 slots, less 11:00 booked; 13-17 is 16: 21 open
    assert (rivera.booked, rivera.open, rivera.no_show, rivera.overbooked) == (1, 21, 1, 0)
    assert rivera.text() == "1 booked 21 open 1 no-show"
    assert (chen.booked, chen.overbooked) == (1, 1) and chen.text().endswith("1 over")
    assert a.id in {c.appointment.id for c in grid.cells[office["rivera"]] if c.appointment}


def test_a_day_nobody_works_has_no_rows(office):
    grid = schedule.build_grid(schedule.day_view(MONDAY + dt.timedelta(days=5)), 15)
    assert grid.rows == [] and grid.summaries[office["chen"]].booked == 0


def test_one_providers_column_again_is_the_whole_grid_again(office):
    """After a status change, ``with_provider`` gives what ``build_grid`` of the whole
    day would: same rows, that provider's cells and summary, the others untouched."""
    ProviderBlock.create(provider=office["rivera"], kind="meeting", start=at(15), end=at(16))
    first = book(office, start=at(9), minutes=30)
    book(office, who="bob", provider="chen", start=at(9, 10), minutes=15)  # off the grid
    second = book(office, who="bob", start=at(11))
    grid = schedule.build_grid(schedule.day_view(MONDAY), 15)
    for appt, status in ((first, "no_show"), (second, "confirmed")):
        schedule.set_status(office["desk"], appt.id, status, appt.version)
        view = schedule.day_view(MONDAY)
        whole = schedule.build_grid(view, 15)
        grid = schedule.with_provider(grid, view, office["rivera"])
        assert grid.rows == whole.rows
        assert grid.cells == whole.cells
        assert grid.summaries == whole.summaries
    assert grid.summaries[office["rivera"]].no_show == 1
    assert schedule.with_provider(grid, view, 999_999) is grid  # not shown: unchanged
