"""A read marked ``inline`` answers on the UI thread when SQLite does it within the
budget, and goes to a worker (same answer) when it would take longer."""

from __future__ import annotations

import threading

import pytest

from medoffice_tui.db.models import AuditEvent
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import session
from medoffice_tui.ui import service_call
from medoffice_tui.ui.screens.audit import AuditScreen
from medoffice_tui.ui.service_call import call_service

from .conftest import SIZE
from .test_app import settle


def slow_count() -> int:
    """A query that makes SQLite work for a long time (a recursive series)."""
    cursor = AuditEvent._meta.database.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
        " SELECT count(*) FROM n"
    )
    return int(cursor.fetchone()[0])


async def test_a_quick_read_answers_in_the_same_call_on_the_ui_thread(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen: list[tuple[int, str]] = []
        AuditEvent.get_by_id(1)  # the page is in the cache: one indexed row, microseconds
        worker = call_service(
            app,
            lambda: (AuditEvent.get_by_id(1).id, threading.current_thread().name),
            on_result=seen.append,
            inline=True,
        )
        assert worker is None and seen  # answered before call_service returned
        assert seen[0][1] == threading.current_thread().name


async def test_a_slow_read_is_stopped_and_answered_by_a_worker(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen: list[int] = []
        worker = call_service(app, slow_count, on_result=seen.append, inline=True)
        assert worker is not None and not seen  # stopped at the budget, sent on
        await settle(app, pilot)
        assert seen == [3000000]


def test_run_inline_refuses_past_its_budget_and_leaves_the_connection_usable(
    make_app,
) -> None:
    with pytest.raises(session.TooSlow):
        session.run_inline(slow_count, 0.001)
    assert session.run_inline(lambda: AuditEvent.select().count(), 1.0) > 0


async def test_a_refusal_inline_goes_to_on_error(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        errors: list[str] = []

        def refuse() -> None:
            raise InvalidInput("no such thing")

        call_service(app, refuse, on_error=lambda e: errors.append(str(e)), inline=True)
        assert errors == ["no such thing"]


async def test_the_audit_trail_shows_its_first_page_without_a_loading_frame(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        # no worker was needed: the rows are there as soon as the screen is
        assert screen.list.row_count == 100
        assert "loading" not in str(screen.query_one("#audit-filter").render())
        assert service_call.INLINE_BUDGET_S <= 0.005
