"""The socket.io channel (webchat/socketio_channel.py): its fixes without a server, then bad
input from a real socket.io client, over long-polling as the widget uses it, against the bot.
"""

from unittest.mock import AsyncMock

import pytest
import requests

from channels.user_text import MAX_MESSAGE_CHARS
from tests.content_files import faq_answer
from tests.e2e.conversation import response_text
from tests.e2e.stored import stored_user_texts
from webchat.socketio_channel import SocketIOChannel


@pytest.fixture
def channel() -> SocketIOChannel:
    channel = SocketIOChannel.from_credentials({"session_persistence": True})
    channel.blueprint(AsyncMock())
    return channel


def test_offers_long_polling_only(channel):
    assert channel.name() == "socketio"
    assert channel.sio.eio.transports == ["polling"]
    assert channel.sio.eio.allow_upgrades is False


async def test_a_persistent_session_joins_its_room_before_it_is_confirmed(channel):
    channel.sio.enter_room = AsyncMock()
    channel.sio.emit = AsyncMock()
    session_request = channel.sio.handlers["/"]["session_request"]

    await session_request("socket-1", {"session_id": "abc"})

    channel.sio.enter_room.assert_awaited_once_with("socket-1", "abc", namespace=None)
    channel.sio.emit.assert_awaited_once_with(
        "session_confirm", "abc", room="socket-1", namespace=None
    )


@pytest.mark.parametrize("data", [None, "nonsense", {"session_id": ""}, {"session_id": ["x"]}])
async def test_a_visitor_without_a_usable_session_gets_a_new_one(channel, data):
    channel.sio.enter_room = AsyncMock()
    channel.sio.emit = AsyncMock()

    await channel.sio.handlers["/"]["session_request"]("socket-1", data)

    new_id = channel.sio.enter_room.await_args.args[1]
    assert len(new_id) == 32
    channel.sio.emit.assert_awaited_once_with(
        "session_confirm", new_id, room="socket-1", namespace=None
    )


def test_empty_or_non_text_messages_get_the_prompt(visitor):
    prompt = [response_text("utter_empty_message")]
    for message in ("", "  \n\t ", 42, None, ["a list"], {"an": "object"}):
        assert visitor.say(message) == prompt, f"for {message!r}"
    assert visitor.send({"session_id": visitor.session_id}) == prompt  # no message at all
    assert visitor.say("how long does a session take?") == [faq_answer("duration")]


def test_a_very_long_message_is_cut_to_the_documented_limit(bot, visitor):
    assert visitor.say("does it hurt? " * 800)
    assert [len(text) for text in stored_user_texts(bot, visitor.session_id)] == [MAX_MESSAGE_CHARS]


def test_characters_that_are_not_text_are_dropped_and_the_rest_answered(bot, visitor):
    # A lone surrogate survives JSON (the client sends it as \ud800) but not UTF-8.
    assert visitor.say("how long does a session take?\x00\ud800") == [faq_answer("duration")]
    assert visitor.say("😀🙏🏽")
    assert stored_user_texts(bot, visitor.session_id) == [
        "how long does a session take?",
        "😀🙏🏽",
    ]


def test_events_that_name_no_conversation_are_ignored_and_the_chat_goes_on(visitor):
    for data in ("just text", {"message": "hi"}, {"message": "hi", "session_id": 5}, ["a", "b"]):
        visitor.client.emit("user_uttered", data)
    visitor.client.emit("user_uttered")
    visitor.client.emit("user_uttered", ("two", "arguments"))
    # Had any of them been answered in this conversation, that answer would come first.
    assert visitor.say("what is microneedling?", metadata="{not json") == [faq_answer("what_is")]


def test_a_post_that_is_not_utf8_gets_a_400_and_the_chat_goes_on(bot, visitor):
    packet = b'42["user_uttered",{"session_id":"%s","message":"caf\xe9"}]'
    refused = requests.post(
        f"{bot.rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "polling", "sid": visitor.client.eio.sid},
        data=packet % visitor.session_id.encode(),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
        timeout=10,
    )
    assert refused.status_code == 400
    assert visitor.say("how long does a session take?") == [faq_answer("duration")]
