"""The WhatsApp Cloud API channel served in-process, with a stand-in agent and a fake Graph API."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace

import aiohttp
import pytest

from channels.options import OfferedOptions
from channels.stores import MemoryStore
from channels.whatsapp_cloud import WhatsAppCloudInput, WhatsAppCloudSettings
from tests.channels.apps import QUESTION, StandInAgent, serving
from tests.channels.fakes import (
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_VERIFY_TOKEN,
    FakeGraphApi,
)
from tests.channels.webhooks import (
    PROFILE_NAME,
    meta_request,
    new_message_id,
    new_wa_id,
    reply_payload,
    status_payload,
    text_payload,
)
from tests.servers import free_port

PRIVATE_TEXT = "I think I might be pregnant"


@pytest.fixture
def graph() -> Iterator[FakeGraphApi]:
    with FakeGraphApi() as fake:
        yield fake


def settings_for(graph: FakeGraphApi, **overrides: str) -> WhatsAppCloudSettings:
    settings = WhatsAppCloudSettings(
        verify_token=WHATSAPP_VERIFY_TOKEN,
        app_secret=WHATSAPP_APP_SECRET,
        access_token=WHATSAPP_ACCESS_TOKEN,
        phone_number_id=WHATSAPP_PHONE_NUMBER_ID,
        graph_api_url=graph.url,
    )
    return replace(settings, **overrides)


@dataclass
class Webhook:
    """The channel under test: its URL, the agent behind it and an HTTP client."""

    url: str
    agent: StandInAgent
    http: aiohttp.ClientSession

    async def post(self, payload, secret: str = WHATSAPP_APP_SECRET) -> int:
        body, headers = meta_request(payload, secret)
        async with self.http.post(self.url, data=body, headers=headers) as answer:
            return answer.status

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> int:
        async with self.http.post(self.url, data=body, headers=headers) as answer:
            return answer.status


@asynccontextmanager_fixture := None  # placeholder removed below
