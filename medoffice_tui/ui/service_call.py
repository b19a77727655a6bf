"""The one way a pane, screen or dialog calls a service.

:func:`call_service` runs the call on a worker thread with that thread's own
database connection, then hands the result to ``on_result`` on the UI thread. A
:class:`~medoffice_tui.errors.DomainError` (a refusal written for the desk) goes to
``on_error``, or becomes an error toast; anything else is logged without its text
(it may hold patient data) and shown as a short message with an error id. The app
never stops because a call failed.

Writes to one record run one at a time: give them the same ``key`` (say
``"appointment:17"``) and each waits for the one before, *including* its
``on_result`` (which updates the screen). Pass ``prepare`` instead of a fixed call
to build the call only when its turn comes, from what the screen shows by then: a
status key pressed twice quickly then acts on the new version, never reporting
"someone else changed this record" for the desk's own first change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from medoffice_tui import errorlog
from medoffice_tui.errors import DomainError
from medoffice_tui.services import session
from medoffice_tui.services.text import display

T = TypeVar("T")

log = logging.getLogger(__name__)

_record_locks: dict[str, asyncio.Lock] = {}


def _lock_for(key: str) -> asyncio.Lock:
    lock = _record_locks.get(key)
    if lock is None:
        lock = _record_locks[key] = asyncio.Lock()
    return lock


def _in_connection(call: Callable[[], T], handle: session.QueryHandle | None = None) -> T:
    with session.connection(handle):
        return call()


async def read_off_thread(call: Callable[[], T]) -> T:
    """``call`` on a worker thread with its own connection, awaited (for an ``async``
    caller that must know when it is done, e.g. a pane's first show)."""
    return await asyncio.to_thread(_in_connection, call)


def notify_refusal(node: DOMNode, error: DomainError) -> None:
    """The default for a refused call: the service's own words, as an error toast."""
    node.notify(display(str(error)), severity="error", markup=False)


def notify_unexpected(node: DOMNode, exc: BaseException, where: str = "") -> str:
    """Log ``exc`` (no message, no locals) and tell the desk the error id."""
    error_id = errorlog.report(exc, where)
    log.warning("unexpected %s (error %s)", type(exc).__name__, error_id)
    if os.environ.get("MEDOFFICE_DEBUG_ERRORS"):  # developers' runs and tests only
        traceback.print_exception(exc)
    with contextlib.suppress(Exception):
        node.notify(errorlog.user_message(error_id), severity="error", markup=False, timeout=10)
    return error_id


#: the most SQLite work an ``inline`` read may do on the UI thread before it is stopped
#: and sent to a worker: well inside one frame (16 ms), with room to draw the answer
INLINE_BUDGET_S = 0.003


def _finish(
    node: DOMNode,
    on_done: Callable[[], Any] | None,
    on_result: Callable[[Any], Any] | None,
    result: Any,
    where: str,
) -> None:
    if on_done is not None:
        with contextlib.suppress(Exception):
            on_done()
    if on_result is not None:
        try:
            on_result(result)
        except Exception as exc:  # noqa: BLE001
            notify_unexpected(node, exc, f"{where}: showing the result")


def call_service(
    node: DOMNode,
    call: Callable[[], T] | None = None,
    *,
    on_result: Callable[[T], Any] | None = None,
    on_error: Callable[[DomainError], Any] | None = None,
    on_done: Callable[[], Any] | None = None,
    prepare: Callable[[], Callable[[], T] | None] | None = None,
    key: str | None = None,
    group: str = "service",
    exclusive: bool = False,
    delay: float = 0.0,
    interruptible: bool = False,
    inline: bool = False,
    inline_budget_s: float = INLINE_BUDGET_S,
    description: str = "",
) -> Worker[None] | None:
    """Run a service call off the UI thread; see the module docstring.

    ``call`` runs on a worker thread. ``prepare`` (instead of ``call``) runs on the UI
    thread when the call's turn comes and returns the call (or None to skip it).
    ``on_done`` runs afterwards whatever happened (e.g. to re-enable a form).
    ``inline`` (reads only; SQLite only) first tries the call right here on the UI
    thread, stopped after :data:`INLINE_BUDGET_S` of database work and then run on a
    worker as usual: an indexed first page then shows in the frame of the key that
    asked for it, with no "loading" frame in between; a slow one costs the desk 3 ms.
    ``inline_budget_s`` raises that bound where no key can be waiting (the first frame).
    Returns None when the call finished inline.
    ``delay`` waits first (a debounce: with ``exclusive``, a newer call cancels this one
    before it touches the database). ``interruptible`` stops the query in the database
    when the call is cancelled (a newer search replaced it): cancelling a worker alone
    leaves SQL already running to finish.
    """
    if (call is None) == (prepare is None):
        raise TypeError("give exactly one of call= or prepare=")
    if inline and call is not None and not delay and key is None:
        if exclusive:  # this answer replaces whatever the group was still fetching
            node.workers.cancel_group(node, group)
        try:
            result = session.run_inline(call, inline_budget_s)
        except session.TooSlow:
            pass  # past the budget: on a worker as usual, below
        except DomainError as error:
            if on_error is not None:
                on_error(error)
            else:
                notify_refusal(node, error)
            _finish(node, on_done, None, None, description or group)
            return None
        except Exception as exc:  # noqa: BLE001 - reported by id; the app keeps going
            notify_unexpected(node, exc, description or group)
            _finish(node, on_done, None, None, description or group)
            return None
        else:
            _finish(node, on_done, on_result, result, description or group)
            return None

    async def run() -> None:
        if delay:
            await asyncio.sleep(delay)
        lock = _lock_for(key) if key else None
        async with lock if lock is not None else contextlib.nullcontext():
            try:
                work = call if call is not None else prepare()  # type: ignore[misc]
                if work is None:
                    return
                handle = session.QueryHandle() if interruptible else None
                try:
                    result = await asyncio.to_thread(_in_connection, work, handle)
                except asyncio.CancelledError:
                    if handle is not None:
                        handle.interrupt()
                    raise
            except DomainError as error:
                if on_error is not None:
                    on_error(error)
                else:
                    notify_refusal(node, error)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported by id; the app keeps going
                notify_unexpected(node, exc, description or group)
                return
            finally:
                if on_done is not None:
                    with contextlib.suppress(Exception):
                        on_done()
            if on_result is not None:
                try:
                    on_result(result)
                except Exception as exc:  # noqa: BLE001
                    notify_unexpected(node, exc, f"{description or group}: showing the result")

    return node.run_worker(
        run,  # the coroutine function: a worker cancelled before it starts leaves nothing
        group=group,
        exclusive=exclusive,
        exit_on_error=False,
        description=description or group,
    )
