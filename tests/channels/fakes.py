"""Local stand-ins for Meta's Graph API and Twilio's REST API, and session fixtures running them.

Each fake is an aiohttp server on a free loopback port, in a thread of its own
(so sync and async tests alike can use it), recording every POST it receives.
The session fixtures start before the bot (tests/conftest.py), whose channels
`whatsapp_env` points at them.
"""

import asyncio
import hashlib
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Self

import aiohttp
import pytest
from aiohttp import web

from tests.servers import free_port

# Test-only secrets; the bot under test gets them through its environment.
WHATSAPP_VERIFY_TOKEN = "test-verify-token"
WHATSAPP_APP_SECRET = "test-app-secret"
WHATSAPP_ACCESS_TOKEN = "test-access-token"
WHATSAPP_PHONE_NUMBER_ID = "100200300400500"
TWILIO_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
TWILIO_WHATSAPP_NUMBER = "whatsapp:+14155238886"
# The clinic's approved templates, offered outside WhatsApp's 24-hour window.
WHATSAPP_TEMPLATE_NAME = "clinic_follow_up"
TWILIO_TEMPLATE_CONTENT_SID = "HX" + "1" * 32
WAIT_TIMEOUT_S = 60


@dataclass(frozen=True)
class Received:
    """One request a fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]  # the JSON body, or the form fields


class FakeApi:
    """Records the POSTs it receives; answers with `reply`, or with `fail_status` when set.

    `delay_s` makes every answer slow, as a distant API can be. GETs serve the media in
    `files` (id -> bytes) as the real API does (`get_media`); the next `get_failures`
    GETs fail with a 500. They are recorded too (`gets`).
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.fail_status: int | None = None
        self.delay_s = 0.0
        self.files: dict[str, bytes] = {}
        self.get_failures = 0
        self._gets: list[Received] = []
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def reply(self, request: Received, number: int) -> tuple[int, dict[str, Any]]:
        """The answer to a recorded request; `number` counts requests from 1."""
        raise NotImplementedError

    def get_media(self, request: web.Request) -> web.StreamResponse:
        """The answer to a GET for media."""
        raise web.HTTPNotFound()

    def add_file(self, data: bytes) -> str:
        """Serve `data` as a new media item; returns its id."""
        media_id = f"media{next(self._ids)}"
        self.files[media_id] = data
        return media_id

    def __enter__(self) -> Self:
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        app = web.Application()
        app.router.add_post("/{path:.*}", self._handle)
        app.router.add_get("/{path:.*}", self._handle_get)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._started.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())
        self._loop.close()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(await request.post())
        received = Received(request.path, dict(request.headers), body)
        with self._lock:
            self._received.append(received)
        await asyncio.sleep(self.delay_s)
        if self.fail_status:
            return web.json_response(
                {"error": {"code": 131000, "message": "failed"}}, status=self.fail_status
            )
        status, answer = self.reply(received, next(self._ids))
        return web.json_response(answer, status=status)

    async def _handle_get(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            self._gets.append(Received(request.path, dict(request.headers), {}))
            failing, self.get_failures = self.get_failures > 0, max(self.get_failures - 1, 0)
        if failing:
            return web.json_response({"error": {"code": 2, "message": "try later"}}, status=500)
        return self.get_media(request)

    @property
    def gets(self) -> list[Received]:
        with self._lock:
            return list(self._gets)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def wait_for(
        self, condition: Callable[[list[Received]], bool], timeout_s: float = WAIT_TIMEOUT_S
    ) -> list[Received]:
        """Wait until `condition(received so far)` holds; returns what was received."""
        deadline = time.monotonic() + timeout_s
        while not condition(received := self.received):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{type(self).__name__}: condition not met; received {received}")
            time.sleep(0.05)
        return received


class FakeGraphApi(FakeApi):
    """Meta's Graph API `POST /{phone_number_id}/messages`."""

    @property
    def env(self) -> dict[str, str]:
        return {
            "WHATSAPP_VERIFY_TOKEN": WHATSAPP_VERIFY_TOKEN,
            "WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
            "WHATSAPP_ACCESS_TOKEN": WHATSAPP_ACCESS_TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_NUMBER_ID,
            "WHATSAPP_GRAPH_API_URL": self.url,
        }

    def reply(self, request: Received, number: int) -> tuple[int, dict[str, Any]]:
        if request.headers.get("Authorization") != f"Bearer {WHATSAPP_ACCESS_TOKEN}":
            return 401, {"error": {"code": 190, "message": "Invalid OAuth access token"}}
        to = request.body.get("to")
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.fake{number}"}],
        }

    def sent_to(self, recipient: str) -> list[dict[str, Any]]:
        """The message bodies sent to `recipient`, in order."""
        return [r.body for r in self.received if r.body.get("to") == recipient]

    def get_media(self, request: web.Request) -> web.StreamResponse:
        """`GET /{media-id}`: its URL, type, checksum and size; `GET /files/{id}`: the bytes.
        Both need the access token, as Meta's do."""
        if request.headers.get("Authorization") != f"Bearer {WHATSAPP_ACCESS_TOKEN}":
            return web.json_response({"error": {"code": 190, "message": "no token"}}, status=401)
        name = request.path.rsplit("/", 1)[-1]
        if name not in self.files:
            raise web.HTTPNotFound()
        data = self.files[name]
        if request.path.startswith("/files/"):
            return web.Response(body=data, content_type="image/jpeg")
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/files/{name}",
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": str(len(data)),
                "id": name,
            }
        )


class FakeTwilioApi(FakeApi):
    """Twilio's REST API `POST /2010-04-01/Accounts/{sid}/Messages.json`."""

    @property
    def env(self) -> dict[str, str]:
        return {
            "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
            "TWILIO_WHATSAPP_NUMBER": TWILIO_WHATSAPP_NUMBER,
            "TWILIO_API_URL": self.url,
        }

    def reply(self, request: Received, number: int) -> tuple[int, dict[str, Any]]:
        body = request.body
        return 201, {
            "sid": f"SM{number:032d}",
            "account_sid": TWILIO_ACCOUNT_SID,
            "to": body.get("To"),
            "from": body.get("From"),
            "body": body.get("Body"),
            "status": "queued",
        }

    def media_url(self, media_id: str) -> str:
        """A MediaUrl as Twilio's webhook gives it."""
        return f"{self.url}/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/MM1/Media/{media_id}"

    def get_media(self, request: web.Request) -> web.StreamResponse:
        """A MediaUrl needs the account's basic auth and redirects elsewhere (here: the same
        server under another host name, which aiohttp counts as another origin), where
        the file is served without any."""
        name = request.path.rsplit("/", 1)[-1]
        if name not in self.files:
            raise web.HTTPNotFound()
        if request.path.startswith("/stored/"):
            return web.Response(body=self.files[name], content_type="image/jpeg")
        expected = aiohttp.BasicAuth(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN).encode()
        if request.headers.get("Authorization") != expected:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        raise web.HTTPTemporaryRedirect(f"http://localhost:{self.port}/stored/{name}")

    def sent_to(self, recipient: str) -> list[str]:
        """The message texts sent to `recipient`, in order (templates have none)."""
        return [
            r.body["Body"]
            for r in self.received
            if r.body.get("To") == recipient and "Body" in r.body
        ]


@pytest.fixture(scope="session")
def fake_graph_api() -> Iterator[FakeGraphApi]:
    """The Graph API the session's bot sends WhatsApp (Cloud API) replies to."""
    with FakeGraphApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def fake_twilio_api() -> Iterator[FakeTwilioApi]:
    """The Twilio API the session's bot sends WhatsApp (Twilio) replies to."""
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def whatsapp_env(fake_graph_api: FakeGraphApi, fake_twilio_api: FakeTwilioApi) -> dict[str, str]:
    """The bot's environment for its WhatsApp channels: test secrets, the fakes' URLs."""
    templates = {
        "WHATSAPP_TEMPLATE_NAME": WHATSAPP_TEMPLATE_NAME,
        "TWILIO_TEMPLATE_CONTENT_SID": TWILIO_TEMPLATE_CONTENT_SID,
    }
    return {**fake_graph_api.env, **fake_twilio_api.env, **templates}
