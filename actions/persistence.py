"""Hand-offs, staff users and the notification outbox, stored with SQLAlchemy.

SQLite under var/ by default, any SQLAlchemy URL (PostgreSQL in production)
through DATABASE_URL. The schema is owned by the Alembic migrations in
migrations/; `migrate()` applies them. Callers get frozen views, never live ORM
objects, so nothing leaks out of a session.
"""

import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import bcrypt
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from actions.settings import get_settings

Base = declarative_base()

URGENT_REASONS = frozenset({"post_treatment_concern"})
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
OPEN, CLAIMED, RESOLVED = "open", "claimed", "resolved"
ALLOWED_TRANSITIONS = {OPEN: {CLAIMED, RESOLVED}, CLAIMED: {RESOLVED}, RESOLVED: set()}
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Handoff(Base):
    """A conversation handed to clinic staff."""

    __tablename__ = "handoffs"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(16), nullable=False, unique=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(64), nullable=False)
    contact_name = sa.Column(sa.String(200))
    contact_phone = sa.Column(sa.String(64))
    contact_email = sa.Column(sa.String(254))
    reasons = sa.Column(sa.JSON, nullable=False)
    priority = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    answers = sa.Column(sa.JSON, nullable=False)
    summary = sa.Column(sa.Text, nullable=False)
    claimed_by = sa.Column(sa.String(100))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    claimed_at = sa.Column(sa.DateTime(timezone=True))
    resolved_at = sa.Column(sa.DateTime(timezone=True))


class StaffUser(Base):
    """A member of staff who can log in to the console."""

    __tablename__ = "staff_users"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(100), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(100), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class Notification(Base):
    """One staff notification to send (the outbox): retried until sent or given up."""

    __tablename__ = "notifications"

    id = sa.Column(sa.Integer, primary_key=True)
    handoff_id = sa.Column(sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False)
    channel = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    last_error = sa.Column(sa.Text)
    next_attempt_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    sent_at = sa.Column(sa.DateTime(timezone=True))


class InvalidTransition(Exception):
    """A claim or resolve that the hand-off's status does not allow."""


class NotFound(Exception):
    """No hand-off with that id."""


@dataclass(frozen=True)
class HandoffView:
    """A hand-off as staff and the bot see it."""

    id: int
    reference: str
    conversation_id: str
    channel: str
    reasons: list[str]
    priority: str
    status: str
    answers: dict[str, Any]
    summary: str
    contact: dict[str, Optional[str]]
    claimed_by: Optional[str]
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        return data


@dataclass(frozen=True)
class PendingNotification:
    """A notification due to be sent, with the hand-off it is about."""

    id: int
    channel: str
    attempts: int
    handoff: HandoffView = field(repr=False)


def _aware(value: Optional[datetime]) -> Optional[datetime]:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _view(row: Handoff) -> HandoffView:
    return HandoffView(
        id=row.id,
        reference=row.reference,
        conversation_id=row.conversation_id,
        channel=row.channel,
        reasons=list(row.reasons),
        priority=row.priority,
        status=row.status,
        answers=dict(row.answers),
        summary=row.summary,
        contact={"name": row.contact_name, "phone": row.contact_phone, "email": row.contact_email},
        claimed_by=row.claimed_by,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
    )


def priority_for(reasons: list[str]) -> str:
    return "urgent" if URGENT_REASONS & set(reasons) else "normal"


def new_reference() -> str:
    return "MN-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def migrate(database_url: Optional[str] = None) -> None:
    """Bring the database schema up to date with Alembic."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    command.upgrade(config, "head")


def create_db_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite files get their folder created."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url, future=True, pool_pre_ping=True)


class HandoffStore:
    """Reads and writes hand-offs, staff users and notifications."""

    def __init__(self, database_url: Optional[str] = None) -> None:
        self._database_url = database_url
        self._engine: Optional[Engine] = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_db_engine(self._database_url or get_settings().database_url)
        return self._engine

    def raise_handoff(
        self,
        *,
        conversation_id: str,
        channel: str,
        reasons: list[str],
        answers: dict[str, Any],
        summary: str,
        notify_channels: tuple[str, ...] = (),
        contact_name: Optional[str] = None,
        contact_phone: Optional[str] = None,
        contact_email: Optional[str] = None,
    ) -> HandoffView:
        """Open a hand-off, or add the reasons to the conversation's open one.

        Queues one notification per channel in `notify_channels` in the same
        transaction, so a stored hand-off always has its notifications.
        """
        now = utcnow()
        with Session(self.engine) as session, session.begin():
            row = self._open_row(session, conversation_id)
            if row is None:
                row = Handoff(
                    reference=new_reference(),
                    conversation_id=conversation_id,
                    channel=channel,
                    reasons=[],
                    status=OPEN,
                    answers={},
                    created_at=now,
                )
                session.add(row)
            row.reasons = list(dict.fromkeys([*row.reasons, *reasons]))
            row.priority = priority_for(row.reasons)
            row.answers = {**(row.answers or {}), **answers}
            row.summary = summary
            row.contact_name = contact_name or row.contact_name
            row.contact_phone = contact_phone or row.contact_phone
            row.contact_email = contact_email or row.contact_email
            row.updated_at = now
            session.flush()
            for channel_name in notify_channels:
                session.add(
                    Notification(
                        handoff_id=row.id,
                        channel=channel_name,
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
            return _view(row)

    @staticmethod
    def _open_row(session: Session, conversation_id: str) -> Optional[Handoff]:
        return session.scalars(
            sa.select(Handoff)
            .where(Handoff.conversation_id == conversation_id)
            .where(Handoff.status.in_([OPEN, CLAIMED]))
            .order_by(Handoff.id.desc())
        ).first()

    def open_for_conversation(self, conversation_id: str) -> Optional[HandoffView]:
        with Session(self.engine) as session:
            row = self._open_row(session, conversation_id)
            return _view(row) if row else None

    def get(self, handoff_id: int) -> Optional[HandoffView]:
        with Session(self.engine) as session:
            row = session.get(Handoff, handoff_id)
            return _view(row) if row else None

    def get_by_reference(self, reference: str) -> Optional[HandoffView]:
        with Session(self.engine) as session:
            row = session.scalars(sa.select(Handoff).where(Handoff.reference == reference)).first()
            return _view(row) if row else None

    def list_handoffs(self, status: Optional[str] = None) -> list[HandoffView]:
        """Hand-offs, urgent first, then oldest first."""
        query = sa.select(Handoff).order_by(
            sa.case((Handoff.priority == "urgent", 0), else_=1), Handoff.created_at, Handoff.id
        )
        if status:
            query = query.where(Handoff.status == status)
        with Session(self.engine) as session:
            return [_view(row) for row in session.scalars(query)]

    def claim(self, handoff_id: int, staff: str) -> HandoffView:
        return self._transition(handoff_id, CLAIMED, staff)

    def resolve(self, handoff_id: int, staff: str) -> HandoffView:
        return self._transition(handoff_id, RESOLVED, staff)

    def _transition(self, handoff_id: int, status: str, staff: str) -> HandoffView:
        now = utcnow()
        with Session(self.engine) as session, session.begin():
            row = session.get(Handoff, handoff_id, with_for_update=True)
            if row is None:
                raise NotFound(handoff_id)
            if status not in ALLOWED_TRANSITIONS[row.status]:
                raise InvalidTransition(f"{row.status} -> {status}")
            row.status = status
            row.updated_at = now
            if status == CLAIMED:
                row.claimed_by, row.claimed_at = staff, now
            else:
                row.claimed_by = row.claimed_by or staff
                row.resolved_at = now
            session.flush()
            return _view(row)

    def delete_conversation(self, conversation_id: str) -> int:
        """Delete every hand-off (and its notifications) of a conversation; returns how many."""
        with Session(self.engine) as session, session.begin():
            ids = list(
                session.scalars(sa.select(Handoff.id).where(Handoff.conversation_id == conversation_id))
            )
            session.execute(sa.delete(Notification).where(Notification.handoff_id.in_(ids)))
            session.execute(sa.delete(Handoff).where(Handoff.id.in_(ids)))
            return len(ids)

    def due_notifications(self, now: Optional[datetime] = None) -> list[PendingNotification]:
        now = now or utcnow()
        with Session(self.engine) as session:
            rows = session.execute(
                sa.select(Notification, Handoff)
                .join(Handoff, Notification.handoff_id == Handoff.id)
                .where(Notification.status == "pending")
                .where(Notification.next_attempt_at <= now)
                .order_by(Notification.id)
            ).all()
            return [
                PendingNotification(id=n.id, channel=n.channel, attempts=n.attempts, handoff=_view(h))
                for n, h in rows
            ]

    def record_attempt(
        self, notification_id: int, *, error: Optional[str], retry_at: Optional[datetime]
    ) -> None:
        """Mark a send attempt: sent, retried at `retry_at`, or failed for good."""
        now = utcnow()
        with Session(self.engine) as session, session.begin():
            row = session.get(Notification, notification_id)
            row.attempts += 1
            row.last_error = error
            if error is None:
                row.status, row.sent_at = "sent", now
            elif retry_at is None:
                row.status = "failed"
            else:
                row.next_attempt_at = retry_at

    def notification_statuses(self, handoff_id: int) -> list[tuple[str, str, int]]:
        """(channel, status, attempts) of a hand-off's notifications."""
        with Session(self.engine) as session:
            rows = session.scalars(
                sa.select(Notification).where(Notification.handoff_id == handoff_id).order_by(Notification.id)
            )
            return [(n.channel, n.status, n.attempts) for n in rows]

    def create_staff_user(self, username: str, password: str) -> None:
        if not username or not password:
            raise ValueError("username and password must not be empty")
        with Session(self.engine) as session, session.begin():
            session.add(
                StaffUser(username=username, password_hash=hash_password(password), created_at=utcnow())
            )

    def verify_staff_user(self, username: str, password: str) -> bool:
        with Session(self.engine) as session:
            row = session.scalars(sa.select(StaffUser).where(StaffUser.username == username)).first()
        if row is None:
            # Same work as a real check, so response time does not reveal usernames.
            bcrypt.checkpw(password.encode(), hash_password("x").encode())
            return False
        return bcrypt.checkpw(password.encode(), row.password_hash.encode())


if __name__ == "__main__":
    # `python -m actions.persistence` applies the migrations (run at start-up).
    migrate()
