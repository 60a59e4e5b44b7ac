"""The staff-notification outbox: notifications queued with their hand-off, sent later.

Queued in the same transaction as the change they are about (see handoffs.py),
so a stored hand-off always has its notifications; `notifications.py` sends
what is due and records each attempt here.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clinic_store.attempts import AttemptLog
from clinic_store.database import utcnow
from clinic_store.models import NEW_HANDOFF, PENDING, SENT, Handoff, Notification
from clinic_store.views import DueNotification, HandoffView, NotificationView


def queue(
    s: Session, handoff_id: int, channels: Iterable[str], now: datetime, kind: str = NEW_HANDOFF
) -> None:
    """One pending notification of `kind` per channel, in the caller's transaction."""
    s.add_all(
        Notification(
            handoff_id=handoff_id,
            channel=channel,
            kind=kind,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for channel in channels
    )


class Outbox(AttemptLog):
    """Queues staff notifications, takes due ones for sending and records each attempt."""

    model = Notification

    def notify(self, handoff_id: int, kind: str, channels: Sequence[str]) -> int:
        """Queue a `kind` notification per channel, unless one is still waiting to be sent
        (a patient writing five messages in a row makes one notification); returns how many."""
        now = utcnow()
        with self.session() as s, s.begin():
            waiting = set(
                s.scalars(
                    sa.select(Notification.channel).where(
                        Notification.handoff_id == handoff_id,
                        Notification.kind == kind,
                        Notification.status == PENDING,
                    )
                )
            )
            new = [channel for channel in channels if channel not in waiting]
            queue(s, handoff_id, new, now, kind)
            return len(new)

    def take_due(self, now: datetime, lease: timedelta) -> list[DueNotification]:
        """Pending notifications due at `now`, each held back from other senders for `lease`.

        The action server and the console both send; the conditional update
        gives each notification to one of them only.
        """
        due_query = (
            sa.select(Notification, Handoff)
            .join(Handoff, Notification.handoff_id == Handoff.id)
            .where(Notification.status == PENDING, Notification.next_attempt_at <= now)
            .order_by(Notification.id)
        )
        taken = []
        with self.session() as s, s.begin():
            for notification, handoff in s.execute(due_query).all():
                won = s.execute(
                    sa.update(Notification)
                    .where(
                        Notification.id == notification.id,
                        Notification.status == PENDING,
                        Notification.next_attempt_at <= now,
                    )
                    .values(next_attempt_at=now + lease)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won:
                    taken.append(
                        DueNotification(NotificationView.of(notification), HandoffView.of(handoff))
                    )
        return taken

    def record_sent(self, notification_id: int, now: datetime) -> None:
        self.record_attempt(notification_id, status=SENT, sent_at=now)

    def notifications(self, handoff_id: int) -> list[NotificationView]:
        """A hand-off's notifications, oldest first."""
        query = (
            sa.select(Notification)
            .where(Notification.handoff_id == handoff_id)
            .order_by(Notification.id)
        )
        with self.session() as s, s.begin():
            return [NotificationView.of(row) for row in s.scalars(query)]
