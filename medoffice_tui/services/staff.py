"""Staff accounts: sign-in and lockout, the session lock, managing users.

Passwords are hashed and checked in ``passwords`` (argon2id; a hash made with other
settings is redone at its next sign-in); only the PHC string is stored, and a password
is never logged, echoed or kept. Five failed sign-ins in a row lock the account for
ten minutes (a manager can unlock it sooner); every sign-in, failure, lockout, lock
and unlock is in the audit trail. Time comes from ``clock`` so tests can fake it.

A wrong password and an unknown username get the same answer, in the same time.
"""

from __future__ import annotations

import datetime as dt
import re

from medoffice_tui import clock
from medoffice_tui.db.models import ROLE_NAMES, SYSTEM_USERNAME, Practice, Role, User
from medoffice_tui.errors import (
    AccountLocked,
    InvalidInput,
    NotFound,
    SignInFailed,
    StaleEdit,
)
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, acting, refuse_unless, writes
from medoffice_tui.services.passwords import (  # noqa: F401 - HASH_SETTINGS, the limits: staff's API
    HASH_SETTINGS,
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_password,
    hash_password,
    matches,
    needs_rehash,
    waste_time,
)
from medoffice_tui.services.staff_rows import (  # noqa: F401 - staff's API, as before
    DEMO_ACCOUNTS,
    StaffRow,
    anyone_can_sign_in,
    demo_accounts,
    get_staff,
    list_staff,
    normalize_username,
    staff_name,
)

MAX_FAILED_SIGN_INS = 5
LOCKOUT = dt.timedelta(minutes=10)

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")


def check_username(username: str) -> str:
    name = normalize_username(username)
    if name == SYSTEM_USERNAME:
        raise InvalidInput("'system' is reserved for the app itself", field="username")
    if not _USERNAME.match(name):
        raise InvalidInput(
            "a username is 2-40 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter",
            field="username",
        )
    return name


# --------------------------------------------------------------------- actors


def _actor_for(user: User, via: str) -> Actor:
    return Actor(user.id, user.username, user.full_name, user.role.name, via=via)


def system_actor(via: str = "cli") -> Actor:
    """The built-in system account, for work done from the command line."""
    user = (
        User.select(User, Role)
        .join(Role)
        .where((User.username == SYSTEM_USERNAME) & (User.system == True))  # noqa: E712
        .first()
    )
    if user is None:
        raise NotFound("the database has no system account: run 'medoffice db upgrade'")
    return _actor_for(user, via)


def _account(username: str) -> User | None:
    return (
        User.select(User, Role)
        .join(Role)
        .where((User.username == normalize_username(username)) & (User.system == False))  # noqa: E712
        .first()
    )


# --------------------------------------------------------------------- sign-in


def _locked_message(until: dt.datetime) -> str:
    return (
        f"too many failed sign-ins: this account is locked until {until:%H:%M} "
        "(a manager can unlock it sooner)"
    )


def _note_failure(user: User | None, reason: str, via: str) -> dt.datetime | None:
    """Count a failed attempt (locking at the limit) and audit it. Returns the lock end."""
    if user is None:
        witness = system_actor(via)
        with acting(witness):
            audit.record(witness, "sign_in_failed", "user", detail=reason, success=False)
        return None
    actor = _actor_for(user, via)
    locked_until = None
    with acting(actor):
        User.update(failed_logins=User.failed_logins + 1).where(User.id == user.id).execute()
        failed = User.select(User.failed_logins).where(User.id == user.id).scalar()
        audit.record(actor, "sign_in_failed", "user", user.id, detail=reason, success=False)
        if failed >= MAX_FAILED_SIGN_INS:
            locked_until = clock.now() + LOCKOUT
            User.update(locked_until=locked_until, failed_logins=0).where(
                User.id == user.id
            ).execute()
            audit.record(
                actor,
                "lockout",
                "user",
                user.id,
                detail=f"{MAX_FAILED_SIGN_INS} failed sign-ins",
                success=False,
            )
    return locked_until


def _refuse_if_unusable(user: User, password: str, via: str) -> None:
    if not user.active:
        waste_time(password)
        _note_failure(user, "account disabled", via)
        raise AccountLocked("this account is disabled; ask a manager")
    if user.locked_until is not None and user.locked_until > clock.now():
        waste_time(password)
        _note_failure(user, "account locked", via)
        raise AccountLocked(_locked_message(user.locked_until))


def sign_in(username: str, password: str, *, via: str = "app") -> Actor:
    """Check a username and password; the Actor every later call acts as.

    Raises SignInFailed (wrong username or password: which one is not said) or
    AccountLocked (disabled, or locked after too many failures).
    """
    user = _account(username)
    if user is None:
        waste_time(password or "")
        _note_failure(None, "unknown account", via)
        raise SignInFailed()
    _refuse_if_unusable(user, password, via)
    if not matches(user.password_hash, password or ""):
        locked_until = _note_failure(user, "wrong password", via)
        if locked_until is not None:
            raise AccountLocked(_locked_message(locked_until))
        raise SignInFailed()
    actor = _actor_for(user, via)
    with acting(actor):
        changes: dict = {"failed_logins": 0, "locked_until": None, "last_login_at": clock.now()}
        if needs_rehash(user.password_hash):
            changes["password_hash"] = hash_password(password)
        User.update(**changes).where(User.id == user.id).execute()
        rehashed = ("password_hash",) if "password_hash" in changes else ()
        audit.record(actor, "sign_in", "user", user.id, fields=rehashed, detail=f"via {via}")
    return actor


def sign_in_from_os(os_login: str, *, via: str = "ssh") -> Actor | None:
    """The account mapped to this OS login, when the practice turned SSH sign-in on.

    None when the setting is off or no active, unlocked account has that login (the
    sign-in screen is then shown as usual).
    """
    practice = Practice.select(Practice.ssh_login_map).order_by(Practice.id).first()
    if practice is None or not practice.ssh_login_map or not os_login:
        return None
    user = (
        User.select(User, Role)
        .join(Role)
        .where(
            (User.os_login == os_login)
            & (User.active == True)  # noqa: E712
            & (User.system == False)  # noqa: E712
        )
        .first()
    )
    if user is None or (user.locked_until is not None and user.locked_until > clock.now()):
        return None
    actor = _actor_for(user, via)
    with acting(actor):
        User.update(last_login_at=clock.now(), failed_logins=0).where(User.id == user.id).execute()
        audit.record(actor, "sign_in", "user", user.id, detail=f"via {via} (OS login mapped)")
    return actor


def unlock_session(actor: Actor, password: str) -> Actor:
    """Resume a locked screen: the same user's password. Failures count toward lockout."""
    user = _account(actor.username)
    if user is None or user.id != actor.user_id:
        raise SignInFailed("this account no longer exists; sign in as someone else")
    _refuse_if_unusable(user, password, actor.via)
    if not matches(user.password_hash, password or ""):
        locked_until = _note_failure(user, "wrong password at the lock screen", actor.via)
        if locked_until is not None:
            raise AccountLocked(_locked_message(locked_until))
        raise SignInFailed("wrong password")
    with acting(actor):
        User.update(failed_logins=0).where(User.id == user.id).execute()
        audit.record(actor, "unlock", "session", user.id)
    return _actor_for(user, actor.via)


def lock_session(actor: Actor, reason: str) -> None:
    """The screen was locked (idle, or Ctrl+L): the trail shows when PHI left the screen."""
    with acting(actor):
        audit.record(actor, "lock", "session", actor.user_id, detail=reason)


def sign_out(actor: Actor) -> None:
    with acting(actor):
        audit.record(actor, "sign_out", "session", actor.user_id)


# ------------------------------------------------------------------ managing


def _role_id(role: str) -> int:
    if role not in ROLE_NAMES:
        raise InvalidInput("role must be one of " + ", ".join(ROLE_NAMES), field="role")
    found = Role.select(Role.id).where(Role.name == role).scalar()
    if found is None:
        raise NotFound("that role is missing from the database: run 'medoffice db upgrade'")
    return found


def _clean_full_name(full_name: str) -> str:
    text = " ".join((full_name or "").split())
    if not text:
        raise InvalidInput("full name is required", field="full_name")
    if len(text) > 120:
        raise InvalidInput("full name is longer than 120 characters", field="full_name")
    return text


def _clean_os_login(os_login: str | None) -> str | None:
    text = (os_login or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"[a-z_][a-z0-9_.-]{0,39}", text):
        raise InvalidInput("not an OS login name", field="os_login")
    if User.select().where(User.os_login == text).exists():
        raise InvalidInput("another account already has that OS login", field="os_login")
    return text


@writes("user.manage")
def add_user(
    actor: Actor,
    username: str,
    full_name: str,
    role: str,
    password: str,
    os_login: str | None = None,
) -> StaffRow:
    """Create a staff account. The username is kept lower-case and must be new."""
    name = check_username(username)
    full = _clean_full_name(full_name)
    role_id = _role_id(role)
    check_password(password, name)
    if User.select().where(User.username == name).exists():
        raise InvalidInput("that username is taken", field="username")
    login = _clean_os_login(os_login)
    now = clock.now()
    user_id = User.insert(
        username=name,
        full_name=full,
        role=role_id,
        password_hash=hash_password(password),
        active=True,
        created_at=now,
        updated_at=now,
        password_changed_at=now,
        os_login=login,
        version=1,
    ).execute()
    audit.record(
        actor, "create", "user", user_id, fields=("username", "full_name", "role", "password")
    )
    return get_staff(name)


def _target(username: str) -> User:
    user = _account(username)
    if user is None:
        raise NotFound("no staff account has that username")
    return user


def _other_active_managers(user_id: int) -> int:
    return (
        User.select()
        .join(Role)
        .where(
            (Role.name == "manager")
            & (User.active == True)  # noqa: E712
            & (User.system == False)  # noqa: E712
            & (User.id != user_id)
        )
        .count()
    )


@writes("user.password.own")
def set_password(actor: Actor, username: str, password: str) -> None:
    """A new password: one's own, or (as a manager) anyone's. Clears a lockout."""
    user = _target(username)
    if user.id != actor.user_id:
        refuse_unless(actor, "user.manage")
    check_password(password, user.username)
    now = clock.now()
    User.update(
        password_hash=hash_password(password),
        password_changed_at=now,
        failed_logins=0,
        locked_until=None,
        updated_at=now,
        version=User.version + 1,
    ).where(User.id == user.id).execute()
    audit.record(actor, "update", "user", user.id, fields=("password",))


@writes("user.manage")
def set_active(actor: Actor, username: str, active: bool) -> StaffRow:
    """Disable (or enable again) an account. The last active manager cannot be disabled."""
    user = _target(username)
    if not active and user.role.name == "manager" and not _other_active_managers(user.id):
        raise InvalidInput("at least one active manager account must remain", field="username")
    if user.active != active:
        User.update(active=active, updated_at=clock.now(), version=User.version + 1).where(
            User.id == user.id
        ).execute()
        audit.record(actor, "update", "user", user.id, fields=("active",))
    return get_staff(user.username)


@writes("user.manage")
def unlock_account(actor: Actor, username: str) -> StaffRow:
    """Lift a lockout before its ten minutes are up."""
    user = _target(username)
    User.update(locked_until=None, failed_logins=0, updated_at=clock.now()).where(
        User.id == user.id
    ).execute()
    audit.record(actor, "update", "user", user.id, fields=("locked_until",), detail="unlocked")
    return get_staff(user.username)


@writes("user.manage")
def update_user(
    actor: Actor,
    username: str,
    expected_version: int,
    *,
    full_name: str | None = None,
    role: str | None = None,
    os_login: str | None = None,
) -> StaffRow:
    """Change an account's name, role or OS login (None leaves a field as it is)."""
    user = _target(username)
    if user.version != expected_version:
        raise StaleEdit()
    changes: dict = {}
    if full_name is not None and _clean_full_name(full_name) != user.full_name:
        changes["full_name"] = _clean_full_name(full_name)
    if role is not None and role != user.role.name:
        if user.role.name == "manager" and not _other_active_managers(user.id):
            raise InvalidInput("at least one active manager account must remain", field="role")
        changes["role"] = _role_id(role)
    if os_login is not None and (os_login.strip() or None) != user.os_login:
        changes["os_login"] = _clean_os_login(os_login)
    if changes:
        updated = (
            User.update(**changes, updated_at=clock.now(), version=User.version + 1)
            .where((User.id == user.id) & (User.version == expected_version))
            .execute()
        )
        if not updated:
            raise StaleEdit()
        audit.record(actor, "update", "user", user.id, fields=changes)
    return get_staff(user.username)
