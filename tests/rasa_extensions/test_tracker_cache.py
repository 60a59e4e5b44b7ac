"""The tracker store keeps idle conversations in memory without ever answering from stale memory.

What a conversation reads back must be what the database holds: after
another Rasa process continued it, after a new session, after a message that
failed before its save, and stored exactly once (on SQLite and PostgreSQL).
"""

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.tracker_store import ClinicSQLTrackerStore

# The same conversations as the concurrency tests (and their databases: conftest.py).
from tests.rasa_extensions.test_tracker_store_concurrency import (
    DOMAIN,
    said,
    session_start,
    turn,
)


async def message(store: ClinicSQLTrackerStore, sender: str, number: int) -> DialogueStateTracker:
    """What Rasa does for one message: read (or start) the conversation, add a turn, save."""
    tracker = await store.retrieve(sender) or DialogueStateTracker.from_events(
        sender, session_start(), DOMAIN.slots
    )
    for event in turn(sender, number):
        tracker.update(event)
    await store.save(tracker)
    return tracker


async def new_session(store: ClinicSQLTrackerStore, sender: str, number: int) -> None:
    """A message after the session expired: a new session begins, then the turn."""
    tracker = await store.retrieve(sender)
    for event in [*session_start(), *turn(sender, number)]:
        tracker.update(event)
    await store.save(tracker)


async def latest_session_as_rasa_reads_it(database_url: str, sender: str) -> list:
    rasa_store = SQLTrackerStore(domain=DOMAIN, host=database_url)
    try:
        return list((await rasa_store.retrieve(sender)).events)
    finally:
        rasa_store.engine.dispose()


@pytest.fixture
def other_process(database_url):
    """A second Rasa server's tracker store on the same database."""
    other = ClinicSQLTrackerStore(domain=DOMAIN, host=database_url)
    yield other
    other.engine.dispose()


async def test_each_event_is_stored_once_and_reads_back_as_the_database_has_it(store, database_url):
    for number in range(4):
        last = await message(store, "sam", number)
    assert said(await store.retrieve("sam")) == [f"sam says {n}" for n in range(4)]
    stored = await latest_session_as_rasa_reads_it(database_url, "sam")
    assert stored == list(last.events)


async def test_messages_another_process_stored_are_read(store, other_process):
    await message(store, "sam", 1)
    await message(store, "sam", 2)
    await message(other_process, "sam", 3)
    assert said(await store.retrieve("sam")) == ["sam says 1", "sam says 2", "sam says 3"]


async def test_a_message_that_failed_before_its_save_leaves_nothing_behind(store):
    await message(store, "sam", 1)
    await message(store, "sam", 2)
    failed = await store.retrieve("sam")
    failed.update(UserUttered("never saved"))
    assert said(await store.retrieve("sam")) == ["sam says 1", "sam says 2"]


async def test_after_a_new_session_only_the_new_session_is_read(store):
    await message(store, "sam", 1)
    await message(store, "sam", 2)
    await new_session(store, "sam", 3)

    assert said(await store.retrieve("sam")) == ["sam says 3"]
    everything = ["sam says 1", "sam says 2", "sam says 3"]
    assert said(await store.retrieve_full_tracker("sam")) == everything


async def test_a_conversation_passed_between_processes_reads_back_as_the_database_has_it(
    store, other_process, database_url
):
    """The production load balancer may send each message to either Rasa process."""
    for number in range(6):
        await message((store, other_process)[number % 2], "sam", number)
        for process in (store, other_process):
            tracker = await process.retrieve("sam")
            assert list(tracker.events) == await latest_session_as_rasa_reads_it(
                database_url, "sam"
            )
            await process.save(tracker)
    assert said(await store.retrieve("sam")) == [f"sam says {n}" for n in range(6)]


async def test_a_kept_conversation_continued_elsewhere_is_brought_up_to_date_not_reread(
    store, other_process
):
    await message(store, "sam", 1)
    kept = await message(store, "sam", 2)
    await message(other_process, "sam", 3)
    caught_up = await store.retrieve("sam")
    assert caught_up is kept
    assert said(caught_up) == ["sam says 1", "sam says 2", "sam says 3"]
    await store.save(caught_up)
    everything = [f"sam says {n}" for n in range(1, 5)]
    assert said(await message(store, "sam", 4)) == everything


async def test_a_conversation_deleted_then_begun_again_elsewhere_does_not_come_back(
    store, other_process
):
    await message(store, "sam", 1)
    await message(store, "sam", 2)
    # As the staff console's delete does, while this process still keeps the tracker.
    with store.engine.begin() as connection:
        events = store.SQLEvent.__table__
        connection.execute(sa.delete(events).where(events.c.sender_id == "sam"))
    await message(other_process, "sam", 3)
    await message(other_process, "sam", 4)
    await message(other_process, "sam", 5)
    assert said(await store.retrieve("sam")) == ["sam says 3", "sam says 4", "sam says 5"]


async def test_a_new_session_begun_elsewhere_is_read_alone(store, other_process):
    await message(store, "sam", 1)
    await message(store, "sam", 2)
    await new_session(other_process, "sam", 3)
    assert said(await store.retrieve("sam")) == ["sam says 3"]
