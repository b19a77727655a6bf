"""Cold start to the first complete frame, first-paint bytes, RSS, idle bytes."""

from __future__ import annotations

import time

from bench.drivers.app_session import (
    Ready,
    app_argv,
    floor_argv,
    floor_marker,
    schedule_marker,
    spawn,
)
from bench.harness.core import Ctx, Result, figure, ratio
from bench.harness.stats import summarize

#: output quiet for this long after the marker appeared = the frame is complete
FRAME_QUIET_S = 0.05
IDLE_S = 3.0


def _one_start(argv: list[str], marker: Ready, *, idle_s: float = 0.0) -> dict:
    app = spawn(argv)
    try:
        burst = app.wait_until(marker, quiet_s=FRAME_QUIET_S, timeout_s=60)
        if not burst.matched:
            raise RuntimeError("never ready; top of screen: " + " | ".join(app.screen.display[:2]))
        mem = app.memory_kb()
        out = {
            "start_ms": burst.last_s * 1000.0,
            "first_paint_bytes": burst.nbytes,
            "hwm_kb": mem.get("VmHWM"),
            "rss_kb": mem.get("VmRSS"),
        }
        if idle_s:
            out["idle_bytes"] = app.idle(idle_s).nbytes
        return out
    finally:
        app.close()


def measure_starts(ctx: Ctx, argv: list[str], marker: Ready, runs: int) -> list[dict]:
    samples = []
    for i in range(runs):
        samples.append(_one_start(argv, marker, idle_s=IDLE_S if i == 0 else 0.0))
        time.sleep(0.1)
    return samples


def compile_bytecode() -> str:
    """Write the ``.pyc`` files of the app and of the floor apps, as installing a package
    does (pip compiles every module of a wheel), so neither start times Python compiling
    source. Without this, a shell with ``PYTHONDONTWRITEBYTECODE=1`` (this box's) makes
    every start compile the app's ~80 modules again (measured: ~150 ms of CPU, a third
    of the start), while Textual, installed, loads from bytecode: the floor would be
    measured installed and the app not. Returns a line for the report."""
    import compileall

    from bench.harness.core import REPO

    ok = all(
        compileall.compile_dir(str(REPO / name), quiet=1, workers=1)
        for name in ("medoffice_tui", "bench/drivers")
    )
    return "bytecode written for medoffice_tui and bench/drivers before timing" + (
        "" if ok else " (some modules failed to compile)"
    )


@figure("startup", order=20)
def startup(ctx: Ctx) -> None:
    """Cold start of `python -m medoffice_tui` to its first complete frame (the sign-in
    screen, with the demo accounts read from the database), vs a one-Static Textual app in
    the same pty; its first-paint bytes; RSS after start; idle bytes after first paint.
    Both start from bytecode, as installed (``compile_bytecode``)."""
    ctx.log(compile_bytecode())
    runs = max(3, ctx.repeat)
    floor_runs: list[dict] = []
    app_runs: dict[int, list[dict]] = {size: [] for size in ctx.sizes}
    # alternate floor and app runs so drifting machine load hits both alike
    for _ in range(runs):
        floor_runs += measure_starts(ctx, floor_argv("static"), floor_marker("static"), 1)
        for size in ctx.sizes:
            db = ctx.dbs[size].path
            app_runs[size] += measure_starts(ctx, app_argv(db), schedule_marker(db), 1)
    ctx.extra["startup_floor"] = floor_runs
    ctx.extra["startup_app"] = {str(k): v for k, v in app_runs.items()}
    f_start = summarize([r["start_ms"] for r in floor_runs])
    f_hwm = summarize([r["hwm_kb"] / 1024 for r in floor_runs])
    f_idle = summarize([r["idle_bytes"] for r in floor_runs if "idle_bytes" in r])
    for size, rows in app_runs.items():
        s = summarize([r["start_ms"] for r in rows])
        r_ = ratio(s["median"], f_start["median"])
        ctx.add(Result(
            "startup", "cold start to the complete sign-in screen", "ms", s, size=size,
            floor={"name": "one-Static Textual app", **f_start},
            target="<= 1.5x floor", ok=None if r_ is None else r_ <= 1.5,
            note=f"{r_:.2f}x floor" if r_ else "",
        ))  # fmt: skip
        m = summarize([r["hwm_kb"] / 1024 for r in rows])
        r_ = ratio(m["median"], f_hwm["median"])
        ctx.add(Result(
            "memory", "peak RSS (VmHWM) after first frame", "MB", m, size=size,
            floor={"name": "one-Static Textual app", **f_hwm},
            target="<= 1.5x floor", ok=None if r_ is None else r_ <= 1.5,
            note=f"{r_:.2f}x floor" if r_ else "",
        ))  # fmt: skip
        idle = [r["idle_bytes"] for r in rows if "idle_bytes" in r]
        ctx.add(Result(
            "idle", f"bytes over {IDLE_S:.0f} s idle on the sign-in screen", "B",
            summarize(idle), size=size,
            floor={"name": "one-Static Textual app", **f_idle},
            target="0 B/s", ok=all(b == 0 for b in idle) if idle else None,
        ))  # fmt: skip
        paint = summarize([r["first_paint_bytes"] for r in rows])
        ctx.extra.setdefault("first_paint_app", {})[size] = paint
        f_paint = summarize([r["first_paint_bytes"] for r in floor_runs])
        r_ = ratio(paint["median"], f_paint["median"])
        ctx.add(Result(
            "startup", "sign-in screen first paint", "B", paint, size=size,
            floor={"name": "one-Static Textual app", **f_paint},
            note=f"{r_:.2f}x floor" if r_ else "",
        ))  # fmt: skip
    ctx.extra["first_paint_static_floor"] = summarize([r["first_paint_bytes"] for r in floor_runs])
    if any(r.ok is False for r in ctx.results if r.figure in ("startup", "memory")):
        ctx.log("profiling the app's cold start")
        big = ctx.dbs[ctx.largest].path
        ctx.profiles[f"cold start @ {ctx.largest:,}"] = profile_startup(
            big, schedule_marker(big), ctx.extra.setdefault("import_footprint", {})
        )


#: pieces of the cold start worth naming, found in its profile: label -> (file, function)
STARTUP_PARTS = {
    "whole `cmd_run` (imports, start, quit)": ("medoffice_tui/cli/run_cmd.py", "cmd_run"),
    "open the database and check migrations": ("medoffice_tui/cli/common.py", "open_db"),
    "full layout passes": ("textual/screen.py", "_refresh_layout"),
    "mounting widgets": ("textual/widget.py", "mount"),
    "parsing CSS": ("textual/css/stylesheet.py", "parse"),
    "shutdown after ctrl+q (not part of the start)": (
        "textual/drivers/linux_driver.py",
        "stop_application_mode",
    ),
}


def profile_startup(db, ready: Ready, store: dict | None = None) -> str:  # noqa: ANN001
    """The app's start under cProfile (until the schedule is ready), plus the slowest
    imports from ``-X importtime``: where the cold start goes."""
    from bench.drivers.app_session import profiled_app_argv
    from bench.harness.core import OUT
    from bench.harness.profiling import profile_file

    out = OUT / "profile_startup.pstats"
    out.unlink(missing_ok=True)
    app = spawn(profiled_app_argv(db, out))
    try:
        app.wait_until(ready, quiet_s=FRAME_QUIET_S, timeout_s=90)
    finally:
        app.close(timeout_s=20)
    text = profile_file(out, "start, first schedule frame, then quit") if out.exists() else ""
    if out.exists() and store is not None:
        from bench.harness.profiling import cumulative_ms

        store["profile_parts"] = cumulative_ms(out, STARTUP_PARTS)
    return import_footprint(store) + "\n\n" + import_times() + "\n\n" + text


def import_times(top: int = 12) -> str:
    """Slowest cumulative imports of the app's modules (``python -X importtime``).

    Run outside the pty: Textual paints on stderr, which is where importtime writes."""
    import subprocess

    from bench.harness.core import PY, REPO

    code = "import medoffice_tui.cli, medoffice_tui.ui.app"
    proc = subprocess.run([PY, "-X", "importtime", "-c", code], cwd=REPO, capture_output=True,
                          text=True)  # fmt: skip
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        try:
            rows.append((int(parts[1]), parts[2][1:].rstrip()))
        except ValueError:
            continue
    total = sum(us for us, name in rows if not name.startswith(" "))
    lines = [f"-X importtime: {total / 1000:.0f} ms importing `{code}`; slowest cumulative:"]
    for us, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"  {us / 1000:7.1f} ms  {name.strip()}")
    return "\n".join(lines)


_BLOCK_PG = "import sys\nfor m in ('psycopg', 'psycopg2'): sys.modules[m] = None\n"
FOOTPRINTS = {
    "floor: import textual.app, textual.widgets": "import textual.app, textual.widgets",
    "app: import medoffice_tui.cli, medoffice_tui.ui.app": (
        "import medoffice_tui.cli, medoffice_tui.ui.app"
    ),
    "app, psycopg import blocked (a SQLite-only install)": _BLOCK_PG
    + "import medoffice_tui.cli, medoffice_tui.ui.app",
    "import peewee (it imports psycopg when installed)": "import peewee",
}


def import_footprint(store: dict | None = None) -> str:
    """Peak RSS and wall time of importing the floor's and the app's modules, each in a
    fresh interpreter: how much of the start and the memory is imports alone."""
    import subprocess

    from bench.harness.core import PY, REPO

    probe = (
        "\nimport re, time\nprint(round((time.perf_counter() - T0) * 1000), "
        "re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
    )
    lines = ["imports alone, fresh interpreter (wall ms, peak RSS MB; median of 3):"]
    for label, code in FOOTPRINTS.items():
        runs = []
        for _ in range(3):
            src = "import time\nT0 = time.perf_counter()\n" + code + probe
            out = subprocess.run([PY, "-c", src], cwd=REPO, capture_output=True, text=True)
            try:
                ms, kb = out.stdout.split()
                runs.append((int(ms), int(kb) / 1024))
            except ValueError:
                continue
        if runs:
            runs.sort()
            ms, mb = runs[len(runs) // 2]
            lines.append(f"  {ms:5d} ms {mb:6.1f} MB  {label}")
            if store is not None:
                store[label] = (ms, mb)
    return "\n".join(lines)
