"""Action server answers are still checked against Rasa's schema, with the same errors."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_extensions.action_validation import install


@pytest.fixture
def remote_action() -> RemoteAction:
    install()
    return RemoteAction("action_raise_handoff", None)


def test_a_valid_answer_passes(remote_action):
    answer = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []}
    assert remote_action._validate_action_result(answer) is True


def test_an_invalid_answer_is_refused_with_rasas_message(remote_action):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result({"events": "not a list"})
