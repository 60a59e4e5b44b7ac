"""Remembered applied events are Rasa's, and follow every new event of the conversation."""

from hypothesis import given, settings
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions import applied_events
from tests.rasa_extensions.event_sequences import CONVERSATIONS, after_each_message

FORM = "screening_form"


def questionnaire_turns() -> list:
    """A form loop that runs, is answered twice and ends, then a rephrased message."""
    return [
        ActionExecuted("action_listen"),
        UserUttered("can I have microneedling?", {"name": "start_screening"}),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        ActionExecuted("action_listen"),
        UserUttered("No", {"name": "deny"}),
        ActionExecuted(FORM),
        SlotSet("pregnancy", False),
        ActionExecuted("action_listen"),
        UserUttered("No", {"name": "deny"}),
        ActionExecuted(FORM),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        UserUttered("blorp", {"name": "nlu_fallback"}),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered("does it hurt?", {"name": "faq"}),
    ]


def rasa_applied(tracker: DialogueStateTracker) -> list:
    return applied_events._rasa_applied_events(tracker)


def test_remembered_applied_events_follow_each_new_event():
    tracker = DialogueStateTracker("sam", slots=[])
    for event in questionnaire_turns():
        tracker.update(event)
        assert applied_events.applied_events(tracker) == rasa_applied(tracker)
        assert applied_events.applied_events(tracker) == rasa_applied(tracker)


def test_a_caller_changing_the_list_does_not_change_the_next_answer():
    tracker = DialogueStateTracker.from_events("sam", questionnaire_turns(), [])
    applied_events.applied_events(tracker).clear()
    assert applied_events.applied_events(tracker) == rasa_applied(tracker) != []


@settings(max_examples=300, deadline=None)
@given(CONVERSATIONS)
def test_applied_events_match_rasas_after_every_message(messages):
    for tracker in after_each_message(messages):
        assert applied_events.applied_events(tracker) == rasa_applied(tracker)


@settings(max_examples=100, deadline=None)
@given(CONVERSATIONS)
def test_a_maximum_history_drops_old_events_and_the_answer_follows(messages):
    for tracker in after_each_message(messages, max_event_history=8):
        assert applied_events.applied_events(tracker) == rasa_applied(tracker)
