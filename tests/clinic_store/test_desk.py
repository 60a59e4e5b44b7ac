"""The desk's store: reopening, assigning, contact edits and internal notes, on SQLite and
PostgreSQL (see conftest.py)."""

import pytest

from clinic_store.desk import CaseDesk, ContactEdit, UnknownStaffUser
from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.messages import ConversationMessages
from clinic_store.spool import pending, spool_handoff, store_spooled
from tests.clinic_store.test_handoffs import raise_for

REGIONS = ("PK", "GB")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def desk(store) -> CaseDesk:
    return CaseDesk(store.database_url)


def test_a_resolved_case_reopens_with_its_history_and_an_entry_saying_so(store, desk):
    handoff = raise_for(store, "reopen-1", contact_name="Ann")
    store.claim(handoff.id, "Nurse Kim")
    store.resolve(handoff.id, "Nurse Kim")

    reopened = desk.reopen(handoff.id, "Dr Lee")

    assert (reopened.status, reopened.claimed_by, reopened.resolved_at) == ("open", None, None)
    assert (reopened.reference, reopened.reasons, reopened.contact_name) == (
        handoff.reference,
        ("pregnancy",),
        "Ann",
    )
    assert store.open_for_conversation("reopen-1") == reopened
    (entry,) = desk.history(handoff.id)
    assert (entry.kind, entry.staff_name, entry.details["resolved_by"]) == (
        "reopened",
        "Dr Lee",
        "Nurse Kim",
    )
    assert entry.details["resolved_at"]


def test_only_a_resolved_case_reopens_and_never_beside_another_active_one(store, desk):
    handoff = raise_for(store, "reopen-2")
    with pytest.raises(InvalidTransition, match="open cannot become reopened"):
        desk.reopen(handoff.id, "Kim")
    store.resolve(handoff.id, "Kim")
    newer = raise_for(store, "reopen-2", reasons=["human_requested"])
    with pytest.raises(InvalidTransition, match=newer.reference):
        desk.reopen(handoff.id, "Kim")
    assert store.get(handoff.id).status == "resolved" and desk.history(handoff.id) == []
    with pytest.raises(HandoffNotFound):
        desk.reopen(999999, "Kim")


def test_a_case_is_assigned_to_a_colleague_with_a_login_only(store, desk, staff_logins):
    staff_logins.create("dr.lee", "secret")
    handoff = raise_for(store, "assign-1")

    assert desk.assign(handoff.id, "dr.lee", "nurse.kim").assigned_to == "dr.lee"
    with pytest.raises(UnknownStaffUser):
        desk.assign(handoff.id, "nobody.here", "nurse.kim")
    assert desk.assign(handoff.id, None, "nurse.kim").assigned_to is None
    assert [(e.kind, e.details) for e in desk.history(handoff.id)] == [
        ("assigned", {"assignee": "dr.lee", "previous": None}),
        ("assigned", {"assignee": None, "previous": "dr.lee"}),
    ]
    assert staff_logins.usernames() == ["dr.lee"]


def test_contact_details_are_checked_as_the_bot_checks_them():
    edit = ContactEdit.parse("  Sana   Tariq ", "0300 1234567", "Sana@Example.org", REGIONS)
    assert edit == ContactEdit("Sana Tariq", "+923001234567", "Sana@example.org")
    assert ContactEdit.parse("", "", "", REGIONS) == ContactEdit(None, None, None)
    assert ContactEdit.parse(None, "07700 900123", None, REGIONS).contact_phone == "+447700900123"
    for phone in ("not a number", "0300 1234567 and 0300 7654321", "12"):
        with pytest.raises(ValueError, match="phone"):
            ContactEdit.parse("Sana", phone, "", REGIONS)
    for email in ("sana@", "sana@example.org other@example.org", "sana at example.org"):
        with pytest.raises(ValueError, match="e-mail"):
            ContactEdit.parse("Sana", "", email, REGIONS)


def test_a_contact_edit_stores_what_changed_and_says_so_in_the_history(store, desk):
    handoff = raise_for(store, "contact-1", contact_name="Sana", contact_phone="+923001234567")
    edit = ContactEdit("Sana Tariq", "+923001234567", "sana@example.org")

    edited = desk.edit_contact(handoff.id, edit, "nurse.kim")

    assert edited.contact == {
        "name": "Sana Tariq",
        "phone": "+923001234567",
        "email": "sana@example.org",
    }
    (entry,) = desk.history(handoff.id)
    assert entry.details["changed"] == {
        "contact_name": {"from": "Sana", "to": "Sana Tariq"},
        "contact_email": {"from": None, "to": "sana@example.org"},
    }
    desk.edit_contact(handoff.id, edit, "nurse.kim")  # nothing changed: nothing recorded
    assert len(desk.history(handoff.id)) == 1


def test_internal_notes_are_kept_with_author_and_time_and_never_queued_for_the_patient(store, desk):
    handoff = raise_for(store, "notes-1")
    note = desk.add_note(handoff.id, "nurse.kim", "  Called her, no answer.  ")

    assert (note.author, note.text) == ("nurse.kim", "Called her, no answer.")
    assert note.created_at.tzinfo is not None
    assert desk.notes(handoff.id) == [note]
    assert note.to_json()["internal"] is True
    messages = ConversationMessages(store.database_url)
    assert messages.for_conversation("notes-1") == []
    assert messages.take_pending("notes-1") == []
    with pytest.raises(ValueError, match="note"):
        desk.add_note(handoff.id, "nurse.kim", "   ")
    with pytest.raises(HandoffNotFound):
        desk.add_note(999999, "nurse.kim", "hello")


def test_deleting_a_conversation_deletes_its_notes_and_history(store, desk):
    handoff = raise_for(store, "forget-1")
    desk.add_note(handoff.id, "nurse.kim", "Private.")
    store.resolve(handoff.id, "nurse.kim")
    desk.reopen(handoff.id, "nurse.kim")

    assert store.delete_conversation("forget-1") == 1
    assert desk.notes(handoff.id) == [] and desk.history(handoff.id) == []


def test_screening_flags_have_their_own_priority_between_urgent_and_normal(store):
    normal = raise_for(store, "prio-1", reasons=["human_requested"])
    flagged = raise_for(store, "prio-2", reasons=["consultation_request", "herpes"])
    urgent = raise_for(store, "prio-3", reasons=["post_treatment_concern", "herpes"])

    assert (normal.priority, flagged.priority, urgent.priority) == (
        "normal",
        "screening",
        "urgent",
    )
    assert [h.id for h in store.list()] == [urgent.id, flagged.id, normal.id]


def test_the_whatsapp_profile_name_is_kept_apart_and_stands_in_for_a_missing_name(store):
    handoff = raise_for(store, "wa-1", channel="whatsapp", profile_name="Ayesha K")
    assert (handoff.contact_name, handoff.profile_name) == (None, "Ayesha K")
    assert handoff.contact["name"] == "Ayesha K"
    assert handoff.to_json()["profile_name"] == "Ayesha K"

    named = raise_for(store, "wa-1", reasons=["herpes"], contact_name="Ayesha Khan")
    assert (named.contact["name"], named.profile_name) == ("Ayesha Khan", "Ayesha K")


def test_a_spooled_handoff_keeps_the_profile_name(store, tmp_path):
    spool_handoff(
        tmp_path,
        conversation_id="wa-spool",
        channel="whatsapp",
        reasons=["pregnancy"],
        answers={},
        summary="",
        contact_name=None,
        contact_phone="+923001234567",
        contact_email=None,
        profile_name="Ayesha K",
        notify_channels=[],
    )
    ((_, record),) = pending(tmp_path)
    assert store_spooled(store, record).profile_name == "Ayesha K"
