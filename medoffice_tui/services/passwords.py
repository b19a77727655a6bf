"""Passwords: argon2id hashing, checking a password against its hash, and what a new
password must be.

argon2-cffi with 7 MiB and 5 passes: of OWASP's equal minimum settings the one with the
least memory, as the app checks a password in its own process on small machines (about
25 ms here). Only the PHC string is ever stored.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from medoffice_tui.errors import InvalidInput

MIN_PASSWORD = 8
MAX_PASSWORD = 256

#: argon2id with 7 MiB of working memory and 5 passes (OWASP's equal settings, the
#: least memory of them); the bench's sign-in floor checks its password with these too
HASH_SETTINGS = {"time_cost": 5, "memory_cost": 7168, "parallelism": 1}
_hasher = PasswordHasher(**HASH_SETTINGS)
_dummy_hash: str | None = None


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The argon2id PHC string for ``password`` (which must pass :func:`check_password`).

    ``salt`` is for the demo builder only (same seed, same rows); real accounts get a
    random one.
    """
    return _hasher.hash(password, salt=salt)


def matches(stored: str, password: str) -> bool:
    try:
        return bool(stored) and _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def waste_time(password: str) -> None:
    """Verify against a throwaway hash so an unknown username costs what a known one does."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not a password anyone has")
    matches(_dummy_hash, password)


def check_password(password: str, username: str = "") -> str:
    """The password if it is acceptable; InvalidInput (never repeating it) if not."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(
            f"a password can have at most {MAX_PASSWORD} characters", field="password"
        )
    try:
        password.encode("utf-8")
        storable = "\x00" not in password
    except UnicodeEncodeError:
        storable = False
    if not storable:
        raise InvalidInput("the password holds a character that cannot be stored", field="password")
    if username and password.strip().lower() == username.lower():
        raise InvalidInput("the password cannot be the username", field="password")
    if len(set(password)) == 1:
        raise InvalidInput("the password cannot be one character repeated", field="password")
    return password


def needs_rehash(stored: str) -> bool:
    """Was ``stored`` made with other settings than today's (redo it at sign-in)?"""
    return _hasher.check_needs_rehash(stored)
