"""A visitor of the clinic page, talking to Rasa's socket.io channel as the widget does."""

import queue
import threading
import uuid
from typing import Any

import socketio

from tests.servers import RunningBot

REPLY_TIMEOUT_S = 60
# Replies to one message come as separate events; a pause this long means they are all in.
QUIET_S = 1.5


class Visitor:
    """A visitor of the clinic page, as the widget talks to Rasa: one persistent session."""

    def __init__(self, bot: RunningBot, session_id: str | None = None) -> None:
        """A new visitor, or one coming back to the page with the widget's `session_id`."""
        self.session_id = session_id or uuid.uuid4().hex
        self.replies: queue.Queue[dict[str, Any]] = queue.Queue()
        self.client = socketio.Client()
        self.client.on("bot_uttered", self.replies.put)
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda _: confirmed.set())
        self.client.connect(bot.rasa_url, transports=["polling"])
        self.client.emit("session_request", {"session_id": self.session_id})
        assert confirmed.wait(REPLY_TIMEOUT_S), "the session was never confirmed"

    def send(self, data: Any) -> list[str]:
        """Emit a `user_uttered` event with `data`; the texts of the replies (at least one)."""
        self.client.emit("user_uttered", data)
        texts = [self.replies.get(timeout=REPLY_TIMEOUT_S).get("text")]
        while True:
            try:
                texts.append(self.replies.get(timeout=QUIET_S).get("text"))
            except queue.Empty:
                return texts

    def next_reply(self, timeout_s: float = REPLY_TIMEOUT_S) -> str | None:
        """The text of the next message pushed to the widget, or None if none comes in time."""
        try:
            return self.replies.get(timeout=timeout_s).get("text")
        except queue.Empty:
            return None

    def say(self, message: Any, **fields: Any) -> list[str]:
        return self.send({"message": message, "session_id": self.session_id, **fields})

    def leave(self) -> None:
        """Close the session without waiting for the open long-poll to come back.

        A plain `disconnect()` waits for the server's next ping (25 s) to end
        the pending poll; the close packet is sent all the same.
        """
        self.client.eio.disconnect(abort=True)
