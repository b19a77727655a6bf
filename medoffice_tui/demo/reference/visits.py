"""Appointment types with their visit reasons, cancellation and recurring-series reasons."""

#: (name, minutes, colour, weight, reasons)
APPT_TYPES = (
    ("New patient", 30, "green", 10, ("Establish care", "New patient visit", "Transfer of care")),
    (
        "Follow-up",
        15,
        "cyan",
        35,
        (
            "Blood pressure follow-up",
            "Diabetes follow-up",
            "Medication review",
            "Lab results",
            "Thyroid follow-up",
            "Anxiety follow-up",
        ),
    ),
    (
        "Annual physical",
        30,
        "blue",
        15,
        ("Annual physical", "Well child check", "Sports physical", "Medicare wellness visit"),
    ),
    (
        "Sick visit",
        15,
        "yellow",
        25,
        (
            "Cough and congestion",
            "Sore throat",
            "Ear pain",
            "Back pain",
            "Fever",
            "Urinary symptoms",
            "Rash",
            "Headache",
        ),
    ),
    (
        "Procedure",
        45,
        "magenta",
        5,
        ("Knee injection", "Wart removal", "Ear wax removal", "Skin biopsy"),
    ),
    (
        "Telehealth",
        15,
        "bright_blue",
        10,
        ("Video visit: medication refill", "Video visit: lab review", "Video visit: cold"),
    ),
)
CANCEL_REASONS = (
    "Patient request",
    "Feeling better",
    "Scheduling conflict",
    "Weather",
    "Transportation problem",
    "Provider unavailable",
    "Rescheduled by patient",
    "Work conflict",
)
#: why a visit of a record made inactive was cancelled
INACTIVE_CANCEL_REASON = "Record inactive: patient moved away"
#: why the second of two overlapping visits of one patient was cancelled
DUPLICATE_CANCEL_REASON = "Booked twice: the other visit kept"
#: the demo's one overbook
OVERBOOK_REASON = "Urgent: high fever, cannot wait until tomorrow"
#: where a moved visit was before (days earlier, minutes later) and why it moved
MOVE_REASONS = ("Patient asked for another time", "Provider out that morning")
SERIES_REASONS = (
    "Weekly allergy injection",
    "Weekly blood pressure check",
    "Wound care",
    "B12 injection",
    "Weight management check",
    "INR check",
)
