"""The tables of the clinic's own database, as SQLAlchemy models.

The schema itself belongs to the Alembic migrations in migrations/; these models
must match the newest revision (a test compares them). Callers of the store
classes get frozen views, never these live rows.
"""

import sqlalchemy as sa

from clinic_store.database import Base, UTCDateTime, sql_in

OPEN, CLAIMED, RESOLVED = "open", "claimed", "resolved"
STATUSES = (OPEN, CLAIMED, RESOLVED)
ACTIVE_STATUSES = (OPEN, CLAIMED)
# A hand-off's priority, most pressing first: an urgent sign, a contraindication the
# screening flagged (clinic_store/priorities.py), anything else.
URGENT, SCREENING, NORMAL = "urgent", "screening", "normal"
PRIORITIES = (URGENT, SCREENING, NORMAL)
PENDING, SENT, FAILED = "pending", "sent", "failed"
DELIVERED = "delivered"
# What a staff notification is about (Notification.kind).
NEW_HANDOFF, PATIENT_MESSAGE, URGENT_MESSAGE, RETURNED, MEDIA_RECEIVED, MEDIA_NOT_STORED = (
    "handoff",
    "patient_message",
    "urgent_message",
    "returned",
    "media_received",
    "media_not_stored",
)
NOTIFICATION_KINDS = (
    NEW_HANDOFF,
    PATIENT_MESSAGE,
    URGENT_MESSAGE,
    RETURNED,
    MEDIA_RECEIVED,
    MEDIA_NOT_STORED,
)
# Who wrote a ConversationMessage: a member of staff, or the assistant saying it is back.
STAFF, ASSISTANT = "staff", "assistant"
NAME_LENGTH = 100
# What a patient sent on WhatsApp (MediaFile.kind), and how fetching it stands (.status).
IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER = "image", "audio", "video", "document", "sticker"
MEDIA_KINDS = (IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER)
STORED, TOO_LARGE = "stored", "too_large"
MEDIA_STATUSES = (PENDING, STORED, FAILED, TOO_LARGE)


def staff_name(staff: str) -> str:
    """A member of staff's name as stored: spaces tidied, at most NAME_LENGTH characters."""
    name = " ".join(staff.split())[:NAME_LENGTH]
    if not name:
        raise ValueError("the staff member's name must not be empty")
    return name


class Handoff(Base):
    """A conversation handed to clinic staff."""

    __tablename__ = "handoffs"
    __table_args__ = (
        # At most one active hand-off per conversation, even with several action servers.
        sa.Index(
            "uq_handoffs_active_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=sql_in("status", ACTIVE_STATUSES),
            postgresql_where=sql_in("status", ACTIVE_STATUSES),
        ),
        sa.CheckConstraint(sql_in("status", STATUSES), name="status"),
        sa.CheckConstraint(sql_in("priority", PRIORITIES), name="priority"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(16), nullable=False, unique=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(64), nullable=False)
    # How the patient writes (clinic_nlp/language.py): en, roman_ur or ur; None when no
    # message was long enough to tell.
    language = sa.Column(sa.String(16))
    contact_name = sa.Column(sa.String(200))
    contact_phone = sa.Column(sa.String(64))
    contact_email = sa.Column(sa.String(254))
    reasons = sa.Column(sa.JSON, nullable=False)
    priority = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    answers = sa.Column(sa.JSON, nullable=False)
    summary = sa.Column(sa.Text, nullable=False)
    claimed_by = sa.Column(sa.String(NAME_LENGTH))
    created_at = sa.Column(UTCDateTime, nullable=False)
    updated_at = sa.Column(UTCDateTime, nullable=False)
    claimed_at = sa.Column(UTCDateTime)
    resolved_at = sa.Column(UTCDateTime)
    # Staff have taken the conversation over: the bot stays silent in it (rasa_extensions/
    # staff_hold.py pauses Rasa's tracker) until they hand it back, resolve it or leave it idle.
    bot_paused = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    # The last time staff claimed or wrote in it; idle for too long, it returns to the list.
    staff_active_at = sa.Column(UTCDateTime)
    # The member of staff a colleague gave the case to (a staff user's name; clinic_store/desk.py).
    assigned_to = sa.Column(sa.String(NAME_LENGTH))
    # The name on the patient's WhatsApp profile, as the channel reported it: not necessarily
    # their own name, so kept apart from contact_name and shown as such.
    profile_name = sa.Column(sa.String(200))
    # A consultation request's details as the person gave them (area, concern, preferred
    # times; actions/booking_form.py), and the slot staff booked (staff_console/booking.py).
    booking = sa.Column(sa.JSON)
    booked_slot = sa.Column(UTCDateTime)
    booked_by = sa.Column(sa.String(NAME_LENGTH))
    booked_at = sa.Column(UTCDateTime)
    booking_note = sa.Column(sa.Text)


class StaffUser(Base):
    """A member of staff who can log in to the console."""

    __tablename__ = "staff_users"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(NAME_LENGTH), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(100), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False)


class Attempted:
    """Something sent later and retried: how it stands, and when it is tried next."""

    status = sa.Column(sa.String(16), nullable=False)
    attempts = sa.Column(sa.Integer, nullable=False)
    last_error = sa.Column(sa.Text)
    next_attempt_at = sa.Column(UTCDateTime, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False)


class Notification(Attempted, Base):
    """One staff notification to send (the outbox), retried until sent or given up."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_due", "status", "next_attempt_at"),
        sa.CheckConstraint(sql_in("status", (PENDING, SENT, FAILED)), name="status"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(
        sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel = sa.Column(sa.String(16), nullable=False)
    kind = sa.Column(sa.String(32), nullable=False, default=NEW_HANDOFF, server_default=NEW_HANDOFF)
    sent_at = sa.Column(UTCDateTime)


class ConversationMessage(Attempted, Base):
    """A message to the patient that did not come from Rasa's dialogue: what a member of
    staff wrote, or the assistant saying it is back. Delivered through the patient's
    channel (channels/staff_delivery.py) and retried like the notification outbox."""

    __tablename__ = "conversation_messages"
    __table_args__ = (
        sa.Index("ix_conversation_messages_due", "status", "next_attempt_at"),
        sa.CheckConstraint(sql_in("author", (STAFF, ASSISTANT)), name="author"),
        sa.CheckConstraint(sql_in("status", (PENDING, DELIVERED, FAILED)), name="status"),
        sa.CheckConstraint("text IS NOT NULL OR response IS NOT NULL", name="has_content"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    handoff_id = sa.Column(sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"))
    channel = sa.Column(sa.String(64), nullable=False)
    author = sa.Column(sa.String(16), nullable=False)
    staff_name = sa.Column(sa.String(NAME_LENGTH))
    text = sa.Column(sa.Text)
    # What the text stands for: the domain response of the assistant's "I'm back", or the
    # clinic's WhatsApp template staff sent (its name, or Twilio Content SID), sent as such.
    response = sa.Column(sa.String(100))
    delivered_at = sa.Column(UTCDateTime)


# What staff did to a case (HandoffEvent.kind), shown in its history.
REOPENED, ASSIGNED, CONTACT_EDITED = "reopened", "assigned", "contact_edited"
HANDOFF_EVENT_KINDS = (REOPENED, ASSIGNED, CONTACT_EDITED)


class HandoffNote(Base):
    """An internal note staff wrote on a case: never sent to the patient."""

    __tablename__ = "handoff_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(
        sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author = sa.Column(sa.String(NAME_LENGTH), nullable=False)
    text = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False)


class HandoffEvent(Base):
    """One entry of a case's history: reopened, assigned, contact details edited."""

    __tablename__ = "handoff_events"
    __table_args__ = (sa.CheckConstraint(sql_in("kind", HANDOFF_EVENT_KINDS), name="kind"),)

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(
        sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = sa.Column(sa.String(32), nullable=False)
    staff_name = sa.Column(sa.String(NAME_LENGTH), nullable=False)
    # What changed, for the history line: the assignee, the fields edited, the earlier state.
    details = sa.Column(sa.JSON, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False)


class MediaFile(Attempted, Base):
    """A photo, voice note, video, document or sticker a patient sent on WhatsApp.

    The row is written when the message arrives (status pending); the Rasa server
    fetches the bytes later and retries like the outbox (channels/media_fetch.py),
    then stores them under MEDIA_DIR as `stored_name` (clinic_store/media.py).
    """

    __tablename__ = "media_files"
    __table_args__ = (
        sa.Index("ix_media_files_due", "status", "next_attempt_at"),
        sa.CheckConstraint(sql_in("kind", MEDIA_KINDS), name="kind"),
        sa.CheckConstraint(sql_in("status", MEDIA_STATUSES), name="status"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(64), nullable=False)
    handoff_id = sa.Column(sa.Integer, sa.ForeignKey("handoffs.id", ondelete="SET NULL"))
    kind = sa.Column(sa.String(16), nullable=False)
    mime_type = sa.Column(sa.String(255), nullable=False)
    # Where the channel fetches it: the Graph API media id, or Twilio's MediaUrl.
    source = sa.Column(sa.Text, nullable=False)
    # The checksum Meta's webhook gave (hex); the stored bytes must match it.
    expected_sha256 = sa.Column(sa.String(64))
    sha256 = sa.Column(sa.String(64))
    size = sa.Column(sa.BigInteger)
    filename = sa.Column(sa.String(255))
    caption = sa.Column(sa.Text)
    stored_name = sa.Column(sa.String(64))
    received_at = sa.Column(UTCDateTime, nullable=False)
    stored_at = sa.Column(UTCDateTime)
