"""Frozen views of stored rows: what the store classes hand out, so no live ORM row
outlives the short session it was read in."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from clinic_store.database import iso
from clinic_store.models import Handoff, Notification


def row_values(view: type, row: Any) -> dict[str, Any]:
    """The row's values for the fields of the view dataclass `view` (same names)."""
    return {field.name: getattr(row, field.name) for field in fields(view)}


@dataclass(frozen=True)
class HandoffView:
    """A hand-off as it was when read; see `Handoff` for the fields."""

    id: int
    reference: str
    conversation_id: str
    channel: str
    language: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    reasons: tuple[str, ...]
    priority: str
    status: str
    answers: dict[str, Any]
    summary: str
    claimed_by: str | None
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None
    bot_paused: bool
    staff_active_at: datetime | None
    assigned_to: str | None
    profile_name: str | None
    booking: dict[str, Any] | None
    booked_slot: datetime | None
    booked_by: str | None
    booked_at: datetime | None
    booking_note: str | None

    @classmethod
    def of(cls, row: Handoff) -> HandoffView:
        values = row_values(cls, row)
        # Copies of the JSON columns, so the view shares nothing with the session.
        booking = dict(row.booking) if row.booking else None
        copies = {"reasons": tuple(row.reasons), "answers": dict(row.answers), "booking": booking}
        return cls(**{**values, **copies})

    @property
    def name(self) -> str | None:
        """The name the person gave, or else the one on their WhatsApp profile."""
        return self.contact_name or self.profile_name

    @property
    def contact(self) -> dict[str, str | None]:
        """How to reach the person: name (the WhatsApp profile name when they gave none),
        phone and e-mail, each possibly None."""
        return {"name": self.name, "phone": self.contact_phone, "email": self.contact_email}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "language": self.language,
            "reasons": list(self.reasons),
            "priority": self.priority,
            "status": self.status,
            "contact": self.contact,
            "answers": dict(self.answers),
            "summary": self.summary,
            "claimed_by": self.claimed_by,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "claimed_at": iso(self.claimed_at),
            "resolved_at": iso(self.resolved_at),
            "bot_paused": self.bot_paused,
            "staff_active_at": iso(self.staff_active_at),
            "assigned_to": self.assigned_to,
            "profile_name": self.profile_name,
            "booking": self.booking_json(),
        }

    @property
    def booked(self) -> bool:
        return self.booked_slot is not None

    def booking_json(self) -> dict[str, Any] | None:
        """The details the person gave and the slot staff booked, or None for neither."""
        if not self.booking and not self.booked:
            return None
        return {
            "status": "booked" if self.booked else "requested",
            "details": dict(self.booking or {}),
            "slot": iso(self.booked_slot),
            "booked_by": self.booked_by,
            "booked_at": iso(self.booked_at),
            "note": self.booking_note,
        }


@dataclass(frozen=True)
class NotificationView:
    """One outbox entry as it was when read; see `Notification` for the fields."""

    id: int
    handoff_id: int
    channel: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, row: Notification) -> NotificationView:
        return cls(**row_values(cls, row))


@dataclass(frozen=True)
class DueNotification:
    """A notification taken for sending, with the hand-off it is about."""

    notification: NotificationView
    handoff: HandoffView
