"""What staff do to a case besides taking it over: reopen it, assign it, correct the contact
details, and write internal notes.

Each change but a note is an entry of the case's history (`HandoffEvent`), with who
made it and when. Notes are for staff only: they live in their own table, which no
channel reads, so nothing in them ever reaches the patient; the conversation's export
includes them, marked internal. Staff notifications go to the clinic's shared
addresses (a webhook, STAFF_NOTIFY_EMAILS), not to one person, so an assignment is
recorded in the history and shown in the lists ("assigned to me") instead of sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_store.contact_parsing import one_email, one_phone
from clinic_store.database import Repository, iso, utcnow
from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.handoffs import locked
from clinic_store.messages import clean_text
from clinic_store.models import (
    ACTIVE_STATUSES,
    ASSIGNED,
    CONTACT_EDITED,
    OPEN,
    REOPENED,
    RESOLVED,
    Handoff,
    HandoffEvent,
    HandoffNote,
    StaffUser,
    staff_name,
)
from clinic_store.views import HandoffView, row_values

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
NAME_LENGTH = 200  # Handoff.contact_name


class UnknownStaffUser(ValueError):
    """A case can only be assigned to someone with a console login."""


@dataclass(frozen=True)
class NoteView:
    """An internal note as it was when read; see `HandoffNote`."""

    id: int
    handoff_id: int
    author: str
    text: str
    created_at: datetime

    @classmethod
    def of(cls, row: HandoffNote) -> NoteView:
        return cls(**row_values(cls, row))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handoff_id": self.handoff_id,
            "author": self.author,
            "text": self.text,
            "created_at": iso(self.created_at),
            "internal": True,  # never shown or sent to the patient
        }


@dataclass(frozen=True)
class HistoryEntry:
    """One change to a case as it was when read; see `HandoffEvent`."""

    id: int
    handoff_id: int
    kind: str
    staff_name: str
    details: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, row: HandoffEvent) -> HistoryEntry:
        values = row_values(cls, row)
        return cls(**{**values, "details": dict(row.details)})

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "staff_name": self.staff_name,
            "details": dict(self.details),
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True)
class ContactEdit:
    """Contact details as staff typed them, checked: None for a field left empty."""

    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None

    @classmethod
    def parse(
        cls, name: str | None, phone: str | None, email: str | None, regions: tuple[str, ...]
    ) -> ContactEdit:
        """The phone in E.164 (read in `regions`, the default first), the e-mail normalised;
        ValueError saying which field is wrong."""
        name = " ".join((name or "").split())
        if len(name) > NAME_LENGTH:
            raise ValueError(f"the name must have at most {NAME_LENGTH} characters")
        phone, email = (phone or "").strip(), (email or "").strip()
        return cls(
            contact_name=name or None,
            contact_phone=one_phone(phone, regions) if phone else None,
            contact_email=one_email(email) if email else None,
        )


def _note_text(text: object) -> str:
    try:
        return clean_text(text)
    except ValueError as invalid:
        raise ValueError(str(invalid).replace("message", "note")) from invalid


class CaseDesk(Repository):
    """Reopens, assigns and edits cases, and keeps their notes and history."""

    def reopen(self, handoff_id: int, staff: str) -> HandoffView:
        """A resolved case back on the open list, with everything it had; refused while its
        conversation has another open or claimed hand-off."""
        name, now = staff_name(staff), utcnow()
        try:
            with self.session() as s, s.begin():
                row = locked(s, handoff_id)
                if row.status != RESOLVED:
                    raise InvalidTransition(row.status, "reopened")
                self._refuse_second_active(s, row)
                details = {"resolved_at": iso(row.resolved_at), "resolved_by": row.claimed_by}
                row.status, row.updated_at = OPEN, now
                row.claimed_by = row.claimed_at = row.resolved_at = None
                self._record(s, row, REOPENED, name, details, now)
                s.flush()
                return HandoffView.of(row)
        except IntegrityError as race:  # another hand-off opened in the meantime
            raise InvalidTransition("resolved", "reopened while another is active") from race

    @staticmethod
    def _refuse_second_active(s: Session, row: Handoff) -> None:
        other = s.scalars(
            sa.select(Handoff.reference).where(
                Handoff.conversation_id == row.conversation_id,
                Handoff.status.in_(ACTIVE_STATUSES),
            )
        ).first()
        if other is not None:
            raise InvalidTransition(f"resolved, and its conversation has {other} open", "reopened")

    def assign(self, handoff_id: int, assignee: str | None, staff: str) -> HandoffView:
        """The case given to `assignee` (a console login), or to nobody for None."""
        name, now = staff_name(staff), utcnow()
        with self.session() as s, s.begin():
            if (
                assignee is not None
                and not s.scalars(
                    sa.select(StaffUser.username).where(StaffUser.username == assignee)
                ).first()
            ):
                raise UnknownStaffUser(f"there is no staff user called {assignee!r}")
            row = locked(s, handoff_id)
            details = {"assignee": assignee, "previous": row.assigned_to}
            row.assigned_to, row.updated_at = assignee, now
            self._record(s, row, ASSIGNED, name, details, now)
            return HandoffView.of(row)

    def edit_contact(self, handoff_id: int, contact: ContactEdit, staff: str) -> HandoffView:
        """The contact details as staff corrected them; the history says what changed."""
        name, now = staff_name(staff), utcnow()
        with self.session() as s, s.begin():
            row = locked(s, handoff_id)
            changed = {
                field: {"from": getattr(row, field), "to": getattr(contact, field)}
                for field in CONTACT_FIELDS
                if getattr(row, field) != getattr(contact, field)
            }
            if changed:
                for field, change in changed.items():
                    setattr(row, field, change["to"])
                row.updated_at = now
                self._record(s, row, CONTACT_EDITED, name, {"changed": changed}, now)
            return HandoffView.of(row)

    def add_note(self, handoff_id: int, staff: str, text: object) -> NoteView:
        """An internal note on the case, in `staff`'s name."""
        author, body = staff_name(staff), _note_text(text)
        with self.session() as s, s.begin():
            if s.get(Handoff, handoff_id) is None:
                raise HandoffNotFound(handoff_id)
            row = HandoffNote(handoff_id=handoff_id, author=author, text=body, created_at=utcnow())
            s.add(row)
            s.flush()
            return NoteView.of(row)

    def notes(self, *handoff_ids: int) -> list[NoteView]:
        """The cases' internal notes, oldest first."""
        query = sa.select(HandoffNote).where(HandoffNote.handoff_id.in_(handoff_ids))
        with self.session() as s, s.begin():
            return [NoteView.of(row) for row in s.scalars(query.order_by(HandoffNote.id))]

    def history(self, *handoff_ids: int) -> list[HistoryEntry]:
        """The cases' changes, oldest first."""
        query = sa.select(HandoffEvent).where(HandoffEvent.handoff_id.in_(handoff_ids))
        with self.session() as s, s.begin():
            return [HistoryEntry.of(row) for row in s.scalars(query.order_by(HandoffEvent.id))]

    @staticmethod
    def _record(
        s: Session, row: Handoff, kind: str, staff: str, details: dict, now: datetime
    ) -> None:
        s.add(
            HandoffEvent(
                handoff_id=row.id, kind=kind, staff_name=staff, details=details, created_at=now
            )
        )
