"""What a visit is billed with: the fee schedule, diagnosis codes and denial reasons."""

from medoffice_tui.demo.reference.payers import HUMANA

#: (code, kind, description we wrote ourselves, fee in cents)
FEES = (
    ("99202", "CPT", "Office visit, new patient, straightforward", 11500),
    ("99203", "CPT", "Office visit, new patient, low complexity", 16500),
    ("99204", "CPT", "Office visit, new patient, moderate complexity", 25000),
    ("99212", "CPT", "Office visit, established patient, straightforward", 9000),
    ("99213", "CPT", "Office visit, established patient, low complexity", 13000),
    ("99214", "CPT", "Office visit, established patient, moderate complexity", 19500),
    ("99215", "CPT", "Office visit, established patient, high complexity", 26500),
    ("99392", "CPT", "Well child visit, age 1-4", 19000),
    ("99393", "CPT", "Well child visit, age 5-11", 19000),
    ("99394", "CPT", "Well adolescent visit, age 12-17", 20000),
    ("99395", "CPT", "Preventive visit, adult 18-39", 22000),
    ("99396", "CPT", "Preventive visit, adult 40-64", 24000),
    ("99397", "CPT", "Preventive visit, adult 65 and over", 26000),
    ("G0439", "HCPCS", "Medicare annual wellness visit, subsequent", 21000),
    ("36415", "CPT", "Blood draw by venipuncture", 2000),
    ("81002", "CPT", "Urine dipstick, non-automated", 1500),
    ("87880", "CPT", "Rapid strep test", 3500),
    ("90471", "CPT", "Vaccine administration, first", 3000),
    ("90686", "CPT", "Influenza vaccine, quadrivalent, preservative free", 4500),
    ("93000", "CPT", "Electrocardiogram with report", 6000),
    ("94010", "CPT", "Spirometry", 8000),
    ("96372", "CPT", "Injection, therapeutic, IM or subcutaneous", 3500),
    ("J1100", "HCPCS", "Dexamethasone injection, per 1 mg", 1200),
    ("20610", "CPT", "Large joint aspiration or injection", 15000),
    ("69210", "CPT", "Cerumen removal, one ear", 7500),
    ("17110", "CPT", "Destruction of benign lesions, up to 14", 14000),
)
FEE_BY_CODE = {code: fee for code, _, _, fee in FEES}
FEE_TEXT = {code: text for code, _, text, _ in FEES}

ACUTE_DX = tuple(
    "J06.9 J20.9 R05.9 J02.9 J01.90 N39.0 R51.9 R10.9 K21.9 M54.50 M25.561 R53.83".split()
)
CHRONIC_DX = tuple(
    "I10 E11.9 E11.65 E78.5 F41.1 F32.A E66.9 J45.909 G47.00 E03.9 E55.9 K21.9".split()
)
#: (claim adjustment reason code, what it means) for denials
DENIAL_CARCS = (
    ("16", "claim lacks information"),
    ("29", "time limit for filing expired"),
    ("50", "not medically necessary"),
    ("97", "included in another service"),
)

#: the payer that asks for a prior authorization number on every claim (payer row id)
PRIOR_AUTH_PAYER = HUMANA
