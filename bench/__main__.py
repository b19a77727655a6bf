"""``make bench``: measure medoffice-tui against its floors and write bench/RESULTS.md.

python -m bench                      # 10k + 100k patients (about 10 minutes on 2 cores)
python -m bench --full               # 100,000 and 1,000,000 patients
python -m bench --sizes 2000 --repeat 2 --only services,ui   # a quick development run
python -m bench --pg postgresql://postgres@127.0.0.1:5432/test   # concurrency on PG too
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from bench.figures import (  # noqa: F401 - each module registers its figures
    audit,
    claims,
    concurrency,
    patients,
    scale,
    schedule,
    services,
    startup,
    stock,
    ui,
    x12,
)
from bench.harness import machine, report
from bench.harness.core import FIGURES, OUT, REPO, Ctx

DEFAULT_SIZES = [10_000, 100_000]
FULL_SIZES = [100_000, 1_000_000]


def parse_args(argv: list[str]) -> argparse.Namespace:
    names = [f.name for f in FIGURES]
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--full", action="store_true", help="add the 1,000,000-patient database")
    p.add_argument(
        "--sizes",
        type=lambda s: [int(x.replace("_", "")) for x in s.split(",")],
        help="comma-separated patient counts (overrides --full)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="repetitions per figure (default 5; services make 20x that many calls)",
    )
    p.add_argument(
        "--pg",
        metavar="URL",
        default="",
        help="also run concurrency on PostgreSQL (default: $MEDOFFICE_TEST_PG)",
    )
    p.add_argument("--only", default="", help=f"comma-separated figures to run: {', '.join(names)}")
    p.add_argument(
        "--output",
        default=str(REPO / "bench" / "RESULTS.md"),
        help="where to write the Markdown (results.json goes beside it)",
    )
    p.add_argument("--list", action="store_true", help="list the figures and exit")
    p.add_argument(
        "--render",
        metavar="JSON",
        help="only re-render the Markdown from a results.json (no measuring)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.list:
        for f in FIGURES:
            print(f"{f.name:<12} {f.doc}")
        return 0
    sizes = args.sizes or (FULL_SIZES if args.full else DEFAULT_SIZES)
    ctx = Ctx(args=args, sizes=sorted(sizes), repeat=max(1, args.repeat))
    md = Path(args.output)
    md.parent.mkdir(parents=True, exist_ok=True)
    if args.render:
        info, cmd = report.load_json(ctx, Path(args.render))
        report.write(ctx, info, md, cmd)
        print(f"rendered {md}")
        return 0
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - {f.name for f in FIGURES}
    if unknown:
        print(f"unknown figure(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    info = machine.describe(REPO)
    ctx.log(f"sizes {ctx.sizes}, repeat {ctx.repeat}, on {info['nproc']} x {info['cpu']}")
    scale.ensure_dbs(ctx)  # every figure needs the databases
    t0 = time.perf_counter()
    for fig in FIGURES:
        if only and fig.name not in only:
            continue
        ctx.log(f"figure {fig.name}: {fig.doc}")
        t_fig = time.perf_counter()
        try:
            fig.fn(ctx)
        except Exception as exc:  # noqa: BLE001 - report what ran, say what did not
            import traceback

            traceback.print_exc()
            ctx.findings.append(f"figure `{fig.name}` failed: {type(exc).__name__}: {exc}")
        ctx.extra.setdefault("figure_seconds", {})[fig.name] = round(time.perf_counter() - t_fig, 1)
    ctx.extra["run_seconds"] = time.perf_counter() - ctx.started
    ctx.extra["measure_seconds"] = time.perf_counter() - t0
    cmd = "python -m bench" + (" " + shlex.join(argv) if argv else "")
    report.write_json(ctx, info, md.with_name("results.json"), cmd)
    report.write(ctx, info, md, cmd)
    missed = report.misses(ctx)
    ctx.log(f"wrote {md} ({len(ctx.results)} figures, {len(missed)} miss a target)")
    for r in missed:
        print(f"  MISSES: {r.figure}: {r.name} @ {r.size}: p95 {r.stats.get('p95')} {r.unit}"
              f" (target {r.target})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
