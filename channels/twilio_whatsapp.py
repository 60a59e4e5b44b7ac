"""Twilio's WhatsApp as a Rasa channel: Rasa's Twilio connector, plus what WhatsApp needs.

credentials.yml:

    channels.twilio_whatsapp.TwilioWhatsAppInput:
      account_sid: ...
      auth_token: ...                  # also the key Twilio signs its webhook requests with
      twilio_number: whatsapp:+14155238886
      # The URL Twilio signs; empty: the URL of the request as Rasa sees it.
      webhook_url: https://<host>/webhooks/twilio/webhook
      api_url: ...                     # Twilio's REST API base URL; empty: Twilio's own

Additions to Rasa's connector: every request must carry a valid `X-Twilio-Signature`;
WhatsApp through Twilio has no reply buttons, so options go out as one numbered list
and a typed number or option title comes back to the bot as that button's payload.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import requests
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException, TwilioRestException

from channels.messages import Button, split_text, with_numbered_options
from channels.options import OfferedOptions
from channels.signatures import TWILIO_SIGNATURE_HEADER, twilio_signature_valid
from channels.user_text import clean_user_text

logger = logging.getLogger(__name__)

# Twilio's limit for the body of one WhatsApp message.
BODY_LIMIT = 1600


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

    async def _send_body(self, recipient_id: str, text: str) -> None:
        for part in split_text(text, BODY_LIMIT):
            await self._send_message(
                {"to": recipient_id, "from_": self.twilio_number, "body": part}
            )

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
        # Not debug mode: a failure while handling a message is logged, not turned into a 500.
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.options = options or OfferedOptions.from_env()
        if not auth_token:
            logger.info("Twilio WhatsApp channel not configured: its webhook refuses every request")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_chosen_option(message: UserMessage) -> None:
            text = clean_user_text(message.text)
            message.text = await self.options.translate(message.sender_id, text)
            await on_new_message(message)

        webhook = super().blueprint(with_chosen_option)

        @webhook.middleware("request")
        async def check_signature(request: Request) -> HTTPResponse | None:
            if request.method == "POST" and not self._signed(request):
                logger.warning("Twilio webhook: refused a request without a valid signature")
                return response.text("", status=403)
            return None

        return webhook

    def _signed(self, request: Request) -> bool:
        # Behind a proxy the request's own URL is not the public one Twilio signed.
        url = self.webhook_url or request.url
        signature = request.headers.get(TWILIO_SIGNATURE_HEADER)
        return twilio_signature_valid(url, request.form, signature, self.auth_token)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        name = request.form.get("ProfileName")
        return {"profile_name": name} if name else None

    def get_output_channel(self) -> OutputChannel:
        return TwilioWhatsAppOutput(
            self.account_sid, self.auth_token, self.twilio_number, self.options, self.api_url
        )
