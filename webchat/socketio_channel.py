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

It also answers bad input the way the REST channel does (channels/user_text.py):
an empty or non-string message gets the empty-message prompt, long text is cut,
unreadable metadata is dropped. An event that names no conversation (not an
object, or without a session id) is ignored, as Rasa does, but without raising.
A long-polling POST that is not UTF-8 gets a 400 and the connection lives on
(engine.io would log a traceback and drop the whole POST silently).

Configured in credentials.yml in place of `socketio`, with the same settings. The
connection fixes can go once Rasa ships a channel that works with these versions.
"""

import functools
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.rest import valid_sender
from channels.user_text import clean_user_text

logger = logging.getLogger(__name__)


def metadata_of(value: object) -> dict[str, Any]:
    """Message metadata as an object (the widget may send it as JSON text); {} if unreadable."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


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
        self._refuse_non_utf8_posts()

        # Registering an event again replaces Rasa's handler. Clients may send any
        # number of arguments of any type, hence the loose signatures.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = valid_sender(asked) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            message = self._user_message(sid, data)
            if message is None:
                logger.warning("socket.io: ignored a message that names no conversation")
                return
            await on_new_message(message)

        return blueprint

    def _refuse_non_utf8_posts(self) -> None:
        # The engine.io route is added when the blueprint is registered, with whatever
        # `handle_request` is then: so this check can go in front of it here.
        handle_request = self.sio.eio.handle_request

        @functools.wraps(handle_request)  # Sanic names the route after the handler
        async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            if request.method == "POST":
                try:
                    request.body.decode("utf-8")
                except UnicodeDecodeError:
                    return response.text("the body is not valid UTF-8", status=400)
            return await handle_request(request, *args, **kwargs)

        self.sio.eio.handle_request = checked

    def _user_message(self, sid: str, data: object) -> UserMessage | None:
        """The message in a `user_uttered` event, or None if it names no conversation."""
        if not isinstance(data, dict):
            return None
        sender_id = valid_sender(data.get("session_id")) if self.session_persistence else sid
        if sender_id is None:
            return None
        return UserMessage(
            clean_user_text(data.get("message")),
            SocketIOOutput(self.sio, self.bot_message_evt),
            sender_id,
            input_channel=self.name(),
            metadata=metadata_of(data.get(self.metadata_key)),
        )
