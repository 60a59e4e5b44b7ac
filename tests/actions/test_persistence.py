"""Hand-offs are stored once per conversation, with their life cycle, on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa

from actions.persistence import HandoffStore, InvalidTransition, migrate
from tests.databases import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'clinic.db'}"
        migrate(url)
        yield HandoffStore(url)
        return
    with postgres_database() as url:
        migrate(url)
        store = HandoffStore(url)
        yield store
        store.engine.dispose()


def raise_for(store, conversation_id="c1", reasons=("eczema",), **contact):
    return store.raise_handoff(
        conversation_id=conversation_id,
        channel="rest",
        reasons=list(reasons),
        answers={"skin_condition": "yes", "skin_condition_type": ["eczema"]},
        summary="Reasons: eczema",
        notify_channels=("webhook", "email"),
        **contact,
    )


def test_a_new_handoff_is_open_with_a_readable_reference(store):
    handoff = raise_for(store, contact_name="Sam", contact_phone="07700 900123")
    assert handoff.status == "open" and handoff.priority == "normal"
    assert handoff.reference.startswith("MN-") and len(handoff.reference) == 9
    assert handoff.contact == {"name": "Sam", "phone": "07700 900123", "email": None}
    assert store.get(handoff.id).answers["skin_condition_type"] == ["eczema"]
    assert store.notification_statuses(handoff.id) == [("webhook", "pending", 0), ("email", "pending", 0)]


def test_a_second_request_in_the_same_conversation_adds_to_the_open_handoff(store):
    first = raise_for(store)
    second = raise_for(store, reasons=["post_treatment_concern"])
    assert second.id == first.id and second.reference == first.reference
    assert second.reasons == ["eczema", "post_treatment_concern"]
    assert second.priority == "urgent"
    assert len(store.list_handoffs()) == 1


def test_life_cycle_and_invalid_transitions(store):
    handoff = raise_for(store)
    assert store.claim(handoff.id, "alice").claimed_by == "alice"
    with pytest.raises(InvalidTransition):
        store.claim(handoff.id, "bob")
    assert store.resolve(handoff.id, "alice").status == "resolved"
    with pytest.raises(InvalidTransition):
        store.resolve(handoff.id, "alice")
    assert raise_for(store).id != handoff.id  # a resolved hand-off is not reopened


def test_urgent_first_then_oldest_first(store):
    normal = raise_for(store, conversation_id="a")
    urgent = raise_for(store, conversation_id="b", reasons=["post_treatment_concern"])
    older_normal_ids = [h.id for h in store.list_handoffs(status="open")]
    assert older_normal_ids == [urgent.id, normal.id]


def test_deleting_a_conversation_removes_its_handoffs_and_notifications(store):
    handoff = raise_for(store, conversation_id="gone")
    raise_for(store, conversation_id="kept")
    assert store.delete_conversation("gone") == 1
    assert store.get(handoff.id) is None
    with store.engine.connect() as connection:
        left = connection.execute(sa.text("SELECT count(*) FROM notifications")).scalar()
    assert left == 2


def test_staff_passwords_are_hashed_and_checked(store):
    store.create_staff_user("alice", "s3cret pass")
    assert store.verify_staff_user("alice", "s3cret pass")
    assert not store.verify_staff_user("alice", "wrong")
    assert not store.verify_staff_user("nobody", "s3cret pass")
    with store.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT password_hash FROM staff_users")).scalar()
    assert "s3cret" not in stored and stored.startswith("$2")
