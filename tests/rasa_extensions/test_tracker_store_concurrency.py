"""Conversations stored from worker threads come back whole, in order, and readable by Rasa.

Many conversations are saved at once (as under load, each save in a worker
thread), on SQLite and on PostgreSQL; each must come back with exactly its own
messages in the order they were said, and Rasa's own SQL tracker store must
read the same rows the same way (the staff console and older servers read
that table too).
"""

import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.tracker_store import ClinicSQLTrackerStore

DOMAIN = Domain.from_dict(
    {
        "intents": ["deny"],
        "slots": {"answered": {"type": "float", "mappings": [{"type": "custom"}]}},
    }
)
VISITORS = 12
TURNS = 6


def session_start() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


def turn(sender: str, number: int) -> list[Event]:
    """One message and the bot's answer, as Rasa logs them."""
    return [
        UserUttered(f"{sender} says {number}", {"name": "deny", "confidence": 0.9}),
        SlotSet("answered", float(number)),
        BotUttered(f"answer {number} to {sender}"),
        ActionExecuted("action_listen"),
    ]


def said(tracker: DialogueStateTracker) -> list[str]:
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


async def converse(store: ClinicSQLTrackerStore, sender: str) -> DialogueStateTracker:
    """Read, add one turn, save: what Rasa does for each message. The last tracker saved."""
    tracker = DialogueStateTracker.from_events(sender, session_start(), DOMAIN.slots)
    await store.save(tracker)
    for number in range(TURNS):
        tracker = await store.retrieve(sender)
        for event in turn(sender, number):
            tracker.update(event)
        await store.save(tracker)
    return tracker


async def test_many_conversations_saved_at_once_each_come_back_whole_and_in_order(
    store, database_url
):
    senders = [f"visitor-{n}" for n in range(VISITORS)]
    saved = await asyncio.gather(*(converse(store, sender) for sender in senders))

    rasa_store = SQLTrackerStore(domain=DOMAIN, host=database_url)
    try:
        for sender, last_saved in zip(senders, saved, strict=True):
            restored = await store.retrieve(sender)
            assert said(restored) == [f"{sender} says {n}" for n in range(TURNS)]
            assert list(restored.events) == list(last_saved.events)
            assert restored.get_slot("answered") == TURNS - 1
            assert list((await rasa_store.retrieve(sender)).events) == list(restored.events)
    finally:
        rasa_store.engine.dispose()


async def test_a_new_session_hides_the_previous_one_except_from_the_full_history(store):
    tracker = DialogueStateTracker.from_events(
        "sam", [*session_start(), *turn("sam", 1), *session_start(), *turn("sam", 2)], DOMAIN.slots
    )
    await store.save(tracker)

    assert said(await store.retrieve("sam")) == ["sam says 2"]
    assert said(await store.retrieve_full_tracker("sam")) == ["sam says 1", "sam says 2"]


async def test_a_conversation_never_stored_is_not_found(store):
    assert await store.retrieve("nobody") is None
