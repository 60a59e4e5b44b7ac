"""The staff hold's pieces: Rasa's pause events follow the database, and a bad database
lets the bot answer. The whole of it runs end to end in tests/e2e/test_take_over.py."""

import logging

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ConversationPaused,
    ConversationResumed,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_store import database
from clinic_store.database import migrate
from clinic_store.handoffs import HandoffStore
from rasa_extensions import staff_hold
from rasa_extensions.staff_hold import follow_staff_hold, held_by_staff, unanswered_user_message
from tests.clinic_store.test_handoffs import raise_for


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("patient-1", list(events))


def test_the_tracker_is_paused_and_resumed_with_rasas_events_once_each():
    conversation = tracker(ActionExecuted(ACTION_LISTEN_NAME), UserUttered("hello"))
    follow_staff_hold(conversation, held=True)
    follow_staff_hold(conversation, held=True)
    assert conversation.is_paused()
    follow_staff_hold(conversation, held=False)
    follow_staff_hold(conversation, held=False)
    assert not conversation.is_paused()
    pauses = [
        e for e in conversation.events if isinstance(e, ConversationPaused | ConversationResumed)
    ]
    assert [type(e) for e in pauses] == [ConversationPaused, ConversationResumed]


def test_only_a_message_no_action_has_followed_counts_as_unanswered():
    assert unanswered_user_message(tracker(UserUttered("hi"), ConversationPaused()))
    assert not unanswered_user_message(tracker(UserUttered("hi"), ActionExecuted("utter_greet")))
    assert not unanswered_user_message(tracker())


async def test_the_hold_is_read_from_the_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    store = HandoffStore(url)
    handoff = raise_for(store, "patient-2", notify_channels=[])
    assert not await held_by_staff("patient-2")
    store.claim(handoff.id, "Kim")
    assert await held_by_staff("patient-2")
    store.release(handoff.id, "Kim")
    assert not await held_by_staff("patient-2")


@pytest.mark.parametrize("url", ["sqlite:///{tmp}", "postgresql://nobody@127.0.0.1:9/none"])
async def test_a_database_that_cannot_be_read_lets_the_bot_answer(
    url, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("DATABASE_URL", url.format(tmp=tmp_path))  # a directory; or no server
    monkeypatch.setattr(database, "_reported", set())
    with caplog.at_level(logging.DEBUG, logger=staff_hold.__name__):
        assert not await held_by_staff("patient-3")
        assert not await held_by_staff("patient-3")
    levels = [r.levelno for r in caplog.records if "the bot answers" in r.message]
    assert levels == [logging.WARNING, logging.DEBUG]  # said once, not on every message
