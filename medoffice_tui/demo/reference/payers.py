"""The insurance payers the practice bills, and their row ids."""

#: (name, payer_id, filing indicator, timely filing days, phone, city, state, zip)
PAYERS = (
    ("Medicare Part B (NGS)", "06102", "MB", 365, "(877) 908-8431", "Chicago", "IL", "60606"),
    ("Illinois Medicaid (HFS)", "IL621", "MC", 365, "(877) 782-5565", "Springfield", "IL", "62763"),
    (
        "Blue Cross Blue Shield of Illinois",
        "00621",
        "BL",
        180,
        "(800) 972-8088",
        "Chicago",
        "IL",
        "60601",
    ),
    ("Aetna", "60054", "CI", 90, "(888) 632-3862", "Lexington", "KY", "40512"),
    ("UnitedHealthcare", "87726", "CI", 90, "(877) 842-3210", "Salt Lake City", "UT", "84130"),
    ("Cigna", "62308", "CI", 90, "(800) 997-1654", "Chattanooga", "TN", "37422"),
    (
        "Humana Medicare Advantage",
        "61101",
        "16",
        180,
        "(800) 457-4708",
        "Louisville",
        "KY",
        "40201",
    ),
    ("TRICARE East", "TREST", "CH", 365, "(800) 444-5445", "Louisville", "KY", "40232"),
)
#: payer row ids, in PAYERS order
MEDICARE, MEDICAID, BCBS, AETNA, UHC, CIGNA, HUMANA, TRICARE = range(1, 9)
