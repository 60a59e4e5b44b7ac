"""Media from WhatsApp (Cloud API and Twilio) as the bot receives them.

A photo, voice note, video, document or sticker is recorded at once (a pending
row, clinic_store/media.py) and fetched later by the Rasa server
(media_fetch.py), so the patient is answered without waiting for the download.
The bot then gets up to two messages:

- the caption, if any, as an ordinary message: it is what the patient wrote,
  so it goes through the NLU like typed text ("my cheek is swollen" is triaged);
- `/send_media`, an intent payload with the stored items in its metadata
  (`{"media": [{"id": 7, "kind": "image"}]}`). A picture has no words to
  classify: the payload skips the classifier (confidence 1, nothing to train),
  one rule answers it (data/rules/media.yml), and the ids travel as metadata,
  which reaches the action but never features or slots.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from channels.user_text import clean_user_text
from clinic_store.media import MEDIA_MESSAGE, METADATA_KEY, IncomingMedia, MediaStore
from clinic_store.models import AUDIO, DOCUMENT, IMAGE, VIDEO

logger = logging.getLogger(__name__)

# Twilio sends at most 10 media with one WhatsApp message.
MAX_TWILIO_MEDIA = 10
TYPE_KINDS = {"image/": IMAGE, "audio/": AUDIO, "video/": VIDEO}
UNKNOWN_TYPE = "application/octet-stream"

# Hands one message to Rasa: its text and metadata.
Send = Callable[[str, dict[str, Any] | None], Awaitable[Any]]


def kind_of(mime_type: str) -> str:
    """The kind of a file by its type, where the channel does not say (Twilio)."""
    for prefix, kind in TYPE_KINDS.items():
        if mime_type.lower().startswith(prefix):
            return kind
    return DOCUMENT


def twilio_media(form: Mapping[str, Any], caption: str | None) -> list[IncomingMedia]:
    """The media of a Twilio webhook (`NumMedia`, `MediaUrl<N>`, `MediaContentType<N>`); the
    message's Body is the caption of the first."""
    try:
        count = min(max(int(form.get("NumMedia") or 0), 0), MAX_TWILIO_MEDIA)
    except ValueError:
        return []
    items = []
    for number in range(count):
        url = form.get(f"MediaUrl{number}")
        if not url:
            continue
        mime_type = form.get(f"MediaContentType{number}") or UNKNOWN_TYPE
        first = not items
        items.append(
            IncomingMedia(
                kind=kind_of(mime_type),
                mime_type=mime_type,
                source=url,
                caption=caption if first else None,
            )
        )
    return items


async def record(
    conversation_id: str, channel: str, items: Sequence[IncomingMedia]
) -> list[dict[str, Any]]:
    """Store a pending row per item; what the bot's metadata says of each (no id if the
    database could not be written: the patient is still answered)."""
    try:
        views = await asyncio.to_thread(MediaStore().record, conversation_id, channel, items)
    except Exception as error:  # the database is down: staff will not see them, so say it loudly
        logger.error(
            "Could not record %d media of conversation %s (%s): they are lost",
            len(items),
            conversation_id,
            type(error).__name__,
        )
        return [{"kind": item.kind} for item in items]
    logger.info("Recorded %d media of conversation %s on %s", len(views), conversation_id, channel)
    return [{"id": view.id, "kind": view.kind} for view in views]


async def pass_on(
    send: Send,
    conversation_id: str,
    channel: str,
    caption: str | None,
    items: Sequence[IncomingMedia],
    metadata: dict[str, Any] | None,
) -> None:
    """Record the items, then give the bot the caption (if any) and the media message."""
    recorded = await record(conversation_id, channel, items)
    if caption and caption.strip():
        await send(clean_user_text(caption), metadata)
    await send(MEDIA_MESSAGE, {**(metadata or {}), METADATA_KEY: recorded})
