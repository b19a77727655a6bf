"""The console script keeps PostgreSQL drivers out of SQLite runs, and only those."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medoffice_tui.launch import names_postgres, opens_the_app

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


def test_only_the_app_itself_is_recognised_as_opening_the_app() -> None:
    assert opens_the_app([])
    assert opens_the_app(["--db", "office.db", "--today", "2026-11-23"])
    assert opens_the_app(["--db", "run", "--theme", "nord", "--no-mouse"])  # values skipped
    assert opens_the_app(["run", "--db", "office.db"])
    assert opens_the_app(["--db=office.db"])
    assert not opens_the_app(["demo", "--db", "office.db"])
    assert not opens_the_app(["--db", "office.db", "users", "list"])
    assert not opens_the_app(["--help"])
    assert not opens_the_app(["--version"])


def test_the_collector_pauses_for_the_start_and_resumes_once(monkeypatch) -> None:
    import gc

    from medoffice_tui import launch

    assert gc.isenabled()
    monkeypatch.setattr(gc, "freeze", lambda: None)  # keep this test process collectable
    try:
        launch.pause_gc()
        assert not gc.isenabled()
        assert launch.resume_gc() is True
        assert gc.isenabled()
        assert launch.resume_gc() is False  # a second call changes nothing
        assert gc.isenabled()
    finally:
        gc.enable()


APP_PROBE = """
import gc, json, sys
from medoffice_tui import launch
from medoffice_tui.cli import run_cmd
seen = {}
def fake_run(args):
    from medoffice_tui.db import connection
    seen["gc_during_start"] = gc.isenabled()
    seen["cache_size"] = dict(connection.SQLITE_PRAGMAS)["cache_size"]
    return 0
run_cmd.cmd_run = fake_run
from medoffice_tui.cli import check_cmd
check_cmd.cmd_check = fake_run
code = launch.main(sys.argv[1:])
seen["gc_after"] = gc.isenabled()
print(json.dumps(seen))
"""


def test_the_app_starts_with_the_collector_paused_and_a_small_page_cache(tmp_path) -> None:
    """Opening the app: no collection until its first frame (the app resumes it; here a
    stand-in for the app returns at once, and the launcher resumes it), and 2 MB page
    caches; any other command keeps the collector on and the commands' 16 MB cache."""
    from medoffice_tui.db.connection import APP_CACHE_KIB

    def probe(*argv: str) -> dict[str, object]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
        done = subprocess.run([sys.executable, "-c", APP_PROBE, *argv], capture_output=True,
                              text=True, env=env, timeout=60, check=False)  # fmt: skip
        return json.loads(done.stdout.strip().splitlines()[-1])

    app = probe("--db", str(tmp_path / "x.db"))
    assert app == {"gc_during_start": False, "cache_size": -APP_CACHE_KIB, "gc_after": True}
    assert probe("run", "--db", str(tmp_path / "x.db"))["gc_during_start"] is False
    other = probe("check", "--db", str(tmp_path / "x.db"))
    assert other == {"gc_during_start": True, "cache_size": -16000, "gc_after": True}


ESC_PROBE = """
import json, sys, types
from medoffice_tui import launch
from medoffice_tui.cli import run_cmd
from medoffice_tui.services import staff
run_cmd.open_db = lambda args: None
staff.anyone_can_sign_in = lambda: True
seen = {}
class FakeApp:
    def __init__(self, config):
        pass
    def run(self, mouse=None):
        from textual import constants  # what the app's Textual reads
        seen["escape_delay"] = constants.ESCAPE_DELAY
stub = types.ModuleType("medoffice_tui.ui.app")
stub.MedofficeApp = FakeApp
sys.modules["medoffice_tui.ui.app"] = stub
launch.main(sys.argv[1:])
print(json.dumps(seen))
"""


def test_a_lone_esc_waits_50_ms_for_a_sequence_unless_escdelay_says_otherwise(tmp_path) -> None:
    """Textual waits 100 ms after a lone Esc byte; the app opens with 50 (Neovim's
    default): Esc closes a form in half the time, and a user's ESCDELAY still wins."""

    def probe(**extra: str) -> dict[str, object]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), **extra}
        done = subprocess.run([sys.executable, "-c", ESC_PROBE, "--db", str(tmp_path / "x.db")],
                              capture_output=True, text=True, env=env, timeout=60,
                              check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert probe() == {"escape_delay": 0.05}
    assert probe(ESCDELAY="200") == {"escape_delay": 0.2}
