"""Forms: modal screens that return a typed result, and the fields they are made of."""

from medoffice_tui.ui.forms.confirm import ConfirmScreen
from medoffice_tui.ui.forms.fields import (
    ChoiceField,
    DateField,
    Field,
    MoneyField,
    PasswordField,
    PhoneField,
    TextField,
    TimeField,
)
from medoffice_tui.ui.forms.form_screen import FormScreen

__all__ = [
    "ChoiceField",
    "ConfirmScreen",
    "DateField",
    "Field",
    "FormScreen",
    "MoneyField",
    "PasswordField",
    "PhoneField",
    "TextField",
    "TimeField",
]
