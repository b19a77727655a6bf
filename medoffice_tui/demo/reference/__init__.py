"""Fixed tables the demo draws from: names and places, staff, payers, codes, visit types,
the claim lifecycle, allergens and the supply catalogue.

Descriptions are written for the demo; payer ids, procedure and diagnosis codes are
real-world formats so the screens look like a working office.
"""
