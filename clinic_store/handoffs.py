"""Hand-offs: raised by the action server, taken over, handed back and resolved by staff.

SQLite under var/ by default, PostgreSQL in production (any SQLAlchemy URL in
DATABASE_URL). New reasons queue staff notifications in the same transaction
(outbox.py). Claiming a hand-off takes the conversation over: `bot_paused` is
set, and every Rasa server reads it before answering (rasa_extensions/
staff_hold.py), so the pause is shared by all of them. Handing back, resolving,
or leaving a taken-over conversation idle for too long clears it and queues
the assistant's "I'm back" for the patient (messages.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_store import outbox
from clinic_store.database import Repository, utcnow
from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.media import attach_unlinked
from clinic_store.messages import queue_assistant_back
from clinic_store.models import (
    ACTIVE_STATUSES,
    CLAIMED,
    OPEN,
    RESOLVED,
    RETURNED,
    STATUSES,
    ConversationMessage,
    Handoff,
    HandoffEvent,
    HandoffNote,
    Notification,
    staff_name,
)
from clinic_store.priorities import most_pressing_first, priority_for
from clinic_store.settings import get_settings
from clinic_store.views import HandoffView

TRANSITIONS = {OPEN: {CLAIMED, RESOLVED}, CLAIMED: {RESOLVED}, RESOLVED: set()}
HANDED_BACK = "handed back"  # the target named when a hand-off's hand-back is refused

# Read aloud over the phone: no 0/O, 1/I/L, and no U (Crockford's choice, fewer
# accidental words). 30**6 is about 7e8 references.
REFERENCE_PREFIX = "MN-"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
# A reference collision, or another process opening the same conversation's
# hand-off at the same moment, fails the insert; the next attempt sorts it out.
RAISE_ATTEMPTS = 3


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


def locked(s: Session, handoff_id: int) -> Handoff:
    """The hand-off's row, locked (on PostgreSQL) so two staff changing it at once cannot
    both win; HandoffNotFound if there is none."""
    row = s.get(Handoff, handoff_id, with_for_update=True)
    if row is None:
        raise HandoffNotFound(handoff_id)
    return row


def _joined(earlier: str, later: str) -> str:
    """Both summaries, so adding to a hand-off keeps what staff were first told."""
    if not earlier or later in earlier.splitlines():
        return later or earlier
    return f"{earlier}\n{later}"


class HandoffStore(Repository):
    """Reads and writes hand-offs."""

    def raise_handoff(
        self,
        *,
        conversation_id: str,
        channel: str,
        reasons: Sequence[str],
        language: str | None = None,
        answers: dict[str, Any],
        summary: str,
        contact_name: str | None = None,
        contact_phone: str | None = None,
        contact_email: str | None = None,
        profile_name: str | None = None,
        booking: dict[str, Any] | None = None,
        notify_channels: Sequence[str] | None = None,
        reference: str | None = None,
    ) -> HandoffView:
        """Open a hand-off, or add the reasons to the conversation's active one.

        New reasons queue one pending notification per notifier channel
        (`notify_channels`, by default the configured ones) in the same
        transaction, so a stored hand-off always has its notifications.
        A new hand-off gets `reference` when given (the person already has it:
        see spool.py), a new random one otherwise. `profile_name` is the name on the
        patient's WhatsApp profile, kept apart from the name they gave.
        """
        if not reasons:
            raise ValueError("a hand-off needs at least one reason")
        if notify_channels is None:
            notify_channels = get_settings().notifier_channels
        details = {
            "channel": channel,
            "language": language,
            "answers": answers,
            "summary": summary,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "contact_email": contact_email,
            "profile_name": profile_name,
            "booking": booking,
            "reference": reference,
        }
        for _ in range(RAISE_ATTEMPTS - 1):
            try:
                return self._raise_once(conversation_id, reasons, details, notify_channels)
            except IntegrityError:
                continue
        return self._raise_once(conversation_id, reasons, details, notify_channels)

    def _raise_once(
        self,
        conversation_id: str,
        reasons: Sequence[str],
        details: dict[str, Any],
        notify_channels: Sequence[str],
    ) -> HandoffView:
        now = utcnow()
        with self.session() as s, s.begin():
            row = self._active_row(s, conversation_id)
            if row is None:
                row = Handoff(
                    reference=details["reference"] or new_reference(),
                    conversation_id=conversation_id,
                    channel=details["channel"],
                    reasons=[],
                    answers={},
                    summary="",
                    status=OPEN,
                    created_at=now,
                )
                s.add(row)
            added = [reason for reason in dict.fromkeys(reasons) if reason not in row.reasons]
            # New lists and dicts, not edits in place, so the ORM sees the JSON change.
            row.reasons = [*row.reasons, *added]
            row.priority = priority_for(row.reasons)
            row.answers = {**row.answers, **details["answers"]}
            row.summary = _joined(row.summary, details["summary"])
            for name in (
                "language",
                "contact_name",
                "contact_phone",
                "contact_email",
                "profile_name",
                "booking",
            ):
                setattr(row, name, details[name] or getattr(row, name))
            row.updated_at = now
            s.flush()
            attach_unlinked(s, conversation_id, row.id)
            if added:
                outbox.queue(s, row.id, notify_channels, now)
            return HandoffView.of(row)

    @staticmethod
    def _active_row(s: Session, conversation_id: str) -> Handoff | None:
        return s.scalars(
            sa.select(Handoff).where(
                Handoff.conversation_id == conversation_id,
                Handoff.status.in_(ACTIVE_STATUSES),
            )
        ).first()

    def get(self, handoff_id: int) -> HandoffView | None:
        with self.session() as s, s.begin():
            row = s.get(Handoff, handoff_id)
            return HandoffView.of(row) if row else None

    def get_by_reference(self, reference: str) -> HandoffView | None:
        with self.session() as s, s.begin():
            row = s.scalars(sa.select(Handoff).where(Handoff.reference == reference)).first()
            return HandoffView.of(row) if row else None

    def open_for_conversation(self, conversation_id: str) -> HandoffView | None:
        """The conversation's hand-off that is still open or claimed, if any."""
        with self.session() as s, s.begin():
            row = self._active_row(s, conversation_id)
            return HandoffView.of(row) if row else None

    def list(self, status: str | Sequence[str] | None = None) -> list[HandoffView]:
        """Hand-offs with `status` (one or several; all by default), most pressing first
        (priorities.py), then oldest."""
        statuses = (status,) if isinstance(status, str) else status
        if statuses is not None and not set(statuses) <= set(STATUSES):
            raise ValueError(f"unknown status in {statuses!r}")
        return self.matching(*([] if statuses is None else [Handoff.status.in_(statuses)]))

    def matching(self, *conditions: sa.ColumnElement) -> list[HandoffView]:
        """Hand-offs meeting every condition (on `Handoff`), in the order of `list`."""
        query = (
            sa.select(Handoff)
            .where(*conditions)
            .order_by(most_pressing_first(Handoff.priority), Handoff.created_at, Handoff.id)
        )
        with self.session() as s, s.begin():
            return [HandoffView.of(row) for row in s.scalars(query)]

    def claim(self, handoff_id: int, staff: str) -> HandoffView:
        """An open hand-off taken by `staff`, who takes the conversation over: the bot pauses."""
        return self._move(handoff_id, CLAIMED, staff_name(staff))

    def resolve(self, handoff_id: int, staff: str) -> HandoffView:
        """An open or claimed hand-off closed; `staff` is kept if nobody had claimed it.
        A conversation staff still held is handed back to the assistant."""
        return self._move(handoff_id, RESOLVED, staff_name(staff))

    def release(self, handoff_id: int, staff: str) -> HandoffView:
        """The conversation handed back to the assistant; the hand-off stays claimed by its
        member of staff (to follow up, or resolve later)."""
        staff_name(staff)
        now = utcnow()
        with self.session() as s, s.begin():
            row = locked(s, handoff_id)
            if not row.bot_paused:
                current = row.status if row.status != CLAIMED else "claimed and handed back"
                raise InvalidTransition(current, HANDED_BACK)
            self._hand_back(s, row, now)
            return HandoffView.of(row)

    def _move(self, handoff_id: int, target: str, staff: str) -> HandoffView:
        now = utcnow()
        with self.session() as s, s.begin():
            row = locked(s, handoff_id)
            if target not in TRANSITIONS[row.status]:
                raise InvalidTransition(row.status, target)
            row.status, row.updated_at = target, now
            if target == CLAIMED:
                row.claimed_by, row.claimed_at = staff, now
                row.bot_paused, row.staff_active_at = True, now
            else:
                row.claimed_by, row.resolved_at = row.claimed_by or staff, now
                if row.bot_paused:
                    self._hand_back(s, row, now)
            return HandoffView.of(row)

    @staticmethod
    def _hand_back(s: Session, row: Handoff, now: datetime) -> None:
        row.bot_paused, row.updated_at = False, now
        queue_assistant_back(s, row, now)

    def held(self, conversation_id: str) -> HandoffView | None:
        """The conversation's hand-off if staff have taken it over (the bot must stay silent)."""
        with self.session() as s, s.begin():
            row = s.scalars(
                sa.select(Handoff).where(
                    Handoff.conversation_id == conversation_id,
                    Handoff.status == CLAIMED,
                    Handoff.bot_paused.is_(True),
                )
            ).first()
            return HandoffView.of(row) if row else None

    def return_idle(
        self, idle_since: datetime, notify_channels: Sequence[str] | None = None
    ) -> list[HandoffView]:
        """Taken-over hand-offs without staff activity since `idle_since`, back on the open list:
        the assistant answers again, the patient is told so, and staff are notified again."""
        if notify_channels is None:
            notify_channels = get_settings().notifier_channels
        now = utcnow()
        idle = sa.and_(
            Handoff.status == CLAIMED,
            Handoff.bot_paused.is_(True),
            Handoff.staff_active_at < idle_since,
        )
        returned = []
        with self.session() as s, s.begin():
            for row in s.scalars(sa.select(Handoff).where(idle).with_for_update()).all():
                row.status, row.claimed_by, row.claimed_at = OPEN, None, None
                self._hand_back(s, row, now)
                outbox.queue(s, row.id, notify_channels, now, kind=RETURNED)
                returned.append(HandoffView.of(row))
        return returned

    def delete_conversation(self, conversation_id: str) -> int:
        """Erase a conversation's hand-offs, their notifications, notes and history, and its
        staff messages; returns how many hand-offs."""
        with self.session() as s, s.begin():
            ids = s.scalars(
                sa.select(Handoff.id).where(Handoff.conversation_id == conversation_id)
            ).all()
            # Explicit, because SQLite ignores ON DELETE CASCADE unless told otherwise.
            for table in (Notification, HandoffNote, HandoffEvent):
                s.execute(sa.delete(table).where(table.handoff_id.in_(ids)))
            s.execute(
                sa.delete(ConversationMessage).where(
                    ConversationMessage.conversation_id == conversation_id
                )
            )
            s.execute(sa.delete(Handoff).where(Handoff.id.in_(ids)))
            return len(ids)
