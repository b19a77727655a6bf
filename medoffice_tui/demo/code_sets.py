"""The code sets a demo practice bills with, and which payer asks for prior authorization.

ICD-10-CM: the demo stores a sample of the April 2026 release (``reference/icd_sample``:
the codes it bills, their categories and the common primary-care categories, 857 codes)
instead of 98,000 codes and 735,000 words, which take 4 s to store on SQLite and 16 s on
PostgreSQL for every demo a test run builds. The sample is marked as such, so the app's
first lookup loads the whole release ("first use", as in a new practice).
``MEDOFFICE_DEMO_CODE_SETS=full`` stores the whole release with the demo instead.

HCPCS is not loaded: its file is CMS's to download (``medoffice codes import-hcpcs``);
until then HCPCS codes are checked by shape, as in a practice that has not imported it.
"""

from __future__ import annotations

import os

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.reference.codes import PRIOR_AUTH_PAYER
from medoffice_tui.demo.reference.icd_sample import ICD10_SAMPLE
from medoffice_tui.demo.state import BuildState
from medoffice_tui.services.claims import codes_icd

ENV_CODE_SETS = "MEDOFFICE_DEMO_CODE_SETS"


def build_code_sets(state: BuildState) -> None:
    def progress(step: str, done: int, total: int) -> None:
        state.progress("code sets", done, total)

    if os.environ.get(ENV_CODE_SETS, "").strip().lower() == "full":
        codes, words, release = codes_icd.load_rows(progress)
        codes_icd.store(codes, words, release, progress)
    else:
        release = "ICD-10-CM April 2026"
        codes = [(c, b, d, release) for c, b, d in ICD10_SAMPLE]
        words = [(w, c) for c, _b, d in ICD10_SAMPLE for w in codes_icd.words_of(d)]
        codes_icd.store(codes, words, release, progress, source=codes_icd.SAMPLE_SOURCE)
    bulk.insert_orm(
        m.PayerRule,
        bulk.fields(m.PayerRule, "payer prior_auth_required appeal_days"),
        [(PRIOR_AUTH_PAYER, True, 120)],
    )
