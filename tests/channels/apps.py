"""A channel's webhook served in-process, registered as Rasa registers it, with a stand-in agent."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage, register
from sanic import Sanic

from tests.servers import free_port

QUESTION = {
    "text": "Are you pregnant, or could you be pregnant?",
    "buttons": [
        {"title": "Yes", "payload": "Yes"},
        {"title": "No", "payload": "No"},
        {"title": "Not sure", "payload": "/unsure"},
    ],
}


class StandInAgent:
    """Records each message and answers it with `responses` through its output channel."""

    def __init__(self, *responses: dict[str, Any]) -> None:
        self.messages: list[UserMessage] = []
        self.responses = responses or (QUESTION,)

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        for response in self.responses:
            # send_response pops keys, so each message gets its own copy
            await message.output_channel.send_response(message.sender_id, dict(response))

    async def wait_for_messages(self, count: int, timeout_s: float = 10) -> list[UserMessage]:
        """The messages handled so far, once there are `count` (channels may answer later)."""
        async with asyncio.timeout(timeout_s):
            while len(self.messages) < count:
                await asyncio.sleep(0.02)
        return self.messages


@asynccontextmanager
async def serving(channel: InputChannel, agent: StandInAgent) -> AsyncIterator[str]:
    """Serve `channel` under /webhooks/<name>/ on a free loopback port; yields the base URL."""
    # As sanic-testing does: lets several apps start in one process (Sanic rewrites
    # some of its own methods at start-up, and only test mode keeps the originals).
    Sanic.test_mode = True
    app = Sanic(f"channel_test_{uuid.uuid4().hex}", configure_logging=False)
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()
