"""The socket.io channel's two fixes, without a running server (see webchat/socketio_channel.py)."""

from unittest.mock import AsyncMock

import pytest

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


async def test_a_visitor_without_a_session_gets_a_new_one(channel):
    channel.sio.enter_room = AsyncMock()
    channel.sio.emit = AsyncMock()

    await channel.sio.handlers["/"]["session_request"]("socket-1", None)

    new_id = channel.sio.enter_room.await_args.args[1]
    assert len(new_id) == 32
    channel.sio.emit.assert_awaited_once_with(
        "session_confirm", new_id, room="socket-1", namespace=None
    )
