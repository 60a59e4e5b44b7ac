"""Random conversations as Rasa events, for checking remembered results against Rasa's own.

The events mix what changes how Rasa reads a conversation: form loops that
start, run, are rejected and end, reverted messages and actions, restarts and
new sessions, slots that influence the dialogue, follow-up actions and rule
turns. They arrive in chunks, as messages do.
"""

from collections.abc import Iterator

from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from tests.servers import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain"))
FORMS = ["screening_form", "contact_form"]
ACTIONS = ["action_listen", "utter_greet", "action_raise_handoff", *FORMS]


def _user(intent: str, mentions: int) -> UserUttered:
    entities = [{"entity": "contraindication", "value": "pregnancy", "role": "patient"}] * mentions
    return UserUttered("text", {"name": intent, "confidence": 1.0}, entities)


EVENTS: st.SearchStrategy[Event] = st.one_of(
    st.builds(ActionExecuted, st.sampled_from(ACTIONS), hide_rule_turn=st.booleans()),
    st.builds(_user, st.sampled_from(["greet", "deny", "affirm", "faq"]), st.integers(0, 1)),
    st.builds(
        SlotSet,
        st.sampled_from(["screening_outcome", "handoff_open"]),
        st.sampled_from(["clear", "flagged", True, False, None]),
    ),
    st.builds(ActiveLoop, st.sampled_from([*FORMS, None])),
    st.builds(ActionExecutionRejected, st.sampled_from(FORMS)),
    st.builds(LoopInterrupted, st.booleans()),
    st.builds(FollowupAction, st.sampled_from(ACTIONS)),
    st.sampled_from([UserUtteranceReverted(), ActionReverted(), Restarted(), SessionStarted()]),
)

CONVERSATIONS = st.lists(st.lists(EVENTS, min_size=1, max_size=6), min_size=1, max_size=12)


def after_each_message(
    messages: list[list[Event]], max_event_history: int | None = None
) -> Iterator[DialogueStateTracker]:
    """One conversation's tracker, yielded again after each message's events."""
    tracker = DialogueStateTracker("sam", DOMAIN.slots, max_event_history)
    tracker.model_id = "model-1"
    for events in messages:
        for event in events:
            tracker.update(event)
        yield tracker
