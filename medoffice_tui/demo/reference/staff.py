"""The practice's staff: providers with their weekly hours, roles and user accounts."""

from __future__ import annotations

import datetime as dt

_WEEK = {d: (dt.time(8), dt.time(17)) for d in range(5)}
#: (first, last, credential, taxonomy, colour, {weekday: (start, end)})
PROVIDERS = (
    ("Sarah", "Okafor", "MD", "207Q00000X", "green", _WEEK),
    ("Miguel", "Hernández", "DO", "207Q00000X", "cyan", {**_WEEK, 5: (dt.time(8), dt.time(12))}),
    ("Emily", "Chen", "MD", "207R00000X", "magenta", {**_WEEK, 4: (dt.time(8), dt.time(12))}),
    ("Robert", "Kowalski", "MD", "208000000X", "yellow", _WEEK),
    ("Angela", "Brooks", "NP", "363LF0000X", "blue", _WEEK),
    ("Daniel", "O'Connor", "PA-C", "363A00000X", "red", _WEEK),
)
#: every provider takes lunch on weekdays
LUNCH_RRULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

#: (name, description, permissions)
ROLES = (
    (
        "frontdesk",
        "Check-in, scheduling, demographics",
        "schedule.view schedule.edit patient.view patient.edit",
    ),
    ("billing", "Claims, payments, adjustments", "patient.view claim.view claim.edit payment.post"),
    (
        "clinical",
        "Rooming, vitals, allergies",
        "schedule.view patient.view vitals.edit allergy.edit stock.use",
    ),
    ("admin", "Everything, including users and settings", "*"),
)
#: (username, full name, role)
USERS = (
    ("frontdesk", "Front Desk", "frontdesk"),
    ("jreyes", "Jasmine Reyes", "frontdesk"),
    ("tnguyen", "Tuan Nguyen", "frontdesk"),
    ("billing", "Billing Office", "billing"),
    ("mkowalczyk", "Marta Kowalczyk", "billing"),
    ("nurse", "Clinic Nurse", "clinical"),
    ("abrooks_ma", "Alicia Brooks", "clinical"),
    ("admin", "Practice Administrator", "admin"),
)
#: user ids (1-based positions in USERS) that book, bill and room in the demo
FRONTDESK_USER, BILLING_USER, NURSE_USER = 2, 5, 6
assert USERS[FRONTDESK_USER - 1][2] == "frontdesk"
assert USERS[BILLING_USER - 1][2] == "billing" and USERS[NURSE_USER - 1][2] == "clinical"
