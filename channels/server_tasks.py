"""Background work of the Rasa server, listed in credentials.yml like a channel.

Rasa starts every channel named there, so a "channel" that is no way in is how
every Rasa server runs a periodic task with the server's other channels at hand
(their credentials and output channels): delivering staff messages
(staff_delivery.py) and fetching patients' media (media_fetch.py).
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.background import PeriodicTask


class ServerTaskInput(InputChannel):
    """Not a way in: runs `task(channels)` while the Rasa server runs."""

    def __init__(self) -> None:
        self.running: PeriodicTask | None = None

    def task(self, channels: Sequence[InputChannel]) -> PeriodicTask:
        raise NotImplementedError

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint(self.name(), __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "running": self.running is not None})

        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _: Any) -> None:
            self.running = self.task(app.ctx.input_channels)
            self.running.start()

        @blueprint.listener("before_server_stop")
        async def stop(*_: Any) -> None:
            if self.running is not None:
                await self.running.stop()

        return blueprint
