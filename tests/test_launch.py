"""The console script keeps PostgreSQL drivers out of SQLite runs, and only those."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medoffice_tui.launch import names_postgres

PROBE = """
import json, sys
from medoffice_tui import launch
code = launch.main(sys.argv[1:])
print(json.dumps({"code": code, "psycopg": repr(sys.modules.get("psycopg", "absent"))}))
"""


def run_launcher(*argv: str, env_db: str | None = None, stdin: str = "") -> dict[str, object]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    if env_db is not None:
        env["MEDOFFICE_DB"] = env_db
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"stderr": done.stderr}


def test_names_postgres_reads_arguments_and_the_environment() -> None:
    assert not names_postgres(["--db", "office.db"], {})
    assert names_postgres(["--db-url", "postgresql://u@h/db"], {})
    assert names_postgres(["db", "copy", "--to", "POSTGRES://u@h/db"], {})
    assert names_postgres([], {"MEDOFFICE_DB": "postgresql://u@h/db"})


def test_a_sqlite_run_never_imports_a_postgres_driver(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    result = run_launcher(
        "init", "--db", str(db), "--practice-name", "Test Clinic", "--manager", "boss",
        "--manager-name", "Pat Boss", "--password-stdin", stdin="a-long-passphrase-1\n",
    )  # fmt: skip
    assert result["code"] == 0 and db.exists(), result  # the run works without them
    assert result["psycopg"] == "None", result  # marked absent, never imported


def test_a_run_that_names_postgres_may_import_the_driver(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    result = run_launcher("db", "status", env_db="postgresql://nobody@127.0.0.1:1/none")
    assert result["code"] == 2  # no server on port 1: a clean refusal
    assert "module 'psycopg'" in str(result["psycopg"]), result
