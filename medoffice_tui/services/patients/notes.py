"""Dated notes on a record: who wrote what, when. Notes are added, never edited, so two
desks writing notes at once never conflict."""

from __future__ import annotations

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import Patient, PatientNote, User
from medoffice_tui.errors import NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.patients.rows import NoteRow, readable_datetime, text_of
from medoffice_tui.services.patients.validation import clean_note


@writes("patient.note")
def add_note(actor: Actor, patient_id: int, text: str) -> NoteRow:
    """Add a note to the record (several lines allowed)."""
    if not Patient.select().where(Patient.id == patient_id).exists():
        raise NotFound(f"patient {patient_id} not found")
    note_id = PatientNote.insert(
        patient=patient_id, text=clean_note(text), created_at=clock.now(),
        created_by=actor.user_id,
    ).execute()  # fmt: skip
    audit.record(actor, "create", "patient_note", note_id, patient_id=patient_id, fields=["text"])
    return notes_of(patient_id, limit=1)[0]


def notes_of(patient_id: int, limit: int = 20) -> list[NoteRow]:
    """The record's notes, newest first."""
    query = (
        PatientNote.select(
            PatientNote.id, PatientNote.text, PatientNote.created_at, User.full_name
        )  # fmt: skip
        .join(User, JOIN.LEFT_OUTER, on=(PatientNote.created_by == User.id))
        .where(PatientNote.patient == patient_id)
        .order_by(PatientNote.created_at.desc(), PatientNote.id.desc())
        .limit(limit)
        .tuples()
    )
    return [
        NoteRow(nid, text_of(t), readable_datetime(at), text_of(by)) for nid, t, at, by in query
    ]
