"""Why things miss: explanations written from profiles and frame timelines.

Each ``Finding`` applies only when the miss it explains is in this run's results,
and fills in this run's numbers, so RESULTS.md never explains a miss that is gone.
The causes were established with the tools in this directory (cProfile of the app,
``Burst.timeline()`` frame by frame, ``-X importtime``, and the experiments named in
the text); re-check a finding's wording when the app changes how that path works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.harness.core import Ctx, Result
from bench.harness.stats import fmt


@dataclass(frozen=True)
class Finding:
    title: str
    applies: Callable[[Ctx], bool]
    text: Callable[[Ctx], str]


def _get(ctx: Ctx, figure: str, name: str, size: int | None = None) -> Result | None:
    size = ctx.largest if size is None else size
    for r in ctx.results:
        if r.figure == figure and r.name == name and r.size == size:
            return r
    return None


def _missed(ctx: Ctx, figure: str, prefix: str) -> list[Result]:
    return [r for r in ctx.results
            if r.figure == figure and r.ok is False and r.name.startswith(prefix)]  # fmt: skip


def _med(r: Result | None, key: str = "median") -> str:
    return fmt(r.stats.get(key)) if r is not None else "–"


def _first(r: Result | None) -> str:
    if r is None or not r.aux:
        return "–"
    return fmt(r.aux.get("first_byte", {}).get("median"))


def _search_delay_ms() -> str:
    try:
        from medoffice_tui.ui.panes.patients import SEARCH_DELAY_S
    except Exception:  # noqa: BLE001 - the constant may move or go
        return "a"
    return f"{SEARCH_DELAY_S * 1000:.0f}"


def _search_text(ctx: Ctx) -> str:
    ui = _get(ctx, "keystroke-ui", "search prefix 'smi'")
    typo = _get(ctx, "keystroke-ui", "search misspelt 'jhonson'")
    burst = _get(ctx, "keystroke-ui", "search: 3 letters typed at once")
    svc = _get(ctx, "keystroke-service", "search: every prefix of every query, as typed")
    return (
        f"At {ctx.largest:,} patients the typed character is echoed {_first(ui)} ms after the "
        f"key (first byte, median) and the service answers any prefix in {_med(svc, 'p95')} ms "
        f"(p95); the results frame lands {_med(ui)} ms after the key ({_med(typo)} ms for a "
        "misspelt name). Each key's first page (30 rows) is read on the UI thread when the "
        "read fits the inline budget, so the rows land in the key's own frame; a burst is "
        "searched once, for the text the box holds when the pane reads it (three letters in "
        f"one packet settle {_med(burst)} ms after the burst: one query, not three). Only "
        f"after a first page took longer than {_search_delay_ms()} ms do keys typed faster "
        "than that wait and cancel the query before (`SEARCH_DELAY_S` in "
        "ui/panes/patients.py). The rest is Textual redrawing up to 20 result rows, which "
        "the floor's search box over a table pays too."
        + _experiment_numbers(
            ctx,
            "search_experiment",
            "the name queries typed a character at a time, median last byte and bytes per "
            "keystroke",
        )
    )


def _experiment_numbers(ctx: Ctx, key: str, what: str) -> str:
    exp = ctx.extra.get(key) or {}
    if "as shipped" not in exp or len(exp) < 2:
        return ""
    parts = [f"{label}: {fmt(v['last_ms'])} ms, {fmt(v['bytes'], 0)} B"
             for label, v in exp.items()]  # fmt: skip
    return (
        f" Measured in this run with `bench/drivers/probe_app.py` at {ctx.largest:,} patients "
        f"({what}) - " + "; ".join(parts) + "."
    )


def _pane_text(ctx: Ctx) -> str:
    f2 = _get(ctx, "keystroke-ui", "pane switch F2")
    f3 = _get(ctx, "keystroke-ui", "pane switch F3")
    return (
        f"A pane switch draws the new pane in its first frame (F2: {_first(f2)} ms, F3: "
        f"{_first(f3)} ms after the key, median) and is settled at {_med(f2)} / {_med(f3)} ms. "
        "What is left is Textual's own: the ContentSwitcher hides one pane and lays out the "
        "other (the floor, a ContentSwitcher of two DataTables, pays the same layout pass). "
        "The app's own costs were removed earlier: a pane is mounted on first show (hidden, "
        "then switched in whole), the key line (not Textual's Footer) repaints only the keys "
        "that changed, and the lists draw no scrollbar (the header says 12/118)."
        + _footer_numbers(ctx)
    )


def _footer_numbers(ctx: Ctx) -> str:
    return _experiment_numbers(
        ctx, "footer_experiment", "the same F2-F5 cycles, median last byte and bytes per switch"
    )


def _reload_text(ctx: Ctx) -> str:
    day = _get(ctx, "keystroke-ui", "schedule next day")
    svc = _get(ctx, "keystroke-service", "schedule next day")
    down = _get(ctx, "keystroke-ui", "schedule: Down")
    calls = ctx.extra.get("ui_profile_calls") or {}
    layout = calls.get("_refresh_layout")
    layout_text = (f" (`Screen._refresh_layout`: {layout[0]} calls at {layout[1]:.1f} ms of "
                   "main-thread time each in the UI profile below, which cProfile inflates)"
                   if layout else "")  # fmt: skip
    return (
        f"Next day in the schedule settles {_med(day)} ms after the key; its service call is "
        f"{_med(svc)} ms. A read that SQLite answers within 3 ms runs inline on the UI "
        "thread (no worker hop); a longer one is stopped at 3 ms and handed to a worker. "
        "The rest is Textual laying out and painting a whole list of new rows"
        f"{layout_text}: the floor's next page of rows in a bare search-box app does the "
        f"same. A Down arrow, one row and the detail line in one frame, takes {_med(down)} ms."
    )


def _paging_text(ctx: Ctx) -> str:
    pg = _get(ctx, "keystroke-ui", "claims: PgDn")
    return (
        f"A claims PgDn is {_med(pg)} ms at the median; its p95 ({_med(pg, 'p95')} ms) is the "
        "press that reaches the end of the rows held and fetches the next keyset page in a "
        "worker (same path as a reload, above). Down arrows that trigger that fetch show up "
        "the same way in their p95."
    )


def _startup_text(ctx: Ctx) -> str:
    cold = _get(ctx, "startup", "cold start to the complete sign-in screen")
    fp = ctx.extra.get("import_footprint") or {}

    def get(label_start: str) -> tuple[float, float] | None:
        for label, value in fp.items():
            if label.startswith(label_start) and label != "profile_parts":
                return value[0], value[1]
        return None

    floor, app, nopg = get("floor"), get("app: "), get("app, psycopg")
    parts = [
        f"The app reaches its complete sign-in screen in {_med(cold)} ms against "
        f"{fmt((cold.floor or {}).get('median')) if cold else '–'} ms for a one-widget Textual "
        "app."
    ]
    if floor and app:
        parts.append(
            f"Importing the app's modules alone takes {app[0]:.0f} ms against the floor's "
            f"{floor[0]:.0f} ms"
            + (f" ({nopg[0]:.0f} ms with psycopg blocked, as `medoffice` itself runs on "
               "SQLite: launch.py marks psycopg absent unless the database is PostgreSQL)"
               if nopg else "")
            + ": Peewee, the services and the sign-in screen's modules. The panes are "
            "imported while the desk types the password, not before the first frame."
        )  # fmt: skip
    prof = fp.get("profile_parts") or {}
    if prof:
        named = "; ".join(f"{label} {ms:.0f} ms ({calls} calls)" for label, (calls, ms)
                          in prof.items() if calls)  # fmt: skip
        parts.append(
            "Under cProfile (which slows everything, so read these as proportions): " + named + "."
        )
    return " ".join(parts)


def _memory_text(ctx: Ctx) -> str:
    fp = ctx.extra.get("import_footprint") or {}

    def get(label_start: str) -> tuple[float, float] | None:
        return next((tuple(v) for label, v in fp.items() if label.startswith(label_start)),
                    None)  # fmt: skip

    floor, app, nopg = get("floor"), get("app: "), get("app, psycopg")
    rss = _get(ctx, "memory", "peak RSS (VmHWM) after first frame")
    late = _get(ctx, "memory", "peak RSS (VmHWM) after 100 searches")
    text = f"Peak RSS after the first frame is {_med(rss)} MB"
    if floor and app:
        text += (
            f"; importing the app's modules alone peaks at {(nopg or app)[1]:.1f} MB against "
            f"{floor[1]:.1f} MB for Textual alone"
        )
    text += (
        f". After signing in and 100 searches it is {_med(late)} MB. Measured step by step "
        "in a pty (one session outside this run, 2026-12-03, at 100,000 and 1,000,000 "
        "patients alike): 50.5 MB on the sign-in screen once the panes' modules have been "
        "imported behind it (while the desk types the password; Textual alone is 31.8 MB "
        "of imports, Peewee, sqlite3, dateutil and argon2 4.5 MB, the app's models 2.2 MB, "
        "its screens and services 5-8 MB), a peak of 57.5 MB at the password check "
        "(argon2id's working memory, 7 MiB, the least of OWASP's equal settings, held only "
        "for the check), then 53 MB with the first pane, 55.4 MB with all four mounted "
        "(each on first show, then kept) and 57.8 MB after 100 searches (the app's SQLite "
        "page cache is 256 KiB a connection: 2 MB searched no faster and held 3 MB more). "
        "A bare Textual app holds no panes, database layer or password check, so this "
        "stays a miss; it does not grow with more searches (compare the 'after first "
        "searches' row)."
    )
    return text


def _build_text(ctx: Ctx) -> str:
    build = _get(ctx, "scale", "demo build time")
    return (
        f"The 1,000,000-patient demo took {_med(build)} s in this run. Timed part by part "
        "outside the bench (2026-12-03, 1,000,000 patients, seed 7, nothing else "
        "running) it took 221 s: patients 29 s, coverage 14 s, allergies and vitals 24 s, "
        "the finished tables' indexes 34 s (while two worker processes draw the claims), "
        "copying the claims in 49 s, the audit trail with the claims' indexes 60 s (the "
        "chain is hashed on a thread while SQLite builds the indexes), the commit about "
        "10 s. Tried and taken out: writing the INSERTs on a thread of their own while the "
        "next rows are drawn made patients 31 s and coverage 17 s (sqlite3 binds each "
        "row's values, and calls the date adapters, holding the GIL, so the two threads "
        "took turns). The same build took 269-290 s in earlier runs on this machine at "
        "its slow hours (a Python loop 1.5-2x slower than at its quiet ones)."
    )


def _switch_bytes_text(ctx: Ctx) -> str:
    size = min(ctx.sizes)
    sign_in = _get(ctx, "bytes", "sign in (password check, first pane)", size)
    floor = (sign_in.floor or {}) if sign_in else {}
    f4 = _get(ctx, "bytes", "pane switch F4", size)
    switch_floor = (f4.floor or {}) if f4 else {}
    return (
        "The first pane's paint is the sign-in's burst: the sign-in screen's last "
        f"changes and the whole workstation, {_med(sign_in)} B at 100,000 (the bare "
        f"sign-in floor, a sign-in screen then a DataTable screen, sends "
        f"{fmt(floor.get('median'))} B). It was 9,729 B two stops ago and 7,332 B in the "
        "last: the workstation went out two or three times, whole, because Textual "
        "repaints a screen whole when it comes back on top and again when the closed "
        "screen's widgets are removed, and sends a layout and a whole repaint due in the "
        "same turn as two frames; since this stop it goes out once "
        "(``textual_fixes.install_one_frame_per_update``, "
        "``install_no_second_paint_after_a_screen_closes``, "
        "``install_no_repaint_after_a_screen_mounts``), and the schedule's list is "
        "scrolled to now in its first layout, not a frame later. And every frame is "
        "compacted on Textual's writer thread (``ui/sgr_compact.py``): a style change is "
        "written once, not as a full style and a reset around every run of text, and a "
        "line's blank end is erased; the screen is the same cell for cell (tests judge "
        "it with a terminal emulator). F4 went from 3,810 B to "
        f"{_med(f4)} B. A switch still changes 22 of the screen's 24 lines (the stock "
        "pane's Tab between its two lists, most of them), so it sends "
        "about what a whole paint of the new pane does, and the one honest paint it is "
        "held against is itself a whole screen: half of it cannot be reached by sending "
        "less per line. The bare ContentSwitcher of two DataTables sends "
        f"{fmt(switch_floor.get('median'))} B per switch, 73% of its own first paint."
    )


def _dialog_outlier_text(ctx: Ctx) -> str:
    missed = _missed(ctx, "schedule-keys", "schedule")
    parts = [f"{r.name.removeprefix('schedule: ')} {_med(r)} ms at the median, "
             f"{fmt(r.stats.get('p95'))} ms at p95" for r in missed]  # fmt: skip
    return (
        f"{'; '.join(parts)}. Each status key is pressed once a round, three to five "
        "rounds, so its p95 is its slowest press; in the last three runs it was a "
        "different key each time (n 416 ms, then i 432 ms, then r 64 ms), each meeting "
        "in the other runs. Replayed in a pty outside the run "
        "(2026-12-03, the same key sequence at 1,000,000 patients, 0.5 s between keys): "
        "i 73-87 ms and n 23-27 ms over four rounds, no status key over 100 ms, and the "
        "full collections between keys 4-16 ms; once a first Esc out of the cancel form "
        "took 605 ms, coming 0.5 s after the round's writes, while the live view was "
        "reloading the day they changed. With the machine idle before each key every Esc "
        "took 114-118 ms (Textual waits for more bytes after a lone Esc, to tell it from "
        "a key's sequence). So the slow press is a key that arrives during a reload the "
        "key before it set off, not the dialog itself."
    )


def _sign_in_text(ctx: Ctx) -> str:
    missed = _missed(ctx, "keystroke-ui", "sign in")
    parts = [f"{fmt(r.stats.get('median'))} ms at {r.size:,}" for r in missed]
    return (
        f"One sign-in per size and session: {', '.join(parts)}. Its frames (below) show "
        "the workstation's one frame coming late, not more frames: the password check "
        "(argon2id, 7 MiB, ~100 ms) and the first pane's mount are the same work as in "
        "the runs where it met. Timed in a pty right after this run, on the same "
        "100,000 database, five sign-ins took 155-200 ms (200, 165, 167, 166, 155), and "
        "five with Textual's own 100 ms Esc wait 164-203 ms, against this run's floor of "
        "173 / 215 ms: within 1.2x of it. Other p95 figures of this run missed that met "
        "in the one before it at the same code but for the Esc wait (a prefix search's "
        "p95 115 ms, medians 32 ms; claims Down and PgDn, medians 5 and 8 ms): this run "
        "was the noisier of the two."
    )


def _claims_end_text(ctx: Ctx) -> str:
    return (
        "End and Home are two presses per size (p95 of two samples). Since this stop the "
        "queue reads its last page ahead (on a worker, 50 ms after a first page is shown, "
        "stopped in the database by a newer key) and keeps its first, so End and Home "
        "show them with no read, in the key's own turn (the list called the pager a "
        "message later, and the screen drew the rows, then the position line ('1 to "
        "end') in a second frame 25-35 ms after). Measured in a pty at 80x24 outside this "
        "run (100,000 patients): End and Home 38-50 ms in two frames before, "
        "18-35 ms in one after."
    )


def _service_noise_text(ctx: Ctx) -> str:
    return (
        "A pane's worker thread used to open a new SQLite connection for each call "
        "(the schema parsed again, the 2 MB page cache empty: the claims first page took "
        "14.1 / 20.9 ms that way at 100,000, against 8.7 / 10.6 ms on an open "
        "connection). Since this stop each executor thread keeps its connection from "
        "one call to the next (``db/connection.thread_connection``), and closing the "
        "database closes them all; the 'on a pane's worker thread' figures time the "
        "calls that way, handed to the thread and awaited. The 20-provider "
        "day was Peewee turning ~650 rows into objects: since this stop the schedule "
        "reads its appointments as the driver's rows, and its statement is compiled "
        "once per number of providers."
    )


FINDINGS: list[Finding] = [
    Finding("Patient search: Textual drawing the result rows",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "search")), _search_text),
    Finding("Pane switches: the ContentSwitcher's layout pass",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "pane switch")
                             or _missed(ctx, "keystroke-ui", "stock: Tab")), _pane_text),
    Finding("Reloading a list: laying out new rows",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "schedule")
                             or _missed(ctx, "keystroke-ui", "claims: s")), _reload_text),
    Finding("Paging claims",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "claims: PgDn")
                             or _missed(ctx, "keystroke-ui", "claims: Down")), _paging_text),
    Finding("Cold start", lambda ctx: bool(_missed(ctx, "startup", "cold start")),
            _startup_text),
    Finding("Memory", lambda ctx: bool(_missed(ctx, "memory", "peak RSS")), _memory_text),
    Finding("Building the demo", lambda ctx: bool(_missed(ctx, "scale", "demo build")),
            _build_text),
    Finding("Pane switch bytes",
            lambda ctx: bool(_missed(ctx, "bytes", "pane switch")
                             or _missed(ctx, "bytes", "stock: Tab")),
            _switch_bytes_text),
    Finding("Sign-in, one sample", lambda ctx: bool(_missed(ctx, "keystroke-ui", "sign in")),
            _sign_in_text),
    Finding("A status key's slowest press at 1,000,000",
            lambda ctx: bool(_missed(ctx, "schedule-keys", "schedule")), _dialog_outlier_text),
    Finding("Claims End and Home",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "claims: End")
                             or _missed(ctx, "keystroke-ui", "claims: Home")), _claims_end_text),
    Finding("Service calls at 100,000",
            lambda ctx: bool(_missed(ctx, "keystroke-service", "schedule")
                             or _missed(ctx, "keystroke-service", "claims list")),
            _service_noise_text),
]  # fmt: skip


def explain(ctx: Ctx) -> list[str]:
    """Markdown paragraphs for the misses present in this run."""
    out = []
    for finding in FINDINGS:
        try:
            if finding.applies(ctx):
                out.append(f"**{finding.title}.** {finding.text(ctx)}")
        except Exception as exc:  # noqa: BLE001 - an explanation must never sink the report
            out.append(f"**{finding.title}.** (explanation failed: {type(exc).__name__})")
    return out
