"""The Twilio WhatsApp channel served in-process, with a stand-in agent and a fake Twilio API."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import aiohttp
import pytest

from channels.options import OfferedOptions
from channels.stores import MemoryStore
from channels.twilio_whatsapp import TwilioWhatsAppInput
from tests.channels.apps import QUESTION, StandInAgent, serving
from tests.channels.fakes import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_WHATSAPP_NUMBER,
    FakeTwilioApi,
)
from tests.channels.webhooks import PROFILE_NAME, new_twilio_sender, twilio_form, twilio_headers

PUBLIC_URL = "https://clinic.example/webhooks/twilio/webhook"


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as fake:
        yield fake


def channel_for(
    twilio: FakeTwilioApi, auth_token: str = TWILIO_AUTH_TOKEN, webhook_url: str = ""
) -> TwilioWhatsAppInput:
    return TwilioWhatsAppInput(
        TWILIO_ACCOUNT_SID,
        auth_token,
        TWILIO_WHATSAPP_NUMBER,
        webhook_url=webhook_url,
        api_url=twilio.url,
        options=OfferedOptions(MemoryStore(max_entries=100, ttl_s=60)),
    )


@dataclass
class Webhook:
    url: str
    agent: StandInAgent
    http: aiohttp.ClientSession

    async def post(self, form: dict[str, str], headers: dict[str, str]) -> int:
        async with self.http.post(self.url, data=form, headers=headers) as answer:
            return answer.status

    async def send(self, sender: str, text: str, signed_url: str = "") -> int:
        form = twilio_form(sender, text)
        return await self.post(form, twilio_headers(signed_url or self.url, form))


async def start(channel: TwilioWhatsAppInput, agent: StandInAgent) -> AsyncIterator[Webhook]:
    async with serving(channel, agent) as base_url, aiohttp.ClientSession() as http:
        yield Webhook(f"{base_url}/webhooks/twilio/webhook", agent, http)


@pytest.fixture
async def webhook(twilio: FakeTwilioApi) -> AsyncIterator[Webhook]:
    async for running in start(channel_for(twilio), StandInAgent()):
        yield running


async def test_a_signed_message_reaches_the_bot_and_options_go_back_numbered(webhook, twilio):
    sender = new_twilio_sender()
    assert await webhook.send(sender, "can I have microneedling?") == 204

    (message,) = webhook.agent.messages
    assert (message.text, message.sender_id, message.input_channel) == (
        "can I have microneedling?",
        sender,
        "twilio",
    )
    assert message.metadata == {"profile_name": PROFILE_NAME}
    (request,) = twilio.received
    assert request.path == f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json"
    assert request.body["From"] == TWILIO_WHATSAPP_NUMBER
    assert twilio.sent_to(sender) == [f"{QUESTION['text']}\n\n1. Yes\n2. No\n3. Not sure"]


@pytest.mark.parametrize(
    ("typed", "payload"), [("2", "No"), ("3", "/unsure"), ("Not Sure", "/unsure"), ("4", "4")]
)
async def test_a_typed_number_or_title_is_the_offered_button(webhook, typed, payload):
    sender = new_twilio_sender()
    await webhook.send(sender, "can I have microneedling?")
    await webhook.send(sender, typed)
    assert webhook.agent.messages[-1].text == payload


async def test_after_a_message_without_options_a_number_is_just_a_number(webhook):
    sender = new_twilio_sender()
    webhook.agent.responses = ({"text": "Sessions take about an hour."},)
    await webhook.send(sender, "how long does a session take?")
    await webhook.send(sender, "2")
    assert webhook.agent.messages[-1].text == "2"


async def test_requests_without_a_valid_signature_are_refused(webhook, twilio):
    sender = new_twilio_sender()
    form = twilio_form(sender, "hello")
    good = twilio_headers(webhook.url, form)
    assert await webhook.post(form, {}) == 403
    assert await webhook.post(form, twilio_headers(webhook.url, form, token="another-token")) == 403
    assert await webhook.post({**form, "Body": "changed after signing"}, good) == 403
    assert webhook.agent.messages == [] and twilio.received == []


async def test_without_a_configured_auth_token_every_request_is_refused(twilio):
    async for webhook in start(channel_for(twilio, auth_token=""), StandInAgent()):
        form = twilio_form(new_twilio_sender(), "hello")
        assert await webhook.post(form, twilio_headers(webhook.url, form, token="")) == 403


async def test_the_configured_public_url_is_what_the_signature_covers(twilio):
    async for webhook in start(channel_for(twilio, webhook_url=PUBLIC_URL), StandInAgent()):
        sender = new_twilio_sender()
        assert await webhook.send(sender, "hello", signed_url=PUBLIC_URL) == 204
        assert await webhook.send(sender, "hello") == 403  # signed for the internal URL
        assert len(webhook.agent.messages) == 1


async def test_long_answers_are_split_within_twilios_limit(webhook, twilio):
    sender = new_twilio_sender()
    webhook.agent.responses = (
        {"text": "\n\n".join(["Aftercare advice, one sentence. " * 20] * 4)},
    )
    await webhook.send(sender, "aftercare?")
    sent = twilio.sent_to(sender)
    assert len(sent) == 2
    assert all(len(body) <= 1600 for body in sent)


async def test_twilio_api_errors_are_logged_and_do_not_break_the_webhook(webhook, twilio, caplog):
    caplog.set_level(logging.INFO)
    twilio.fail_status = 400
    assert await webhook.send(new_twilio_sender(), "hello") == 204
    assert any("Twilio refused a message: HTTP 400" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if "hello" in r.getMessage()]


async def test_a_slow_twilio_api_does_not_hold_up_other_conversations(webhook, twilio):
    """Twilio's client blocks; the channel runs it in a thread, so others are served meanwhile."""
    twilio.delay_s = 0.5
    senders = [new_twilio_sender() for _ in range(4)]
    started = time.monotonic()
    statuses = await asyncio.gather(*(webhook.send(sender, "hello") for sender in senders))
    assert statuses == [204] * 4
    assert time.monotonic() - started < 1.5  # one after the other would take 2 s
    assert sorted(r.body["To"] for r in twilio.received) == sorted(senders)
