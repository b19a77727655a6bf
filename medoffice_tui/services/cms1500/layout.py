"""The CMS-1500 (02/12) page, box by box: where each box is and where its data goes.

The form is laid out on the grid it was designed for: 10 characters an inch across and
6 lines an inch down on a US letter page (the form's 80 columns, a quarter inch in from
each side), so a claim printed
"data only" lands in the boxes of the red pre-printed form when the printer is lined up
with it, and the full drawing (lines and box captions) reads on plain paper.

Positions here follow the NUCC form's grid as closely as a drawing can; they have not
been checked against a physical red form with a ruler. ``FIELDS`` maps each data field
(``"1a"``, ``"24D.3"`` for line 3's procedure ...) to its column and line; ``BOXES`` gives
each box's caption and rectangle, used to draw the form and, in tests, to check that each
value is printed inside its own box.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_WIDTH = 612.0  # points: 8.5 in
PAGE_HEIGHT = 792.0  # 11 in
COLUMN = 7.2  # 10 characters an inch
LINE = 12.0  # 6 lines an inch
LEFT = 0.25 * 72  # the form's first column starts a quarter inch in
SERVICE_LINES = 6
DIAGNOSES = "ABCDEFGHIJKL"


def x_of(column: float) -> float:
    return LEFT + (column - 1) * COLUMN


def y_of(line: float) -> float:
    """The baseline of text on form line ``line`` (1 at the top)."""
    return PAGE_HEIGHT - line * LINE


@dataclass(frozen=True)
class Box:
    box: str  # "1a", "24"
    caption: str
    column: float  # left edge (form column)
    line: float  # top edge (form line; the caption sits here)
    width: float  # in columns
    height: float  # in lines

    def rect(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in points, y up."""
        x0 = x_of(self.column)
        top = PAGE_HEIGHT - (self.line - 1) * LINE
        return (x0, top - self.height * LINE, x0 + self.width * COLUMN, top)

    def holds(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.rect()
        return x0 - 0.5 <= x <= x1 + 0.5 and y0 - 0.5 <= y <= y1 + 0.5


# column spans: left half 1-48, right half 49-80
_L, _M, _R = 1.0, 30.0, 49.0
BOX_LIST: tuple[Box, ...] = (
    Box("carrier", "CARRIER", 49, 1, 32, 4.5),
    Box("1", "1. MEDICARE MEDICAID TRICARE CHAMPVA GROUP HEALTH PLAN FECA OTHER", _L, 6, 48, 2),
    Box("1a", "1a. INSURED'S I.D. NUMBER", _R, 6, 32, 2),
    Box("2", "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)", _L, 8, 29, 2),
    Box("3", "3. PATIENT'S BIRTH DATE / SEX", _M, 8, 19, 2),
    Box("4", "4. INSURED'S NAME (Last Name, First Name, Middle Initial)", _R, 8, 32, 2),
    Box(
        "5",
        "5. PATIENT'S ADDRESS (No., Street) / CITY / STATE / ZIP CODE / TELEPHONE",
        _L,
        10,
        29,
        6,
    ),
    Box("6", "6. PATIENT RELATIONSHIP TO INSURED", _M, 10, 19, 2),
    Box(
        "7",
        "7. INSURED'S ADDRESS (No., Street) / CITY / STATE / ZIP CODE / TELEPHONE",
        _R,
        10,
        32,
        6,
    ),
    Box("8", "8. RESERVED FOR NUCC USE", _M, 12, 19, 4),
    Box("9", "9. OTHER INSURED'S NAME", _L, 16, 29, 2),
    Box("9a", "a. OTHER INSURED'S POLICY OR GROUP NUMBER", _L, 18, 29, 2),
    Box("9b", "b. RESERVED FOR NUCC USE", _L, 20, 29, 2),
    Box("9c", "c. RESERVED FOR NUCC USE", _L, 22, 29, 2),
    Box("9d", "d. INSURANCE PLAN NAME OR PROGRAM NAME", _L, 24, 29, 2),
    Box("10", "10. IS PATIENT'S CONDITION RELATED TO:", _M, 16, 19, 2),
    Box("10a", "a. EMPLOYMENT? (Current or Previous)", _M, 18, 19, 2),
    Box("10b", "b. AUTO ACCIDENT? PLACE (State)", _M, 20, 19, 2),
    Box("10c", "c. OTHER ACCIDENT?", _M, 22, 19, 2),
    Box("10d", "10d. CLAIM CODES (Designated by NUCC)", _M, 24, 19, 2),
    Box("11", "11. INSURED'S POLICY GROUP OR FECA NUMBER", _R, 16, 32, 2),
    Box("11a", "a. INSURED'S DATE OF BIRTH / SEX", _R, 18, 32, 2),
    Box("11b", "b. OTHER CLAIM ID (Designated by NUCC)", _R, 20, 32, 2),
    Box("11c", "c. INSURANCE PLAN NAME OR PROGRAM NAME", _R, 22, 32, 2),
    Box("11d", "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?", _R, 24, 32, 2),
    Box("12", "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE / DATE", _L, 26, 48, 2),
    Box("13", "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE", _R, 26, 32, 2),
    Box("14", "14. DATE OF CURRENT ILLNESS, INJURY, OR PREGNANCY (LMP)", _L, 28, 29, 2),
    Box("15", "15. OTHER DATE", _M, 28, 19, 2),
    Box("16", "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION", _R, 28, 32, 2),
    Box("17", "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE", _L, 30, 29, 2),
    Box("17b", "17b. NPI", _M, 30, 19, 2),
    Box("18", "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES", _R, 30, 32, 2),
    Box("19", "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)", _L, 32, 48, 2),
    Box("20", "20. OUTSIDE LAB? $ CHARGES", _R, 32, 32, 2),
    Box(
        "21",
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY (Relate A-L to service line below (24E))"
        "  ICD Ind.",
        _L,
        34,
        48,
        4,
    ),
    Box("22", "22. RESUBMISSION CODE / ORIGINAL REF. NO.", _R, 34, 32, 2),
    Box("23", "23. PRIOR AUTHORIZATION NUMBER", _R, 36, 32, 2),
    Box(
        "24",
        "24. A. DATE(S) OF SERVICE  B. PLACE  C. EMG  D. PROCEDURES, SERVICES, OR SUPPLIES"
        "  E. DIAGNOSIS POINTER  F. $ CHARGES  G. DAYS OR UNITS  H. EPSDT  I. ID QUAL."
        "  J. RENDERING PROVIDER ID. #",
        _L,
        38,
        80,
        14,
    ),
    Box("25", "25. FEDERAL TAX I.D. NUMBER  SSN EIN", _L, 52, 22, 2),
    Box("26", "26. PATIENT'S ACCOUNT NO.", 23, 52, 14, 2),
    Box("27", "27. ACCEPT ASSIGNMENT?", 37, 52, 12, 2),
    Box("28", "28. TOTAL CHARGE", _R, 52, 12, 2),
    Box("29", "29. AMOUNT PAID", 61, 52, 12, 2),
    Box("30", "30. Rsvd for NUCC Use", 73, 52, 8, 2),
    Box(
        "31",
        "31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS",
        _L,
        54,
        22,
        6,
    ),
    Box("32", "32. SERVICE FACILITY LOCATION INFORMATION", 23, 54, 26, 6),
    Box("33", "33. BILLING PROVIDER INFO & PH #", _R, 54, 32, 6),
)
BOXES = {box.box: box for box in BOX_LIST}


@dataclass(frozen=True)
class Spot:
    """Where one field's text starts: form column and line, and the box it belongs to."""

    column: float
    line: float
    box: str
    width: int = 30  # characters that fit


def _fields() -> dict[str, Spot]:
    f: dict[str, Spot] = {
        "carrier.1": Spot(50, 2, "carrier", 30),
        "carrier.2": Spot(50, 3, "carrier", 30),
        "carrier.3": Spot(50, 4, "carrier", 30),
        "1": Spot(2, 6.8, "1", 46),
        "1a": Spot(50, 6.8, "1a", 30),
        "2": Spot(2, 8.8, "2", 28),
        "3": Spot(31, 8.8, "3", 18),
        "4": Spot(50, 8.8, "4", 30),
        "5.street": Spot(2, 10.8, "5", 28),
        "5.city": Spot(2, 12.8, "5", 22),
        "5.state": Spot(25, 12.8, "5", 3),
        "5.zip": Spot(2, 14.8, "5", 10),
        "5.phone": Spot(14, 14.8, "5", 15),
        "6": Spot(31, 10.8, "6", 18),
        "7.street": Spot(50, 10.8, "7", 30),
        "7.city": Spot(50, 12.8, "7", 24),
        "7.state": Spot(75, 12.8, "7", 3),
        "7.zip": Spot(50, 14.8, "7", 10),
        "7.phone": Spot(63, 14.8, "7", 18),
        "9": Spot(2, 16.8, "9", 28),
        "9a": Spot(2, 18.8, "9a", 28),
        "9d": Spot(2, 24.8, "9d", 28),
        "10a": Spot(34, 18.8, "10a", 14),
        "10b": Spot(34, 20.8, "10b", 14),
        "10c": Spot(34, 22.8, "10c", 14),
        "11": Spot(50, 16.8, "11", 30),
        "11a": Spot(50, 18.8, "11a", 30),
        "11c": Spot(50, 22.8, "11c", 30),
        "11d": Spot(50, 24.8, "11d", 30),
        "12": Spot(6, 26.8, "12", 40),
        "13": Spot(54, 26.8, "13", 28),
        "14": Spot(2, 28.8, "14", 28),
        "17": Spot(2, 30.8, "17", 28),
        "17b": Spot(34, 30.8, "17b", 14),
        "19": Spot(2, 32.8, "19", 46),
        "20": Spot(51, 32.8, "20", 30),
        "21.ind": Spot(46, 34.8, "21", 2),
        "22": Spot(50, 34.8, "22", 30),
        "23": Spot(50, 36.8, "23", 30),
        "25": Spot(2, 52.8, "25", 20),
        "26": Spot(24, 52.8, "26", 13),
        "27": Spot(38, 52.8, "27", 10),
        "28": Spot(50, 52.8, "28", 11),
        "29": Spot(62, 52.8, "29", 11),
        "31.1": Spot(2, 56.0, "31", 20),
        "31.2": Spot(2, 57.8, "31", 20),
        "32.1": Spot(24, 55.8, "32", 25),
        "32.2": Spot(24, 56.6, "32", 25),
        "32.3": Spot(24, 57.4, "32", 25),
        "32a": Spot(24, 58.6, "32", 12),
        "33.phone": Spot(66, 54.9, "33", 16),
        "33.1": Spot(50, 55.8, "33", 30),
        "33.2": Spot(50, 56.6, "33", 30),
        "33.3": Spot(50, 57.4, "33", 30),
        "33a": Spot(50, 58.6, "33", 12),
    }
    # 21: twelve diagnoses, four a row
    for index, letter in enumerate(DIAGNOSES):
        row, col = divmod(index, 4)
        f[f"21.{letter}"] = Spot(2 + col * 11, 35.2 + row * 0.8, "21", 10)
    # 24: six service lines, each on its own form line below a shaded supplemental line
    for number in range(1, SERVICE_LINES + 1):
        line = 40.4 + (number - 1) * 2
        f[f"24A.{number}"] = Spot(2, line, "24", 17)  # from - to, MM DD YY
        f[f"24B.{number}"] = Spot(20, line, "24", 2)
        f[f"24D.{number}"] = Spot(25, line, "24", 19)  # CPT/HCPCS and modifiers
        f[f"24E.{number}"] = Spot(45, line, "24", 4)
        f[f"24F.{number}"] = Spot(50, line, "24", 9)
        f[f"24G.{number}"] = Spot(60, line, "24", 3)
        f[f"24I.{number}"] = Spot(67, line, "24", 2)
        f[f"24J.{number}"] = Spot(70, line, "24", 11)
    return f


FIELDS = _fields()


__all__ = [
    "BOXES",
    "BOX_LIST",
    "COLUMN",
    "DIAGNOSES",
    "FIELDS",
    "LINE",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "SERVICE_LINES",
    "Box",
    "Spot",
    "x_of",
    "y_of",
]
