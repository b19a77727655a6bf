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
    svc = _get(ctx, "keystroke-service", "search: every prefix of every query, as typed")
    return (
        f"At {ctx.largest:,} patients the typed character is echoed {_first(ui)} ms after the "
        f"key (first byte, median) and the service answers any prefix in {_med(svc, 'p95')} ms "
        f"(p95; the 10 ms search target is met), yet the results frame lands {_med(ui)} ms after "
        f"the key. The pane waits {_search_delay_ms()} ms after every keystroke before it queries "
        "(`SEARCH_DELAY_S` in ui/panes/patients.py: a debounce, so a fast typist's next key "
        "cancels the query), and the results frame is followed by 1-3 small repaint frames "
        "(see the timelines). The wait is a design choice, not database or render cost."
        + _experiment_numbers(
            ctx,
            "search_experiment",
            "the name queries typed a character "
            "at a time, median last byte and bytes per keystroke",
        )
        + " A leading-edge debounce (query at once when no search is in flight, delay only "
        "keys that arrive while one runs) would keep one query per burst of typing without "
        "the fixed wait."
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
        f"The new pane is complete in the first frame (F2: {_first(f2)} ms, F3: {_first(f3)} ms "
        "after the key, median; rows 1-24). The last byte comes later "
        f"(F2: {_med(f2)} ms, F3: {_med(f3)} ms) because 2-5 follow-up frames repaint parts "
        "of it again (see the timelines): (a) Textual's `Footer` rebuilds its key list "
        "whenever the focused widget's bindings change, which is on every pane switch, and "
        "that recompose is a layout pass that repaints rows 2-24 (~2.5-3 KB); (b) the list's "
        "vertical scrollbar (column 80, rows 3-23, ~490 B a frame) is repainted 1-3 more times "
        "10-15 ms apart after the pane is shown. Neither is database time (each pane's query "
        "is ~1-5 ms)." + _footer_numbers(ctx) + " Options: a key line that is a plain `Static` "
        "each pane updates in place instead of `Footer`, and no scrollbar on the lists (the "
        "status line can say `row n of N`)."
    )


def _footer_numbers(ctx: Ctx) -> str:
    return _experiment_numbers(
        ctx, "footer_experiment", "the same F2-F5 cycles, median last byte and bytes per switch"
    )


def _reload_text(ctx: Ctx) -> str:
    day = _get(ctx, "keystroke-ui", "schedule next day")
    svc = _get(ctx, "keystroke-service", "schedule next day")
    svc_conn = _get(ctx, "keystroke-service",
                    "schedule next day (+ connect/close, as a pane worker calls it)")  # fmt: skip
    calls = ctx.extra.get("ui_profile_calls") or {}
    layout = calls.get("_refresh_layout")
    layout_text = (f"(`Screen._refresh_layout`: {layout[0]} calls at {layout[1]:.1f} ms of "
                   "main-thread time each in the UI profile below, which cProfile inflates)"
                   if layout
                   else "(`Screen._refresh_layout`, see the UI profile below)")  # fmt: skip
    return (
        "Keys that reload a list (next/previous day, the claims status filter) draw a "
        f"`loading...` status line at once ({_first(day)} ms) and the new rows "
        f"{_med(day)} ms after the key. The service call is {_med(svc)} ms "
        f"({_med(svc_conn)} ms with the connect/close a pane worker does), so roughly 30 ms is "
        "the path around it: a new worker thread, a new SQLite connection and its pragmas, "
        "`call_from_thread` back to the UI, `set_rows`, and a full layout refresh "
        f"{layout_text}, then one more scrollbar repaint (~490 B, ~10 ms later). A Down "
        "arrow, which repaints two lines without a layout pass, takes "
        f"{_med(_get(ctx, 'keystroke-ui', 'schedule: Down'))} ms in the same app, "
        "so the layout refresh and the worker hop are where a reload's time goes; whether "
        "trimming them reaches 16 ms is not measured here."
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
    cold = _get(ctx, "startup", "cold start to first complete schedule frame")
    fp = ctx.extra.get("import_footprint") or {}

    def get(label_start: str) -> tuple[float, float] | None:
        for label, value in fp.items():
            if label.startswith(label_start) and label != "profile_parts":
                return value[0], value[1]
        return None

    floor, app, nopg = get("floor"), get("app: "), get("app, psycopg")
    parts = [
        f"The app reaches its first complete schedule frame in {_med(cold)} ms against "
        f"{fmt((cold.floor or {}).get('median')) if cold else '–'} ms for a one-widget Textual "
        "app."
    ]
    if floor and app:
        parts.append(
            f"Importing the modules alone takes {app[0]:.0f} ms against the floor's "
            f"{floor[0]:.0f} ms"
            + (f"; with psycopg blocked it is {nopg[0]:.0f} ms, so peewee's eager "
               "`import psycopg` (present because the dev/postgres extra is installed) costs "
               f"~{app[0] - nopg[0]:.0f} ms" if nopg else "")
            + "."
        )  # fmt: skip
    prof = fp.get("profile_parts") or {}
    if prof:
        named = "; ".join(f"{label} {ms:.0f} ms ({calls} calls)" for label, (calls, ms)
                          in prof.items() if calls)  # fmt: skip
        parts.append(
            "Under cProfile (which slows everything, so read these as proportions): "
            + named
            + ". After imports, the largest named pieces are Textual laying out, mounting and "
            "styling a four-pane screen (all four panes are composed at start in the "
            "`ContentSwitcher`); the database is a small part."
        )
    return " ".join(parts)


def _memory_text(ctx: Ctx) -> str:
    fp = ctx.extra.get("import_footprint") or {}

    def get(label_start: str) -> tuple[float, float] | None:
        return next((tuple(v) for label, v in fp.items() if label.startswith(label_start)),
                    None)  # fmt: skip

    floor, app, nopg = get("floor"), get("app: "), get("app, psycopg")
    rss = _get(ctx, "memory", "peak RSS (VmHWM) after first frame")
    text = f"Peak RSS after the first frame is {_med(rss)} MB"
    if floor and app:
        text += (
            f"; importing the modules alone already peaks at {app[1]:.1f} MB against "
            f"{floor[1]:.1f} MB for Textual alone"
        )
        if nopg:
            text += (
                f", and {nopg[1]:.1f} MB with psycopg blocked ({nopg[1] / floor[1]:.2f}x): "
                "peewee imports psycopg whenever it is installed, and psycopg with libpq is "
                f"~{app[1] - nopg[1]:.0f} MB of the gap. A SQLite-only install (no "
                "`[postgres]` extra) does not pay it; the dev venv the bench runs in does"
            )
    text += ". Searching adds a few MB (rows held by the list, page cache), not a leak: see "
    text += "the 'after 100 searches' rows."
    return text


FINDINGS: list[Finding] = [
    Finding("Patient search: results after the debounce",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "search")), _search_text),
    Finding("Pane switches: follow-up frames after a complete first frame",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "pane switch")
                             or _missed(ctx, "keystroke-ui", "stock: Tab")), _pane_text),
    Finding("Reloading a list: the worker round trip",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "schedule")
                             or _missed(ctx, "keystroke-ui", "claims: s")), _reload_text),
    Finding("Paging claims",
            lambda ctx: bool(_missed(ctx, "keystroke-ui", "claims: PgDn")
                             or _missed(ctx, "keystroke-ui", "claims: Down")), _paging_text),
    Finding("Cold start", lambda ctx: bool(_missed(ctx, "startup", "cold start")),
            _startup_text),
    Finding("Memory", lambda ctx: bool(_missed(ctx, "memory", "peak RSS")), _memory_text),
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
