"""Claims files at 10,000 claims: sending them as one 837P and posting an 835 for them.

A practice with 10,000 ready claims (two lines and two diagnoses each, 5,000 patients,
8 payers) is built once by bulk insert and cached in bench/out/ under a fingerprint of
the code. Each step runs in a fresh process (its peak RSS is that step's alone):

- export: ``export_837p`` of the 10,000 ready claims (the scrubber on each, the writer,
  the file, the claims marked sent through the claims' own transition, one transaction),
  without pyx12, beside the floor: pyx12 validating that same 837P file;
- import: ``import_835`` of an 835 paying all 10,000 (pyx12 first, as the import always
  does, then match and post each claim through the claims' payment service), beside the
  floor: pyx12 validating that same 835 file.

The scrubber's share of the export is reported too (it is the claims package's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path

from bench.harness.core import OUT, PY, REPO, TODAY, Ctx, Result, figure
from bench.harness.stats import summarize

CLAIMS = 10_000
_FINGERPRINT = (
    "bench/figures/x12.py",
    "medoffice_tui/db/models",
    "medoffice_tui/db/migrations",
)


def _fingerprint(claims: int) -> str:
    digest = hashlib.sha256(str(claims).encode())
    for rel in _FINGERPRINT:
        path = REPO / rel
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def claims_db(claims: int, log=print) -> Path:  # noqa: ANN001 - print-like
    """The cached practice with ``claims`` ready claims."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"x12_{claims}.db"
    meta = path.with_suffix(".json")
    params = {"fingerprint": _fingerprint(claims), "today": TODAY.isoformat()}
    if path.exists() and meta.exists() and json.loads(meta.read_text()).get("params") == params:
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log(f"building {claims:,} ready claims -> {path.name}")
    t0 = time.perf_counter()
    subprocess.run(
        [PY, "-c", f"from bench.figures.x12 import build; build({str(path)!r}, {claims})"],
        cwd=REPO,
        check=True,
    )
    meta.write_text(json.dumps({"params": params, "build_s": time.perf_counter() - t0}))
    return path


def build(path: str, claims: int) -> None:
    """Practice, provider, payers, patients with coverage, ``claims`` ready claims."""
    import random

    from medoffice_tui import clock
    from medoffice_tui.db import close_database, db, open_database
    from medoffice_tui.db import models as m
    from medoffice_tui.db.migrate import upgrade
    from medoffice_tui.db.write_guard import writing_as
    from medoffice_tui.demo.npi import npi_check_digit
    from medoffice_tui.services.claims import codes_icd, summaries

    rng = random.Random(12)
    clock.pin(today=TODAY)
    database = open_database(f"sqlite:///{path}")
    upgrade(database)
    database.execute_sql("PRAGMA synchronous=OFF")
    now = dt.datetime.combine(TODAY, dt.time(9))
    codes = [
        ("J06.9", True, "Acute upper respiratory infection, unspecified"),
        ("R05.9", True, "Cough, unspecified"),
        ("I10", True, "Essential hypertension"),
        ("E11.9", True, "Type 2 diabetes mellitus without complications"),
    ]
    with writing_as("system:bench"), db.atomic():
        codes_icd.store(
            [(c, b, d, "bench") for c, b, d in codes],
            [(w, c) for c, _b, d in codes for w in codes_icd.words_of(d)],
            "bench",
        )
        m.Practice.insert(
            name="Bench Family Practice",
            npi="123456789" + npi_check_digit("123456789"),
            tax_id="123456789",
            address1="100 Main St",
            city="Springfield",
            state="IL",
            zip="62701-1234",
            phone="2175550100",
        ).execute()
        provider = m.Provider.insert(
            first_name="Jo",
            last_name="Rivera",
            credential="MD",
            npi="198765432" + npi_check_digit("198765432"),
        ).execute()
        payers = [
            m.Payer.insert(
                name=f"Payer {n}",
                payer_id=f"P{n:04d}",
                claim_filing_indicator="CI",
                timely_filing_days=365,
            ).execute()
            for n in range(8)
        ]
        patients = claims // 2
        rows = [
            dict(
                mrn=f"B{n:07d}",
                first_name=f"First{n}",
                last_name=f"Last{n}",
                dob=dt.date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                sex="FM"[n % 2],
                address1=f"{n} Elm St",
                city="Springfield",
                state="IL",
                zip="62704",
                last_norm=f"last{n}",
                first_norm=f"first{n}",
            )
            for n in range(patients)
        ]
        for start in range(0, len(rows), 500):
            m.Patient.insert_many(rows[start : start + 500]).execute()
        pids = [p for (p,) in m.Patient.select(m.Patient.id).order_by(m.Patient.id).tuples()]
        covs = [
            dict(patient=p, payer=payers[i % 8], rank=1, member_id=f"M{p:09d}")
            for i, p in enumerate(pids)
        ]
        for start in range(0, len(covs), 500):
            m.Coverage.insert_many(covs[start : start + 500]).execute()
        cov_of = dict(m.Coverage.select(m.Coverage.patient, m.Coverage.id).tuples())
        payer_of = dict(m.Coverage.select(m.Coverage.id, m.Coverage.payer).tuples())
        claim_rows = []
        for n in range(claims):
            patient = pids[n % len(pids)]
            day = TODAY - dt.timedelta(days=rng.randint(3, 60))
            claim_rows.append(
                dict(
                    claim_number=f"CLM{n + 1:08d}",
                    patient=patient,
                    provider=provider,
                    payer=payer_of[cov_of[patient]],
                    coverage=cov_of[patient],
                    service_date=day,
                    status="ready",
                    total_charge_cents=15000,
                    balance_cents=15000,
                    status_changed_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
        for start in range(0, len(claim_rows), 500):
            m.Claim.insert_many(claim_rows[start : start + 500]).execute()
        ids = [(c, d) for c, d in m.Claim.select(m.Claim.id, m.Claim.service_date).tuples()]
        lines, dx = [], []
        for cid, day in ids:
            lines.append(
                dict(
                    claim=cid,
                    line_no=1,
                    procedure_code="99213",
                    charge_cents=13000,
                    dx_pointers="1,2",
                    service_date=day,
                )
            )
            lines.append(
                dict(
                    claim=cid,
                    line_no=2,
                    procedure_code="36415",
                    charge_cents=2000,
                    dx_pointers="1",
                    service_date=day,
                )
            )
            dx += [dict(claim=cid, seq=1, code="J06.9"), dict(claim=cid, seq=2, code="R05.9")]
        for start in range(0, len(lines), 1000):
            m.ClaimLine.insert_many(lines[start : start + 1000]).execute()
            m.ClaimDiagnosis.insert_many(dx[start : start + 1000]).execute()
        summaries.rebuild()
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.execute_sql("ANALYZE")
    close_database()


# ------------------------------------------------------------------ steps (child processes)


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_export(db_path: str, out: str) -> dict:
    from medoffice_tui import clock
    from medoffice_tui.db import open_database
    from medoffice_tui.services.staff import system_actor
    from medoffice_tui.services.x12 import export

    clock.pin(today=TODAY)
    open_database(f"sqlite:///{db_path}")
    actor = system_actor(via="bench")
    scrub_s = [0.0]
    real_scrub = export.scrub

    def timed_scrub(claim_id: int):  # noqa: ANN202
        t = time.perf_counter()
        try:
            return real_scrub(claim_id)
        finally:
            scrub_s[0] += time.perf_counter() - t

    export.scrub = timed_scrub
    base = _peak_mb()
    t0 = time.perf_counter()
    result = export.export_837p(actor, out, validate=False)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "base_mb": base,
        "scrub_s": scrub_s[0],
        "claims": result.claims,
        "segments": result.segments,
        "path": str(result.path),
    }


def step_validate(path: str) -> dict:
    from medoffice_tui.services.x12.validation import validate_text

    text = Path(path).read_text()
    base = _peak_mb()
    t0 = time.perf_counter()
    result = validate_text(text)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mb": _peak_mb(),
        "base_mb": base,
        "ok": result.ok,
        "faults": len(result.faults),
    }


def write_835_for(db_path: str, out: str) -> dict:
    """An 835 paying every sent claim: $90 + $15 with CO-45 on each line."""
    from medoffice_tui.db import open_database
    from medoffice_tui.db.models import Claim, ClaimLine

    open_database(f"sqlite:///{db_path}")
    lines_of: dict[int, list[tuple[int, str, int]]] = {}
    for lid, cid, code, charge in (
        ClaimLine.select(
            ClaimLine.id, ClaimLine.claim, ClaimLine.procedure_code, ClaimLine.charge_cents
        )
        .order_by(ClaimLine.claim, ClaimLine.line_no)
        .tuples()
    ):
        lines_of.setdefault(cid, []).append((lid, code, charge))
    body: list[str] = []
    total = 0
    sent = Claim.select(Claim.id, Claim.claim_number).where(Claim.status == "submitted").tuples()
    for cid, number in sent:
        services = lines_of[cid]
        paid = sum(c - c * 3 // 10 for _, _, c in services)
        total += paid
        charge = sum(c for _, _, c in services)
        body.append(f"CLP*{number}*1*{charge / 100:.2f}*{paid / 100:.2f}**12*P{number}*11*1")
        body.append("NM1*QC*1*LAST*FIRST****MI*M1")
        for lid, code, c in services:
            adj = c * 3 // 10
            body.append(f"SVC*HC:{code}*{c / 100:.2f}*{(c - adj) / 100:.2f}**1")
            body.append(f"DTM*472*{TODAY:%Y%m%d}")
            body.append(f"CAS*CO*45*{adj / 100:.2f}")
            body.append(f"REF*6R*L{lid}")
    head = [
        "ST*835*0001",
        f"BPR*I*{total / 100:.2f}*C*ACH*CCP*01*999999999*DA*123456*1512345678**"
        f"01*888888888*DA*654321*{TODAY:%Y%m%d}",
        "TRN*1*BENCH835*1999999999",
        f"DTM*405*{TODAY:%Y%m%d}",
        "N1*PR*BENCH PAYER",
        "N3*1 PAYER WAY",
        "N4*SPRINGFIELD*IL*627010000",
        "PER*BL*EDI*TE*8005550199",
        "N1*PE*BENCH FAMILY PRACTICE*XX*1234567893",
        "LX*1",
    ]
    st = head + body
    st.append(f"SE*{len(st) + 1}*0001")
    isa = (
        "ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*BENCHPAYER     *ZZ*BENCHPRACTICE  "
        f"*{TODAY:%y%m%d}*0900*^*00501*000000001*0*T*:"
    )
    text = (
        "~\n".join(
            [
                isa,
                f"GS*HP*BENCHPAYER*BENCHPRACTICE*{TODAY:%Y%m%d}*0900*1*X*005010X221A1",
                *st,
                "GE*1*1",
                "IEA*1*000000001",
            ]
        )
        + "~\n"
    )
    Path(out).write_text(text)
    return {"bytes": len(text), "segments": text.count("~")}


def step_import(db_path: str, path: str) -> dict:
    from medoffice_tui import clock
    from medoffice_tui.db import open_database
    from medoffice_tui.services.staff import system_actor
    from medoffice_tui.services.x12 import remit

    clock.pin(today=TODAY)
    open_database(f"sqlite:///{db_path}")
    actor = system_actor(via="bench")
    base = _peak_mb()
    t0 = time.perf_counter()
    report = remit.import_835(actor, path)
    seconds = time.perf_counter() - t0
    counts = report.counts()
    remittance = report.remittances[0] if report.remittances else None
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "base_mb": base,
        "counts": counts,
        "difference": remittance.difference_cents if remittance else None,
    }


def _child(fn: str, *args: str) -> dict:
    code = (
        "import json, sys; from bench.figures.x12 import "
        f"{fn}; print(json.dumps({fn}(*sys.argv[1:])))"
    )
    done = subprocess.run(
        [PY, "-c", code, *args], cwd=REPO, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mb(step: dict) -> str:
    above = step["peak_mb"] - step["base_mb"]
    return f"peak RSS {step['peak_mb']:.0f} MB ({above:.0f} MB above the start)"


@figure("x12", order=48)
def claims_files(ctx: Ctx) -> None:
    """Exporting 10,000 claims as one 837P and importing an 835 of 10,000 claims (time,
    peak memory), beside pyx12's own validation of the same files as the floor."""
    claims = CLAIMS if ctx.largest >= CLAIMS else max(100, ctx.largest)
    source = claims_db(claims, ctx.log)
    work = OUT / "x12_work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db_path = work / "claims.db"
    shutil.copyfile(source, db_path)
    ctx.log(f"x12: exporting {claims:,} claims")
    sent = _child("step_export", str(db_path), str(work))
    ctx.log(f"x12: pyx12 on the 837P ({sent['segments']:,} segments)")
    floor_837 = _child("step_validate", sent["path"])
    ctx.log("x12: writing and importing the 835")
    era = work / "era.835"
    shape = _child("write_835_for", str(db_path), str(era))
    floor_835 = _child("step_validate", str(era))
    posted = _child("step_import", str(db_path), str(era))
    ctx.add(
        Result(
            figure="x12",
            name=f"export {claims:,} claims as one 837P (scrubbed, without pyx12)",
            unit="s",
            stats=summarize([sent["seconds"]]),
            size=claims,
            floor={"name": "pyx12 validating the same 837P", **summarize([floor_837["seconds"]])},
            note=(
                f"{sent['segments']:,} segments; {_mb(sent)}; the claims' scrubber took "
                f"{sent['scrub_s']:.0f} s of it; pyx12 {_mb(floor_837)}, "
                f"{'0 errors' if floor_837['ok'] else str(floor_837['faults']) + ' errors'}"
            ),
        )
    )
    ctx.add(
        Result(
            figure="x12",
            name=f"import an 835 of {claims:,} claims (pyx12 first, then posted)",
            unit="s",
            stats=summarize([posted["seconds"]]),
            size=claims,
            floor={"name": "pyx12 validating the same 835", **summarize([floor_835["seconds"]])},
            note=(
                f"{shape['segments']:,} segments; {_mb(posted)}; outcomes {posted['counts']}, "
                f"BPR02 difference {posted['difference']} cents; pyx12 alone {_mb(floor_835)}"
            ),
        )
    )
