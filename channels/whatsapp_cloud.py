"""Meta's WhatsApp Cloud API as a Rasa channel: webhook in, Graph API out.

credentials.yml:

    channels.whatsapp_cloud.WhatsAppCloudInput:
      verify_token: ...      # chosen by us, typed into the Meta app's webhook settings
      app_secret: ...        # the Meta app's secret; signs every webhook POST
      access_token: ...      # a system-user token with whatsapp_business_messaging
      phone_number_id: ...   # the clinic's WhatsApp number, as the Graph API names it
      graph_api_url: https://graph.facebook.com/v19.0
      list_button: Choose    # optional: the label that opens a list of 4-10 options

Meta expects a 200 within seconds and retries otherwise, so the webhook answers
at once and the message is handled in the background; retries and duplicate
deliveries are recognised by the message id and handled once. Photos, voice
notes, videos, documents and stickers are recorded and reach the bot as
`/send_media` after their caption (media_messages.py); the Rasa server fetches
them from the Graph API later (media_fetch.py, `fetch_media`).
"""

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.media_fetch import MEDIA_TIMEOUT, TooLarge, download
from channels.media_messages import pass_on
from channels.messages import Button
from channels.options import OfferedOptions
from channels.signatures import META_SIGNATURE_HEADER, meta_signature_valid
from channels.stores import Store, store_from_env
from channels.user_text import clean_user_text
from channels.whatsapp_payload import IncomingMessage, MalformedPayload, incoming_messages
from channels.whatsapp_render import GraphMessage, button_messages, text_messages

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v19.0"
DEFAULT_LIST_BUTTON = "Choose"
DEDUP_REDIS_URL_VARIABLE = "WHATSAPP_DEDUP_REDIS_URL"
# Meta retries an unacknowledged webhook for up to 7 days.
DEDUP_TTL_S = 7 * 24 * 3600
DEDUP_MAX_IDS = 10_000
GRAPH_TIMEOUT = aiohttp.ClientTimeout(total=15)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class WhatsAppCloudSettings:
    """The channel's credentials; an empty secret or token makes it refuse every request."""

    verify_token: str
    app_secret: str
    access_token: str
    phone_number_id: str
    graph_api_url: str = DEFAULT_GRAPH_API_URL
    list_button: str = DEFAULT_LIST_BUTTON

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> "WhatsAppCloudSettings":
        def value(key: str, default: str = "") -> str:
            return str(credentials.get(key) or "").strip() or default

        return cls(
            verify_token=value("verify_token"),
            app_secret=value("app_secret"),
            access_token=value("access_token"),
            phone_number_id=value("phone_number_id"),
            graph_api_url=value("graph_api_url", DEFAULT_GRAPH_API_URL).rstrip("/"),
            list_button=value("list_button", DEFAULT_LIST_BUTTON),
        )

    @property
    def messages_url(self) -> str:
        return f"{self.graph_api_url}/{self.phone_number_id}/messages"


class WhatsAppCloudOutput(OutputChannel):
    """Sends the bot's responses through the Graph API; failures are logged, never raised."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(self, settings: WhatsAppCloudSettings, options: OfferedOptions) -> None:
        self._settings = settings
        self._options = options

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._options.forget(recipient_id)
        await self._send(text_messages(recipient_id, text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[Button], **kwargs: Any
    ) -> None:
        messages = button_messages(recipient_id, text or "", buttons, self._settings.list_button)
        await self._send(messages)
        await self._options.remember(recipient_id, buttons)

    async def deliver_text(self, recipient_id: str, text: str) -> bool:
        """A message from clinic staff, as text; whether the Graph API accepted every part."""
        await self._options.forget(recipient_id)
        return await self._send(text_messages(recipient_id, text))

    async def deliver_template(self, recipient_id: str, name: str, language: str) -> bool:
        """The clinic's approved template (outside WhatsApp's 24-hour window); whether sent."""
        template = {"name": name, "language": {"code": language}}
        message = {"messaging_product": "whatsapp", "to": recipient_id, "type": "template"}
        return await self._send([{**message, "template": template}])

    async def _send(self, messages: list[GraphMessage]) -> bool:
        headers = {"Authorization": f"Bearer {self._settings.access_token}"}
        async with aiohttp.ClientSession(timeout=GRAPH_TIMEOUT, headers=headers) as session:
            for message in messages:
                # Later parts make no sense without the earlier ones.
                if not await self._post(session, message):
                    return False
        return True

    async def _post(self, session: aiohttp.ClientSession, message: GraphMessage) -> bool:
        try:
            async with session.post(self._settings.messages_url, json=message) as answer:
                if answer.status < 300:
                    return True
                body = await answer.text()
        except (TimeoutError, aiohttp.ClientError) as error:
            logger.error("WhatsApp Graph API unreachable or too slow: %s", type(error).__name__)
            return False
        # Meta's error code and explanation; neither quotes the message sent.
        graph_error = _graph_error(body)
        logger.error(
            "WhatsApp Graph API refused a %s message: HTTP %s, error %s %s",
            message.get("type"),
            answer.status,
            graph_error.get("code"),
            graph_error.get("message"),
        )
        logger.debug("Graph API answer: %s", body)
        return False


def _graph_error(body: str) -> dict[str, Any]:
    """The `error` object of a Graph API error answer, or {} if it has none."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


class WhatsAppCloudInput(InputChannel):
    """Webhook for Meta's WhatsApp Cloud API at /webhooks/whatsapp/webhook."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if credentials is None:
            cls.raise_missing_credentials_exception()
        return cls(WhatsAppCloudSettings.from_credentials(credentials))

    def __init__(
        self,
        settings: WhatsAppCloudSettings,
        seen_ids: Store | None = None,
        options: OfferedOptions | None = None,
    ) -> None:
        self.settings = settings
        self.seen_ids = seen_ids or store_from_env(
            DEDUP_REDIS_URL_VARIABLE, "whatsapp:seen:", DEDUP_MAX_IDS, DEDUP_TTL_S
        )
        self.options = options or OfferedOptions.from_env()
        self._tasks: set[asyncio.Task] = set()
        if not settings.app_secret or not settings.verify_token:
            logger.info("WhatsApp Cloud channel not configured: its webhook refuses every request")

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppCloudOutput(self.settings, self.options)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("whatsapp_cloud_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            return self._verify(request)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        return webhook

    def _verify(self, request: Request) -> HTTPResponse:
        """Meta's subscription handshake: echo the challenge if the verify token is ours."""
        token = request.args.get("hub.verify_token") or ""
        expected = self.settings.verify_token
        if (
            request.args.get("hub.mode") == "subscribe"
            and expected
            and hmac.compare_digest(token.encode(), expected.encode())
        ):
            return response.text(request.args.get("hub.challenge") or "")
        logger.warning("WhatsApp webhook verification refused")
        return response.text("", status=403)

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        signature = request.headers.get(META_SIGNATURE_HEADER)
        if not meta_signature_valid(request.body, signature, self.settings.app_secret):
            logger.warning("WhatsApp webhook: refused a request without a valid signature")
            return response.text("", status=403)
        try:
            messages = incoming_messages(json.loads(request.body))
        except (ValueError, RecursionError) as error:  # bad JSON, bad UTF-8 or MalformedPayload
            reason = error if isinstance(error, MalformedPayload) else type(error).__name__
            logger.warning("WhatsApp webhook: refused a malformed payload (%s)", reason)
            return response.text("", status=400)
        for message in messages:
            if self._is_for_us(message) and await self.seen_ids.add(message.message_id):
                self._in_background(self._handle(message, on_new_message))
        return response.text("")

    def _is_for_us(self, message: IncomingMessage) -> bool:
        """Messages to another number of the same business account are not ours to answer."""
        ours, theirs = self.settings.phone_number_id, message.phone_number_id
        return not ours or not theirs or ours == theirs

    async def _handle(self, message: IncomingMessage, on_new_message: OnNewMessage) -> None:
        metadata = {"profile_name": message.profile_name} if message.profile_name else None
        ids = iter((message.message_id, f"{message.message_id}:media"))

        async def send(text: str, extra: dict[str, Any] | None) -> None:
            await on_new_message(
                UserMessage(
                    text,
                    self.get_output_channel(),
                    message.sender,
                    input_channel=self.name(),
                    message_id=next(ids),
                    metadata=extra,
                )
            )

        if message.media is not None:
            await pass_on(
                send, message.sender, self.name(), message.text, [message.media], metadata
            )
            return
        text = clean_user_text(message.text)
        if not message.is_reply:
            text = await self.options.translate(message.sender, text)
        await send(text, metadata)

    async def fetch_media(self, media_id: str, max_bytes: int) -> bytes:
        """A patient's media from the Graph API: its URL (`GET /{media-id}`), then its bytes,
        both with the access token. Raises `TooLarge` past `max_bytes`."""
        # On each request, not the session: a redirect elsewhere must not carry the token.
        headers = {"Authorization": f"Bearer {self.settings.access_token}"}
        async with aiohttp.ClientSession(timeout=MEDIA_TIMEOUT) as session:
            url = f"{self.settings.graph_api_url}/{media_id}"
            async with session.get(url, headers=headers) as answer:
                answer.raise_for_status()
                described = await answer.json()
            if int(described.get("file_size") or 0) > max_bytes:
                raise TooLarge(int(described["file_size"]))
            return await download(session, str(described["url"]), max_bytes, headers=headers)

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)  # a reference, so the task is not garbage-collected mid-way
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("WhatsApp message could not be handled", exc_info=task.exception())
