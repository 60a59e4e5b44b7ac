"""The WhatsApp Cloud API channel served in-process, with a stand-in agent and a fake Graph API."""

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import pytest

from channels.options import OfferedOptions
from channels.stores import MemoryStore
from channels.whatsapp_cloud import WhatsAppCloudInput, WhatsAppCloudSettings
from tests.channels.apps import QUESTION, StandInAgent, serving
from tests.channels.fakes import (
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_VERIFY_TOKEN,
    FakeGraphApi,
)
from tests.channels.webhooks import (
    PROFILE_NAME,
    meta_request,
    new_message_id,
    new_wa_id,
    reply_payload,
    status_payload,
    text_payload,
)
from tests.servers import free_port

PRIVATE_TEXT = "I think I might be pregnant"


@pytest.fixture
def graph() -> Iterator[FakeGraphApi]:
    with FakeGraphApi() as fake:
        yield fake


def channel_for(graph: FakeGraphApi, **settings: str) -> WhatsAppCloudInput:
    defaults = WhatsAppCloudSettings(
        verify_token=WHATSAPP_VERIFY_TOKEN,
        app_secret=WHATSAPP_APP_SECRET,
        access_token=WHATSAPP_ACCESS_TOKEN,
        phone_number_id=WHATSAPP_PHONE_NUMBER_ID,
        graph_api_url=graph.url,
    )
    return WhatsAppCloudInput(
        replace(defaults, **settings),
        seen_ids=MemoryStore(max_entries=100, ttl_s=60),
        options=OfferedOptions(MemoryStore(max_entries=100, ttl_s=60)),
    )


@dataclass
class Webhook:
    """The channel under test: its webhook URL, the agent behind it, and a client."""

    url: str
    agent: StandInAgent
    http: aiohttp.ClientSession

    async def post(self, payload: Any, secret: str = WHATSAPP_APP_SECRET) -> int:
        body, headers = meta_request(payload, secret)
        return await self.post_raw(body, headers)

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> int:
        async with self.http.post(self.url, data=body, headers=headers) as answer:
            return answer.status

    async def verify(self, params: dict[str, str]) -> tuple[int, str]:
        async with self.http.get(self.url, params=params) as answer:
            return answer.status, await answer.text()


async def start(channel: WhatsAppCloudInput, agent: StandInAgent) -> AsyncIterator[Webhook]:
    async with serving(channel, agent) as base_url, aiohttp.ClientSession() as http:
        yield Webhook(f"{base_url}/webhooks/whatsapp/webhook", agent, http)


@pytest.fixture
async def webhook(graph: FakeGraphApi) -> AsyncIterator[Webhook]:
    async for running in start(channel_for(graph), StandInAgent()):
        yield running


async def graph_messages(graph: FakeGraphApi, recipient: str, count: int) -> list[dict]:
    """The first `count` messages the channel sent `recipient`, once they arrived."""
    await asyncio.to_thread(graph.wait_for, lambda _: len(graph.sent_to(recipient)) >= count)
    return graph.sent_to(recipient)[:count]


HANDSHAKE = {
    "hub.mode": "subscribe",
    "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
    "hub.challenge": "1158201444",
}


async def test_the_verification_handshake_echoes_the_challenge(webhook):
    assert await webhook.verify(HANDSHAKE) == (200, "1158201444")


@pytest.mark.parametrize(
    "params",
    [
        {**HANDSHAKE, "hub.verify_token": "guess"},
        {**HANDSHAKE, "hub.mode": "unsubscribe"},
        {"hub.challenge": "1158201444"},
        {},
    ],
)
async def test_a_handshake_without_our_token_is_refused(webhook, params):
    assert (await webhook.verify(params))[0] == 403


async def test_without_a_configured_verify_token_every_handshake_is_refused(graph):
    async for webhook in start(channel_for(graph, verify_token=""), StandInAgent()):
        assert (await webhook.verify({**HANDSHAKE, "hub.verify_token": ""}))[0] == 403


async def test_a_text_message_reaches_the_bot_and_the_answer_goes_back(webhook, graph):
    sender, message_id = new_wa_id(), new_message_id()
    assert (
        await webhook.post(text_payload(sender, "how long does a session take?", message_id)) == 200
    )

    (message,) = await webhook.agent.wait_for_messages(1)
    assert message.text == "how long does a session take?"
    assert message.sender_id == sender
    assert message.input_channel == "whatsapp"
    assert message.message_id == message_id
    assert message.metadata == {"profile_name": PROFILE_NAME}

    (sent,) = await graph_messages(graph, sender, 1)
    request = graph.received[0]
    assert request.path == f"/{WHATSAPP_PHONE_NUMBER_ID}/messages"
    assert request.headers["Authorization"] == f"Bearer {WHATSAPP_ACCESS_TOKEN}"
    assert sent["type"] == "interactive"
    assert sent["interactive"]["body"]["text"] == QUESTION["text"]
    titles = [b["reply"]["title"] for b in sent["interactive"]["action"]["buttons"]]
    assert titles == ["Yes", "No", "Not sure"]


@pytest.mark.parametrize("kind", ["button_reply", "list_reply"])
async def test_a_tapped_button_or_list_row_sends_its_payload(webhook, kind):
    assert await webhook.post(reply_payload(new_wa_id(), "/unsure", kind)) == 200
    (message,) = await webhook.agent.wait_for_messages(1)
    assert message.text == "/unsure"


async def test_a_typed_number_or_title_is_the_offered_button(webhook, graph):
    sender = new_wa_id()
    await webhook.post(text_payload(sender, "can I have microneedling?"))
    await graph_messages(graph, sender, 1)  # the question with its buttons
    await webhook.post(text_payload(sender, "3"))
    await webhook.agent.wait_for_messages(2)
    await webhook.post(text_payload(sender, "not sure"))
    messages = await webhook.agent.wait_for_messages(3)
    assert [m.text for m in messages] == ["can I have microneedling?", "/unsure", "/unsure"]


async def test_a_redelivered_message_is_handled_once(webhook):
    sender, message_id = new_wa_id(), new_message_id()
    payload = text_payload(sender, "hello", message_id)
    assert [await webhook.post(payload) for _ in range(3)] == [200, 200, 200]
    await webhook.post(text_payload(sender, "and another thing"))
    await webhook.agent.wait_for_messages(2)
    await asyncio.sleep(0.2)
    assert [m.text for m in webhook.agent.messages] == ["hello", "and another thing"]


async def test_a_status_update_is_acknowledged_and_ignored(webhook):
    sender = new_wa_id()
    assert await webhook.post(status_payload(sender)) == 200
    await webhook.post(text_payload(sender, "hello"))
    await webhook.agent.wait_for_messages(1)
    await asyncio.sleep(0.2)
    assert [m.text for m in webhook.agent.messages] == ["hello"]


async def test_a_message_to_another_number_of_the_business_is_not_answered(webhook):
    payload = text_payload(new_wa_id(), "hello")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert await webhook.post(payload) == 200
    await asyncio.sleep(0.2)
    assert webhook.agent.messages == []


async def test_requests_without_a_valid_signature_are_refused(webhook):
    payload = text_payload(new_wa_id(), "hello")
    body, headers = meta_request(payload)
    unsigned = {"Content-Type": "application/json"}
    wrong_prefix = {
        **unsigned,
        "X-Hub-Signature-256": headers["X-Hub-Signature-256"].replace("sha256=", "sha1="),
    }
    assert await webhook.post(payload, secret="not-the-app-secret") == 403
    assert await webhook.post_raw(body, unsigned) == 403
    assert await webhook.post_raw(body, wrong_prefix) == 403
    assert await webhook.post_raw(body + b" ", headers) == 403  # changed after signing
    await asyncio.sleep(0.2)
    assert webhook.agent.messages == []


async def test_without_a_configured_app_secret_every_request_is_refused(graph):
    async for webhook in start(channel_for(graph, app_secret=""), StandInAgent()):
        assert await webhook.post(text_payload(new_wa_id(), "hello"), secret="") == 403


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"object": "whatsapp_business_account", "entry": {}}',
        b"[" * 100_000,
    ],
    ids=["bad-json", "bad-utf8", "a-list", "wrong-shape", "deeply-nested"],
)
async def test_malformed_payloads_are_bad_requests_and_the_channel_keeps_working(webhook, body):
    assert await webhook.post(body) == 400
    assert await webhook.post(text_payload(new_wa_id(), "hello")) == 200
    await webhook.agent.wait_for_messages(1)


async def test_graph_api_errors_are_logged_without_the_message_text(webhook, graph, caplog):
    caplog.set_level(logging.DEBUG)
    graph.fail_status = 500
    sender = new_wa_id()
    webhook.agent.responses = ({"text": f"You said: {PRIVATE_TEXT}"},)
    assert await webhook.post(text_payload(sender, PRIVATE_TEXT)) == 200
    await webhook.agent.wait_for_messages(1)
    await asyncio.to_thread(graph.wait_for, lambda received: len(received) == 1)
    async with asyncio.timeout(5):
        while not any("refused" in r.getMessage() for r in caplog.records):
            await asyncio.sleep(0.02)
    assert any(
        "HTTP 500, error 131000" in r.getMessage()
        for r in caplog.records
        if r.levelno == logging.ERROR
    )
    assert not [
        r for r in caplog.records if r.levelno >= logging.INFO and PRIVATE_TEXT in r.getMessage()
    ]


async def test_an_unreachable_graph_api_is_logged_and_does_not_break_the_webhook(graph, caplog):
    channel = channel_for(graph, graph_api_url=f"http://127.0.0.1:{free_port()}")
    async for webhook in start(channel, StandInAgent()):
        assert await webhook.post(text_payload(new_wa_id(), "hello")) == 200
        await webhook.agent.wait_for_messages(1)
        async with asyncio.timeout(5):
            while not any("unreachable" in r.getMessage() for r in caplog.records):
                await asyncio.sleep(0.02)
        assert await webhook.post(text_payload(new_wa_id(), "hello again")) == 200


async def test_long_answers_arrive_in_parts_of_at_most_4096_characters(webhook, graph):
    sender = new_wa_id()
    webhook.agent.responses = (
        {"text": "\n\n".join(["Aftercare advice, one sentence. " * 50] * 6)},
    )
    await webhook.post(text_payload(sender, "aftercare?"))
    sent = await graph_messages(graph, sender, 3)
    assert all(m["type"] == "text" and len(m["text"]["body"]) <= 4096 for m in sent)
