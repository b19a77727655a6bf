"""F9: staff accounts. A manager adds, edits, disables and unlocks them; everyone can
change their own password here.

Every change goes through ``services/staff.py``, which checks the role again and
audits it; the keys a role may not use are hidden (``check_action``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import staff
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.permissions import ROLE_LABELS, ROLE_NAMES
from medoffice_tui.ui.forms import ChoiceField, FormScreen, PasswordField, TextField
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

COLUMNS = (
    Column("Username", 12),
    Column("Name", flex=2, min_width=14),
    Column("Role", 18, flex=1, min_width=10),
    Column("State", 8),
    Column("Last sign-in", 14, optional=True),
)

ROLE_CHOICES = [(name, ROLE_LABELS[name]) for name in ROLE_NAMES]


def staff_row(row: staff.StaffRow, now: dt.datetime) -> ListRow:
    state = row.state(now)
    last = row.last_login_at.strftime("%m/%d/%y %H:%M") if row.last_login_at else "never"
    return ListRow(
        cells=(row.username, row.full_name, row.role_label, state, last),
        data=row,
        style="muted" if state == "disabled" else "",
        cell_styles={3: "bad" if state == "locked" else ""},
    )


class UserForm(FormScreen[staff.StaffRow]):
    """Add a staff account, or edit one's name, role and OS login."""

    def __init__(self, actor: Actor, existing: staff.StaffRow | None = None) -> None:
        super().__init__()
        self.actor = actor
        self.existing = existing

    def form_title(self) -> str:
        if self.existing is None:
            return "New staff account"
        return f"Edit account {self.existing.username}"

    def compose_fields(self) -> ComposeResult:
        current = self.existing
        if current is None:
            yield TextField("username", "Username", required=True, max_length=40,
                            hint="e.g. jreyes")  # fmt: skip
        yield TextField(
            "full_name",
            "Full name",
            required=True,
            max_length=120,
            value=current.full_name if current else "",
        )
        yield ChoiceField("role", "Role", ROLE_CHOICES, value=current.role if current else "")
        if current is None:
            yield PasswordField("password", "Password", required=True, hint="8+ characters")
            yield PasswordField("password2", "Again", required=True)
        yield TextField(
            "os_login",
            "OS login",
            max_length=40,
            value=current.os_login if current else "",
            hint="for SSH sign-in",
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], staff.StaffRow]:
        actor = self.actor
        current = self.existing
        if current is None:
            if values["password"] != values["password2"]:
                raise InvalidInput("the two passwords differ", field="password2")
            return lambda: staff.add_user(
                actor,
                values["username"],
                values["full_name"],
                values["role"],
                values["password"],
                os_login=values["os_login"] or None,
            )
        return lambda: staff.update_user(
            actor,
            current.username,
            current.version,
            full_name=values["full_name"],
            role=values["role"],
            os_login=values["os_login"],
        )


class PasswordForm(FormScreen[bool]):
    """A new password for one account (one's own, or anyone's for a manager)."""

    def __init__(self, actor: Actor, username: str) -> None:
        super().__init__()
        self.actor = actor
        self.username = username

    def form_title(self) -> str:
        own = self.username == self.actor.username
        return "Change your password" if own else f"New password for {self.username}"

    def compose_fields(self) -> ComposeResult:
        yield PasswordField("password", "New password", required=True, hint="8+ characters")
        yield PasswordField("password2", "Again", required=True)

    def save_call(self, values: dict[str, Any]) -> Callable[[], bool]:
        if values["password"] != values["password2"]:
            raise InvalidInput("the two passwords differ", field="password2")
        actor, username, password = self.actor, self.username, values["password"]

        def change() -> bool:
            staff.set_password(actor, username, password)
            return True

        return change


class StaffScreen(SafeDispatch, QuietFocus, Screen[None]):
    """Staff accounts (a manager sees all of them; others see their own)."""

    TITLE = "Staff accounts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="staff.close", tooltip="Back to the panes"),
        Binding("a", "add", "Add", id="staff.add", tooltip="Add a staff account"),
        Binding("e", "edit", "Edit", id="staff.edit", tooltip="Edit name, role, OS login"),
        Binding("p", "password", "Password", id="staff.password", tooltip="Set a new password"),
        Binding(
            "d",
            "toggle_active",
            "Disable",
            id="staff.disable",
            tooltip="Disable / enable the account",
        ),  # fmt: skip
        Binding("u", "unlock", "Unlock", id="staff.unlock", tooltip="Lift a sign-in lockout"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="staff.reload",
            tooltip="Read the accounts again",
        ),  # fmt: skip
    ]

    def compose(self) -> ComposeResult:
        yield Static(" Staff accounts", id="staff-title", classes="screen-title", markup=False)
        yield PagedList(COLUMNS, empty_text="No staff accounts", id="staff-list")
        yield KeyLine()

    @property
    def actor(self) -> Actor:
        return self.app.actor  # type: ignore[attr-defined,no-any-return]

    @property
    def list(self) -> PagedList:
        return self.query_one("#staff-list", PagedList)

    @property
    def current(self) -> staff.StaffRow | None:
        row = self.list.current
        return row.data if row is not None else None

    def on_mount(self) -> None:
        self.list.focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        manager = self.actor is not None and self.actor.may("user.manage")
        if action in ("add", "edit", "toggle_active", "unlock"):
            if not manager:
                return False
            row = self.current
            if action == "unlock" and (row is None or not row.is_locked(clock.now())):
                return None
            if action in ("edit", "toggle_active") and row is None:
                return None
        if action == "password" and not manager:
            row = self.current
            return True if row is not None and row.id == self.actor.user_id else None
        return True

    @on(PagedList.Highlighted, "#staff-list")
    def _moved(self) -> None:
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        actor = self.actor
        if actor.may("user.manage"):
            call: Callable[[], list[staff.StaffRow]] = lambda: staff.list_staff(actor)  # noqa: E731
        else:
            call = lambda: [staff.get_staff(actor.username)]  # noqa: E731
        call_service(
            self, call, on_result=self._show, group="staff-load", exclusive=True, inline=True
        )

    def _show(self, rows: list[staff.StaffRow]) -> None:
        now = clock.now()
        self.list.set_rows([staff_row(r, now) for r in rows], keep_cursor=True)

    def _changed(self, result: Any) -> None:
        if result:
            self.notify("Saved", markup=False)
            self.action_reload()

    def action_add(self) -> None:
        self.app.push_screen(UserForm(self.actor), self._changed)

    def action_edit(self) -> None:
        if self.current is not None:
            self.app.push_screen(UserForm(self.actor, self.current), self._changed)

    def action_password(self) -> None:
        row = self.current
        username = row.username if row is not None else self.actor.username
        self.app.push_screen(PasswordForm(self.actor, username), self._changed)

    def action_toggle_active(self) -> None:
        row = self.current
        if row is None:
            return
        actor, active = self.actor, not row.active
        call_service(
            self,
            lambda: staff.set_active(actor, row.username, active),
            on_result=self._changed,
            key=f"user:{row.id}",
            group="staff-write",
        )

    def action_unlock(self) -> None:
        row = self.current
        if row is None:
            return
        actor = self.actor
        call_service(
            self,
            lambda: staff.unlock_account(actor, row.username),
            on_result=self._changed,
            key=f"user:{row.id}",
            group="staff-write",
        )
