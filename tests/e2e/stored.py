"""What the bot stored about a conversation, read as staff read it: the export API."""

from typing import Any

import requests
import sqlalchemy as sa

from tests.conftest import STAFF_API_TOKEN
from tests.servers import RunningBot

HEADERS = {"Authorization": f"Bearer {STAFF_API_TOKEN}"}


def exported_conversation(bot: RunningBot, conversation_id: str) -> dict[str, Any]:
    """Everything stored about the conversation (`GET /api/conversations/<id>/export`)."""
    reply = requests.get(
        f"{bot.console_url}/api/conversations/{conversation_id}/export",
        headers=HEADERS,
        timeout=30,
    )
    reply.raise_for_status()
    return reply.json()


def stored_user_texts(bot: RunningBot, conversation_id: str) -> list[str]:
    """What the person said, as stored, oldest first."""
    events = exported_conversation(bot, conversation_id)["events"]
    return [event["text"] for event in events if event.get("event") == "user"]


def handoffs_of(bot: RunningBot, conversation_id: str) -> list[dict[str, Any]]:
    """The hand-offs staff see for one conversation (`GET /api/handoffs`)."""
    reply = requests.get(f"{bot.console_url}/api/handoffs", headers=HEADERS, timeout=30)
    reply.raise_for_status()
    return [h for h in reply.json()["handoffs"] if h["conversation_id"] == conversation_id]


def user_messages_per_conversation(tracker_store_url: str) -> dict[str, int]:
    """How many user messages the tracker store holds for each conversation."""
    query = sa.text("SELECT sender_id, count(*) FROM events WHERE type_name = 'user' GROUP BY 1")
    engine = sa.create_engine(tracker_store_url, future=True)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(query).all())
    finally:
        engine.dispose()
