"""A conversation's messages, read from Rasa's SQL tracker store (TRACKER_STORE_URL).

Rasa keeps one row per event in its `events` table: `sender_id` is the
conversation, `type_name` the kind of event, and `data` the event as JSON text.
Only what the person and the bot said is shown to staff, in the order it was said.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from clinic_store.database import engine_for

SPEAKERS = ("user", "bot")

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
    """One message: `speaker` is "user" or "bot"."""

    speaker: str
    text: str
    sent_at: datetime | None

    def to_json(self) -> dict[str, str | None]:
        sent_at = self.sent_at.isoformat() if self.sent_at else None
        return {"speaker": self.speaker, "text": self.text, "sent_at": sent_at}


def _line(type_name: str, timestamp: float | None, data: str | None) -> TranscriptLine | None:
    """The message in one event, or None for a message without text (buttons only)."""
    text = (json.loads(data or "{}") or {}).get("text")
    if not text:
        return None
    sent_at = datetime.fromtimestamp(timestamp, UTC) if timestamp else None
    return TranscriptLine(speaker=type_name, text=str(text), sent_at=sent_at)


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
