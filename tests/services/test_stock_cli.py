"""``medoffice stock``: check proves the ledger (exit 1 on a mismatch), reorder writes the
purchase list as CSV (and orders it), locations and the expiry window."""

from __future__ import annotations

import csv

import pytest

from medoffice_tui import cli, demo
from medoffice_tui.db.connection import close_database
from medoffice_tui.db.models import PurchaseOrder, SupplyLot
from medoffice_tui.db.write_guard import writing_as
from tests.conftest import FROZEN_TODAY


@pytest.fixture
def practice(sqlite_database, tmp_path) -> str:
    """A small demo practice in a file the commands open themselves."""
    demo.build_demo(patients=20, seed=7, today=FROZEN_TODAY)
    path = sqlite_database.database
    close_database()
    return path


def run(*argv: str) -> int:
    try:
        return cli.main([*argv, "--today", FROZEN_TODAY.isoformat()])
    finally:
        close_database()


def test_check_passes_then_names_a_tampered_lot(practice, capsys) -> None:
    assert run("stock", "check", "--db", practice, "--quiet") == 0
    out = capsys.readouterr().out
    assert "ok: on hand is the sum of the movements" in out and "movements:" in out
    from medoffice_tui.db.connection import open_database

    open_database(f"sqlite:///{practice}")
    with writing_as("test:damage"):
        lot = SupplyLot.select().where(SupplyLot.quantity > 0).first()
        SupplyLot.update(quantity=SupplyLot.quantity + 1).where(SupplyLot.id == lot.id).execute()
    close_database()
    assert run("stock", "check", "--db", practice, "--quiet") == 1
    out = capsys.readouterr().out
    assert f"lot {lot.id}: quantity" in out and f"item {lot.item_id}:" in out


def test_reorder_writes_the_purchase_list_and_can_order_it(practice, tmp_path, capsys) -> None:
    out = tmp_path / "reorder.csv"
    assert run("stock", "reorder", "--db", practice, "--out", str(out)) == 0
    rows = list(csv.DictReader(out.open()))
    assert rows and {r["status"] for r in rows} == {"draft"}
    assert all(int(r["quantity"]) > 0 and r["vendor"] for r in rows)
    assert "written to" in capsys.readouterr().out
    assert run("stock", "reorder", "--db", practice, "--out", str(out)) == 2  # no overwrite
    assert "exists already" in capsys.readouterr().err
    again = tmp_path / "again.csv"
    assert run("stock", "reorder", "--db", practice, "--out", str(again), "--order") == 0
    assert len(list(csv.DictReader(again.open()))) == len(rows)  # nothing added twice
    assert "ordered" in capsys.readouterr().out
    from medoffice_tui.db.connection import open_database

    open_database(f"sqlite:///{practice}")
    try:
        assert PurchaseOrder.select().where(PurchaseOrder.status == "draft").count() == 0
    finally:
        close_database()


def test_low_locations_and_expiry_window(practice, capsys) -> None:
    assert run("stock", "low", "--db", practice) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["SKU", "have"] and len(lines) > 5
    assert run("stock", "low", "--db", practice, "--location", "Exam rooms") == 0
    capsys.readouterr()
    assert run("stock", "locations", "--db", practice, "add", "Exam 5", "--site", "Main") == 0
    assert run("stock", "locations", "--db", practice, "rename", "Exam 5", "Exam 6") == 0
    assert run("stock", "locations", "--db", practice, "retire", "Exam 6") == 0
    assert run("stock", "locations", "--db", practice) == 0
    assert "Exam 6 (Main)  (not in use)" in capsys.readouterr().out
    assert run("stock", "expiry-window", "--db", practice, "45") == 0
    assert "expiry-window  45 days" in capsys.readouterr().out
    assert run("stock", "expiry-window", "--db", practice, "400") == 2
    assert run("stock", "low", "--db", practice, "--location", "Nowhere") == 2


def test_reorder_to_a_pipe_closed_early_ends_quietly(practice) -> None:
    """``medoffice stock reorder --out - | head``: the reader goes away before the CSV
    is written; the command still builds the list, says nothing and exits 0."""
    import subprocess
    import sys

    for argv in (["reorder", "--out", "-"], ["low"]):
        child = subprocess.Popen(
            [sys.executable, "-m", "medoffice_tui", "stock", *argv, "--db", practice,
             "--today", FROZEN_TODAY.isoformat()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        child.stdout.close()  # as head does once it has its lines
        err = child.stderr.read().decode()
        assert child.wait(timeout=60) == 0, err
        assert "error" not in err.lower() and "Broken pipe" not in err, err
    from medoffice_tui.db.connection import open_database

    open_database(f"sqlite:///{practice}")
    try:
        assert PurchaseOrder.select().where(PurchaseOrder.status == "draft").count() > 0
    finally:
        close_database()
