"""The hand-off store, on SQLite and on a real PostgreSQL database (see conftest.py)."""

import dataclasses
import json
import re
import threading
import uuid
from datetime import UTC, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffNotFound, HandoffStore, InvalidTransition, new_reference

REFERENCE = re.compile(r"MN-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}")
SPEC_REASONS = ["pregnancy", "eczema", "post_treatment_concern", "human_requested"]
JSON_FIELDS = {
    *("id", "reference", "conversation_id", "channel", "language", "reasons", "priority"),
    "status",
    *("created_at", "updated_at", "summary", "contact", "answers", "claimed_by"),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def raise_for(store: HandoffStore, conversation_id: str = "conv-1", **overrides):
    """A hand-off with sensible defaults; `overrides` replace any argument."""
    arguments = {
        "conversation_id": conversation_id,
        "channel": "rest",
        "reasons": ["pregnancy"],
        "answers": {"pregnancy": "yes"},
        "summary": "Reasons: pregnancy.",
        "notify_channels": ["webhook", "email"],
        **overrides,
    }
    return store.raise_handoff(**arguments)


def test_a_new_handoff_is_open_with_a_readable_reference_and_queued_notifications(store, outbox):
    handoff = raise_for(store, contact_name="Ann", contact_phone="+44 7700 900123")

    assert REFERENCE.fullmatch(handoff.reference)
    assert (handoff.status, handoff.priority, handoff.reasons) == (
        "open",
        "screening",
        ("pregnancy",),
    )
    assert handoff.created_at.tzinfo == UTC and handoff.created_at == handoff.updated_at
    assert abs(utcnow() - handoff.created_at) < timedelta(seconds=10)
    assert store.get(handoff.id) == handoff
    assert store.get_by_reference(handoff.reference) == handoff
    notifications = outbox.notifications(handoff.id)
    assert [(n.channel, n.status, n.attempts) for n in notifications] == [
        ("webhook", "pending", 0),
        ("email", "pending", 0),
    ]


def test_the_configured_notifier_channels_are_queued_by_default(store, monkeypatch, outbox):
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    handoff = raise_for(store, notify_channels=None)
    assert [n.channel for n in outbox.notifications(handoff.id)] == ["webhook"]


def test_a_second_raise_adds_to_the_active_handoff_and_upgrades_its_priority(store, outbox):
    first = raise_for(store, contact_name="Ann")
    second = raise_for(
        store,
        reasons=["post_treatment_concern", "pregnancy"],
        answers={"skin_condition": "no"},
        summary="Reasons: post_treatment_concern.",
        contact_email="ann@example.org",
    )

    assert second.id == first.id and second.reference == first.reference
    assert second.reasons == ("pregnancy", "post_treatment_concern")
    assert second.priority == "urgent"
    assert second.answers == {"pregnancy": "yes", "skin_condition": "no"}
    assert second.summary == "Reasons: pregnancy.\nReasons: post_treatment_concern."
    assert (second.contact_name, second.contact_email) == ("Ann", "ann@example.org")
    assert len(store.list()) == 1
    # Staff hear about the new reason too.
    assert len(outbox.notifications(first.id)) == 4


def test_raising_the_same_reasons_again_does_not_notify_staff_twice(store, outbox):
    handoff = raise_for(store)
    raise_for(store)
    assert len(outbox.notifications(handoff.id)) == 2


def test_a_claimed_handoff_is_still_added_to_but_a_resolved_one_is_not(store):
    first = raise_for(store)
    store.claim(first.id, "Nurse Kim")
    assert raise_for(store, reasons=["eczema"]).id == first.id

    store.resolve(first.id, "Nurse Kim")
    again = raise_for(store, reasons=["eczema"])
    assert again.id != first.id and again.reasons == ("eczema",)
    assert store.open_for_conversation("conv-1") == again


def test_two_raises_at_the_same_moment_make_one_handoff(store):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def raise_one(reason: str) -> None:
        barrier.wait()
        try:
            results.append(raise_for(store, conversation_id="race", reasons=[reason]))
        except Exception as error:  # collected, so the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=raise_one, args=(r,)) for r in ("eczema", "herpes")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    [handoff] = store.list()
    assert set(handoff.reasons) == {"eczema", "herpes"}


def test_the_list_shows_urgent_first_then_oldest_first_and_filters_by_status(store):
    older = raise_for(store, conversation_id="a")
    newer = raise_for(store, conversation_id="b")
    urgent = raise_for(store, conversation_id="c", reasons=["post_treatment_concern"])
    store.claim(newer.id, "Kim")

    assert [h.id for h in store.list()] == [urgent.id, older.id, newer.id]
    assert [h.id for h in store.list(status="open")] == [urgent.id, older.id]
    assert [h.id for h in store.list(status=["claimed", "resolved"])] == [newer.id]
    with pytest.raises(ValueError):
        store.list(status="closed")


def test_claim_then_resolve_records_who_and_when(store):
    handoff = raise_for(store)
    claimed = store.claim(handoff.id, "  Nurse   Kim ")
    assert (claimed.status, claimed.claimed_by) == ("claimed", "Nurse Kim")
    assert claimed.claimed_at is not None and claimed.resolved_at is None

    resolved = store.resolve(handoff.id, "Dr Lee")
    assert (resolved.status, resolved.claimed_by) == ("resolved", "Nurse Kim")
    assert resolved.resolved_at >= resolved.claimed_at
    assert resolved.updated_at == resolved.resolved_at


def test_an_open_handoff_can_be_resolved_directly(store):
    resolved = store.resolve(raise_for(store).id, "Dr Lee")
    assert (resolved.status, resolved.claimed_by, resolved.claimed_at) == (
        "resolved",
        "Dr Lee",
        None,
    )


@pytest.mark.parametrize(
    ("moves", "refused"),
    [(["claim"], "claim"), (["resolve"], "claim"), (["resolve"], "resolve")],
)
def test_invalid_transitions_are_refused_and_change_nothing(store, moves, refused):
    handoff = raise_for(store)
    for move in moves:
        getattr(store, move)(handoff.id, "Kim")
    before = store.get(handoff.id)

    with pytest.raises(InvalidTransition) as raised:
        getattr(store, refused)(handoff.id, "Lee")
    assert raised.value.current == before.status
    assert store.get(handoff.id) == before


def test_unknown_ids_and_empty_staff_names_are_refused(store):
    with pytest.raises(HandoffNotFound):
        store.claim(999, "Kim")
    with pytest.raises(ValueError):
        store.claim(raise_for(store).id, "   ")
    assert store.get(999) is None and store.get_by_reference("MN-AAAAAA") is None


def test_a_handoff_needs_a_reason(store):
    with pytest.raises(ValueError):
        raise_for(store, reasons=[])


def test_deleting_a_conversation_erases_its_handoffs_and_notifications_only(store, outbox):
    first = raise_for(store, conversation_id="forget-me")
    store.resolve(first.id, "Kim")
    raise_for(store, conversation_id="forget-me")
    kept = raise_for(store, conversation_id="keep-me")

    assert store.delete_conversation("forget-me") == 2
    assert [h.id for h in store.list()] == [kept.id]
    assert outbox.notifications(first.id) == []
    assert len(outbox.notifications(kept.id)) == 2


def test_views_are_frozen_copies_and_serialise_to_json(store):
    handoff = raise_for(store, contact_name="Ann")
    with pytest.raises(dataclasses.FrozenInstanceError):
        handoff.status = "resolved"
    handoff.answers["pregnancy"] = "no"
    assert store.get(handoff.id).answers == {"pregnancy": "yes"}

    data = json.loads(json.dumps(store.get(handoff.id).to_json()))
    assert data["contact"] == {"name": "Ann", "phone": None, "email": None}
    assert data["reasons"] == ["pregnancy"] and data["claimed_by"] is None
    assert data["created_at"].endswith("+00:00")
    assert set(data) >= JSON_FIELDS


def test_references_use_only_unambiguous_characters():
    references = {new_reference() for _ in range(500)}
    assert all(REFERENCE.fullmatch(reference) for reference in references)
    assert len(references) == 500


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raises=st.lists(st.lists(st.sampled_from(SPEC_REASONS), min_size=1), min_size=1, max_size=4))
def test_a_conversation_has_one_handoff_with_every_reason_once(store, raises):
    conversation_id = f"prop-{uuid.uuid4().hex}"
    for reasons in raises:
        handoff = raise_for(store, conversation_id=conversation_id, reasons=reasons)

    everything = [reason for reasons in raises for reason in reasons]
    assert handoff.reasons == tuple(dict.fromkeys(everything))
    assert (handoff.priority == "urgent") == ("post_treatment_concern" in everything)
    assert len(store.list()) == len({h.conversation_id for h in store.list()})


def test_the_language_the_patient_writes_is_kept_and_updated_by_a_later_raise(store):
    first = raise_for(store, language="roman_ur")
    assert first.language == "roman_ur" and first.to_json()["language"] == "roman_ur"
    assert raise_for(store, reasons=["eczema"]).language == "roman_ur"  # not known: kept
    assert raise_for(store, reasons=["herpes"], language="ur").language == "ur"
    assert raise_for(store, conversation_id="conv-2").language is None
