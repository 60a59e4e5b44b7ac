"""What the Rasa server sends its action server, as endpoints.yml and its production twin set it."""

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.translated_responses import TranslatedResponses
from tests.servers import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain"))


@pytest.fixture(params=["endpoints.yml", "endpoints.production.yml"])
def endpoints(request, monkeypatch) -> AvailableEndpoints:
    for name, value in {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
        "ACTION_SERVER_TIMEOUT_S": "10",
        "TRACKER_STORE_URL": "sqlite:///tracker.db",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_DB": "0",
        "REDIS_PASSWORD": "",
        "REDIS_KEY_PREFIX": "clinic",
    }.items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(REPO_ROOT / request.param))


def request_for(action_name: str, endpoints: AvailableEndpoints) -> dict:
    tracker = DialogueStateTracker("sam", DOMAIN.slots)
    return RemoteAction(action_name, endpoints.action)._action_call_format(tracker, DOMAIN)


@pytest.mark.parametrize("action_name", ["validate_screening_form", "validate_contact_form"])
def test_form_validation_actions_get_the_domain_they_read_the_forms_from(endpoints, action_name):
    sent = request_for(action_name, endpoints)
    assert sent["domain"]["forms"] == DOMAIN.as_dict()["forms"]


@pytest.mark.parametrize(
    "action_name",
    [name for name in DOMAIN.user_actions if name.startswith("action_")],
)
def test_other_actions_are_not_sent_the_domain(endpoints, action_name):
    sent = request_for(action_name, endpoints)
    assert "domain" not in sent and sent["next_action"] == action_name


def test_both_layouts_answer_in_the_patients_language(endpoints):
    generator = NaturalLanguageGenerator.create(endpoints.nlg, DOMAIN)
    assert isinstance(generator, TranslatedResponses)
    assert "utter_greet" in generator.urdu.responses
