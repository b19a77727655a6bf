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

#: (username, full name, role). The first account of each role is the documented demo
#: account (``services.staff.DEMO_ACCOUNTS``); every demo account's password is
#: "<username>-demo". Ids follow the built-in system account (id 1).
USERS = (
    ("frontdesk", "Front Desk", "front_desk"),
    ("jreyes", "Jasmine Reyes", "front_desk"),
    ("tnguyen", "Tuan Nguyen", "front_desk"),
    ("billing", "Billing Office", "billing"),
    ("mkowalczyk", "Marta Kowalczyk", "billing"),
    ("clinical", "Clinic Nurse", "clinical"),
    ("abrooks_ma", "Alicia Brooks", "clinical"),
    ("manager", "Practice Manager", "manager"),
)
SYSTEM_USER_ID = 1
FIRST_USER_ID = 2
#: user id -> (username, role)
USER_IDS = {FIRST_USER_ID + i: (u, role) for i, (u, _full, role) in enumerate(USERS)}
#: user ids that book, bill and room in the demo (and the manager, who may overbook)
FRONTDESK_USER, BILLING_USER, NURSE_USER, MANAGER_USER = 3, 6, 7, 9
#: the front desk accounts that make the confirmation calls
CALLING_USERS = (2, 3, 4)
assert USER_IDS[FRONTDESK_USER][1] == "front_desk"
assert USER_IDS[BILLING_USER][1] == "billing" and USER_IDS[NURSE_USER][1] == "clinical"
assert USER_IDS[MANAGER_USER][1] == "manager"
assert all(USER_IDS[u][1] == "front_desk" for u in CALLING_USERS)


def demo_password(username: str) -> str:
    return f"{username}-demo"
