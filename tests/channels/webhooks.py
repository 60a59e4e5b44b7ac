"""Webhook requests as Meta and Twilio send them, signed with the test secrets."""

import json
import uuid
from typing import Any

from twilio.request_validator import RequestValidator

from channels.signatures import META_SIGNATURE_HEADER, TWILIO_SIGNATURE_HEADER, meta_signature
from tests.channels.fakes import (
    TWILIO_AUTH_TOKEN,
    TWILIO_WHATSAPP_NUMBER,
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
)

PROFILE_NAME = "Sam Patient"


def new_wa_id() -> str:
    """A fresh WhatsApp number (digits, as Meta sends it), so tests never share a conversation."""
    return "44" + str(uuid.uuid4().int)[:10]


def new_message_id() -> str:
    return f"wamid.{uuid.uuid4().hex}"


def _change(value: dict[str, Any]) -> dict[str, Any]:
    metadata = {"display_phone_number": "15550001111", "phone_number_id": WHATSAPP_PHONE_NUMBER_ID}
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA-ID",
                "changes": [
                    {
                        "field": "messages",
                        "value": {"messaging_product": "whatsapp", "metadata": metadata, **value},
                    }
                ],
            }
        ],
    }


def message_payload(
    sender: str, message: dict[str, Any], message_id: str | None = None
) -> dict[str, Any]:
    """A webhook payload with one incoming message (`message` holds its type and content)."""
    return _change(
        {
            "contacts": [{"profile": {"name": PROFILE_NAME}, "wa_id": sender}],
            "messages": [
                {
                    "from": sender,
                    "id": message_id or new_message_id(),
                    "timestamp": "1700000000",
                    **message,
                }
            ],
        }
    )


def text_payload(sender: str, text: str, message_id: str | None = None) -> dict[str, Any]:
    return message_payload(sender, {"type": "text", "text": {"body": text}}, message_id)


def reply_payload(sender: str, reply_id: str, kind: str = "button_reply") -> dict[str, Any]:
    """A tap on one of our reply buttons (`button_reply`) or list rows (`list_reply`)."""
    interactive = {"type": kind, kind: {"id": reply_id, "title": reply_id[:20]}}
    return message_payload(sender, {"type": "interactive", "interactive": interactive})


def status_payload(recipient: str) -> dict[str, Any]:
    """A delivery status update for a message the bot sent."""
    status = {
        "id": new_message_id(),
        "status": "delivered",
        "timestamp": "1700000001",
        "recipient_id": recipient,
    }
    return _change({"statuses": [status]})


def meta_request(payload: Any, secret: str = WHATSAPP_APP_SECRET) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a webhook POST signed as Meta signs it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return body, {
        "Content-Type": "application/json",
        META_SIGNATURE_HEADER: meta_signature(body, secret),
    }


def twilio_form(sender: str, text: str) -> dict[str, str]:
    """The form fields of Twilio's webhook for an incoming WhatsApp message."""
    return {
        "SmsMessageSid": "SM" + uuid.uuid4().hex,
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": TWILIO_WHATSAPP_NUMBER,
        "Body": text,
        "NumMedia": "0",
        "ProfileName": PROFILE_NAME,
        "WaId": sender.removeprefix("whatsapp:+"),
    }


def twilio_headers(
    url: str, form: dict[str, str], token: str = TWILIO_AUTH_TOKEN
) -> dict[str, str]:
    """The signature header Twilio sends with `form` POSTed to `url`."""
    return {TWILIO_SIGNATURE_HEADER: RequestValidator(token).compute_signature(url, form)}


def new_twilio_sender() -> str:
    return "whatsapp:+" + new_wa_id()


def media_payload(
    sender: str, kind: str, media: dict[str, Any], message_id: str | None = None
) -> dict[str, Any]:
    """A photo, voice note, video, document or sticker (`media`: its id, mime_type, sha256,
    and caption or filename)."""
    return message_payload(sender, {"type": kind, kind: media}, message_id)


def twilio_media_form(sender: str, caption: str, media: list[tuple[str, str]]) -> dict[str, str]:
    """Twilio's webhook fields for a message with media: (MediaUrl, MediaContentType) pairs."""
    form = {**twilio_form(sender, caption), "NumMedia": str(len(media))}
    for number, (url, mime_type) in enumerate(media):
        form[f"MediaUrl{number}"] = url
        form[f"MediaContentType{number}"] = mime_type
    return form
