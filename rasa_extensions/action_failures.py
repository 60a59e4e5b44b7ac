"""Answer politely, and within a time limit, when the action server fails.

In Rasa 3.6 a custom action that cannot run (action server down, an HTTP error,
no answer) is logged with a traceback, its events are dropped and the person gets
no reply at all; a slow action server is waited for up to five minutes. Here:

- every call to the action server is bounded by the action endpoint's `timeout`
  (endpoints.yml: `timeout: ${ACTION_SERVER_TIMEOUT_S}`);
- a failed call makes the action it belongs to (a custom action, or a form whose
  validation runs on the action server) send `utter_technical_problem` instead,
  logged at ERROR with the action's name and the conversation id (never the
  message), and then wait for the next message. The action's own events are
  dropped, so a form stays where it was and the person's next answer is
  validated as if nothing had happened once the action server is back.

Installed by a no-op pipeline component so that config.yml shows it, as in
action_validation.py: Rasa has no other hook into running actions.
"""

import asyncio
import logging
from typing import List

import aiohttp
from jsonschema import ValidationError
from rasa.core.actions.action import Action, ActionExecutionRejection, RemoteAction
from rasa.core.channels import OutputChannel
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, FollowupAction
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

logger = logging.getLogger(__name__)

APOLOGY_RESPONSE = "utter_technical_problem"

# Rasa's own methods, kept before install() replaces them (install may run more than once).
_call_action_server = RemoteAction.run
_run_action = MessageProcessor._run_action


class ActionServerFailure(RasaException):
    """The action server did not run `action_name`; `reason` says why, without any user data."""

    def __init__(self, action_name: str, reason: str) -> None:
        super().__init__(f"the action server did not run '{action_name}': {reason}")
        self.action_name, self.reason = action_name, reason


def timeout_s(endpoint: EndpointConfig | None) -> float:
    """The endpoint's `timeout` setting, or Rasa's default when it has none."""
    value = endpoint.kwargs.get("timeout") if endpoint else None
    return float(value) if value not in (None, "") else float(DEFAULT_REQUEST_TIMEOUT)


def _reason(error: BaseException) -> str:
    # RemoteAction.run wraps the aiohttp error in a RasaException; the original says more.
    cause = error.__cause__ or error.__context__ or error
    if isinstance(cause, ClientResponseError):
        return f"HTTP {cause.status}"
    if isinstance(cause, aiohttp.ClientConnectionError):
        return "could not connect"
    if isinstance(error, ValidationError):
        return "its response does not follow Rasa's format"
    return type(cause).__name__


async def _bounded_call(
    self: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> List[Event]:
    """RemoteAction.run within the endpoint's time limit, with one exception for every failure."""
    limit = timeout_s(self.action_endpoint)
    try:
        return await asyncio.wait_for(
            _call_action_server(self, output_channel, nlg, tracker, domain), limit
        )
    except ActionExecutionRejection:
        raise  # a form validator refusing a slot: normal dialogue, not a failure
    except TimeoutError as error:
        raise ActionServerFailure(self.name(), f"no answer within {limit:g} s") from error
    except (RasaException, ValidationError) as error:
        raise ActionServerFailure(self.name(), _reason(error)) from error


class ApologiseOnFailure(Action):
    """Runs `action`; if the action server fails it, apologises and listens instead."""

    def __init__(self, action: Action) -> None:
        self._action = action

    def name(self) -> str:
        return self._action.name()

    def event_for_successful_execution(self, prediction: PolicyPrediction) -> ActionExecuted:
        return self._action.event_for_successful_execution(prediction)

    async def run(
        self,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> List[Event]:
        try:
            return await self._action.run(output_channel, nlg, tracker, domain)
        except ActionServerFailure as failure:
            logger.error(
                "Action server failure: '%s' (running '%s') in conversation %s: %s; "
                "sent %s instead",
                failure.action_name,
                self.name(),
                tracker.sender_id,
                failure.reason,
                APOLOGY_RESPONSE,
            )
            apology = await RemoteAction._utter_responses(
                [{"response": APOLOGY_RESPONSE}], output_channel, nlg, tracker
            )
            # Listen next: the policies would otherwise predict as if the action had run.
            return [*apology, FollowupAction(ACTION_LISTEN_NAME)]


async def _run_action_politely(
    self: MessageProcessor,
    action: Action,
    tracker: DialogueStateTracker,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    prediction: PolicyPrediction,
) -> bool:
    return await _run_action(
        self, ApologiseOnFailure(action), tracker, output_channel, nlg, prediction
    )


@require_pinned_rasa
def install() -> None:
    """Bound every action-server call, and answer failures with an apology."""
    RemoteAction.run = _bounded_call
    MessageProcessor._run_action = _run_action_politely


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class PoliteActionServerFailures(InstallerComponent):
    """Installs the action-server failure handling when the model loads."""

    install = staticmethod(install)
