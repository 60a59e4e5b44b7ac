"""Reading Meta's webhook payloads (channels/whatsapp_payload.py)."""

import contextlib
import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.whatsapp_payload import IncomingMessage, MalformedPayload, incoming_messages
from clinic_store.media import IncomingMedia
from tests.channels.fakes import WHATSAPP_PHONE_NUMBER_ID
from tests.channels.webhooks import (
    PROFILE_NAME,
    message_payload,
    reply_payload,
    status_payload,
    text_payload,
)

SENDER = "447700900123"


def test_a_text_message():
    payload = text_payload(SENDER, "how long does a session take?", message_id="wamid.1")
    assert incoming_messages(payload) == [
        IncomingMessage(
            message_id="wamid.1",
            sender=SENDER,
            text="how long does a session take?",
            is_reply=False,
            phone_number_id=WHATSAPP_PHONE_NUMBER_ID,
            profile_name=PROFILE_NAME,
        )
    ]


@pytest.mark.parametrize("kind", ["button_reply", "list_reply"])
def test_a_reply_gives_the_id_we_sent_as_payload(kind):
    (message,) = incoming_messages(reply_payload(SENDER, "/request_human", kind))
    assert (message.text, message.is_reply) == ("/request_human", True)


def test_a_template_quick_reply_gives_its_payload():
    button = {"type": "button", "button": {"payload": "Yes", "text": "Yes please"}}
    (message,) = incoming_messages(message_payload(SENDER, button))
    assert (message.text, message.is_reply) == ("Yes", True)


@pytest.mark.parametrize(
    "payload",
    [
        status_payload(SENDER),
        message_payload(SENDER, {"type": "reaction", "reaction": {"emoji": "👍"}}),
        message_payload(SENDER, {"type": "image", "image": {"id": "media-1"}}),  # no mime_type
        message_payload(SENDER, {"type": "interactive", "interactive": {"type": "nfm_reply"}}),
        {"object": "page", "entry": []},  # another Meta product
        {"object": "whatsapp_business_account", "entry": []},
        {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "account_update", "value": {}}]}],
        },
    ],
    ids=[
        "status",
        "reaction",
        "image-without-type",
        "other-interactive",
        "other-object",
        "no-entries",
        "other-field",
    ],
)
def test_events_without_a_readable_message_give_none(payload):
    assert incoming_messages(payload) == []


def test_a_photo_gives_its_media_and_its_caption_as_the_text():
    image = {"id": "media-1", "mime_type": "image/jpeg", "sha256": "abc=", "caption": "my cheek"}
    (message,) = incoming_messages(message_payload(SENDER, {"type": "image", "image": image}))
    assert (message.text, message.is_reply) == ("my cheek", False)
    assert message.media == IncomingMedia(
        kind="image",
        mime_type="image/jpeg",
        source="media-1",
        expected_sha256="abc=",
        caption="my cheek",
    )


@pytest.mark.parametrize("kind", ["audio", "video", "document", "sticker"])
def test_voice_notes_videos_documents_and_stickers_are_read(kind):
    media = {"id": "media-2", "mime_type": "application/pdf", "filename": "letter.pdf"}
    (message,) = incoming_messages(message_payload(SENDER, {"type": kind, kind: media}))
    assert (message.text, message.media.kind, message.media.filename) == ("", kind, "letter.pdf")


def test_a_missing_contact_name_is_no_problem():
    payload = text_payload(SENDER, "hi")
    del payload["entry"][0]["changes"][0]["value"]["contacts"]
    (message,) = incoming_messages(payload)
    assert message.profile_name is None


def _broken(path: list, value=None, delete: bool = False) -> dict:
    payload = copy.deepcopy(text_payload(SENDER, "hi"))
    target = payload
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return payload


MESSAGE = ["entry", 0, "changes", 0, "value", "messages", 0]


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        None,
        {"object": "whatsapp_business_account"},
        _broken(["entry"], {"changes": []}),
    ],
)
def test_a_payload_of_the_wrong_shape_is_malformed(payload):
    with pytest.raises(MalformedPayload):
        incoming_messages(payload)


@pytest.mark.parametrize(
    "payload",
    [
        _broken(["entry", 0], "entry"),
        _broken(["entry", 0, "changes"], None),
        _broken(["entry", 0, "changes", 0, "value"], []),
        _broken(["entry", 0, "changes", 0, "value", "messages"], {"id": "x"}),
        _broken(MESSAGE, "hello"),
        _broken([*MESSAGE, "from"], delete=True),
        _broken([*MESSAGE, "from"], 447700900123),
        _broken([*MESSAGE, "id"], ""),
        _broken([*MESSAGE, "text"], "hello"),
        _broken([*MESSAGE, "text", "body"], None),
    ],
)
def test_a_part_of_the_wrong_shape_is_skipped_and_the_rest_is_read(payload):
    other = text_payload(SENDER, "and this")
    payload = {**payload, "entry": [*payload["entry"], *other["entry"]]}
    assert [m.text for m in incoming_messages(payload)] == ["and this"]


def test_unreadable_contacts_only_lose_the_profile_name():
    (message,) = incoming_messages(_broken(["entry", 0, "changes", 0, "value", "contacts"], "Sam"))
    assert (message.text, message.profile_name) == ("hi", None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=20,
)


@given(value=json_values)
def test_any_json_gives_messages_or_malformed_never_another_error(value):
    with contextlib.suppress(MalformedPayload):
        incoming_messages(value)


VALUE = ["entry", 0, "changes", 0, "value"]


@given(
    value=json_values,
    path=st.sampled_from(
        [VALUE, [*VALUE, "metadata"], [*VALUE, "contacts", 0], MESSAGE, [*MESSAGE, "text"]]
    ),
)
def test_any_json_in_a_well_formed_payload_never_raises_another_error(value, path):
    payload = _broken(path, value)
    with contextlib.suppress(MalformedPayload):
        incoming_messages(payload)
