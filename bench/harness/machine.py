"""What the numbers were measured on: machine, library versions, date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # noqa: BLE001 - a missing package is just "absent"
        return "absent"


def _git_head(repo: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(repo: Path) -> dict[str, Any]:
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": _git_head(repo),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gb": _ram_gb(),
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "textual": _version("textual"),
        "rich": _version("rich"),
        "peewee": _version("peewee"),
        "pyte": _version("pyte"),
        "sqlite": sqlite3.sqlite_version,
        "loadavg_at_start": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
