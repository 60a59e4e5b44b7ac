"""Action server answers are still checked against Rasa's schema: same verdicts, same errors."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from rasa_extensions.action_validation import _explaining_validator, _passes_split_checks, install

VALID_EVENTS = [
    event.as_dict()
    for event in (
        SlotSet("requested_slot", "pregnant"),
        SlotSet("answers", {"pregnant": False}),
        BotUttered("Are you pregnant?", {"buttons": [{"title": "No", "payload": "/deny"}]}),
        FollowupAction("utter_handoff"),
        ActiveLoop("screening_form"),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        UserUttered("hi", {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}),
        Restarted(),
        SessionStarted(),
    )
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def events(draw: st.DrawFn) -> Any:
    """A real event, often with one field changed, dropped or renamed to another kind."""
    event = dict(draw(st.sampled_from(VALID_EVENTS)))
    change = draw(st.sampled_from(["none", "value", "drop", "kind", "other"]))
    if change == "value":
        event[draw(st.sampled_from(sorted(event)))] = draw(json_values)
    elif change == "drop":
        del event[draw(st.sampled_from(sorted(event)))]
    elif change == "kind":
        event["event"] = draw(st.sampled_from([e["event"] for e in VALID_EVENTS] + ["nonsense"]))
    elif change == "other":
        return draw(json_values)
    return event


answers = (
    st.fixed_dictionaries(
        {},
        optional={"events": st.lists(events(), max_size=4) | json_values, "responses": json_values},
    )
    | json_values
)


@pytest.fixture
def remote_action() -> RemoteAction:
    install()
    return RemoteAction("action_raise_handoff", None)


def test_a_valid_answer_passes(remote_action):
    answer = {"events": VALID_EVENTS, "responses": [{"text": "hi"}]}
    assert remote_action._validate_action_result(answer) is True


def test_an_invalid_answer_is_refused_with_rasas_message(remote_action):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"events": "not a list"})


def test_an_event_of_no_known_kind_is_refused(remote_action):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"events": [{"event": "teleport"}]})


@settings(max_examples=500, deadline=None)
@given(answers)
def test_the_compiled_checks_agree_with_rasas_whole_schema(answer):
    # Agreement both ways: a valid answer never takes the slow path, an invalid one never passes.
    assert _passes_split_checks(answer) is _explaining_validator().is_valid(answer)
