"""``medoffice codes status|load-icd10|import-hcpcs|import-reasons``: the code sets.

- ``load-icd10`` loads the ICD-10-CM release packaged with the app (simple-icd-10-cm,
  April 2026) into the database; the app also does this on first use.
- ``import-hcpcs FILE`` reads the CMS Alpha-Numeric HCPCS file (fixed-width text or
  CSV) and keeps its release.
- ``import-reasons FILE.csv`` adds or refreshes CARC/RARC texts (``kind,code,text``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from medoffice_tui.cli.common import cli_actor, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    codes = sub.add_parser("codes", help="code sets: ICD-10-CM, HCPCS, CARC/RARC")
    actions = codes.add_subparsers(dest="codes_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="which release of each code set is loaded")
    db_options(status)
    icd = actions.add_parser("load-icd10", help="load the packaged ICD-10-CM release")
    db_options(icd)
    icd.add_argument("--quiet", action="store_true", help="no progress bar")
    hcpcs = actions.add_parser("import-hcpcs", help="import the CMS HCPCS Level II file")
    db_options(hcpcs)
    hcpcs.add_argument("file", type=Path, help="HCPCyyyy_..._ANWEB.txt (fixed width) or a CSV")
    hcpcs.add_argument("--quiet", action="store_true", help="no progress bar")
    reasons = actions.add_parser("import-reasons", help="refresh CARC/RARC texts from a CSV")
    db_options(reasons)
    reasons.add_argument("file", type=Path, help="a CSV with kind,code,text rows")
    codes.set_defaults(handler=cmd_codes)


def cmd_codes(args: argparse.Namespace) -> int:
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services.claims import codes_hcpcs, codes_icd, reason_codes
    from medoffice_tui.ui.progress import progress_callback

    open_db(args)
    if args.codes_command == "status":
        from medoffice_tui.db.models import CodeSetRelease

        rows = {r.code_set: r for r in CodeSetRelease.select()}
        for code_set, words in (
            ("icd10cm", "ICD-10-CM"),
            ("hcpcs", "HCPCS Level II"),
            ("carc_rarc", "CARC/RARC refresh"),
        ):
            row = rows.get(code_set)
            if row is None:
                print(f"{words:<18} not loaded")
            else:
                part = (
                    " (demo sample: the rest loads on first use)"
                    if row.source == (codes_icd.SAMPLE_SOURCE)
                    else ""
                )
                print(
                    f"{words:<18} {row.release}, {row.codes:,} codes, loaded "
                    f"{row.loaded_at:%Y-%m-%d %H:%M}{part}"
                )
        return 0
    actor = cli_actor()
    if args.codes_command == "load-icd10":
        with progress_callback("ICD-10-CM", quiet=args.quiet) as progress:
            count = codes_icd.load_icd10(actor, progress)
        print(f"loaded {count:,} ICD-10-CM codes ({codes_icd.release_name()})")
        return 0
    path: Path = args.file
    if not path.is_file():
        raise InvalidInput(f"no such file: {path.name}")
    if args.codes_command == "import-hcpcs":
        with progress_callback("HCPCS", quiet=args.quiet) as progress:
            count, release = codes_hcpcs.import_hcpcs(actor, path, progress)
        print(f"imported {count:,} HCPCS codes and modifiers ({release})")
        return 0
    count = reason_codes.import_reasons(actor, path.read_text(encoding="utf-8-sig"), path.name)
    print(f"stored {count:,} reason codes")
    return 0
