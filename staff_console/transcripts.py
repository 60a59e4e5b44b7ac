"""Conversation transcripts, read from Rasa's SQL tracker store (table `events`)."""

import json
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from actions.persistence import create_db_engine


@dataclass(frozen=True)
class Line:
    """One message in a conversation."""

    speaker: str  # "patient" or "bot"
    text: str
    timestamp: float


@lru_cache(maxsize=4)
def _engine(tracker_store_url: str) -> Engine:
    return create_db_engine(tracker_store_url)


def transcript(tracker_store_url: str, conversation_id: str) -> list[Line]:
    """Every user and bot message of a conversation, in order; empty if none stored."""
    events = sa.table(
        "events",
        sa.column("id"),
        sa.column("sender_id"),
        sa.column("type_name"),
        sa.column("timestamp"),
        sa.column("data"),
    )
    query = (
        sa.select(events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == conversation_id)
        .where(events.c.type_name.in_(["user", "bot"]))
        .order_by(events.c.id)
    )
    try:
        with _engine(tracker_store_url).connect() as connection:
            rows = connection.execute(query).all()
    except sa.exc.OperationalError:  # the tracker store has no conversations yet
        return []
    lines = []
    for type_name, timestamp, data in rows:
        text = json.loads(data or "{}").get("text")
        if text:
            lines.append(Line("patient" if type_name == "user" else "bot", text, timestamp or 0.0))
    return lines
