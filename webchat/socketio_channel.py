"""Rasa's `socketio` input channel, fixed for the library versions this project runs.

Rasa 3.6's channel fails in two ways here, whatever the widget:

1. Rasa 3.6 pins Sanic 21.12, whose WebSocket code passes a coroutine to
   `asyncio.wait()`, which Python 3.11 forbids: every WebSocket dies on its first
   message. socket.io clients start on HTTP long-polling and then upgrade to a
   WebSocket, so the conversation stalls right after connecting. Here the server
   offers long-polling only, so clients never try the upgrade.
2. python-socketio 5.x made `AsyncServer.enter_room()` a coroutine; Rasa calls it
   without `await`, so with `session_persistence` the browser never joins the room
   of its session id and every reply is sent to nobody. Here it is awaited.

Configured in credentials.yml in place of `socketio`, with the same settings. Remove
it once Rasa ships a channel that works with these versions.
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


class SocketIOChannel(SocketIOInput):
    """The `socketio` channel: same events, settings and name, on long-polling only."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        # Rasa builds its socket.io server inside blueprint() and passes it no engine.io
        # options, so they are set on the server it just built. Refusing the transport
        # also answers a client that asks for a WebSocket outright with a clean 400.
        sio.eio.transports = ["polling"]
        sio.eio.allow_upgrades = False

        # Registering the event again replaces Rasa's handler.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            session_id = (data or {}).get("session_id") or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
