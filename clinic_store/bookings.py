"""Staff book a consultation slot for a hand-off and the patient is told in the same chat.

The slot, who booked it and the note are stored on the hand-off, and the
confirmation is queued as that member of staff's message to the patient in the
same transaction (messages.py delivers it by the patient's channel), so a case
never shows "booked" without the patient being sent the slot.
"""

from __future__ import annotations

from datetime import datetime

from clinic_store.database import Repository, utcnow
from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.messages import MessageView, clean_text, new_message
from clinic_store.models import RESOLVED, STAFF, Handoff, staff_name
from clinic_store.views import HandoffView

BOOKED = "booked"


class SlotInThePast(ValueError):
    """A slot must be later than now."""


class BookingStore(Repository):
    """Records booked slots."""

    def confirm_slot(
        self, handoff_id: int, staff: str, slot: datetime, confirmation: str, note: str | None
    ) -> tuple[HandoffView, MessageView]:
        """Book `slot` (time-zone aware) for the hand-off; queue `confirmation` to the patient."""
        name, text = staff_name(staff), clean_text(confirmation)
        now = utcnow()
        if slot <= now:
            raise SlotInThePast("the slot is in the past")
        with self.session() as s, s.begin():
            row = s.get(Handoff, handoff_id, with_for_update=True)
            if row is None:
                raise HandoffNotFound(handoff_id)
            if row.status == RESOLVED:
                raise InvalidTransition(RESOLVED, BOOKED)
            row.booked_slot, row.booked_by, row.booked_at = slot, name, now
            row.booking_note, row.updated_at = note or None, now
            message = new_message(row, STAFF, now, staff_name=name, text=text)
            s.add(message)
            s.flush()
            return HandoffView.of(row), MessageView.of(message)
