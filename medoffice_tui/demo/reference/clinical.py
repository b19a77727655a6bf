"""Allergens with their typical reactions, and how severe recorded allergies are."""

ALLERGENS = (
    ("Penicillin", ("Hives", "Rash", "Anaphylaxis")),
    ("Amoxicillin", ("Rash", "Hives")),
    ("Sulfa drugs", ("Rash", "Itching")),
    ("Codeine", ("Nausea", "Vomiting")),
    ("Aspirin", ("Wheezing", "Stomach upset")),
    ("Ibuprofen", ("Hives", "Stomach upset")),
    ("Latex", ("Contact dermatitis", "Hives")),
    ("Peanuts", ("Anaphylaxis", "Throat swelling")),
    ("Shellfish", ("Hives", "Anaphylaxis")),
    ("Eggs", ("Rash", "Vomiting")),
    ("Bee stings", ("Swelling", "Anaphylaxis")),
    ("Iodinated contrast", ("Hives", "Flushing")),
    ("Morphine", ("Itching", "Nausea")),
    ("Cephalexin", ("Rash",)),
    ("Erythromycin", ("Stomach upset",)),
    ("Tree nuts", ("Hives", "Throat swelling")),
    ("Lisinopril", ("Angioedema", "Cough")),
    ("Adhesive tape", ("Skin irritation",)),
)
SEVERITY_WEIGHTS = (("mild", 50), ("moderate", 35), ("severe", 12), ("unknown", 3))
