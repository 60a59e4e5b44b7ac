"""A copied tracker is what Rasa's replaying copy gives, and independent of the original."""

from typing import Any

from hypothesis import given, settings
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions import applied_events, dialogue_states, tracker_copy
from tests.rasa_extensions.event_sequences import CONVERSATIONS, DOMAIN, EVENTS, after_each_message


def observable(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker holds, slots by value, without what this package remembers on it."""
    remembered = {applied_events._MEMO, dialogue_states._MEMO}
    state = {key: value for key, value in vars(tracker).items() if key not in remembered}
    state["events"] = list(tracker.events)
    state["slots"] = {name: (type(slot), vars(slot)) for name, slot in tracker.slots.items()}
    return state


@settings(max_examples=200, deadline=None)
@given(CONVERSATIONS)
def test_the_copy_holds_what_rasas_replaying_copy_holds(messages):
    for tracker in after_each_message(messages):
        assert observable(tracker_copy.copy_tracker(tracker)) == observable(
            tracker_copy._rasa_copy(tracker)
        )


@settings(max_examples=100, deadline=None)
@given(CONVERSATIONS, EVENTS)
def test_changing_the_copy_leaves_the_original_as_it_was(messages, event):
    *_, tracker = after_each_message(messages)
    before = observable(tracker_copy._rasa_copy(tracker))
    duplicate = tracker_copy.copy_tracker(tracker)
    duplicate.update(event)
    duplicate.update(SlotSet("screening_outcome", "flagged"))
    assert observable(tracker_copy._rasa_copy(tracker)) == before
    assert observable(tracker) == before | {"model_id": tracker.model_id}


def test_with_a_maximum_history_the_copy_is_rasas():
    tracker = DialogueStateTracker("sam", DOMAIN.slots, max_event_history=2)
    for value in ["clear", "flagged", None]:
        tracker.update(SlotSet("screening_outcome", value))
    assert observable(tracker_copy.copy_tracker(tracker)) == observable(
        tracker_copy._rasa_copy(tracker)
    )
