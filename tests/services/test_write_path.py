"""The one write path: no write without an actor, every role checked in the service layer.

``services.actor.WRITES`` lists every function declared ``@writes``; a test below also
proves that list is complete (every public service function that writes rows is in it),
and the database itself refuses a row write outside a writer.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import medoffice_tui.services
from medoffice_tui.db.models import AuditEvent, Patient
from medoffice_tui.errors import ActorRequired, PermissionDenied
from medoffice_tui.services import actor as actor_module
from medoffice_tui.services import audit, permissions
from medoffice_tui.services.actor import Actor


def _import_all_services() -> None:
    for info in pkgutil.walk_packages(medoffice_tui.services.__path__, "medoffice_tui.services."):
        importlib.import_module(info.name)


_import_all_services()
WRITES = dict(actor_module.WRITES)
READS = dict(actor_module.READS)


def test_the_registry_holds_the_writes() -> None:
    names = {name.rsplit(".", 1)[-1] for name in WRITES}
    for expected in (
        "book_appointment", "set_status", "create_patient", "update_patient", "receive", "use",
        "adjust", "add_user", "set_password", "set_active", "unlock_account", "update_user",
        "update_settings",
    ):  # fmt: skip
        assert expected in names
    assert all(action in permissions.PERMISSIONS for action, _ in WRITES.values())
    assert all(action in permissions.PERMISSIONS for action, _ in READS.values())


def _writing_functions(path: Path) -> set[str]:
    """Public module-level functions whose own body writes rows through the models."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and sub.func.attr in ("insert", "insert_many", "update", "delete", "create")
                and isinstance(sub.func.value, ast.Name)
                and sub.func.value.id[:1].isupper()  # a model class, e.g. Patient.update
            ):
                found.add(node.name)
    return found


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_public_service_function_that_writes_is_a_declared_write() -> None:
    """Every public function under services/ (subpackages too) whose body writes rows is
    a declared write (``@writes``) or a building block that runs only inside one
    (``@inside_write``)."""
    declared = set(WRITES) | set(actor_module.INSIDE_WRITES)
    package = Path(medoffice_tui.services.__file__).parent
    missing = []
    for path in sorted(package.rglob("*.py")):
        module = _module_name(path, package)
        for name in _writing_functions(path):
            if f"{module}.{name}" not in declared:
                missing.append(f"{module}.{name}")
    # sign-in itself has no actor yet: it writes as the account being signed in to;
    # audit.flush is the write path's own last step, run inside every declared write
    allowed_without = {
        "medoffice_tui.services.audit.flush",
        "medoffice_tui.services.staff.sign_in",
        "medoffice_tui.services.staff.sign_in_from_os",
        "medoffice_tui.services.staff.unlock_session",
    }
    assert sorted(set(missing) - allowed_without) == []


@pytest.mark.parametrize("name", sorted(actor_module.INSIDE_WRITES))
def test_a_building_block_refuses_to_run_outside_a_write(name: str, database) -> None:
    before = {model: model.select().count() for model in (AuditEvent, Patient)}
    with pytest.raises(ActorRequired, match="inside a declared write"):
        actor_module.INSIDE_WRITES[name]()
    assert {model: model.select().count() for model in before} == before


@pytest.mark.parametrize("name", sorted(WRITES))
def test_no_write_runs_without_an_actor(name: str, database) -> None:
    _action, write = WRITES[name]
    with pytest.raises(ActorRequired):
        write()
    with pytest.raises(ActorRequired):
        write(None)
    with pytest.raises(ActorRequired):
        write("frontdesk")  # a name is not a signed-in user


def test_the_database_refuses_a_row_write_without_a_writer(database) -> None:
    import datetime as dt

    with pytest.raises(ActorRequired):
        Patient.insert(
            mrn="X1", first_name="A", last_name="B", dob=dt.date(2000, 1, 1),
            last_norm="b", first_norm="a",
        ).execute()  # fmt: skip
    with pytest.raises(ActorRequired):
        Patient.update(active=False).execute()
    with pytest.raises(ActorRequired):
        database.execute_sql("DELETE FROM patient")
    with pytest.raises(ActorRequired, match="inside"):
        audit.record(Actor(1, "x", "X", "manager"), "view", "patient", 1)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_role_is_allowed_or_refused_by_the_table(name: str, staff, monkeypatch) -> None:
    """Refused roles get PermissionDenied naming who may, and the refusal is audited;
    allowed roles get past the check (and then fail for want of arguments)."""
    from medoffice_tui.services.claims import codes_icd

    # a write that needs no argument but the actor really runs: the ICD-10-CM load
    # then reads a two-code release instead of the whole package (40 s on PostgreSQL)
    tiny = ([("J06.9", True, "Acute upper respiratory infection", "test")], [], "test")
    monkeypatch.setattr(codes_icd, "load_rows", lambda progress=None: tiny)
    action, write = WRITES[name]
    permission = permissions.PERMISSIONS[action]
    for role, who in staff.items():
        before = AuditEvent.select().count()
        if role in permission.roles:
            try:
                write(who)
            except PermissionDenied:  # pragma: no cover - the failure being tested for
                pytest.fail(f"{role} was refused {action}")
            except Exception:  # noqa: BLE001 - missing arguments: it got past the check
                pass
            continue
        with pytest.raises(PermissionDenied) as refused:
            write(who)
        for label in permissions.needed_roles(action):
            assert label in str(refused.value)
        event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        assert AuditEvent.select().count() == before + 1
        assert (event.action, event.detail, event.success) == ("refused", action, False)
        assert event.user_id == who.user_id


@pytest.mark.parametrize(
    ("role", "action", "may"),
    [
        ("billing", "payment.post", True),
        ("manager", "payment.post", True),
        ("front_desk", "payment.post", False),
        ("clinical", "claim.write_off", False),
        ("billing", "claim.write_off", True),
        ("manager", "user.manage", True),
        ("front_desk", "user.manage", False),
        ("manager", "patient.merge", True),
        ("billing", "patient.merge", False),
        ("manager", "appointment.overbook", True),
        ("front_desk", "appointment.overbook", False),
        ("clinical", "vitals.record", True),
        ("front_desk", "audit.view", False),
    ],
)
def test_the_permission_table_says_what_the_issue_says(role: str, action: str, may: bool) -> None:
    assert permissions.allowed(role, action) is may


def test_an_unknown_action_is_refused_for_everyone() -> None:
    assert not any(permissions.allowed(role, "no.such.action") for role in permissions.ROLE_LABELS)
