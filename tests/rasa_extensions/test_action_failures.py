"""A custom action the action server cannot run ends in an apology, never in silence."""

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, FollowupAction
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions import action_failures
from tests.content_files import domain_responses
from tests.servers import REPO_ROOT, free_port

SENDER = "conversation-42"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain"))


@pytest.fixture(autouse=True)
def bounded_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """install()'s change to RemoteAction, undone after each test."""
    monkeypatch.setattr(RemoteAction, "run", action_failures._bounded_call)


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """An action server that accepts the request and never answers."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        server.close()


async def run_politely(domain: Domain, url: str, timeout: str) -> list:
    action = RemoteAction("action_reset_screening", EndpointConfig(url=url, timeout=timeout))
    return await action_failures.ApologiseOnFailure(action).run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses),
        DialogueStateTracker(SENDER, domain.slots),
        domain,
    )


def apology_text() -> str:
    return domain_responses()["utter_technical_problem"][0]["text"]


async def test_an_action_server_that_is_down_gets_an_apology_and_an_error_log(domain, caplog):
    with caplog.at_level(logging.ERROR, logger=action_failures.__name__):
        events = await run_politely(domain, f"http://127.0.0.1:{free_port()}/webhook", "10")

    [apology, listen] = events
    assert isinstance(apology, BotUttered) and apology.text == apology_text()
    assert listen == FollowupAction("action_listen")
    [record] = [r for r in caplog.records if r.name == action_failures.__name__]
    assert record.levelno == logging.ERROR
    assert "action_reset_screening" in record.getMessage() and SENDER in record.getMessage()
    assert "could not connect" in record.getMessage()


async def test_a_silent_action_server_is_given_up_on_after_the_timeout(
    domain, silent_server, caplog
):
    events = await run_politely(domain, silent_server, "0.5")

    assert events[0].text == apology_text()
    assert "no answer within 0.5 s" in caplog.text


def test_without_a_timeout_setting_rasas_own_limit_applies():
    assert action_failures.timeout_s(EndpointConfig(url="http://x")) == 300
    assert action_failures.timeout_s(EndpointConfig(url="http://x", timeout="2.5")) == 2.5
