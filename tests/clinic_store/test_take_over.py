"""Staff take a conversation over, write in it and hand it back: the store's side."""

from datetime import timedelta

import pytest

from clinic_store.database import utcnow
from clinic_store.errors import InvalidTransition, NotHeld
from clinic_store.messages import ASSISTANT_BACK_RESPONSE, ConversationMessages
from tests.clinic_store.test_handoffs import raise_for


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def messages(store) -> ConversationMessages:
    return ConversationMessages(store.database_url)


def test_claiming_takes_the_conversation_over_and_only_that_one(store):
    handoff = raise_for(store, "held-1")
    raise_for(store, "other-1")
    assert store.held("held-1") is None

    claimed = store.claim(handoff.id, "Nurse Kim")

    assert claimed.bot_paused and claimed.staff_active_at == claimed.claimed_at
    assert store.held("held-1") == claimed
    assert store.held("other-1") is None


def test_staff_write_only_into_a_conversation_they_hold(store, messages):
    handoff = raise_for(store, "held-2")
    with pytest.raises(NotHeld):
        messages.add_staff_message(handoff.id, "Nurse Kim", "Hello")
    store.claim(handoff.id, "Nurse Kim")
    with pytest.raises(ValueError):
        messages.add_staff_message(handoff.id, "Nurse Kim", "   ")

    written = messages.add_staff_message(handoff.id, "  Nurse   Kim ", " Hello, I'm Kim. ")

    assert (written.author, written.staff_name, written.text) == (
        "staff",
        "Nurse Kim",
        "Hello, I'm Kim.",
    )
    assert (written.channel, written.status) == ("rest", "pending")
    assert messages.for_conversation("held-2") == [written]
    assert store.get(handoff.id).staff_active_at == written.created_at


def test_pending_messages_are_handed_over_once_in_order(store, messages):
    handoff = raise_for(store, "held-3")
    store.claim(handoff.id, "Nurse Kim")
    first = messages.add_staff_message(handoff.id, "Nurse Kim", "first")
    second = messages.add_staff_message(handoff.id, "Nurse Kim", "second")

    taken = messages.take_pending("held-3")

    assert [m.id for m in taken] == [first.id, second.id]
    assert all(m.status == "delivered" and m.delivered_at for m in taken)
    assert messages.take_pending("held-3") == []


def test_handing_back_keeps_the_claim_and_tells_the_patient(store, messages):
    handoff = raise_for(store, "held-4")
    with pytest.raises(InvalidTransition):
        store.release(handoff.id, "Nurse Kim")  # nobody holds it yet
    store.claim(handoff.id, "Nurse Kim")

    released = store.release(handoff.id, "Nurse Kim")

    assert (released.status, released.claimed_by, released.bot_paused) == (
        "claimed",
        "Nurse Kim",
        False,
    )
    assert store.held("held-4") is None
    [back] = messages.for_conversation("held-4")
    assert (back.author, back.response) == ("assistant", ASSISTANT_BACK_RESPONSE)
    assert back.text.startswith("You're back with the clinic's automated assistant.")
    with pytest.raises(InvalidTransition):
        store.release(handoff.id, "Nurse Kim")
    with pytest.raises(NotHeld):
        messages.add_staff_message(handoff.id, "Nurse Kim", "too late")


def test_resolving_a_held_conversation_hands_it_back(store, messages):
    held, unheld = raise_for(store, "held-5"), raise_for(store, "open-5")
    store.claim(held.id, "Nurse Kim")

    assert not store.resolve(held.id, "Nurse Kim").bot_paused
    store.resolve(unheld.id, "Nurse Kim")

    assert [m.response for m in messages.for_conversation("held-5")] == [ASSISTANT_BACK_RESPONSE]
    assert messages.for_conversation("open-5") == []  # the bot never stopped answering there


def test_a_held_conversation_left_idle_returns_to_the_open_list_and_staff_hear_again(
    store, messages, outbox
):
    idle, busy = raise_for(store, "idle-6"), raise_for(store, "busy-6")
    store.claim(idle.id, "Nurse Kim")
    store.claim(busy.id, "Dr Lee")
    cut_off = utcnow()
    messages.add_staff_message(busy.id, "Dr Lee", "still here")  # activity after the cut-off

    [returned] = store.return_idle(cut_off, notify_channels=["webhook"])

    assert returned.id == idle.id
    assert (returned.status, returned.claimed_by, returned.bot_paused) == ("open", None, False)
    assert store.held("idle-6") is None and store.held("busy-6") is not None
    assert [(n.kind, n.channel) for n in outbox.notifications(idle.id)][-1] == (
        "returned",
        "webhook",
    )
    assert [m.response for m in messages.for_conversation("idle-6")] == [ASSISTANT_BACK_RESPONSE]
    # Back on the list, it can be claimed again.
    assert store.claim(idle.id, "Dr Lee").bot_paused


def test_a_patient_writing_many_times_makes_one_waiting_notification(store, outbox):
    handoff = raise_for(store, "held-7", notify_channels=[])
    store.claim(handoff.id, "Nurse Kim")

    assert outbox.notify(handoff.id, "patient_message", ["webhook", "email"]) == 2
    assert outbox.notify(handoff.id, "patient_message", ["webhook", "email"]) == 0
    assert outbox.notify(handoff.id, "urgent_message", ["webhook"]) == 1
    kinds = [(n.kind, n.channel) for n in outbox.notifications(handoff.id)]
    assert kinds == [
        ("patient_message", "webhook"),
        ("patient_message", "email"),
        ("urgent_message", "webhook"),
    ]


def test_deleting_a_conversation_deletes_its_staff_messages(store, messages):
    handoff = raise_for(store, "forget-8")
    store.claim(handoff.id, "Nurse Kim")
    messages.add_staff_message(handoff.id, "Nurse Kim", "hello")

    store.delete_conversation("forget-8")

    assert messages.for_conversation("forget-8") == []


def test_a_push_message_is_leased_to_one_sender_and_taken_again_if_it_never_reports(
    store, messages
):
    """A Rasa server that dies while sending loses nothing: after the lease, another sends it."""
    handoff = raise_for(store, "push-9", channel="whatsapp")
    store.claim(handoff.id, "Nurse Kim")
    written = messages.add_staff_message(handoff.id, "Nurse Kim", "hello")
    now, lease = utcnow(), timedelta(minutes=1)

    assert [m.id for m in messages.take_due(["whatsapp"], now, lease)] == [written.id]
    assert messages.take_due(["whatsapp"], now, lease) == []  # the other server waits
    assert messages.take_due(["socketio", "twilio"], now + 2 * lease, lease) == []
    [again] = messages.take_due(["whatsapp"], now + 2 * lease, lease)
    messages.record_delivered(again.id)
    assert messages.take_due(["whatsapp"], now + 4 * lease, lease) == []
    assert messages.for_conversation("push-9")[0].status == "delivered"


def test_a_failed_push_is_retried_then_given_up(store, messages):
    handoff = raise_for(store, "push-10", channel="twilio")
    store.claim(handoff.id, "Nurse Kim")
    written = messages.add_staff_message(handoff.id, "Nurse Kim", "hello")
    retry_at = utcnow() + timedelta(seconds=30)

    messages.record_failure(written.id, "refused", retry_at)
    assert messages.take_due(["twilio"], utcnow(), timedelta(minutes=1)) == []
    [again] = messages.take_due(["twilio"], retry_at, timedelta(minutes=1))
    assert (again.attempts, again.last_error) == (1, "refused")
    messages.record_failure(written.id, "refused again", None)
    assert messages.for_conversation("push-10")[0].status == "failed"


@pytest.mark.parametrize(
    "language, roman_urdu_reply, opening",
    [
        ("ur", "en", "آپ دوبارہ کلینک کے خودکار اسسٹنٹ"),
        ("roman_ur", "ur", "آپ دوبارہ کلینک کے خودکار اسسٹنٹ"),
        ("roman_ur", "en", "You're back with the clinic's automated assistant."),
        (None, "en", "You're back with the clinic's automated assistant."),
    ],
)
def test_the_patient_is_told_the_assistant_is_back_in_their_language(
    store, messages, monkeypatch, language, roman_urdu_reply, opening
):
    monkeypatch.setenv("ROMAN_URDU_REPLY_LANGUAGE", roman_urdu_reply)
    handoff = raise_for(store, "held-urdu", language=language)
    store.claim(handoff.id, "Nurse Kim")
    store.release(handoff.id, "Nurse Kim")
    [back] = messages.for_conversation("held-urdu")
    assert back.text.startswith(opening)
