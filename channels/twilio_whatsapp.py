"""Twilio's WhatsApp as a Rasa channel: Rasa's Twilio connector, plus what WhatsApp needs.

credentials.yml:

    channels.twilio_whatsapp.TwilioWhatsAppInput:
      account_sid: ...
      auth_token: ...                  # also the key Twilio signs its webhook requests with
      twilio_number: whatsapp:+14155238886
      # The URL Twilio signs; empty: the URL of the request as Rasa sees it.
      webhook_url: https://<host>/webhooks/twilio/webhook
      api_url: ...                     # Twilio's REST API base URL; empty: Twilio's own

Changes to Rasa's connector: every request must carry a valid `X-Twilio-Signature`;
messages reach the bot as sent (Rasa's webhook route turns "¡" into "@"); WhatsApp
through Twilio has no reply buttons, so options go out as one numbered list and a
typed number or option title comes back to the bot as that button's payload.
Photos, voice notes and files (`NumMedia`, `MediaUrl<N>`) are recorded and reach
the bot as `/send_media`, the Body as their caption (media_messages.py); the
Rasa server fetches them later (media_fetch.py, `fetch_media`).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import requests
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException, TwilioRestException

from channels.media_fetch import MEDIA_TIMEOUT, download
from channels.media_messages import pass_on, twilio_media
from channels.messages import Button, split_text, with_numbered_options
from channels.options import OfferedOptions
from channels.signatures import TWILIO_SIGNATURE_HEADER, twilio_signature_valid
from channels.user_text import clean_user_text

logger = logging.getLogger(__name__)

# Twilio's limit for the body of one WhatsApp message.
BODY_LIMIT = 1600

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class TwilioWhatsAppOutput(TwilioOutput):
    """Rasa's Twilio output with options as a numbered list and long text split sensibly."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        options: OfferedOptions,
        api_url: str = "",
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self._options = options
        if api_url:
            self.api.base_url = api_url.rstrip("/")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._options.forget(recipient_id)
        await self._send_body(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[Button], **kwargs: Any
    ) -> None:
        await self._send_body(recipient_id, with_numbered_options(text or "", buttons))
        await self._options.remember(recipient_id, buttons)

    async def deliver_text(self, recipient_id: str, text: str) -> bool:
        """A message from clinic staff, as text; whether Twilio accepted every part."""
        await self._options.forget(recipient_id)
        return await self._send_body(recipient_id, text)

    async def deliver_template(self, recipient_id: str, name: str, language: str) -> bool:
        """The clinic's approved template: on Twilio, its Content SID; whether sent."""
        message = {"to": recipient_id, "from_": self.twilio_number, "content_sid": name}
        return await self._send_message(message) is not None

    async def _send_body(self, recipient_id: str, text: str) -> bool:
        for part in split_text(text, BODY_LIMIT):
            sent = await self._send_message(
                {"to": recipient_id, "from_": self.twilio_number, "body": part}
            )
            if sent is None:
                return False
        return True

    async def _send_message(self, message_data: dict[str, Any]) -> Any | None:
        """Like Rasa's, but off the event loop (the Twilio client blocks) and never raising.

        Rasa's version also logs Twilio's error text, which can quote the recipient.
        """
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            logger.error("Twilio refused a message: HTTP %s, error %s", error.status, error.code)
        except (TwilioException, requests.RequestException) as error:
            logger.error("Twilio API unreachable: %s", type(error).__name__)
        return None


class TwilioWhatsAppInput(TwilioInput):
    """Rasa's Twilio webhook (/webhooks/twilio/webhook), refusing unsigned requests."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if credentials is None:
            cls.raise_missing_credentials_exception()

        def value(key: str) -> str:
            return str(credentials.get(key) or "").strip()

        return cls(
            value("account_sid"),
            value("auth_token"),
            value("twilio_number"),
            webhook_url=value("webhook_url"),
            api_url=value("api_url"),
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        webhook_url: str = "",
        api_url: str = "",
        options: OfferedOptions | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.options = options or OfferedOptions.from_env()
        if not auth_token:
            logger.info("Twilio WhatsApp channel not configured: its webhook refuses every request")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        # Not Rasa's route, which turns "¡" into "@" (a fix for SMS carriers that garbles
        # Spanish on WhatsApp), takes a message without From as one from "default", and
        # logs an error for a message without Body (a picture without a caption).
        webhook = Blueprint("twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._signed(request):
                logger.warning("Twilio webhook: refused a request without a valid signature")
                return response.text("", status=403)
            await self._handle(request, on_new_message)
            return response.text("", status=204)

        return webhook

    async def _handle(self, request: Request, on_new_message: OnNewMessage) -> None:
        sender, text = request.form.get("From"), request.form.get("Body")
        media = twilio_media(request.form, text)
        if not sender or not (text or media):
            return
        output = self.get_output_channel()

        async def send(message: str, metadata: dict[str, Any] | None) -> None:
            await on_new_message(
                UserMessage(message, output, sender, input_channel=self.name(), metadata=metadata)
            )

        try:
            if media:
                await pass_on(send, sender, self.name(), text, media, self.get_metadata(request))
                return
            await send(
                await self.options.translate(sender, clean_user_text(text)),
                self.get_metadata(request),
            )
        except Exception:  # as in Rasa's connector: Twilio does not retry, so a 500 helps no one
            logger.exception("Twilio WhatsApp message could not be handled")

    async def fetch_media(self, media_url: str, max_bytes: int) -> bytes:
        """A patient's media from Twilio: its MediaUrl with the account's basic auth, following
        the redirect to where Twilio keeps it. Raises `TooLarge` past `max_bytes`."""
        # On the request, not the session: aiohttp drops a request's credentials when the
        # redirect leads to another host, but would add a session's again.
        auth = aiohttp.BasicAuth(self.account_sid, self.auth_token)
        async with aiohttp.ClientSession(timeout=MEDIA_TIMEOUT) as session:
            return await download(session, media_url, max_bytes, auth=auth)

    def _signed(self, request: Request) -> bool:
        # Behind a proxy the request's own URL is not the public one Twilio signed.
        url = self.webhook_url or request.url
        signature = request.headers.get(TWILIO_SIGNATURE_HEADER)
        return twilio_signature_valid(url, _signed_fields(request), signature, self.auth_token)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        name = request.form.get("ProfileName")
        return {"profile_name": name} if name else None

    def get_output_channel(self) -> OutputChannel:
        return TwilioWhatsAppOutput(
            self.account_sid, self.auth_token, self.twilio_number, self.options, self.api_url
        )


def _signed_fields(request: Request) -> RequestParameters:
    """Every form field, blank ones too: Twilio signs them all (the empty Body of a picture
    without a caption), and Sanic's `request.form` leaves blank fields out."""
    try:
        return RequestParameters(parse_qs(request.body.decode(), keep_blank_values=True))
    except UnicodeDecodeError:  # Twilio sends UTF-8: this is not from Twilio
        return RequestParameters()
