"""The Patients pane and the record, driven by keys alone on the demo practice: search and
open (also typed in one burst), recall the last patient, edit demographics (and a save
another desk beat), add an allergy and a set of vitals, register a patient through the
duplicate warning, merge two records."""

from __future__ import annotations

from medoffice_tui.db.models import Allergy, Patient, Vital
from medoffice_tui.services import patients
from medoffice_tui.ui.panes.patients import PatientSearchInput
from medoffice_tui.ui.screens.merge import MergeScreen
from medoffice_tui.ui.screens.patient import PatientScreen
from medoffice_tui.ui.screens.patient_forms import AllergyForm, DemographicsForm, VitalsForm
from medoffice_tui.ui.screens.registration import DuplicateWarningScreen, RegistrationForm
from medoffice_tui.ui.widgets.paged_list import PagedList

from .conftest import SIZE, demo_actor
from .test_app import settle
from .test_sign_in_and_lock import burst


def duplicate_pair() -> tuple[Patient, Patient]:
    """The demo's likely duplicate: same last name, DOB and mobile, first name misspelt."""
    for patient in Patient.select().where(Patient.active).order_by(Patient.id):
        twin = (
            Patient.select()
            .where((Patient.last_norm == patient.last_norm) & (Patient.dob == patient.dob)
                   & (Patient.id != patient.id) & (Patient.phone_mobile == patient.phone_mobile))
            .first()
        )  # fmt: skip
        if twin is not None:
            return patient, twin
    raise AssertionError("the demo has no duplicate pair")


def swapped(word: str) -> str:
    """The word with its first two different neighbouring letters swapped (a typo)."""
    i = next(i for i in range(1, len(word) - 1) if word[i] != word[i + 1])
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def form_field(app, name: str):  # noqa: ANN001, ANN201
    return app.screen.query_one(f"#input-{name}")


async def test_a_burst_finds_and_opens_the_first_match(make_app) -> None:
    """F3, a name, Down and Enter typed in one go: the first result of *that* name opens."""
    original, _twin = duplicate_pair()
    query = f"{original.last_name}, {original.first_name}".lower()
    expected = patients.search_patients(query, limit=1).rows[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f3", *query, "down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert app.screen.patient_id == expected.id
        # Space in the empty search box brings the last record back
        await pilot.press("escape")
        await pilot.press("escape")  # clears the box
        assert isinstance(app.focused, PatientSearchInput) and app.focused.value == ""
        await pilot.press("space")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert app.screen.patient_id == expected.id


async def test_results_show_next_visit_allergy_state_and_close_spellings(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        typo = f"{swapped(original.last_name)} {original.first_name}"
        await pilot.press("f3", *typo.lower())
        await settle(app, pilot)
        rows = app.screen.query_one("#patients-list", PagedList).rows
        ids = [r.data.id for r in rows]
        assert original.id in ids
        row = rows[ids.index(original.id)]
        assert row.cells[0].startswith("~ ")  # a close spelling, marked
        assert row.cells[5]  # its next appointment
        assert row.cells[6] in ("!", "NKA", "?")


async def test_edit_demographics_by_keys(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *original.mrn, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, DemographicsForm)
        form_field(app, "city").value = ""
        form_field(app, "city").focus()
        await pilot.press(*"Evanston", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert Patient.get_by_id(original.id).city == "Evanston"
        assert "Evanston" in str(app.screen.query_one("#patient-detail").render())


async def test_a_save_another_desk_beat_keeps_the_typed_values(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *original.mrn, "enter")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        # meanwhile another desk changes the address
        other = demo_actor("billing")
        version = Patient.get_by_id(original.id).version
        patients.update_patient(other, original.id, version, address1="1 Other Desk Rd")
        box = form_field(app, "email")
        box.value = "mine@example.org"
        box.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DemographicsForm)  # refused: the form stays
        message = str(app.screen.query_one("#form-message").render())
        assert "changed this record (address1)" in message
        assert form_field(app, "email").value == "mine@example.org"  # the desk's value kept
        assert Patient.get_by_id(original.id).email != "mine@example.org"
        await pilot.press("enter")  # saves over the new version, knowingly
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        stored = Patient.get_by_id(original.id)
        assert (stored.email, stored.address1) == ("mine@example.org", "1 Other Desk Rd")


async def test_add_an_allergy_and_a_vitals_set(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app(user="clinical")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *original.mrn, "enter")
        await settle(app, pilot)
        await pilot.press("tab", "tab")  # demographics -> insurance -> allergies
        assert app.screen.section == "allergies"
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AllergyForm)
        await pilot.press(*"Sulfa drugs", "tab", *"Rash", "tab", "right", "right", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        allergy = Allergy.get(
            (Allergy.patient == original.id) & (Allergy.substance == "Sulfa drugs")
        )
        assert (allergy.reaction, allergy.severity) == ("Rash", "moderate")
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, VitalsForm)
        await pilot.press(*"128", "tab", *"82", "tab", *"70", "tab", *"98.4", "tab", "tab",
                          *"160", "tab", "tab", *"66", "enter")  # fmt: skip
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        vital = Vital.select().where(Vital.patient == original.id).order_by(Vital.id.desc()).get()
        assert (vital.systolic, vital.diastolic, vital.pulse, vital.weight_lb) == (128, 82, 70, 160)
        shown = app.screen.query_one("#sec-vitals", PagedList).rows[0].cells
        assert "128/82" in shown and "25.8" in shown  # BMI computed


async def test_register_through_the_duplicate_warning(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistrationForm)
        dob = original.dob.strftime("%m/%d/%Y")
        await pilot.press(*original.last_name, "tab", *"Dianne", "tab", "tab", "tab", "tab",
                          *dob, "enter")  # fmt: skip
        await settle(app, pilot)
        assert isinstance(app.screen, DuplicateWarningScreen)
        shown = [r.data.id for r in app.screen.query_one("#dup-list", PagedList).rows]
        assert original.id in shown
        before = Patient.select().count()
        await pilot.press("r")  # a different person: register anyway
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert Patient.select().count() == before + 1
        new = Patient.get_by_id(app.screen.patient_id)
        assert (new.first_name, new.dob) == ("Dianne", original.dob)


async def test_the_duplicate_warning_opens_the_existing_record(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(app, pilot)
        dob = original.dob.strftime("%m/%d/%Y")
        await pilot.press(*original.last_name, "tab", *original.first_name, "tab", "tab", "tab",
                          "tab", *dob, "enter")  # fmt: skip
        await settle(app, pilot)
        before = Patient.select().count()
        listing = app.screen.query_one("#dup-list", PagedList)
        listing.move_cursor(listing.index_where(lambda d: d.id == original.id))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen) and app.screen.patient_id == original.id
        assert Patient.select().count() == before  # nothing saved


async def test_merge_two_records_by_keys(make_app) -> None:
    original, twin = duplicate_pair()
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *original.mrn, "enter")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press(*twin.mrn)
        await settle(app, pilot)
        await pilot.press("enter")  # take the match
        await pilot.press("enter")  # compare
        await settle(app, pilot)
        assert isinstance(app.screen, MergeScreen)
        listing = app.screen.query_one("#merge-list", PagedList)
        listing.move_cursor(listing.index_where(lambda name: name == "first_name"))
        await pilot.press("right")  # keep the duplicate's spelling of the first name
        await pilot.press("enter", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen) and app.screen.patient_id == original.id
        merged = Patient.get_by_id(twin.id)
        assert (merged.active, merged.merged_into_id) == (False, original.id)
        assert Patient.get_by_id(original.id).first_name == twin.first_name


def field_widget(app, name: str):  # noqa: ANN001, ANN201
    return app.screen.field(name)


def error_text(app, name: str) -> str:  # noqa: ANN001
    item = field_widget(app, name)
    return str(item.query_one(".field-error").render()) if item.has_class("-invalid") else ""


async def type_into(app, pilot, name: str, text: str) -> None:  # noqa: ANN001
    box = form_field(app, name)
    box.value = ""
    box.focus()
    await pilot.press(*text)


async def test_registration_checks_each_field_as_it_is_left(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistrationForm)
        await type_into(app, pilot, "state", "ZZ")
        await pilot.press("tab")  # leaves the field: checked now, not only on Enter
        await settle(app, pilot)
        assert "not a US state" in error_text(app, "state")
        assert error_text(app, "zip") == ""  # not yet reached
        await type_into(app, pilot, "member_id", "A;1")
        await pilot.press("tab")
        await settle(app, pilot)
        assert error_text(app, "member_id") == ""  # no payer chosen: not insured, no rule
        await type_into(app, pilot, "state", "il")
        await settle(app, pilot)
        assert error_text(app, "state") == ""  # typing clears it


async def test_three_bad_fields_are_shown_at_once(make_app) -> None:
    """Registration: one Enter, three refusals, each beside its field; nothing saved."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"Novak", "tab", *"Iva", "tab", "tab", "tab", "tab", *"5/6/1990")
        for name, text in (("state", "ZZ"), ("zip", "606"), ("email", "iva@")):
            box = form_field(app, name)
            box.value = text  # typed, not left: only the save checks these
        before = Patient.select().count()
        form_field(app, "city").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistrationForm)
        assert "not a US state" in error_text(app, "state")
        assert "ZIP" in error_text(app, "zip")
        assert "email" in error_text(app, "email")
        assert "3 marked fields" in str(app.screen.query_one("#form-message").render())
        assert app.focused is form_field(app, "email")  # the first, in the form's order
        assert Patient.select().count() == before


async def test_demographics_edit_shows_every_bad_field_at_once(make_app) -> None:
    original, _twin = duplicate_pair()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *original.mrn, "enter")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, DemographicsForm)
        await type_into(app, pilot, "zip", "1")
        await pilot.press("tab")
        await settle(app, pilot)
        assert "ZIP" in error_text(app, "zip")  # checked as it was left
        for name, text in (("state", "Narnia"), ("email", "nope")):
            form_field(app, name).value = text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DemographicsForm)
        assert all(error_text(app, n) for n in ("state", "zip", "email"))
        # a field whose shape is wrong stops the save before the service: the others'
        # rules are still checked and marked in the same Enter
        form_field(app, "zip").value = "60613"
        form_field(app, "email").value = "still@bad"
        form_field(app, "phone_home").value = "12"
        await pilot.press("enter")
        await settle(app, pilot)
        assert all(error_text(app, n) for n in ("state", "email", "phone_home"))
        assert error_text(app, "zip") == ""
        stored = Patient.get_by_id(original.id)
        assert (stored.state, stored.zip, stored.email) == (
            original.state, original.zip, original.email
        )  # fmt: skip


async def test_register_with_a_primary_and_a_secondary_coverage(make_app) -> None:
    from medoffice_tui.db.models import Coverage

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"Zzyzx", "tab", *"Quinn", "tab", "tab", "tab", "tab", *"5/6/1990")
        form_field(app, "payer_id").focus()
        await pilot.press("right", "tab", *"m100", "tab", "tab", "tab", "tab", "tab", "tab")
        assert app.focused is form_field(app, "secondary_payer_id")
        await pilot.press("right", "right", "tab", *"s200", "tab", "tab", "right", "tab",
                          *"Jan", "tab", *"Zzyzx", "tab", *"1/2/1960")  # fmt: skip
        await pilot.press("enter")
        await settle(app, pilot)
        if isinstance(app.screen, DuplicateWarningScreen):
            await pilot.press("r")
            await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        stored = [
            (c.rank, c.member_id, c.relationship, c.subscriber_first)
            for c in Coverage.select()
            .where(Coverage.patient == app.screen.patient_id)
            .order_by(Coverage.rank)
        ]
        assert stored == [(1, "M100", "self", ""), (2, "S200", "spouse", "Jan")]


async def test_each_typed_letter_is_answered_on_the_ui_thread(make_app, monkeypatch) -> None:
    """An indexed search's first page is read inline, in the key's own frame: no worker,
    and no wait for the letters typed in one burst."""
    import threading

    from medoffice_tui.services import session
    from medoffice_tui.ui import service_call
    from medoffice_tui.ui.panes import patients as pane_module

    monkeypatch.setattr(service_call, "INLINE_BUDGET_S", 5.0)  # a busy test box is no miss
    threads: list[tuple[str, int, bool]] = []
    search = pane_module.patients.search_patients

    def spy(query, **kwargs):  # noqa: ANN001, ANN003, ANN202
        threads.append((query, kwargs["limit"], threading.current_thread() is main))
        return search(query, **kwargs)

    main = threading.main_thread()
    monkeypatch.setattr(pane_module.patients, "search_patients", spy)
    assert session.can_run_inline()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await burst(app, *"smi")
        await pilot.pause()
        pane = app.query_one(pane_module.PatientsPane)
        assert pane.search_box.value == "smi"
        assert pane.results_current  # the rows on screen answer "smi" already
        # each text searched on the UI thread, and never one the box no longer held
        # when its change was read: at least the last, at most one per key
        assert threads and threads[-1][0] == "smi" and len(threads) <= 3
        assert all(limit == pane_module.FIRST_PAGE_SIZE and inline for _q, limit, inline in threads)
        print("searched in the burst:", [q for q, _l, _i in threads])
        rows = pane.list.rows
        assert rows and all(r.data.last_name.lower().startswith("smi") for r in rows)


async def test_a_page_with_the_same_rows_keeps_them(make_app) -> None:
    """Typing on when the first rows stay the same ("smit" then "smith") replaces no row."""
    from medoffice_tui.ui.panes.patients import PatientsPane

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"smit")
        await settle(app, pilot)
        pane = app.query_one(PatientsPane)
        before = list(pane.list.rows)
        calls: list[int] = []
        original_set_rows = pane.list.set_rows
        pane.list.set_rows = lambda rows, **kw: calls.append(1) or original_set_rows(rows, **kw)
        await pilot.press("h")
        await settle(app, pilot)
        after = list(pane.list.rows)
        if [r.cells for r in after] == [r.cells for r in before] and len(after) == len(before):
            assert not calls  # nothing to replace: the list was not reset
        assert all(r.data.last_name.lower().startswith("smith") for r in after)
        assert pane.list.cursor_row == 0


async def test_the_record_opens_with_its_data_in_the_first_frame(make_app, monkeypatch) -> None:
    """Opened from the search, the record is read once, before the screen is pushed (one
    audited view), and the screen never reads it again on its own."""
    from medoffice_tui.db.models import AuditEvent

    original, _twin = duplicate_pair()
    loads: list[int] = []
    monkeypatch.setattr(PatientScreen, "_load", lambda self, pid: loads.append(pid))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *original.mrn)
        await settle(app, pilot)
        last = AuditEvent.select().order_by(AuditEvent.id.desc()).first().id
        await burst(app, "enter", "tab")  # Tab typed at once waits for the record
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PatientScreen) and screen.patient_id == original.id
        assert screen.detail is not None and screen.detail.id == original.id
        assert not loads
        assert original.mrn in str(screen.query_one("#patient-title").render())
        views = AuditEvent.select().where((AuditEvent.id > last) & (AuditEvent.action == "view"))
        assert views.count() == 1
        assert app.focused is not None and app.focused.id != "patient-body"


def test_section_rows_use_only_the_styles_a_section_declares() -> None:
    from medoffice_tui.ui.screens.patient_sections import SECTION_STYLES, Section

    declared = Section._get_component_classes()
    for name in SECTION_STYLES:
        assert f"paged-list--{name}" in declared
    assert "paged-list--info" not in declared  # left out on purpose: fewer to style
