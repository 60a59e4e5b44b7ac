"""The policies get the dialogue states Rasa would build, however the conversation went."""

from hypothesis import given, settings
from rasa.shared.core.constants import RULE_ONLY_LOOPS, RULE_ONLY_SLOTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions import dialogue_states
from tests.rasa_extensions.event_sequences import CONVERSATIONS, DOMAIN, after_each_message

rasa_states = Domain.states_for_tracker_history
RULE_ONLY = {RULE_ONLY_SLOTS: ["handoff_open"], RULE_ONLY_LOOPS: ["contact_form"]}
# (omit_unset_slots, ignore_rule_only_turns, rule_only_data): as the two policies ask, and the rest.
READINGS = [
    (False, False, None),
    (False, True, RULE_ONLY),
    (True, True, RULE_ONLY),
    (True, False, None),
]


def both(tracker: DialogueStateTracker, omit: bool, ignore: bool, rule_only: dict | None) -> tuple:
    ours = dialogue_states.states_for_tracker_history(DOMAIN, tracker, omit, ignore, rule_only)
    return ours, rasa_states(DOMAIN, tracker, omit, ignore, rule_only)


@settings(max_examples=200, deadline=None)
@given(CONVERSATIONS)
def test_states_match_rasas_after_every_message(messages):
    for tracker in after_each_message(messages):
        for reading in READINGS:
            ours, rasas = both(tracker, *reading)
            assert ours == rasas


def test_a_caller_changing_the_states_does_not_change_the_next_answer():
    tracker = DialogueStateTracker("sam", DOMAIN.slots)
    for event in [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet"}),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
    ]:
        tracker.update(event)
    first, _ = both(tracker, False, False, None)
    for state in first:
        for sub_state in state.values():
            sub_state.clear()
    again, rasas = both(tracker, False, False, None)
    assert again == rasas and any(again)
