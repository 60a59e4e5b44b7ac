"""Reading the webhook payloads of Meta's WhatsApp Cloud API: the messages to answer, nothing else.

Shape (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components):
`{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
"value": {"metadata": {...}, "contacts": [...], "messages": [...] or "statuses": [...]}}]}]}`
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from clinic_store.media import IncomingMedia
from clinic_store.models import MEDIA_KINDS

WHATSAPP_OBJECT = "whatsapp_business_account"
REPLY_TYPES = ("button_reply", "list_reply")

logger = logging.getLogger(__name__)
T = TypeVar("T")


class MalformedPayload(ValueError):
    """The payload claims to be a WhatsApp event but does not have the documented shape."""


@dataclass(frozen=True)
class IncomingMessage:
    """One message from a person, reduced to what the bot needs."""

    message_id: str
    sender: str  # the person's WhatsApp number (wa_id), digits only
    text: str  # what they typed, or the id (our payload) of the button or list row they chose
    is_reply: bool  # chosen from our buttons or list, rather than typed
    phone_number_id: str | None  # the clinic's number that received it
    profile_name: str | None
    media: IncomingMedia | None = None  # a photo, voice note...; `text` is then its caption


def incoming_messages(payload: Any) -> list[IncomingMessage]:
    """The text messages, button/list replies and media in a webhook payload.

    Status updates, other fields and message types the bot cannot read (reactions,
    locations, contacts...) give no messages. Raises `MalformedPayload` if the
    payload is not an object with a list of entries. A part inside (an entry, a
    change, a message, the contacts) without the documented shape is skipped with a
    warning and the rest is read: refusing the whole payload would lose the other
    messages in it, as Meta redelivers the same payload, refused again, for 7 days.
    """
    body = _mapping(payload, "payload")
    if body.get("object") != WHATSAPP_OBJECT:
        return []
    messages = []
    for entry in _list(body.get("entry"), "entry"):
        for change in _skipping_malformed(_changes, entry) or []:
            value = _skipping_malformed(_messages_value, change)
            if value is not None:
                messages.extend(_messages_in(value))
    return messages


def _changes(entry: Any) -> list:
    return _list(_mapping(entry, "entry").get("changes"), "changes")


def _messages_value(change: Any) -> dict | None:
    """The value of a `messages` change; None for other fields."""
    change = _mapping(change, "change")
    return _mapping(change.get("value"), "value") if change.get("field") == "messages" else None


def _messages_in(value: dict) -> Iterator[IncomingMessage]:
    metadata = value.get("metadata")
    # Unreadable metadata counts as none: the number written to is unknown (taken as ours).
    metadata = metadata if isinstance(metadata, dict) else {}
    phone_number_id = _optional_string(metadata.get("phone_number_id"))
    names = _skipping_malformed(_profile_names, value.get("contacts", [])) or {}
    for message in _skipping_malformed(_list, value.get("messages", []), "messages") or []:
        incoming = _skipping_malformed(_incoming_message, message, phone_number_id, names)
        if incoming is not None:
            yield incoming


def _profile_names(contacts: Any) -> dict[str, str | None]:
    """The people's profile names by WhatsApp number."""
    names = {}
    for contact in _list(contacts, "contacts"):
        contact = _mapping(contact, "contact")
        name = _mapping(contact.get("profile", {}), "profile").get("name")
        names[_string(contact.get("wa_id"), "wa_id")] = name if isinstance(name, str) else None
    return names


def _incoming_message(
    message: Any, phone_number_id: str | None, names: dict[str, str | None]
) -> IncomingMessage | None:
    message = _mapping(message, "message")
    media = _media(message)
    content = ((media.caption or ""), False) if media else _content(message)
    if content is None:
        return None
    text, is_reply = content
    sender = _string(message.get("from"), "from")
    return IncomingMessage(
        message_id=_string(message.get("id"), "id"),
        sender=sender,
        text=text,
        is_reply=is_reply,
        phone_number_id=phone_number_id,
        profile_name=names.get(sender),
        media=media,
    )


def _media(message: dict) -> IncomingMedia | None:
    """The photo, voice note, video, document or sticker in a message, None for other types:
    `{"type": "image", "image": {"id", "mime_type", "sha256", "caption"?, "filename"?}}`."""
    kind = message.get("type")
    if kind not in MEDIA_KINDS:
        return None
    media = _mapping(message.get(kind), kind)
    return IncomingMedia(
        kind=kind,
        mime_type=_string(media.get("mime_type"), f"{kind}.mime_type"),
        source=_string(media.get("id"), f"{kind}.id"),
        expected_sha256=_optional_string(media.get("sha256")),
        filename=_optional_string(media.get("filename")),
        caption=_optional_string(media.get("caption")),
    )


def _skipping_malformed(read: Callable[..., T], *args: Any) -> T | None:
    """`read(*args)`, or None if that part of the payload does not have the documented shape."""
    try:
        return read(*args)
    except MalformedPayload as problem:
        logger.warning("WhatsApp webhook: skipped part of a payload (%s)", problem)
        return None


def _content(message: dict) -> tuple[str, bool] | None:
    """(text, is_reply) of a message the bot can read, None for other types."""
    kind = message.get("type")
    if kind == "text":
        return _string(_mapping(message.get("text"), "text").get("body"), "text.body"), False
    if kind == "interactive":
        interactive = _mapping(message.get("interactive"), "interactive")
        reply_type = interactive.get("type")
        if reply_type not in REPLY_TYPES:
            return None
        reply = _mapping(interactive.get(reply_type), reply_type)
        return _string(reply.get("id"), f"{reply_type}.id"), True
    if kind == "button":  # a quick-reply button of a template message
        return _string(
            _mapping(message.get("button"), "button").get("payload"), "button.payload"
        ), True
    return None


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise MalformedPayload(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise MalformedPayload(f"{where} is not a list")
    return value


def _optional_string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MalformedPayload(f"{where} is not a non-empty string")
    return value
