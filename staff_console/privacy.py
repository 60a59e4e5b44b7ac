"""Everything stored about one conversation: exported for the person, or deleted.

Patients' health answers are personal data. A conversation lives in two places:
Rasa's tracker store (every event, messages included) and the project's own
tables (hand-offs with questionnaire answers and contact details, their
notifications, staff's internal notes and the cases' history, what staff
wrote in the conversation, and the photos, voice notes and files the patient
sent, whose bytes are files under MEDIA_DIR), plus, while the database was
unreachable, hand-offs spooled to disk (clinic_store/spool.py). Export gathers
all of it (the media files as base64); deletion removes all of it. Retention
(retention.py) deletes expired conversations with the same function.
"""

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from clinic_store.database import engine_for
from clinic_store.desk import CaseDesk
from clinic_store.handoffs import HandoffStore
from clinic_store.media import MediaStore, exported
from clinic_store.messages import ConversationMessages
from clinic_store.settings import Settings
from clinic_store.spool import SpooledHandoff, pending
from staff_console.transcripts import EVENTS


def has_events(settings: Settings) -> bool:
    return sa.inspect(engine_for(settings.tracker_store_url)).has_table("events")


def export_conversation(
    settings: Settings, store: HandoffStore, conversation_id: str
) -> dict[str, Any]:
    """The conversation's tracker events and hand-offs, as JSON-ready data."""
    events: list[dict[str, Any]] = []
    if has_events(settings):
        query = (
            sa.select(EVENTS.c.data)
            .where(EVENTS.c.sender_id == conversation_id)
            .order_by(EVENTS.c.id)
        )
        with engine_for(settings.tracker_store_url).connect() as connection:
            events = [json.loads(data or "{}") for (data,) in connection.execute(query)]
    handoffs = [h.to_json() for h in store.list() if h.conversation_id == conversation_id]
    desk = CaseDesk(store.database_url)
    case_ids = [handoff["id"] for handoff in handoffs]
    staff_messages = ConversationMessages(store.database_url).for_conversation(conversation_id)
    spooled = [asdict(record) for _, record in spooled_handoffs(settings, conversation_id)]
    media = MediaStore(store.database_url).for_conversation(conversation_id)
    return {
        "conversation_id": conversation_id,
        "events": events,
        "handoffs": handoffs,
        # What staff wrote to the person (with their names), and the assistant's "I'm back".
        "staff_messages": [message.to_json() for message in staff_messages],
        # Staff's notes on the cases, each marked "internal": never shown to the person.
        "internal_notes": [note.to_json() for note in desk.notes(*case_ids)],
        "case_history": [entry.to_json() for entry in desk.history(*case_ids)],
        "spooled_handoffs": spooled,
        # The photos, voice notes and files the person sent, each with its bytes.
        "media": [exported(settings.media_dir, item) for item in media],
    }


def delete_conversation(
    settings: Settings, store: HandoffStore, conversation_id: str
) -> dict[str, int]:
    """Delete the conversation everywhere; returns how many events, hand-offs and media went."""
    spooled = spooled_handoffs(settings, conversation_id)
    for path, _record in spooled:
        path.unlink(missing_ok=True)
    deleted_events = 0
    if has_events(settings):
        with engine_for(settings.tracker_store_url).begin() as connection:
            deleted_events = connection.execute(
                sa.delete(EVENTS).where(EVENTS.c.sender_id == conversation_id)
            ).rowcount
    media = MediaStore(store.database_url).delete_conversation(conversation_id, settings.media_dir)
    stored = store.delete_conversation(conversation_id)
    return {"events": deleted_events, "handoffs": stored + len(spooled), "media": media}


def spooled_handoffs(settings: Settings, conversation_id: str) -> list[tuple[Path, SpooledHandoff]]:
    """The conversation's hand-offs still waiting on disk for the database."""
    if not settings.handoff_spool_dir.is_dir():
        return []
    return [
        (path, record)
        for path, record in pending(settings.handoff_spool_dir)
        if record.conversation_id == conversation_id
    ]
