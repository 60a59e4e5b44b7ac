"""Retention: conversations idle for longer than RETENTION_DAYS are deleted everywhere.

A conversation's last activity is its newest tracker event, the last change to
one of its hand-offs, or the last photo or file the patient sent. Conversations
with an open or claimed hand-off are kept, however old, until staff resolve it:
staff still need them. Deletion is
`privacy.delete_conversation`, the same as a person's request to be forgotten.
`python -m staff_console purge-expired` runs it once; the console runs
`DailyPurge` in the background. RETENTION_DAYS=0 keeps everything forever.
"""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from clinic_store.background import PeriodicTask
from clinic_store.database import engine_for, utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.media import MediaStore
from clinic_store.models import ACTIVE_STATUSES
from clinic_store.settings import Settings
from staff_console.privacy import delete_conversation, has_events
from staff_console.transcripts import EVENTS

logger = logging.getLogger(__name__)

PURGE_INTERVAL_S = 24 * 60 * 60


def last_activity(settings: Settings, store: HandoffStore) -> dict[str, datetime]:
    """Every stored conversation -> when it last changed."""
    latest: dict[str, datetime] = {}
    if has_events(settings):
        query = sa.select(EVENTS.c.sender_id, sa.func.max(EVENTS.c.timestamp)).group_by(
            EVENTS.c.sender_id
        )
        with engine_for(settings.tracker_store_url).connect() as connection:
            for conversation_id, timestamp in connection.execute(query):
                latest[conversation_id] = datetime.fromtimestamp(timestamp or 0, UTC)
    changes = [(handoff.conversation_id, handoff.updated_at) for handoff in store.list()]
    changes += MediaStore(store.database_url).last_received().items()
    for conversation_id, moment in changes:
        latest[conversation_id] = max(latest.get(conversation_id, moment), moment)
    return latest


def expired_conversations(settings: Settings, store: HandoffStore, now: datetime) -> list[str]:
    """Conversations idle for more than RETENTION_DAYS at `now`, without an active hand-off."""
    cutoff = now - timedelta(days=settings.retention_days)
    still_with_staff = {handoff.conversation_id for handoff in store.list(ACTIVE_STATUSES)}
    return sorted(
        conversation_id
        for conversation_id, moment in last_activity(settings, store).items()
        if moment < cutoff and conversation_id not in still_with_staff
    )


def purge_expired(
    settings: Settings, store: HandoffStore, now: datetime | None = None
) -> list[str]:
    """Delete every expired conversation (none if RETENTION_DAYS is 0); returns their ids."""
    if not settings.retention_days:
        return []
    expired = expired_conversations(settings, store, now or utcnow())
    for conversation_id in expired:
        delete_conversation(settings, store, conversation_id)
    return expired


class DailyPurge(PeriodicTask):
    """Runs `purge_expired` now and then once a day in the background, until stopped."""

    def __init__(
        self, settings: Settings, store: HandoffStore, interval_s: float = PURGE_INTERVAL_S
    ) -> None:
        super().__init__(interval_s)
        self.settings, self.store = settings, store

    def start(self) -> None:
        if self.settings.retention_days:
            super().start()

    async def run_once(self) -> None:
        try:
            purged = await asyncio.to_thread(purge_expired, self.settings, self.store)
            logger.info(
                "Retention: deleted %d conversations idle for over %d days",
                len(purged),
                self.settings.retention_days,
            )
        except Exception:  # a database hiccup must not end the daily purge
            logger.exception("Retention: the purge failed; trying again tomorrow")
