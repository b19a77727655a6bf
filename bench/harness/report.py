"""bench/RESULTS.md and bench/results.json from one run's results."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.drivers.ui_session import LIST_QUIET_S, LOAD_QUIET_S
from bench.experiments.findings import explain
from bench.harness.core import Ctx, Result
from bench.harness.stats import fmt

#: UI keystrokes whose service call has a different name
UI_TO_SERVICE = {
    "pane switch -> claims": "claims list, first page",
    "claims: PgDn": "claims list, deep page",
    "pane switch -> stock": "low stock list",
    "schedule day (today), 20 providers": "schedule day, 20 providers",
}


def _ok(flag: bool | None) -> str:
    return {True: "meets", False: "**MISSES**", None: ""}[flag]


def _size(size: int | None) -> str:
    return "" if size is None else f"{size:,}"


def _table(head: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _mp(st: dict[str, Any] | None, digits: int = 2) -> str:
    if not st or st.get("median") is None:
        return "–"
    return f"{fmt(st['median'], digits)} / {fmt(st['p95'], digits)}"


def _by(results: list[Result], figure: str) -> list[Result]:
    return [r for r in results if r.figure == figure]


def _generic(results: list[Result], unit_digits: int = 2) -> list[str]:
    return _table(
        ["what", "DB size", "median / p95", "floor", "floor median / p95", "target", "", "note"],
        (
            [r.name, _size(r.size), f"{_mp(r.stats, unit_digits)} {r.unit}",
             (r.floor or {}).get("name", ""), _mp(r.floor, unit_digits) if r.floor else "",
             r.target or "", _ok(r.ok), r.note]
            for r in results
        ),
    )  # fmt: skip


def _verdict(label: str, r: Result | None) -> str:
    if r is None or r.ok is None:
        return ""
    return f"{label} {'meets' if r.ok else '**MISSES**'}"


def _keystrokes(results: list[Result]) -> list[str]:
    ui = {(r.name, r.size): r for r in _by(results, "keystroke-ui")}
    svc = {(r.name, r.size): r for r in _by(results, "keystroke-service")}
    order = {name: i for i, name in enumerate(dict.fromkeys(n for n, _ in [*svc, *ui]))}
    keys = sorted(set(svc) | set(ui), key=lambda k: (order[k[0]], k[1] or 0))
    rows = []
    for name, size in keys:
        u = ui.get((name, size))
        s = svc.get((name, size)) or svc.get((UI_TO_SERVICE.get(name, ""), size))
        via = f" (service: {s.name})" if s is not None and (name, size) not in svc else ""
        verdict = " · ".join(v for v in (_verdict("UI", u), _verdict("service", s)) if v)
        note = "; ".join(x.note for x in (u, s) if x is not None and x.note)
        first = (u.aux or {}).get("first_byte") if u else None
        rows.append([
            name + via, _size(size),
            _mp(first) if first else "–",
            _mp(u.stats) if u else "–", _mp(u.floor) if u and u.floor else "–",
            _mp(s.stats) if s else "–", _mp(s.floor, 3) if s and s.floor else "–",
            verdict, note,
        ])  # fmt: skip
    return _table(
        ["path", "DB size", "UI first byte, ms", "UI last byte, ms",
         "floor: stock DataTable Down, ms",
         "service call, ms", "floor: bare SQL, ms", "target", "note"],
        rows,
    )  # fmt: skip


def _concurrency(ctx: Ctx) -> list[str]:
    rows = ctx.extra.get("concurrency", [])
    lat = {r.name: r for r in _by(ctx.results, "concurrency")}
    out = []
    for r in rows:
        res = lat.get(f"{r['workload']}, {r['engine']}, {r['processes']} processes")
        out.append([
            r["workload"], r["engine"], str(r["processes"]), f"{r['ops_per_s']:,.0f}",
            _mp(res.stats) if res else "–", str(r["attempted"]), str(r["done"]),
            str(r["refused"]), str(r["errors"]), str(r["lost"]), str(r["duplicate_ids"]),
            str(r["conflicts"]), str(r["lock_errors"]), _ok(res.ok if res else None),
        ])  # fmt: skip
    return (
        _table(
            [
                "workload",
                "engine",
                "procs",
                "ops/s",
                "latency median / p95 ms",
                "attempted",
                "done",
                "refused",
                "errors",
                "lost",
                "dup",
                "conflicts",
                "lock errors",
                "",
            ],
            out,
        )
        + [""]
        + [
            f"- conflicts, {w}: {m}"
            for w, m in dict.fromkeys((r["workload"], r.get("conflict_meaning", "")) for r in rows)
        ]
    )


def _growth(ctx: Ctx) -> list[str]:
    sizes = sorted({r.size for r in ctx.results if r.size is not None})
    names: dict[tuple[str, str, str], dict[int, Result]] = {}
    for r in ctx.results:
        if r.size is None or r.figure in ("concurrency", "idle"):
            continue
        names.setdefault((r.figure, r.name, r.unit), {})[r.size] = r
    rows = []
    for (figure, name, unit), by_size in names.items():
        if len(by_size) < 2:
            continue
        rows.append(
            [f"{figure}: {name}", unit]
            + [_compact(by_size[s].stats) if s in by_size else "–" for s in sizes]
        )
    return _table(["figure: median (p95)", "unit", *[f"{s:,} patients" for s in sizes]], rows)


def _compact(st: dict[str, Any]) -> str:
    if st.get("median") is None:
        return "–"
    if st.get("n", 0) <= 1:
        return fmt(st["median"])
    return f"{fmt(st['median'])} ({fmt(st['p95'])})"


HEADLINE = [
    # the service layer, beside the bare SQL
    ("keystroke-service", "search: every prefix of every query, as typed",
     "patient search, service call per keystroke"),
    ("patients", "misspelt name, per keystroke (search + close matches)",
     "misspelt name, service call per keystroke"),
    ("claims", "summary: aging summary (kept table)", "claims aging summary"),
    ("claims", "summary: status counts (kept table)", "claims status counts"),
    ("claims", "queue: queue opens (open, oldest first)", "claims queue opens"),
    # every key path through the app, beside the bare-Textual operation that does the same
    ("keystroke-ui", "search prefix 'smi'", "typed search letter (prefix), through the app"),
    ("keystroke-ui", "search misspelt 'jhonson'", "typed search letter (misspelt name)"),
    ("keystroke-ui", "search misspelt first and last name",
     "typed search letter (misspelt first and last name)"),
    ("keystroke-ui", "pane switch F2", "pane switch F2"),
    ("keystroke-ui", "pane switch F3", "pane switch F3"),
    ("keystroke-ui", "pane switch F4", "pane switch F4"),
    ("keystroke-ui", "pane switch F5", "pane switch F5"),
    ("keystroke-ui", "schedule: Down", "Down in the schedule"),
    ("keystroke-ui", "schedule next day", "next day in the schedule"),
    ("keystroke-ui", "schedule: open the booking form (b)", "booking form opens (b)"),
    ("keystroke-ui", "schedule: close the booking form (Esc)", "booking form closes (Esc)"),
    ("keystroke-ui", "patients: Down", "Down in the search results"),
    ("keystroke-ui", "patients: open the record (Enter)", "patient record opens (Enter)"),
    ("keystroke-ui", "patients: close the record (Esc)", "patient record closes (Esc)"),
    ("keystroke-ui", "claims: Down", "Down in the claims queue"),
    ("keystroke-ui", "claims: PgDn", "PgDn in the claims queue"),
    ("keystroke-ui", "claims: End (the true last row)", "End in the claims queue"),
    ("keystroke-ui", "claims: s (next status filter, reloads)", "claims status filter (s)"),
    ("keystroke-ui", "stock low-stock list: Down", "Down in the low-stock list"),
    ("keystroke-ui", "stock: Tab to the expiring-lots list", "Tab to the expiring lots"),
    ("startup", "cold start to the complete sign-in screen", "cold start (to sign-in)"),
    ("memory", "peak RSS (VmHWM) after first frame", "peak RSS after start"),
    ("memory", "peak RSS (VmHWM) after 100 searches", "peak RSS after 100 searches"),
    # bytes on the wire, 80x24, TERM=xterm
    ("startup", "sign-in screen first paint", "sign-in screen first paint bytes"),
    ("bytes", "first paint (spawn to first complete frame)", "first paint bytes"),
    ("bytes", "pane switch F4", "bytes for one pane switch (F4)"),
    ("bytes", "search prefix 'smi'", "bytes for one typed search letter"),
    ("bytes", "schedule: open the booking form (b)", "bytes to open the booking form"),
    ("bytes", "patients: open the record (Enter)", "bytes to open a patient record"),
    ("bytes", "schedule: Down", "bytes for one Down arrow"),
    ("idle", "bytes over 3 s idle on the sign-in screen", "idle bytes over 3 s, sign-in"),
    ("idle", "bytes over 3 s idle, patients pane (search box focused)",
     "idle bytes over 3 s, patients pane"),
    # writes
    ("scale", "demo build time", "building the demo"),
    ("audit", "booking with its audit event", "booking, with its audit event"),
    ("audit", "patient save with its audit event", "patient save, with its audit event"),
]  # fmt: skip


def _headline(ctx: Ctx) -> list[str]:
    """The figures the targets are about, at every size from 100,000 up, beside their
    floors."""
    rows = []
    for figure, name, label in HEADLINE:
        # every size the figure was measured at (100,000 and 1,000,000 in bench-full)
        sized = sorted((x for x in ctx.results if (x.figure, x.name) == (figure, name)),
                       key=lambda x: x.size or 0)  # fmt: skip
        big = [x for x in sized if (x.size or 0) >= 100_000]
        for r in big or sized[-1:]:
            rows.append([label, _size(r.size), f"{_mp(r.stats)} {r.unit}",
                         f"{_mp(r.floor)} ({r.floor['name']})" if r.floor else "",
                         r.target or "", _ok(r.ok)])  # fmt: skip
    conc = ctx.extra.get("concurrency") or []
    if conc:
        clean = all(
            c["lost"] == 0
            and c["duplicate_ids"] == 0
            and c["errors"] == 0
            and c["conflicts"] == 0
            and c["accounted"]
            for c in conc
        )
        worst = min(conc, key=lambda c: c["ops_per_s"])
        rows.append(["concurrent writers (book, check in, use stock), 2/8/16 processes", "",
                     f"{len(conc)} runs, slowest {worst['ops_per_s']:,.0f} ops/s "
                     f"({worst['engine']}, {worst['processes']} procs)", "",
                     "0 lost/duplicated/conflicting, 0 lock errors", _ok(clean)])  # fmt: skip
    return _table(["figure", "DB size", "median / p95", "floor (median / p95)", "target", ""],
                  rows)  # fmt: skip


def misses(ctx: Ctx) -> list[Result]:
    return [r for r in ctx.results if r.ok is False]


def write(ctx: Ctx, machine: dict[str, Any], path_md: Path, argv: str) -> None:
    total = ctx.extra.get("run_seconds")
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `{argv}` on {machine['date_utc']} at commit {machine['git']}"
        + (f"; the whole run took {total:.0f} s." if total else "."),
        "Every figure is the median / p95 over repeated runs, beside a floor measured in the "
        "same run on the same machine. Regenerate with `make bench` (10k + 100k patients) or "
        "`make bench-full` (100k + 1M patients).",
        "",
        "## Machine",
        "",
        *_table(["", ""], [[k, str(v)] for k, v in machine.items()]),
        "",
        "## Headline",
        "",
        *_headline(ctx),
        "",
        "## What misses a target",
        "",
    ]
    missed = misses(ctx)
    if missed:
        grouped: dict[tuple[str, str], list[Result]] = {}
        for r in missed:
            grouped.setdefault((r.figure, r.name), []).append(r)
        for (figure, name), rs in grouped.items():
            at = "; ".join(
                (f"{_size(r.size)}: " if r.size else "")
                + f"{_mp(r.stats)} {r.unit}"
                + (f" ({r.note.split(';')[0]})" if "floor" in r.note else "")
                for r in rs
            )
            floor = f"; floor {_mp(rs[0].floor)}" if rs[0].floor else ""
            lines.append(f"- **{figure}: {name}**, target {rs[0].target}{floor} - {at}")
    else:
        lines.append("Nothing: every figure with a target meets it.")
    judged = [r for r in ctx.results if r.ok is not None]
    lines += ["", f"{len(judged) - len(missed)} of {len(judged)} judged figures meet their "
              "target.", ""]  # fmt: skip
    why = explain(ctx)
    if why:
        lines += ["### Why they miss (from the profiles and frame timelines below)", ""]
        for paragraph in why:
            lines += [paragraph, ""]
    if ctx.findings:
        lines += ["### Problems during the run", "", *[f"- {f}" for f in ctx.findings], ""]
    sections = [
        ("1. Scale: demo databases", _generic(_by(ctx.results, "scale"))),
        ("2. Cold start and memory",
         _generic(_by(ctx.results, "startup") + _by(ctx.results, "memory"), 1)),
        ("3. Every keystroke path: app-side time", _keystrokes(ctx.results)),
        ("4. Bytes to the terminal (80x24, TERM=xterm, 16 colours)",
         _generic(_by(ctx.results, "bytes"), 0)),
        ("4b. Idle", _generic(_by(ctx.results, "idle"), 0)),
        ("4c. What the audit trail costs a write", _generic(_by(ctx.results, "audit"), 2)),
        ("5. Concurrent writers on one database", _concurrency(ctx)),
        ("6. Growth with database size", _growth(ctx)),
    ]  # fmt: skip
    known = {"scale", "startup", "memory", "keystroke-ui", "keystroke-service", "bytes", "idle",
             "audit", "concurrency", "growth"}  # fmt: skip
    # every other figure (one per area: schedule, patients, claims, stock ...) gets a
    # section of its own, in the order the figures ran, with no change to this file
    for number, area in enumerate(
        dict.fromkeys(r.figure for r in ctx.results if r.figure not in known), start=7
    ):
        sections.append((f"{number}. {area.capitalize()}", _generic(_by(ctx.results, area), 2)))
    for title, body in sections:
        if len(body) <= 2:
            lines += [f"## {title}", "", "(not run)", ""]
            continue
        lines += [f"## {title}", "", *body, ""]
        if title.startswith("3."):
            lines += KEYSTROKE_NOTES
    timelines = ctx.extra.get("timelines") or {}
    if timelines:
        lines += [
            "## Frame timelines of keys that miss 16 ms",
            "",
            "For a typical (median) press: each frame the app wrote after the key, as ms after "
            "the key, bytes, and the screen rows it repainted (row 1 = header, row 24 = footer).",
            "",
            *[f"- **{name}**: {text}" for name, text in timelines.items()],
            "",
        ]
    if ctx.profiles:
        lines += ["## Profiles of what misses", ""]
        for name, text in ctx.profiles.items():
            lines += [f"### {name}", "", "```", text, "```", ""]
    lines += METHOD_NOTES
    path_md.write_text("\n".join(lines).rstrip() + "\n")


def write_json(ctx: Ctx, machine: dict[str, Any], path_json: Path, argv: str) -> None:
    path_json.write_text(json.dumps({
        "machine": machine,
        "argv": argv,
        "sizes": ctx.sizes,
        "results": [r.as_dict() for r in ctx.results],
        "findings": ctx.findings,
        "profiles": ctx.profiles,
        "extra": ctx.extra,
    }, indent=1, default=str) + "\n")  # fmt: skip


def load_json(ctx: Ctx, path_json: Path) -> tuple[dict[str, Any], str]:
    """Refill ``ctx`` from a results.json (to re-render the Markdown without re-measuring)."""
    data = json.loads(path_json.read_text())
    ctx.sizes = data.get("sizes", ctx.sizes)
    ctx.results = [Result(**r) for r in data["results"]]
    ctx.findings = data.get("findings", [])
    ctx.profiles = data.get("profiles", {})
    ctx.extra = data.get("extra", {})
    return data["machine"], data["argv"]


KEYSTROKE_NOTES = [
    f"UI = key written to the pty until the last byte of the burst it causes (burst over after "
    f"{LIST_QUIET_S * 1000:.0f} ms of quiet for list moves, {LOAD_QUIET_S * 1000:.0f} ms for "
    "keys that may load data); service = the service "
    "function called in-process, warm; SQL floor = the statements that path needs, run with "
    "`sqlite3` on the same file. For the search rows the UI column is per typed character "
    "(each prefix of the query), the service column is the whole query.",
    "",
]

METHOD_NOTES = [
    "## Method",
    "",
    "- Terminal: `pty.fork()`, `TIOCSWINSZ` 80x24 set in the child before exec, `TERM=xterm`, "
    "`COLORTERM` and every `TEXTUAL_*`/`MEDOFFICE_*`/`SSH_*` variable removed (so mouse "
    "reporting is on, as on a local terminal); all output counted and fed to "
    "`pyte.ByteStream(pyte.Screen(80, 24))`. Bytes are timestamped as they come off the pty, "
    "before pyte parses them. The 2026 synchronized-output probe is not answered (like PuTTY "
    "or an old xterm).",
    "- Cold start: fork until the last byte of the frame in which the schedule is complete "
    "(its status line shows the day's counts and no `loading`), followed by 50 ms of quiet; "
    "floors wait for their own marker text. App and floor runs alternate so load drift hits "
    "both.",
    "- Keystrokes: one app session per database size walks the panes (`bench/figures/ui.py`, "
    "`UI_STEPS`): Down arrows in every list, next/previous day, typing each search query a "
    "character at a time, claims PgDn and status filter, stock lists, F2-F5 cycles, and 100 "
    "searches in all before RSS is read.",
    "- RSS: `VmHWM` (peak) and `VmRSS` from `/proc/<pid>/status` (no psutil).",
    "- Bytes at 56 kbit/s = bytes x 8 / 56,000.",
    "- Percentiles: linear interpolation; with few samples p95 is close to the max. One-sample "
    "figures (build time, file size) show the same value twice.",
    "- Concurrency: N `spawn`ed processes wait on one barrier, then either book through "
    "`services.schedule.book_appointment` on the same two providers, 96 quarter-hour starts "
    "each (a fresh week per round) with 15/30/45-minute lengths, or check in (read the row, "
    "then `services.schedule.set_status(..., 'arrived', expected_version)`) 40 appointments "
    "all at once, or take 1-3 units of 4 items through `services.stock.use` until they run "
    "out; afterwards the database is checked: attempted = done + refused + errors, "
    "every success in the database exactly once, no conflicts. Latency is per attempt; ops/s "
    "counts attempts.",
    "- Profiles: cProfile (py-spy and pyinstrument are not installed); the app's profile covers "
    "its main thread only (thread workers are not profiled) and leaves out idle waits.",
]
