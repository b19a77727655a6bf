"""Staff accounts: argon2id hashes, sign-in, lockout on a fake clock, managing accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui import clock
from medoffice_tui.db.models import AuditEvent, Practice, User
from medoffice_tui.errors import AccountLocked, InvalidInput, PermissionDenied, SignInFailed
from medoffice_tui.services import passwords, staff
from tests.conftest import FROZEN_NOW

PASSWORD = "correct-horse-1"


@pytest.fixture
def boss(database):  # noqa: ANN201 - an Actor
    """A manager account made the real way (as the command line would)."""
    row = staff.add_user(staff.system_actor(), "boss", "Bea Boss", "manager", PASSWORD)
    return staff.sign_in(row.username, PASSWORD)


@pytest.fixture
def ann(boss):  # noqa: ANN201 - an Actor
    staff.add_user(boss, "ann", "Ann Desk", "front_desk", PASSWORD)
    return staff.sign_in("ann", PASSWORD)


def _events(action: str, user_id: int | None = None) -> list[AuditEvent]:
    query = AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id)
    if user_id is not None:
        query = query.where(AuditEvent.user == user_id)
    return list(query)


def test_password_is_stored_only_as_an_argon2id_hash(boss) -> None:
    stored = User.get(User.username == "boss").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    again = staff.hash_password(PASSWORD)
    assert again != stored  # a fresh random salt each time
    assert passwords.matches(stored, PASSWORD) and not passwords.matches(stored, PASSWORD + "x")


def test_sign_in_gives_the_actor_and_is_audited(boss) -> None:
    actor = staff.sign_in("  BOSS ", PASSWORD)  # usernames are not case-sensitive
    assert (actor.username, actor.role, actor.full_name) == ("boss", "manager", "Bea Boss")
    assert User.get_by_id(actor.user_id).last_login_at == FROZEN_NOW
    assert _events("sign_in", actor.user_id)


def test_wrong_password_and_unknown_user_get_the_same_answer(boss) -> None:
    with pytest.raises(SignInFailed) as wrong:
        staff.sign_in("boss", "not-it-at-all")
    with pytest.raises(SignInFailed) as unknown:
        staff.sign_in("nobody", "not-it-at-all")
    assert str(wrong.value) == str(unknown.value) == "wrong username or password"
    failed = _events("sign_in_failed")
    assert [e.detail for e in failed] == ["wrong password", "unknown account"]
    assert all("not-it" not in e.detail for e in failed)  # never the typed password


def test_five_failures_lock_for_ten_minutes_then_the_password_works(ann, boss) -> None:
    for _ in range(4):
        with pytest.raises(SignInFailed):
            staff.sign_in("ann", "wrong-password")
    with pytest.raises(AccountLocked, match="locked until 10:40"):
        staff.sign_in("ann", "wrong-password")
    assert _events("lockout", ann.user_id)
    # even the right password is refused while locked
    with pytest.raises(AccountLocked):
        staff.sign_in("ann", PASSWORD)
    clock.pin(now=FROZEN_NOW + dt.timedelta(minutes=9, seconds=59))
    with pytest.raises(AccountLocked):
        staff.sign_in("ann", PASSWORD)
    clock.pin(now=FROZEN_NOW + dt.timedelta(minutes=10, seconds=1))
    assert staff.sign_in("ann", PASSWORD).username == "ann"
    assert User.get_by_id(ann.user_id).failed_logins == 0


def test_a_manager_can_unlock_sooner(ann, boss) -> None:
    for _ in range(5):
        with pytest.raises(SignInFailed):
            staff.sign_in("ann", "wrong-password")
    assert staff.get_staff("ann").state(clock.now()) == "locked"
    assert staff.unlock_account(boss, "ann").state(clock.now()) == "active"
    assert staff.sign_in("ann", PASSWORD).username == "ann"


def test_a_disabled_account_cannot_sign_in(ann, boss) -> None:
    staff.set_active(boss, "ann", False)
    with pytest.raises(AccountLocked, match="disabled"):
        staff.sign_in("ann", PASSWORD)
    staff.set_active(boss, "ann", True)
    assert staff.sign_in("ann", PASSWORD)


def test_the_system_account_never_signs_in(database) -> None:
    with pytest.raises(SignInFailed):
        staff.sign_in("system", "")
    with pytest.raises(InvalidInput, match="reserved"):
        staff.add_user(staff.system_actor(), "system", "X", "manager", PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 8"),
        ("x" * 300, "at most 256"),
        ("aaaaaaaaaa", "repeated"),
        ("boss2-pass\x00", "cannot be stored"),
        ("ab\ud800cdefgh", "cannot be stored"),
        ("Boss2", "at least 8"),
    ],
)
def test_password_rules(boss, password: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        staff.add_user(boss, "boss2", "Boss Two", "manager", password)
    assert refused.value.field == "password"
    assert password not in str(refused.value)


def test_username_rules_and_duplicates(boss) -> None:
    for bad in ("a", "1abc", "has space", "x" * 41, "semi;colon"):
        with pytest.raises(InvalidInput) as refused:
            staff.add_user(boss, bad, "Some One", "billing", PASSWORD)
        assert refused.value.field == "username"
    with pytest.raises(InvalidInput, match="taken"):
        staff.add_user(boss, "BOSS", "Another", "billing", PASSWORD)
    with pytest.raises(InvalidInput, match="role"):
        staff.add_user(boss, "newbie", "New Bie", "janitor", PASSWORD)


def test_passwords_own_and_others(ann, boss) -> None:
    staff.set_password(ann, "ann", "brand-new-pass")  # one's own: any role
    assert staff.sign_in("ann", "brand-new-pass")
    with pytest.raises(PermissionDenied, match="Manager"):
        staff.set_password(ann, "boss", "hijacked-pass")  # someone else's: managers only
    assert staff.sign_in("boss", PASSWORD)
    staff.set_password(boss, "ann", "reset-by-boss")
    assert staff.sign_in("ann", "reset-by-boss")
    refusals = _events("refused", ann.user_id)
    assert refusals and refusals[-1].detail == "user.manage"


def test_the_last_active_manager_stays(boss) -> None:
    with pytest.raises(InvalidInput, match="manager"):
        staff.set_active(boss, "boss", False)
    row = staff.get_staff("boss")
    with pytest.raises(InvalidInput, match="manager"):
        staff.update_user(boss, "boss", row.version, role="billing")
    staff.add_user(boss, "boss2", "Boss Two", "manager", PASSWORD)
    assert staff.set_active(boss, "boss", False).active is False


def test_demo_accounts_are_listed_only_on_a_demo_database(boss, fixture_writes) -> None:
    assert staff.demo_accounts() == []
    Practice.create(name="Real Clinic", npi="1234567893", tax_id="1")
    assert staff.demo_accounts() == []
    Practice.update(is_demo=True).execute()
    assert [u for u, _p, _r in staff.demo_accounts()] == [
        "frontdesk", "billing", "clinical", "manager"
    ]  # fmt: skip


def test_ssh_login_mapping_is_off_unless_the_practice_turns_it_on(boss, fixture_writes) -> None:
    Practice.create(name="Clinic", npi="1234567893", tax_id="1")
    staff.add_user(boss, "carol", "Carol", "billing", PASSWORD, os_login="carol")
    assert staff.sign_in_from_os("carol") is None
    Practice.update(ssh_login_map=True).execute()
    actor = staff.sign_in_from_os("carol")
    assert actor is not None and actor.username == "carol" and actor.via == "ssh"
    assert staff.sign_in_from_os("mallory") is None
    assert "OS login mapped" in _events("sign_in", actor.user_id)[-1].detail


def test_lock_unlock_and_sign_out_are_audited(ann) -> None:
    staff.lock_session(ann, "idle")
    with pytest.raises(SignInFailed, match="wrong password"):
        staff.unlock_session(ann, "nope-nope")
    assert staff.unlock_session(ann, PASSWORD).username == "ann"
    staff.sign_out(ann)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.user == ann.user_id)]
    assert actions[-4:] == ["lock", "sign_in_failed", "unlock", "sign_out"]
