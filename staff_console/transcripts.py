"""A conversation's messages: Rasa's SQL tracker store (TRACKER_STORE_URL) and staff's.

Rasa keeps one row per event in its `events` table: `sender_id` is the
conversation, `type_name` the kind of event, and `data` the event as JSON text.
Only what the person and the bot said is shown to staff, in the order it was said,
with the buttons the bot offered (on WhatsApp, reply buttons or a list's rows).
What staff wrote in the console (and the assistant's "I'm back" when they hand
the conversation back) is in the clinic database (clinic_store/messages.py), and
so are the photos, voice notes and files the patient sent (clinic_store/media.py:
they replace the `/send_media` message the channel gave the bot);
`conversation_transcript` puts them all together in time order.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from clinic_store.database import engine_for
from clinic_store.media import MEDIA_MESSAGE, MediaStore, MediaView
from clinic_store.messages import ConversationMessages, MessageView
from clinic_store.models import STAFF

SPEAKERS = ("user", "bot")
# Who wrote a line, in the words of the API: the patient, the bot or a member of staff.
AUTHORS = {"user": "patient", "bot": "bot", "staff": "staff"}

# Just the columns read here; the table itself is Rasa's.
EVENTS = sa.table(
    "events",
    sa.column("id"),
    sa.column("sender_id"),
    sa.column("type_name"),
    sa.column("timestamp"),
    sa.column("data"),
)


@dataclass(frozen=True)
class TranscriptLine:
    """One message: `speaker` is "user", "bot" or "staff" (then with the staff member's name)."""

    speaker: str
    text: str
    sent_at: datetime | None
    staff_name: str | None = None
    # For what the clinic sent: "pending", "delivered" or "failed" (None for Rasa's lines).
    delivery: str | None = None
    # The titles of the buttons (or quick replies) the bot offered with its message.
    options: tuple[str, ...] = ()
    # A photo, voice note or file the patient sent (then `text` is empty).
    media: MediaView | None = None

    @property
    def author(self) -> str:
        return AUTHORS[self.speaker]

    def to_json(self) -> dict[str, Any]:
        sent_at = self.sent_at.isoformat() if self.sent_at else None
        return {
            "speaker": self.speaker,
            "author": self.author,
            "staff_name": self.staff_name,
            "text": self.text,
            "sent_at": sent_at,
            "delivery": self.delivery,
            "options": list(self.options),
            "media": self.media.to_json() if self.media else None,
        }


def offered_options(event: dict[str, Any]) -> tuple[str, ...]:
    """The titles of the buttons or quick replies in a bot event (Rasa keeps them in `data`)."""
    data = event.get("data") or {}
    offered = data.get("buttons") or data.get("quick_replies") or []
    titles = (o.get("title") for o in offered if isinstance(o, dict))
    return tuple(str(title) for title in titles if title)


def _line(type_name: str, timestamp: float | None, data: str | None) -> TranscriptLine | None:
    """The message in one event, or None for one with neither text nor options, and for
    the channel's media message (the media are shown from the clinic database)."""
    event = json.loads(data or "{}") or {}
    text = event.get("text") or ""
    options = offered_options(event) if type_name == "bot" else ()
    if not (text or options) or text == MEDIA_MESSAGE:
        return None
    sent_at = datetime.fromtimestamp(timestamp, UTC) if timestamp else None
    return TranscriptLine(speaker=type_name, text=str(text), sent_at=sent_at, options=options)


def read_transcript(tracker_store_url: str, conversation_id: str) -> list[TranscriptLine]:
    """The conversation's messages, oldest first; none if Rasa has stored nothing yet."""
    engine = engine_for(tracker_store_url)
    if not sa.inspect(engine).has_table("events"):
        return []
    query = (
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name.in_(SPEAKERS))
        .order_by(EVENTS.c.id)
    )
    with engine.connect() as connection:
        lines = (_line(*row) for row in connection.execute(query))
        return [line for line in lines if line is not None]


def _message_line(message: MessageView) -> TranscriptLine:
    speaker = "staff" if message.author == STAFF else "bot"
    return TranscriptLine(
        speaker, message.text or "", message.created_at, message.staff_name, message.status
    )


def _media_line(media: MediaView) -> TranscriptLine:
    # No text: a caption is in the transcript already, as the message the bot read.
    return TranscriptLine("user", "", media.received_at, media=media)


def conversation_transcript(
    tracker_store_url: str, database_url: str, conversation_id: str
) -> list[TranscriptLine]:
    """What the patient, the bot and staff wrote and the patient sent, oldest first."""
    lines = read_transcript(tracker_store_url, conversation_id)
    staff = ConversationMessages(database_url).for_conversation(conversation_id)
    media = MediaStore(database_url).for_conversation(conversation_id)
    if not staff and not media:
        return lines
    earliest = datetime.min.replace(tzinfo=UTC)
    # sorted() is stable: lines written at the same moment keep their order.
    return sorted(
        [*lines, *map(_message_line, staff), *map(_media_line, media)],
        key=lambda line: line.sent_at or earliest,
    )
