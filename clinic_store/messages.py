"""Messages to a patient that come from the clinic rather than the bot's dialogue.

What a member of staff writes in a conversation they took over, and the
assistant's "I'm back" when they hand it back, are stored here with who wrote
them and when, then delivered through the patient's channel: the REST channel
returns them with the patient's next message, the push channels (socket.io,
WhatsApp) send them from the Rasa server (channels/staff_delivery.py). They
are shown in the console's transcript and included in a conversation's export.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from clinic_store.attempts import AttemptLog
from clinic_store.database import iso, utcnow
from clinic_store.errors import HandoffNotFound, NotHeld
from clinic_store.languages import ENGLISH, LANGUAGE_SLOT, URDU, reply_language
from clinic_store.models import (
    ASSISTANT,
    DELIVERED,
    PENDING,
    STAFF,
    ConversationMessage,
    Handoff,
    staff_name,
)
from clinic_store.settings import get_settings
from clinic_store.views import row_values

# The domain response the assistant says when staff hand a conversation back; its text
# is read from the domain file (and its Urdu translation), so the clinic edits it in one place.
ASSISTANT_BACK_RESPONSE = "utter_assistant_back"
STAFF_DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain" / "staff.yml"
STAFF_URDU_FILE = STAFF_DOMAIN_FILE.parent / "urdu" / "staff.yml"
MAX_TEXT_CHARS = 4000  # WhatsApp's limit for a text message is 4,096 characters


@dataclass(frozen=True)
class MessageView:
    """A stored message as it was when read; see `ConversationMessage` for the fields."""

    id: int
    conversation_id: str
    handoff_id: int | None
    channel: str
    author: str
    staff_name: str | None
    text: str | None
    response: str | None
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, row: ConversationMessage) -> MessageView:
        return cls(**row_values(cls, row))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "staff_name": self.staff_name,
            "text": self.text,
            "response": self.response,
            "status": self.status,
            "created_at": iso(self.created_at),
            "delivered_at": iso(self.delivered_at),
        }


def clean_text(text: object) -> str:
    """A staff message's text, stripped; refused when empty or too long."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the message must be non-empty text")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"the message must have at most {MAX_TEXT_CHARS} characters")
    return text.strip()


@functools.cache
def assistant_back_text(language: str = ENGLISH) -> str:
    """The first text of `utter_assistant_back` in domain/staff.yml, or in its Urdu file."""
    path, key = (
        (STAFF_URDU_FILE, "urdu_responses")
        if language == URDU
        else (
            STAFF_DOMAIN_FILE,
            "responses",
        )
    )
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key][ASSISTANT_BACK_RESPONSE][0]["text"]


def queue_assistant_back(s: Session, handoff: Handoff, now: datetime) -> None:
    """Tell the patient the assistant is back, in the caller's transaction, in the language
    the hand-off says they write (a language asked for in the chat is not stored with it)."""
    language = reply_language(
        {LANGUAGE_SLOT: handoff.language}, get_settings().roman_urdu_reply_language
    )
    text = assistant_back_text(language)
    s.add(new_message(handoff, ASSISTANT, now, response=ASSISTANT_BACK_RESPONSE, text=text))


def new_message(handoff: Handoff, author: str, now: datetime, **content: Any) -> Any:
    """A pending message into the hand-off's conversation, for the caller's session to add."""
    return ConversationMessage(
        conversation_id=handoff.conversation_id,
        handoff_id=handoff.id,
        channel=handoff.channel,
        author=author,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        **content,
    )


class ConversationMessages(AttemptLog):
    """Stores staff messages and hands them to the channel that delivers them."""

    model = ConversationMessage

    def add_staff_message(
        self, handoff_id: int, staff: str, text: str | None = None, template: str | None = None
    ) -> MessageView:
        """`staff`'s message into the conversation of a hand-off they have taken over: `text`,
        or the clinic's WhatsApp `template` (its name, or Twilio Content SID)."""
        name = staff_name(staff)
        text = f"(WhatsApp template {template})" if template else clean_text(text)
        now = utcnow()
        with self.session() as s, s.begin():
            handoff = s.get(Handoff, handoff_id, with_for_update=True)
            if handoff is None:
                raise HandoffNotFound(handoff_id)
            if not handoff.bot_paused:
                raise NotHeld("take the conversation over (claim it) before writing to the patient")
            handoff.staff_active_at = now
            row = new_message(handoff, STAFF, now, staff_name=name, text=text, response=template)
            s.add(row)
            s.flush()
            return MessageView.of(row)

    def for_conversation(self, conversation_id: str) -> list[MessageView]:
        """The conversation's messages, oldest first."""
        query = (
            sa.select(ConversationMessage)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.id)
        )
        with self.session() as s, s.begin():
            return [MessageView.of(row) for row in s.scalars(query)]

    def take_pending(self, conversation_id: str, now: datetime | None = None) -> list[MessageView]:
        """The conversation's undelivered messages, marked delivered: for a channel that hands
        them over in its answer (REST). Each is taken by one caller only."""
        now = now or utcnow()
        return self._take(
            sa.and_(
                ConversationMessage.conversation_id == conversation_id,
                ConversationMessage.status == PENDING,
            ),
            values={"status": DELIVERED, "delivered_at": now, "attempts": 1},
        )

    def take_due(
        self,
        channels: Sequence[str],
        now: datetime,
        lease: timedelta,
        among: Iterable[str] | None = None,
    ) -> list[MessageView]:
        """Pending messages on `channels` due at `now` (only of the conversations `among`, if
        given), each held back from other senders for `lease`."""
        condition = sa.and_(
            ConversationMessage.channel.in_(channels),
            ConversationMessage.status == PENDING,
            ConversationMessage.next_attempt_at <= now,
        )
        if among is not None:
            condition = sa.and_(condition, ConversationMessage.conversation_id.in_(list(among)))
        return self._take(condition, values={"next_attempt_at": now + lease})

    def _take(self, condition: sa.ColumnElement, values: dict[str, Any]) -> list[MessageView]:
        taken = []
        with self.session() as s, s.begin():
            rows = s.scalars(
                sa.select(ConversationMessage).where(condition).order_by(ConversationMessage.id)
            ).all()
            for row in rows:
                won = s.execute(
                    sa.update(ConversationMessage)
                    .where(ConversationMessage.id == row.id, condition)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won:
                    s.refresh(row)
                    taken.append(MessageView.of(row))
        return taken

    def record_delivered(self, message_id: int, now: datetime | None = None) -> None:
        self.record_attempt(message_id, status=DELIVERED, delivered_at=now or utcnow())
