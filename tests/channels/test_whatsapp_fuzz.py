"""Fuzzing the two WhatsApp webhooks in-process, as tests/channels/test_rest.py fuzzes REST.

Whatever a correctly signed request holds, the webhook never fails (no 5xx, no
error logged); Meta gets a 200, or the documented 400 for a body that is not a JSON
object with a list of entries; every well-formed text message in it reaches the
bot exactly once, cleaned as every channel cleans messages (channels/user_text.py),
however broken the rest of the payload is. A request without a valid signature
gets 403 and never reaches the bot.
"""

import asyncio
import json
import logging
import operator
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import UserMessage

from channels.signatures import META_SIGNATURE_HEADER, TWILIO_SIGNATURE_HEADER
from channels.user_text import clean_user_text
from channels.whatsapp_cloud import WhatsAppCloudInput
from tests.channels import test_twilio_whatsapp as twilio_channel
from tests.channels import test_whatsapp_cloud as cloud_channel
from tests.channels.apps import StandInAgent
from tests.channels.fakes import WHATSAPP_PHONE_NUMBER_ID, FakeGraphApi, FakeTwilioApi
from tests.channels.test_whatsapp_payload import json_values
from tests.channels.webhooks import (
    meta_request,
    new_message_id,
    new_twilio_sender,
    new_wa_id,
    status_payload,
    text_payload,
    twilio_form,
    twilio_headers,
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    # The webhook fixture is shared by the examples on purpose: each one starts from no messages.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Texts people do send, and texts that break naive code.
ODD_TEXTS = [
    "😀😀😀",
    "👩🏽‍⚕️ ok?",
    "¡Hola! ¿Cuánto cuesta?",
    "e\u0301te\u0301",
    "\u202egnidleenorcim",
    "\ufeffhi",
    "a\x00b\x07c\x1b[31m",
    "\x00\x01\x7f",
    "\r\n\t",
    "<script>alert('x')</script>",
    "'; DROP TABLE events; --",
]


def texts(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Short texts, odd ones, and huge ones (a short text repeated up to 12,000 characters)."""
    huge = st.builds(
        operator.mul, st.text(characters, min_size=1, max_size=4), st.integers(250, 3000)
    )
    return st.text(characters, max_size=60) | huge | st.sampled_from(ODD_TEXTS)


form_texts = texts(st.characters(codec="utf-8"))  # a form cannot carry lone surrogates...
json_texts = texts(st.characters())  # ...JSON can ("\ud800")


def bot_reads(text: str) -> str:
    """What the bot should receive for `text`: cleaned, and stripped by Rasa's UserMessage
    (a message cut to the limit can end in a space)."""
    return UserMessage(clean_user_text(text)).text


def nonblank(text: str) -> bool:
    return bool(text.strip())


def quiet_agent() -> StandInAgent:
    """An agent that answers nothing: with no options offered, a typed "2" stays "2"."""
    agent = StandInAgent()
    agent.responses = ()
    return agent


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What was logged at ERROR and above: a failure the webhook swallowed."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


# --- Meta's Cloud API ---------------------------------------------------------------

READABLE_TYPES = ("text", "interactive", "button")
other_types = st.sampled_from(
    ["image", "audio", "video", "document", "sticker", "location", "contacts", "reaction", "order"]
) | st.text(max_size=10).filter(lambda kind: kind not in READABLE_TYPES)
not_a_nonblank_string = json_values.filter(lambda v: not (isinstance(v, str) and v.strip()))


@st.composite
def text_messages(draw: st.DrawFn) -> dict[str, Any]:
    """A well-formed text message as Meta sends it, with any text."""
    return {
        "from": new_wa_id(),
        "id": new_message_id(),
        "timestamp": "1700000000",
        "type": "text",
        "text": {"body": draw(json_texts.filter(nonblank))},
    }


@st.composite
def broken_messages(draw: st.DrawFn) -> Any:
    """A message the bot cannot read: another type, a field missing or of the wrong type, junk."""
    message = draw(text_messages())
    change = draw(st.sampled_from(["type", "missing", "wrong type", "body", "junk"]))
    if change == "type":
        kind = draw(other_types)
        message.update({"type": kind, kind: draw(json_values)})
    elif change == "missing":
        del message[draw(st.sampled_from(["from", "id", "type", "text"]))]
    elif change == "wrong type":
        message[draw(st.sampled_from(["from", "id"]))] = draw(not_a_nonblank_string)
        message["text"] = draw(st.just(message["text"]) | json_values.filter(_not_an_object))
    elif change == "body":
        message["text"] = {"body": draw(not_a_nonblank_string | st.text(" \t\n"))}
    else:
        message = draw(json_values.filter(lambda v: _not_an_object(v) or "type" not in v))
    return message


def _not_an_object(value: Any) -> bool:
    return not isinstance(value, dict)


# Where a change's messages were sent: ours, unsaid or unreadable (taken as ours), or
# another number of the business.
METADATA = {
    "ours": {"display_phone_number": "15550001111", "phone_number_id": WHATSAPP_PHONE_NUMBER_ID},
    "unsaid": {},
    "odd id": {"phone_number_id": 100200300400500},
    "another number": {"phone_number_id": "999"},
    "unreadable": "15550001111",
}


@st.composite
def message_changes(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """A `messages` change, and what the bot should receive from it: {id: (sender, text)}."""
    good = draw(st.lists(text_messages(), max_size=3))
    messages = draw(st.permutations(good + draw(st.lists(broken_messages(), max_size=3))))
    messages += draw(st.lists(st.sampled_from(good), max_size=2)) if good else []  # redelivered
    value: dict[str, Any] = {"messaging_product": "whatsapp", "messages": messages}
    where = draw(st.sampled_from(sorted(METADATA)))
    if where != "unsaid":
        value["metadata"] = METADATA[where]
    contacts = [{"profile": {"name": draw(json_values)}, "wa_id": m["from"]} for m in good]
    value["contacts"] = draw(st.just(contacts) | json_values)
    expected = {
        m["id"]: (m["from"], bot_reads(m["text"]["body"]))
        for m in good
        if where != "another number"
    }
    return {"field": "messages", "value": value}, expected


# Changes without a message for the bot.
other_changes = (
    st.builds(lambda: status_payload(new_wa_id())["entry"][0]["changes"][0])
    | st.builds(lambda value: {"field": "account_update", "value": value}, json_values)
    | st.builds(
        lambda value: {"field": "messages", "value": value}, json_values.filter(_not_an_object)
    )
    | st.builds(lambda value: {"field": "messages", "value": {"messages": value}}, json_values)
    | json_values.filter(_not_an_object)
)


@st.composite
def entries(draw: st.DrawFn) -> tuple[Any, dict[str, tuple[str, str]]]:
    """An entry (possibly broken), and what the bot should receive from it."""
    if draw(st.booleans()):
        return draw(json_values.filter(lambda v: _not_an_object(v) or "changes" not in v)), {}
    with_messages = draw(st.lists(message_changes(), max_size=3))
    changes = [change for change, _ in with_messages] + draw(st.lists(other_changes, max_size=2))
    expected = {k: v for _, e in with_messages for k, v in e.items()}
    return {"id": "WABA-ID", "changes": draw(st.permutations(changes))}, expected


@st.composite
def meta_payloads(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """A payload shaped like Meta's, with broken parts, and what the bot should receive from it."""
    drawn = draw(st.lists(entries(), min_size=1, max_size=3))
    expected = {k: v for _, e in drawn for k, v in e.items()}
    payload = {"object": "whatsapp_business_account", "entry": [entry for entry, _ in drawn]}
    return payload, expected


@pytest.fixture
async def cloud() -> AsyncIterator[tuple[WhatsAppCloudInput, cloud_channel.Webhook]]:
    with FakeGraphApi() as graph:
        channel = cloud_channel.channel_for(graph)
        async for webhook in cloud_channel.start(channel, quiet_agent()):
            yield channel, webhook


async def post_to_cloud(
    cloud: tuple[WhatsAppCloudInput, cloud_channel.Webhook],
    body: bytes,
    headers: dict[str, str],
) -> tuple[int, list[UserMessage]]:
    """The webhook's answer, and the messages the bot received once the channel handled them."""
    channel, webhook = cloud
    webhook.agent.messages.clear()
    status = await webhook.post_raw(body, headers)
    # The channel answers Meta at once and handles messages in background tasks,
    # all started before the answer: waiting for them makes "exactly once" exact.
    async with asyncio.timeout(30):
        while channel._tasks:
            await asyncio.gather(*channel._tasks)
    return status, list(webhook.agent.messages)


def received(messages: list[UserMessage]) -> dict[str, tuple[str, str]]:
    return {m.message_id: (m.sender_id, m.text) for m in messages}


@FUZZ
@given(drawn=meta_payloads())
async def test_every_readable_message_in_a_mutated_payload_reaches_the_bot_once(
    cloud, caplog, drawn
):
    payload, expected = drawn
    caplog.clear()
    status, messages = await post_to_cloud(cloud, *meta_request(payload))
    assert status == 200
    assert len(messages) == len(expected)
    assert received(messages) == expected
    assert errors(caplog) == []


@FUZZ
@given(
    body=st.binary(max_size=500)
    | json_values.map(lambda v: json.dumps(v).encode())
    | json_values.map(
        lambda v: json.dumps({"object": "whatsapp_business_account", "entry": v}).encode()
    )
)
async def test_any_signed_body_gets_200_or_400_and_reaches_no_one(cloud, caplog, body):
    caplog.clear()
    status, messages = await post_to_cloud(cloud, *meta_request(body))
    assert status in (200, 400)
    assert messages == []
    assert errors(caplog) == []


@FUZZ
@given(
    text=json_texts.filter(nonblank),
    bad_bytes=st.binary(min_size=1, max_size=8).filter(lambda b: not _decodes(b)),
)
async def test_a_payload_that_is_not_utf8_is_a_bad_request(cloud, text, bad_bytes):
    body = json.dumps(text_payload(new_wa_id(), text)).encode()
    body = body.replace(b'"body": "', b'"body": "' + bad_bytes, 1)
    status, messages = await post_to_cloud(cloud, *meta_request(body))
    assert (status, messages) == (400, [])


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


ascii_headers = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)


@FUZZ
@given(
    body=st.binary(max_size=300)
    | st.builds(lambda text: json.dumps(text_payload(new_wa_id(), text)).encode(), json_texts),
    signature=st.none()
    | ascii_headers
    | st.builds(lambda: meta_request(b"another body")[1][META_SIGNATURE_HEADER])
    | st.just("wrong secret"),
)
async def test_a_request_without_a_valid_signature_is_refused(cloud, body, signature):
    body, headers = meta_request(body, secret="not-the-app-secret")
    if signature != "wrong secret":
        headers.pop(META_SIGNATURE_HEADER)
        headers.update({} if signature is None else {META_SIGNATURE_HEADER: signature})
    status, messages = await post_to_cloud(cloud, body, headers)
    assert (status, messages) == (403, [])


# --- Twilio -------------------------------------------------------------------------

TWILIO_FIELDS = sorted(twilio_form("whatsapp:+1", "hello"))


@st.composite
def twilio_forms(draw: st.DrawFn) -> dict[str, str]:
    """Twilio's form with any Body and From, fields missing, blank, or added."""
    form = twilio_form(new_twilio_sender(), draw(form_texts))
    form["From"] = draw(
        st.builds(new_twilio_sender)
        | st.builds(lambda: "+" + new_wa_id())  # SMS
        | st.builds(lambda: "messenger:" + new_wa_id())
        | form_texts
    )
    for name in draw(st.sets(st.sampled_from(TWILIO_FIELDS))):
        del form[name]
    form.update(draw(st.dictionaries(st.text(max_size=12), form_texts, max_size=4)))
    return form


def twilio_expected(form: dict[str, str]) -> list[tuple[str, str]]:
    """(sender, text) of the message the bot should receive: one if the form has both."""
    sender, body = form.get("From"), form.get("Body")
    return [(sender, bot_reads(body))] if sender and body else []


@pytest.fixture
async def twilio() -> AsyncIterator[twilio_channel.Webhook]:
    with FakeTwilioApi() as api:
        async for webhook in twilio_channel.start(twilio_channel.channel_for(api), quiet_agent()):
            yield webhook


async def post_to_twilio(
    webhook: twilio_channel.Webhook, form: dict[str, str], headers: dict[str, str]
) -> tuple[int, list[tuple[str, str]]]:
    webhook.agent.messages.clear()
    # Unlike Meta's, Twilio's webhook handles the message before it answers.
    status = await webhook.post(form, headers)
    return status, [(m.sender_id, m.text) for m in webhook.agent.messages]


@FUZZ
@given(form=twilio_forms())
async def test_every_signed_twilio_text_reaches_the_bot_once_cleaned(twilio, caplog, form):
    caplog.clear()
    status, messages = await post_to_twilio(twilio, form, twilio_headers(twilio.url, form))
    assert status == 204
    assert messages == twilio_expected(form)
    assert errors(caplog) == []


@FUZZ
@given(
    form=twilio_forms(),
    signature=st.none() | ascii_headers | st.just("wrong token") | st.just("another form"),
)
async def test_an_unsigned_twilio_request_is_refused(twilio, form, signature):
    if signature == "wrong token":
        headers = twilio_headers(twilio.url, form, token="another-token")
    elif signature == "another form":
        headers = twilio_headers(twilio.url, {**form, "Body": f"{form.get('Body')} changed"})
    else:
        headers = {} if signature is None else {TWILIO_SIGNATURE_HEADER: signature}
    assert await post_to_twilio(twilio, form, headers) == (403, [])
