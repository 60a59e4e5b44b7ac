"""Hand-offs, staff users and the staff-notification outbox, stored with SQLAlchemy.

SQLite under var/ by default, PostgreSQL in production (any SQLAlchemy URL in
DATABASE_URL). The schema belongs to the Alembic migrations in migrations/;
`migrate()` applies them. Callers get frozen views, never live ORM objects, so
nothing outlives the short session it was read in.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base

from actions.settings import get_settings

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

OPEN, CLAIMED, RESOLVED = "open", "claimed", "resolved"
STATUSES = (OPEN, CLAIMED, RESOLVED)
ACTIVE_STATUSES = (OPEN, CLAIMED)
TRANSITIONS = {OPEN: {CLAIMED, RESOLVED}, CLAIMED: {RESOLVED}, RESOLVED: set()}
URGENT, NORMAL = "urgent", "normal"
URGENT_REASONS = frozenset({"post_treatment_concern"})
PENDING, SENT, FAILED = "pending", "sent", "failed"

# Read aloud over the phone: no 0/O, 1/I/L, and no U (Crockford's choice, fewer
# accidental words). 30**6 is about 7e8 references.
REFERENCE_PREFIX = "MN-"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
# A reference collision, or another process opening the same conversation's
# hand-off at the same moment, fails the insert; the next attempt sorts it out.
RAISE_ATTEMPTS = 3
# bcrypt only reads the first 72 bytes; longer passwords are refused, not truncated.
MAX_PASSWORD_BYTES = 72
BCRYPT_ROUNDS = 12  # about a quarter of a second per check: slow for guessers, fine for staff
NAME_LENGTH = 100

Base = declarative_base(
    metadata=sa.MetaData(
        # Named constraints, so later migrations (batch mode on SQLite) can refer to them.
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database: SQLite stores no zone."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: every stored time must be timezone-aware")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _in(column: str, values: Sequence[str]) -> sa.TextClause:
    return sa.text(f"{column} IN ({', '.join(repr(value) for value in values)})")


class Handoff(Base):
    """A conversation handed to clinic staff."""

    __tablename__ = "handoffs"
    __table_args__ = (
        # At most one active hand-off per conversation, even with several action servers.
        sa.Index(
            "uq_handoffs_active_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=_in("status", ACTIVE_STATUSES),
            postgresql_where=_in("status", ACTIVE_STATUSES),
        ),
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint(_in("priority", (URGENT, NORMAL)), name="priority"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(16), nullable=False, unique=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(64), nullable=False)
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


class StaffUser(Base):
    """A member of staff who can log in to the console."""

    __tablename__ = "staff_users"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(NAME_LENGTH), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(100), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False)


class Notification(Base):
    """One staff notification to send (the outbox), retried until sent or given up."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_due", "status", "next_attempt_at"),
        sa.CheckConstraint(_in("status", (PENDING, SENT, FAILED)), name="status"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(
        sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    attempts = sa.Column(sa.Integer, nullable=False)
    last_error = sa.Column(sa.Text)
    next_attempt_at = sa.Column(UTCDateTime, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False)
    sent_at = sa.Column(UTCDateTime)


class HandoffNotFound(LookupError):
    """No hand-off has that id."""


class InvalidTransition(ValueError):
    """A claim or resolve that the hand-off's current status does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a hand-off that is {current} cannot become {target}")
        self.current, self.target = current, target


class StaffUserExists(ValueError):
    """The username is taken."""


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class HandoffView:
    """A hand-off as it was when read; see `Handoff` for the fields."""

    id: int
    reference: str
    conversation_id: str
    channel: str
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

    @classmethod
    def of(cls, row: Handoff) -> HandoffView:
        values = {field.name: getattr(row, field.name) for field in fields(cls)}
        # Copies of the JSON columns, so the view shares nothing with the session.
        return cls(**{**values, "reasons": tuple(row.reasons), "answers": dict(row.answers)})

    @property
    def contact(self) -> dict[str, str | None]:
        """How to reach the person: name, phone and e-mail, each possibly None."""
        return {"name": self.contact_name, "phone": self.contact_phone, "email": self.contact_email}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "reasons": list(self.reasons),
            "priority": self.priority,
            "status": self.status,
            "contact": self.contact,
            "answers": dict(self.answers),
            "summary": self.summary,
            "claimed_by": self.claimed_by,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "claimed_at": _iso(self.claimed_at),
            "resolved_at": _iso(self.resolved_at),
        }


@dataclass(frozen=True)
class NotificationView:
    """One outbox entry as it was when read; see `Notification` for the fields."""

    id: int
    handoff_id: int
    channel: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, row: Notification) -> NotificationView:
        return cls(**{field.name: getattr(row, field.name) for field in fields(cls)})


@dataclass(frozen=True)
class DueNotification:
    """A notification taken for sending, with the hand-off it is about."""

    notification: NotificationView
    handoff: HandoffView


def priority_for(reasons: Sequence[str]) -> str:
    return URGENT if URGENT_REASONS.intersection(reasons) else NORMAL


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


def _joined(earlier: str, later: str) -> str:
    """Both summaries, so adding to a hand-off keeps what staff were first told."""
    if not earlier or later in earlier.splitlines():
        return later or earlier
    return f"{earlier}\n{later}"


def _staff_name(staff: str) -> str:
    name = " ".join(staff.split())[:NAME_LENGTH]
    if not name:
        raise ValueError("the staff member's name must not be empty")
    return name


@functools.cache
def engine_for(database_url: str) -> Engine:
    """One engine (and connection pool) per database for the whole process."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # The default lives in var/, which a fresh checkout does not have.
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url, future=True, pool_pre_ping=True)


def migrate(database_url: str | None = None) -> None:
    """Bring the database's schema up to date (`alembic upgrade head`)."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url or get_settings().database_url
    # Alembic's own logging set-up would replace the running server's.
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")


@functools.lru_cache(maxsize=1)
def _decoy_hash() -> bytes:
    """Checked against for unknown usernames, so timing does not reveal which exist."""
    return bcrypt.hashpw(secrets.token_urlsafe(16).encode(), bcrypt.gensalt(BCRYPT_ROUNDS))


class HandoffStore:
    """Reads and writes hand-offs, staff users and the notification outbox."""

    def __init__(self, database_url: str | None = None) -> None:
        self._database_url = database_url

    @property
    def engine(self) -> Engine:
        return engine_for(self._database_url or get_settings().database_url)

    # --- hand-offs -------------------------------------------------------------

    def raise_handoff(
        self,
        *,
        conversation_id: str,
        channel: str,
        reasons: Sequence[str],
        answers: dict[str, Any],
        summary: str,
        contact_name: str | None = None,
        contact_phone: str | None = None,
        contact_email: str | None = None,
        notify_channels: Sequence[str] | None = None,
        reference: str | None = None,
    ) -> HandoffView:
        """Open a hand-off, or add the reasons to the conversation's active one.

        New reasons queue one pending notification per notifier channel
        (`notify_channels`, by default the configured ones) in the same
        transaction, so a stored hand-off always has its notifications.
        A new hand-off gets `reference` when given (the person already has it:
        see spool.py), a new random one otherwise.
        """
        if not reasons:
            raise ValueError("a hand-off needs at least one reason")
        if notify_channels is None:
            notify_channels = get_settings().notifier_channels
        details = {
            "channel": channel,
            "answers": answers,
            "summary": summary,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "contact_email": contact_email,
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
        with Session(self.engine, future=True) as s, s.begin():
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
            for name in ("contact_name", "contact_phone", "contact_email"):
                setattr(row, name, details[name] or getattr(row, name))
            row.updated_at = now
            s.flush()
            if added:
                s.add_all(self._new_notification(row.id, name, now) for name in notify_channels)
            return HandoffView.of(row)

    @staticmethod
    def _new_notification(handoff_id: int, channel: str, now: datetime) -> Notification:
        return Notification(
            handoff_id=handoff_id,
            channel=channel,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )

    @staticmethod
    def _active_row(s: Session, conversation_id: str) -> Handoff | None:
        return s.scalars(
            sa.select(Handoff).where(
                Handoff.conversation_id == conversation_id,
                Handoff.status.in_(ACTIVE_STATUSES),
            )
        ).first()

    def get(self, handoff_id: int) -> HandoffView | None:
        with Session(self.engine, future=True) as s, s.begin():
            row = s.get(Handoff, handoff_id)
            return HandoffView.of(row) if row else None

    def get_by_reference(self, reference: str) -> HandoffView | None:
        with Session(self.engine, future=True) as s, s.begin():
            row = s.scalars(sa.select(Handoff).where(Handoff.reference == reference)).first()
            return HandoffView.of(row) if row else None

    def open_for_conversation(self, conversation_id: str) -> HandoffView | None:
        """The conversation's hand-off that is still open or claimed, if any."""
        with Session(self.engine, future=True) as s, s.begin():
            row = self._active_row(s, conversation_id)
            return HandoffView.of(row) if row else None

    def list(self, status: str | Sequence[str] | None = None) -> list[HandoffView]:
        """Hand-offs with `status` (one or several; all by default), urgent first, then oldest."""
        statuses = (status,) if isinstance(status, str) else status
        if statuses is not None and not set(statuses) <= set(STATUSES):
            raise ValueError(f"unknown status in {statuses!r}")
        query = sa.select(Handoff).order_by(
            sa.case((Handoff.priority == URGENT, 0), else_=1), Handoff.created_at, Handoff.id
        )
        if statuses is not None:
            query = query.where(Handoff.status.in_(statuses))
        with Session(self.engine, future=True) as s, s.begin():
            return [HandoffView.of(row) for row in s.scalars(query)]

    def claim(self, handoff_id: int, staff: str) -> HandoffView:
        """An open hand-off taken by `staff`."""
        return self._move(handoff_id, CLAIMED, _staff_name(staff))

    def resolve(self, handoff_id: int, staff: str) -> HandoffView:
        """An open or claimed hand-off closed; `staff` is kept if nobody had claimed it."""
        return self._move(handoff_id, RESOLVED, _staff_name(staff))

    def _move(self, handoff_id: int, target: str, staff: str) -> HandoffView:
        now = utcnow()
        with Session(self.engine, future=True) as s, s.begin():
            # Locked (on PostgreSQL), so two staff claiming at once cannot both win.
            row = s.get(Handoff, handoff_id, with_for_update=True)
            if row is None:
                raise HandoffNotFound(handoff_id)
            if target not in TRANSITIONS[row.status]:
                raise InvalidTransition(row.status, target)
            row.status, row.updated_at = target, now
            if target == CLAIMED:
                row.claimed_by, row.claimed_at = staff, now
            else:
                row.claimed_by, row.resolved_at = row.claimed_by or staff, now
            return HandoffView.of(row)

    def delete_conversation(self, conversation_id: str) -> int:
        """Erase a conversation's hand-offs and their notifications; returns how many hand-offs."""
        with Session(self.engine, future=True) as s, s.begin():
            ids = s.scalars(
                sa.select(Handoff.id).where(Handoff.conversation_id == conversation_id)
            ).all()
            # Explicit, because SQLite ignores ON DELETE CASCADE unless told otherwise.
            s.execute(sa.delete(Notification).where(Notification.handoff_id.in_(ids)))
            s.execute(sa.delete(Handoff).where(Handoff.id.in_(ids)))
            return len(ids)

    # --- notification outbox -------------------------------------------------------

    def take_due_notifications(self, now: datetime, lease: timedelta) -> list[DueNotification]:
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
        with Session(self.engine, future=True) as s, s.begin():
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
        self._record_attempt(notification_id, status=SENT, sent_at=now)

    def record_failure(self, notification_id: int, error: str, retry_at: datetime | None) -> None:
        """A failed attempt: tried again at `retry_at`, or failed for good when None."""
        if retry_at is None:
            self._record_attempt(notification_id, status=FAILED, last_error=error)
        else:
            self._record_attempt(notification_id, last_error=error, next_attempt_at=retry_at)

    def _record_attempt(self, notification_id: int, **values: Any) -> None:
        with Session(self.engine, future=True) as s, s.begin():
            s.execute(
                sa.update(Notification)
                .where(Notification.id == notification_id)
                .values(attempts=Notification.attempts + 1, **values)
                .execution_options(synchronize_session=False)
            )

    def notifications(self, handoff_id: int) -> list[NotificationView]:
        """A hand-off's notifications, oldest first."""
        query = (
            sa.select(Notification)
            .where(Notification.handoff_id == handoff_id)
            .order_by(Notification.id)
        )
        with Session(self.engine, future=True) as s, s.begin():
            return [NotificationView.of(row) for row in s.scalars(query)]

    # --- staff users ----------------------------------------------------------------

    def create_staff_user(self, username: str, password: str) -> None:
        """A new console login; raises StaffUserExists or ValueError for a bad name or password."""
        username = username.strip()
        if not username or len(username) > NAME_LENGTH:
            raise ValueError(f"the username must have 1 to {NAME_LENGTH} characters")
        if not password or len(password.encode()) > MAX_PASSWORD_BYTES:
            raise ValueError(f"the password must have 1 to {MAX_PASSWORD_BYTES} bytes")
        password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
        try:
            with Session(self.engine, future=True) as s, s.begin():
                s.add(
                    StaffUser(username=username, password_hash=password_hash, created_at=utcnow())
                )
        except IntegrityError as error:
            raise StaffUserExists(username) from error

    def verify_staff_user(self, username: str, password: str) -> bool:
        """Whether the username exists and the password is its password."""
        with Session(self.engine, future=True) as s, s.begin():
            stored = s.scalars(
                sa.select(StaffUser.password_hash).where(StaffUser.username == username.strip())
            ).first()
        candidate = password.encode()
        if stored is None or len(candidate) > MAX_PASSWORD_BYTES:
            bcrypt.checkpw(b"decoy", _decoy_hash())
            return False
        return bcrypt.checkpw(candidate, stored.encode())


if __name__ == "__main__":
    # `python -m actions.persistence` migrates DATABASE_URL (the Procfile runs it at start-up).
    migrate()
