"""Patients: search, the record, registration, section edits, merges, import and export.

One module per job; everything callers use is importable from here
(``from medoffice_tui.services import patients``; ``patients.search_patients(...)``):

- ``search``: type-ahead lookup (name, MRN, DOB, phone, VistA ``s1234``), exact before
  prefix before close matches; ``fuzzy``: names close despite typos;
- ``validation``: every demographic field's rule; ``duplicates``: the likely-duplicate
  check; ``registration``: registering (with the check) and the MRN;
- ``record``: the record (an audited view) and the demographics edit; ``coverages``,
  ``allergies``, ``vitals``, ``notes``: the other sections, each with its own version;
  ``editing``: the refused-save error they share;
- ``merge``: merging duplicates; ``mapping``, ``importing``, ``exporting``: CSV files.
"""

from __future__ import annotations

from medoffice_tui.services.patients.allergies import (
    SEVERITIES,
    add_allergy,
    mark_no_known_allergies,
    remove_allergy,
    update_allergy,
)
from medoffice_tui.services.patients.coverages import (
    RELATIONSHIPS,
    PayerChoice,
    add_coverage,
    coverage_field_error,
    end_coverage,
    list_payers,
    mark_eligibility_checked,
    update_coverage,
)
from medoffice_tui.services.patients.duplicates import DuplicateRow, find_duplicates
from medoffice_tui.services.patients.editing import SectionStaleEdit
from medoffice_tui.services.patients.fuzzy import fuzzy_search_patients
from medoffice_tui.services.patients.merge import (
    MERGE_FIELDS,
    MergeResult,
    merge_pair,
    merge_patients,
)
from medoffice_tui.services.patients.notes import add_note
from medoffice_tui.services.patients.record import EDITABLE_FIELDS, get_patient, update_patient
from medoffice_tui.services.patients.registration import (
    RegistrationResult,
    check_registration,
    create_patient,
    mrn_for,
    register,
)
from medoffice_tui.services.patients.rows import (
    MATCH_CLOSE,
    MATCH_EXACT,
    MATCH_PREFIX,
    AllergyRow,
    ClaimSummaryRow,
    CoverageRow,
    NoteRow,
    PatientDetail,
    PatientRow,
    VisitRow,
    VitalsRow,
    readable_date,
)
from medoffice_tui.services.patients.search import (
    MAX_NAME_WORDS,
    MAX_QUERY_CHARS,
    SMALL_FIRST_RANGE,
    count_patients,
    find_patient_id,
    next_appointment,
    search_patients,
)
from medoffice_tui.services.patients.validation import (
    CONTACTS,
    DEMOGRAPHICS,
    MAX_AGE_YEARS,
    SEX_LABELS,
    SEXES,
    FieldErrors,
    field_error,
    field_errors,
    phone_last4,
)
from medoffice_tui.services.patients.vitals import bmi, record_vitals

__all__ = [
    "CONTACTS",
    "DEMOGRAPHICS",
    "EDITABLE_FIELDS",
    "MATCH_CLOSE",
    "MATCH_EXACT",
    "MATCH_PREFIX",
    "MAX_AGE_YEARS",
    "MAX_NAME_WORDS",
    "MAX_QUERY_CHARS",
    "MERGE_FIELDS",
    "RELATIONSHIPS",
    "SEVERITIES",
    "SEXES",
    "SEX_LABELS",
    "SMALL_FIRST_RANGE",
    "AllergyRow",
    "ClaimSummaryRow",
    "CoverageRow",
    "DuplicateRow",
    "FieldErrors",
    "MergeResult",
    "NoteRow",
    "PatientDetail",
    "PatientRow",
    "PayerChoice",
    "RegistrationResult",
    "SectionStaleEdit",
    "VisitRow",
    "VitalsRow",
    "add_allergy",
    "add_coverage",
    "add_note",
    "bmi",
    "check_registration",
    "count_patients",
    "create_patient",
    "coverage_field_error",
    "end_coverage",
    "field_error",
    "field_errors",
    "find_duplicates",
    "find_patient_id",
    "fuzzy_search_patients",
    "get_patient",
    "list_payers",
    "mark_eligibility_checked",
    "mark_no_known_allergies",
    "merge_pair",
    "merge_patients",
    "mrn_for",
    "next_appointment",
    "phone_last4",
    "readable_date",
    "record_vitals",
    "register",
    "remove_allergy",
    "search_patients",
    "update_allergy",
    "update_coverage",
    "update_patient",
]
