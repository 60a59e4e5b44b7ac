"""Booked slots: stored on the hand-off with the confirmation queued in the same transaction."""

from datetime import timedelta

import pytest

from clinic_store.bookings import BookingStore, SlotInThePast
from clinic_store.database import utcnow
from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.messages import ConversationMessages

BOOKING = {"area": {"choice": ["face"], "label": "Face", "text": "face"}}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def raise_booking(
    store, conversation_id="conv-booking", reason="consultation_request", booking=BOOKING
):
    return store.raise_handoff(
        conversation_id=conversation_id,
        channel="rest",
        reasons=[reason],
        answers={},
        summary="Booking.",
        booking=booking,
        notify_channels=[],
    )


def test_a_booked_slot_is_stored_and_the_confirmation_queued_in_the_staff_members_name(store):
    handoff = raise_booking(store)
    assert (handoff.booking, handoff.booked_slot) == (BOOKING, None)
    slot = (utcnow() + timedelta(days=2)).replace(microsecond=0)

    booked, message = BookingStore(store.database_url).confirm_slot(
        handoff.id, "  Nurse   Kim ", slot, "Booked for Friday.", "Arrive early."
    )

    assert (booked.booked_slot, booked.booked_by, booked.booking_note) == (
        slot,
        "Nurse Kim",
        "Arrive early.",
    )
    assert booked.booking_json()["status"] == "booked" and booked.status == "open"
    assert store.get(handoff.id).booked_slot == slot
    (queued,) = ConversationMessages(store.database_url).for_conversation("conv-booking")
    assert (queued.author, queued.staff_name, queued.text, queued.status) == (
        "staff",
        "Nurse Kim",
        "Booked for Friday.",
        "pending",
    )


def test_a_slot_in_the_past_or_on_a_resolved_handoff_is_refused_and_nothing_queued(store):
    handoff = raise_booking(store)
    bookings = BookingStore(store.database_url)
    with pytest.raises(SlotInThePast):
        bookings.confirm_slot(handoff.id, "Kim", utcnow() - timedelta(minutes=1), "Text", None)
    store.resolve(handoff.id, "Kim")
    with pytest.raises(InvalidTransition):
        bookings.confirm_slot(handoff.id, "Kim", utcnow() + timedelta(days=1), "Text", None)
    with pytest.raises(HandoffNotFound):
        bookings.confirm_slot(999999, "Kim", utcnow() + timedelta(days=1), "Text", None)
    assert store.get(handoff.id).booked_slot is None
    assert ConversationMessages(store.database_url).for_conversation("conv-booking") == []


def test_booking_details_given_later_join_the_active_handoff(store):
    first = raise_booking(store, "conv-later", reason="pregnancy", booking=None)
    assert first.booking_json() is None
    assert raise_booking(store, "conv-later").booking == BOOKING
