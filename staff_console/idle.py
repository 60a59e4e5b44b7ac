"""Taken-over hand-offs left idle go back to the open list: never silently dropped.

A member of staff who claims a hand-off holds the conversation (the bot is
silent in it). If they neither write in it nor hand it back for
HANDOFF_IDLE_MINUTES, `ReturnIdle` puts it back on the open list: the assistant
answers again, the patient is told so, and staff are notified again (outbox).
"""

import asyncio
import logging
from datetime import timedelta

from clinic_store.background import PeriodicTask
from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffStore

logger = logging.getLogger(__name__)

LONGEST_INTERVAL_S = 60.0
SHORTEST_INTERVAL_S = 0.5


class ReturnIdle(PeriodicTask):
    """Checks now and then (a quarter of the idle time, at most a minute apart)."""

    def __init__(self, store: HandoffStore, idle_minutes: float) -> None:
        idle_s = idle_minutes * 60
        super().__init__(max(SHORTEST_INTERVAL_S, min(LONGEST_INTERVAL_S, idle_s / 4)))
        self.store, self.idle = store, timedelta(seconds=idle_s)

    async def run_once(self) -> None:
        try:
            returned = await asyncio.to_thread(self.store.return_idle, utcnow() - self.idle)
        except Exception:
            logger.exception("Could not return idle hand-offs to the open list")
            return
        for handoff in returned:
            logger.info("Hand-off %s was idle and is back on the open list", handoff.reference)
