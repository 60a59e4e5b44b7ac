"""A visitor of the clinic page on the running bot's socket.io channel, disconnected afterwards."""

from collections.abc import Iterator

import pytest

from tests.servers import RunningBot
from tests.webchat.visitor import Visitor


@pytest.fixture
def visitor(bot: RunningBot) -> Iterator[Visitor]:
    visitor = Visitor(bot)
    try:
        yield visitor
    finally:
        visitor.leave()
