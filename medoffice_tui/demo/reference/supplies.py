"""The supply catalogue: what the office stocks, from whom, where it is kept, when to reorder."""

_HS, _MK, _ML, _CH, _SP, _MV = (
    "Henry Schein",
    "McKesson Medical-Surgical",
    "Medline",
    "Cardinal Health",
    "Sanofi Pasteur",
    "Merck Vaccines",
)
#: (name, unit, shelf life in days, vendor, location, shelf, reorder point, reorder qty)
SUPPLIES = (
    ("Nitrile exam gloves, small", "box", 1800, _ML, "Supply room", "A1", 10, 40),
    ("Nitrile exam gloves, medium", "box", 1800, _ML, "Supply room", "A1", 15, 60),
    ("Nitrile exam gloves, large", "box", 1800, _ML, "Supply room", "A1", 15, 60),
    ("Nitrile exam gloves, extra large", "box", 1800, _ML, "Supply room", "A1", 5, 20),
    ("Sterile surgical gloves, size 7", "pair", 1800, _MK, "Procedure room", "", 20, 50),
    ("Syringe 3 mL with 23G needle", "each", 1500, _HS, "Supply room", "A2", 100, 500),
    ("Syringe 1 mL tuberculin", "each", 1500, _HS, "Supply room", "A2", 100, 400),
    ("Syringe 10 mL luer lock", "each", 1500, _HS, "Supply room", "A2", 50, 200),
    ("Safety needle 25G 1 inch", "each", 1500, _HS, "Supply room", "A2", 100, 500),
    ("Safety needle 22G 1.5 inch", "each", 1500, _HS, "Supply room", "A2", 100, 500),
    ("Butterfly needle 23G", "each", 1500, _CH, "Lab", "", 50, 200),
    ("Vacutainer tube, lavender top", "each", 540, _CH, "Lab", "", 100, 400),
    ("Vacutainer tube, gold top SST", "each", 540, _CH, "Lab", "", 100, 400),
    ("Vacutainer tube, light blue top", "each", 540, _CH, "Lab", "", 50, 200),
    ("Tourniquet, latex free", "each", 1800, _CH, "Lab", "", 25, 100),
    ("Alcohol prep pads", "box", 1080, _ML, "Supply room", "A3", 10, 40),
    ("Gauze sponges 2x2 sterile", "pack", 1800, _ML, "Supply room", "A3", 20, 100),
    ("Gauze sponges 4x4 sterile", "pack", 1800, _ML, "Supply room", "A3", 20, 100),
    ("Adhesive bandages, assorted", "box", 1800, _ML, "Supply room", "A3", 10, 40),
    ("Paper tape 1 inch", "roll", 1800, _ML, "Supply room", "A3", 12, 48),
    ("Elastic bandage 3 inch", "each", 1800, _MK, "Supply room", "A3", 10, 30),
    ("Cotton-tipped applicators", "box", 1800, _MK, "Supply room", "A3", 5, 20),
    ("Tongue depressors", "box", 1800, _MK, "Supply room", "A3", 5, 20),
    ("Exam table paper", "roll", 3650, _MK, "Supply room", "B1", 12, 48),
    ("Patient gowns, disposable", "each", 3650, _MK, "Supply room", "B1", 50, 200),
    ("Sharps container 1 quart", "each", 3650, _CH, "Supply room", "B1", 6, 24),
    ("Specimen cups, sterile", "each", 1080, _CH, "Lab", "", 50, 200),
    ("Urine dipstick strips", "bottle", 540, _CH, "Lab", "", 4, 12),
    ("Rapid strep test kit", "kit", 450, _HS, "Lab", "", 2, 6),
    ("Rapid influenza A/B test kit", "kit", 450, _HS, "Lab", "", 2, 6),
    ("COVID-19 antigen test kit", "kit", 365, _HS, "Lab", "", 2, 8),
    ("Urine pregnancy test", "each", 720, _HS, "Lab", "", 25, 100),
    ("Glucose test strips", "box", 540, _MK, "Lab", "", 4, 12),
    ("Lancets, safety", "box", 1800, _MK, "Lab", "", 4, 12),
    ("Hemoglobin A1c test cartridge", "box", 365, _HS, "Lab", "", 2, 6),
    ("Culture swab with transport", "each", 540, _CH, "Lab", "", 25, 100),
    ("Influenza vaccine, quadrivalent PF", "dose", 300, _SP, "Vaccine fridge", "", 20, 60),
    ("Tdap vaccine", "dose", 720, _SP, "Vaccine fridge", "", 5, 20),
    ("Hepatitis B vaccine, adult", "dose", 720, _MV, "Vaccine fridge", "", 5, 20),
    ("Pneumococcal conjugate vaccine", "dose", 720, _MV, "Vaccine fridge", "", 5, 20),
    ("MMR vaccine", "dose", 540, _MV, "Vaccine fridge", "", 5, 15),
    ("Varicella vaccine", "dose", 540, _MV, "Vaccine freezer", "", 3, 10),
    ("HPV vaccine", "dose", 720, _MV, "Vaccine fridge", "", 5, 15),
    ("Shingles vaccine, recombinant", "dose", 720, _HS, "Vaccine fridge", "", 5, 20),
    ("Tuberculin PPD solution", "vial", 365, _SP, "Vaccine fridge", "", 2, 6),
    ("Dexamethasone 4 mg/mL vial", "vial", 720, _HS, "Med cabinet", "", 5, 20),
    ("Ceftriaxone 1 g vial", "vial", 720, _HS, "Med cabinet", "", 5, 20),
    ("Ketorolac 30 mg/mL vial", "vial", 720, _HS, "Med cabinet", "", 5, 20),
    ("Triamcinolone 40 mg/mL vial", "vial", 720, _HS, "Med cabinet", "", 3, 10),
    ("Lidocaine 1% 20 mL vial", "vial", 720, _HS, "Med cabinet", "", 5, 20),
    ("Epinephrine auto-injector", "each", 540, _MK, "Crash cart", "", 2, 4),
    ("Albuterol inhalation solution", "vial", 540, _MK, "Med cabinet", "", 20, 60),
    ("Nebulizer kit", "each", 1800, _MK, "Supply room", "B2", 5, 20),
    ("Povidone-iodine swabsticks", "box", 1080, _ML, "Procedure room", "", 3, 10),
    ("Suture kit, disposable", "kit", 1800, _MK, "Procedure room", "", 5, 20),
    ("Nylon suture 4-0", "box", 1800, _CH, "Procedure room", "", 2, 6),
    ("Scalpel #15, disposable", "each", 1800, _CH, "Procedure room", "", 20, 50),
    ("Punch biopsy 4 mm", "each", 1800, _CH, "Procedure room", "", 10, 30),
    ("Liquid nitrogen spray tips", "pack", 3650, _HS, "Procedure room", "", 2, 6),
    ("Ear curette, disposable", "each", 1800, _MK, "Supply room", "B2", 20, 60),
    ("Otoscope specula, 4 mm", "box", 3650, _MK, "Supply room", "B2", 4, 12),
    ("ECG electrodes", "pack", 540, _CH, "Supply room", "B2", 10, 40),
    ("Disinfecting wipes", "canister", 720, _ML, "Supply room", "B1", 12, 36),
    ("Hand sanitizer 500 mL", "bottle", 1080, _ML, "Supply room", "B1", 12, 36),
    ("Surgical masks, ear loop", "box", 1800, _ML, "Supply room", "B1", 10, 40),
)

MAIN_SITE, SECOND_SITE = "Main office", "Northside clinic"
#: (name, site): where the practice keeps stock
LOCATIONS = (
    ("Supply room", MAIN_SITE),
    ("Exam rooms", MAIN_SITE),
    ("Lab", MAIN_SITE),
    ("Procedure room", MAIN_SITE),
    ("Med cabinet", MAIN_SITE),
    ("Vaccine fridge", MAIN_SITE),
    ("Vaccine freezer", MAIN_SITE),
    ("Crash cart", MAIN_SITE),
    ("Northside closet", SECOND_SITE),
)
#: items also stocked in the exam rooms or at the second site (a share of the use there)
ALSO_STOCKED = {
    "Nitrile exam gloves, medium": "Exam rooms",
    "Nitrile exam gloves, large": "Exam rooms",
    "Alcohol prep pads": "Exam rooms",
    "Adhesive bandages, assorted": "Exam rooms",
    "Tongue depressors": "Exam rooms",
    "Otoscope specula, 4 mm": "Exam rooms",
    "Exam table paper": "Exam rooms",
    "Patient gowns, disposable": "Exam rooms",
    "Syringe 3 mL with 23G needle": "Northside closet",
    "Gauze sponges 4x4 sterile": "Northside closet",
    "Influenza vaccine, quadrivalent PF": "Northside closet",
    "Disinfecting wipes": "Northside closet",
    "Surgical masks, ear loop": "Northside closet",
}
#: items whose lots carry no expiry date
NO_EXPIRY = frozenset(
    {"Exam table paper", "Sharps container 1 quart", "Otoscope specula, 4 mm", "Tongue depressors"}
)
#: unit -> (lowest, highest) unit cost in cents
UNIT_COST = {
    "box": (600, 2400),
    "pair": (90, 250),
    "each": (8, 300),
    "pack": (150, 900),
    "roll": (300, 1400),
    "bottle": (400, 2600),
    "kit": (900, 4200),
    "dose": (2200, 19000),
    "vial": (250, 4500),
    "canister": (500, 1200),
}
VENDOR_PREFIX = {
    _HS: "HS",
    _MK: "MCK",
    _ML: "MDS",
    _CH: "CAH",
    _SP: "SP",
    _MV: "MRK",
}


def category_of(name: str, location: str, unit: str) -> str:
    """A shelf category from what the item is and where it lives."""
    lowered = name.lower()
    if unit == "dose" or "vaccine" in lowered:
        return "Vaccines"
    if location in ("Med cabinet", "Crash cart") or unit == "vial":
        return "Medications"
    if location == "Lab":
        return "Lab"
    if any(w in lowered for w in ("glove", "mask", "gown", "sanitizer", "wipes")):
        return "PPE"
    return "Clinical supplies"
