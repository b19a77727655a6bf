"""``medoffice check``: is this practice's database sound and private?

Reports the schema version, the database's own integrity and foreign-key checks
(SQLite) or its guard objects (PostgreSQL), the audit chain, whether anyone can sign
in, and any file that holds patient data and is readable by more than it should be
(the database, its -wal/-shm, the error log). Exit status 0 when all is well, 1 when
anything needs attention.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from medoffice_tui.cli.common import cli_actor, db_options, db_url, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check", help="schema, integrity, audit chain and file permissions, in one report"
    )
    db_options(check)
    check.add_argument(
        "--backups", metavar="DIR", help="also check the modes of the backup files in DIR"
    )
    check.set_defaults(handler=cmd_check)


def _file_findings(paths: list[Path]) -> list[str]:
    from medoffice_tui import files

    return [problem for path in paths if (problem := files.looser_than_allowed(path))]


def cmd_check(args: argparse.Namespace) -> int:
    from medoffice_tui import errorlog
    from medoffice_tui.db import migrate
    from medoffice_tui.db.connection import engine_name, sqlite_path_from_url
    from medoffice_tui.db.engines import engine_for
    from medoffice_tui.services import audit_view, staff

    database = open_db(args, migrate=False)
    problems: list[str] = []
    lines: list[str] = []

    known = migrate.all_migrations()
    applied = migrate.applied(database)
    pending = [m for m in known if m not in applied]
    unknown = [m for m in applied if m not in known]
    lines.append(f"schema: {len(applied)} of {len(known)} migrations applied ({known[-1]})")
    if pending:
        problems.append(f"schema is behind: run 'medoffice db upgrade' ({', '.join(pending)})")
    if unknown:
        problems.append(f"the database is from a newer medoffice ({unknown[-1]}): upgrade the app")
    if pending or unknown:
        return _report(lines, problems)

    engine = engine_for(database)
    if engine_name(database) == "sqlite":
        integrity = [r[0] for r in database.execute_sql("PRAGMA integrity_check").fetchall()]
        lines.append("integrity_check: " + ", ".join(integrity[:3]))
        if integrity != ["ok"]:
            problems.append("the database file is damaged (integrity_check); restore a backup")
        orphans = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        lines.append(f"foreign_key_check: {len(orphans)} rows pointing at nothing")
        if orphans:
            problems.append(f"{len(orphans)} rows point at records that do not exist")
    missing = set(engine.ENGINE_OBJECTS) - engine.engine_objects()
    lines.append(f"guards and search objects: {len(engine.ENGINE_OBJECTS) - len(missing)} "
                 f"of {len(engine.ENGINE_OBJECTS)} present")  # fmt: skip
    if missing:
        problems.append(f"missing database objects {sorted(missing)}: run 'medoffice db upgrade'")

    report = audit_view.verify(cli_actor())
    lines.append(report.describe())
    if not report.ok:
        problems.append("the audit trail was altered: " + report.describe())
    if not staff.anyone_can_sign_in():
        problems.append("no staff account can sign in: add one with 'medoffice users add'")

    paths: list[Path] = []
    url = db_url(args)
    if url.startswith("sqlite"):
        main = Path(sqlite_path_from_url(url))
        paths += [main, Path(f"{main}-wal"), Path(f"{main}-shm")]
    paths += [errorlog.log_dir(), errorlog.log_path()]
    if args.backups:
        paths += sorted(p for p in Path(args.backups).iterdir() if p.is_file())
    findings = _file_findings(paths)
    lines.append(f"file modes: {len(paths) - len(findings)} of {len(paths)} checked are private")
    problems += findings
    return _report(lines, problems)


def _report(lines: list[str], problems: list[str]) -> int:
    for line in lines:
        print(line)
    if not problems:
        print("all checks passed")
        return 0
    print(f"{len(problems)} problem(s):")
    for problem in problems:
        print(f"  - {problem}")
    return 1
