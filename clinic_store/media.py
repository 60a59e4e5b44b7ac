"""Photos, voice notes, videos, documents and stickers patients send on WhatsApp.

The channel records each one as it arrives (`MediaStore.record`, status
pending) and answers the patient at once; the Rasa server fetches the bytes
later (channels/media_fetch.py), retrying like the notification outbox, and
keeps them here: one file per item under MEDIA_DIR, named by a random id and
readable by its owner only, with a row in `media_files` (who sent it, in which
conversation and hand-off, its kind, type, size, SHA-256, file name, caption and
when it came). A file larger than MEDIA_MAX_BYTES is not kept (`too_large`).
The staff console shows them (behind its login), exports them and deletes them
with the conversation.
"""

from __future__ import annotations

import base64
import os
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clinic_store.attempts import AttemptLog
from clinic_store.database import iso, utcnow
from clinic_store.models import ACTIVE_STATUSES, PENDING, STORED, TOO_LARGE, Handoff, MediaFile
from clinic_store.views import row_values

# What the channels send the bot for media (an intent payload; channels/media_messages.py),
# and the key of its metadata that lists the recorded items (`{"id", "kind"}` each).
MEDIA_MESSAGE = "/send_media"
METADATA_KEY = "media"


@dataclass(frozen=True)
class IncomingMedia:
    """One item as a channel reads it from the webhook, before anything is fetched."""

    kind: str  # models.MEDIA_KINDS
    mime_type: str
    source: str  # the Graph API media id, or Twilio's MediaUrl
    expected_sha256: str | None = None
    filename: str | None = None
    caption: str | None = None


@dataclass(frozen=True)
class MediaView:
    """A stored media row as it was when read; see `MediaFile` for the fields."""

    id: int
    conversation_id: str
    channel: str
    handoff_id: int | None
    kind: str
    mime_type: str
    source: str
    expected_sha256: str | None
    sha256: str | None
    size: int | None
    filename: str | None
    caption: str | None
    stored_name: str | None
    received_at: datetime
    stored_at: datetime | None
    status: str
    attempts: int
    last_error: str | None

    @classmethod
    def of(cls, row: MediaFile) -> MediaView:
        return cls(**row_values(cls, row))

    def to_json(self) -> dict[str, Any]:
        """What staff and the API see (never where it was fetched from)."""
        return {
            "id": self.id,
            "handoff_id": self.handoff_id,
            "kind": self.kind,
            "mime_type": self.mime_type,
            "size": self.size,
            "sha256": self.sha256,
            "filename": self.filename,
            "caption": self.caption,
            "status": self.status,
            "received_at": iso(self.received_at),
        }


def write_file(directory: Path, data: bytes) -> str:
    """Keep `data` under a new random name in `directory`, atomically; returns the name."""
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    # mkstemp: readable by its owner only (these are patients' photos), renamed when complete.
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, directory / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def file_path(directory: Path, media: MediaView) -> Path | None:
    """Where a stored item's bytes are, None while it is not stored."""
    return directory / media.stored_name if media.stored_name else None


def exported(directory: Path, media: MediaView) -> dict[str, Any]:
    """An item for the person's export: what staff see, and the file itself (base64)."""
    path = file_path(directory, media)
    content = path.read_bytes() if path and path.is_file() else None
    encoded = base64.b64encode(content).decode("ascii") if content is not None else None
    return {**media.to_json(), "content_base64": encoded}


def attach_unlinked(s: Session, conversation_id: str, handoff_id: int) -> None:
    """Give a conversation's media that belong to no hand-off to `handoff_id`, in the
    caller's transaction: a hand-off raised after a photo was sent shows it to staff."""
    s.execute(
        sa.update(MediaFile)
        .where(MediaFile.conversation_id == conversation_id, MediaFile.handoff_id.is_(None))
        .values(handoff_id=handoff_id)
        .execution_options(synchronize_session=False)
    )


class MediaStore(AttemptLog):
    """Records media as they arrive, hands them to the fetcher, and keeps what it fetched."""

    model = MediaFile

    def record(
        self, conversation_id: str, channel: str, items: Sequence[IncomingMedia]
    ) -> list[MediaView]:
        """One pending row per item, joined to the conversation's active hand-off if any."""
        now = utcnow()
        with self.session() as s, s.begin():
            handoff_id = s.scalars(
                sa.select(Handoff.id).where(
                    Handoff.conversation_id == conversation_id,
                    Handoff.status.in_(ACTIVE_STATUSES),
                )
            ).first()
            rows = [
                MediaFile(
                    conversation_id=conversation_id,
                    channel=channel,
                    handoff_id=handoff_id,
                    kind=item.kind,
                    mime_type=item.mime_type,
                    source=item.source,
                    expected_sha256=item.expected_sha256,
                    filename=item.filename,
                    caption=item.caption,
                    received_at=now,
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
                for item in items
            ]
            s.add_all(rows)
            s.flush()
            return [MediaView.of(row) for row in rows]

    def get(self, media_id: int) -> MediaView | None:
        with self.session() as s, s.begin():
            row = s.get(MediaFile, media_id)
            return MediaView.of(row) if row else None

    def for_conversation(self, conversation_id: str) -> list[MediaView]:
        """The conversation's media, in the order they came."""
        query = (
            sa.select(MediaFile)
            .where(MediaFile.conversation_id == conversation_id)
            .order_by(MediaFile.id)
        )
        with self.session() as s, s.begin():
            return [MediaView.of(row) for row in s.scalars(query)]

    def last_received(self) -> dict[str, datetime]:
        """Every conversation with media -> when its newest item came (for retention)."""
        query = sa.select(MediaFile.conversation_id, sa.func.max(MediaFile.received_at)).group_by(
            MediaFile.conversation_id
        )
        with self.session() as s, s.begin():
            # max() keeps the column's type, so the times come back aware (UTCDateTime).
            return {conversation_id: moment for conversation_id, moment in s.execute(query)}

    def attach(self, media_ids: Sequence[int], handoff_id: int) -> None:
        """The items belong to the hand-off (staff looking at it see them)."""
        with self.session() as s, s.begin():
            s.execute(
                sa.update(MediaFile)
                .where(MediaFile.id.in_(list(media_ids)))
                .values(handoff_id=handoff_id)
                .execution_options(synchronize_session=False)
            )

    def take_due(self, channels: Sequence[str], now: datetime, lease: timedelta) -> list[MediaView]:
        """Pending items of `channels` due at `now`, each held back from other fetchers
        (another Rasa server) for `lease`."""
        due = sa.and_(
            MediaFile.channel.in_(list(channels)),
            MediaFile.status == PENDING,
            MediaFile.next_attempt_at <= now,
        )
        taken = []
        with self.session() as s, s.begin():
            for row in s.scalars(sa.select(MediaFile).where(due).order_by(MediaFile.id)).all():
                won = s.execute(
                    sa.update(MediaFile)
                    .where(MediaFile.id == row.id, due)
                    .values(next_attempt_at=now + lease)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won:
                    taken.append(MediaView.of(row))
        return taken

    def record_stored(self, media_id: int, stored_name: str, size: int, sha256: str) -> None:
        self.record_attempt(
            media_id,
            status=STORED,
            stored_name=stored_name,
            size=size,
            sha256=sha256,
            stored_at=utcnow(),
            last_error=None,
        )

    def record_too_large(self, media_id: int, size: int | None, error: str) -> None:
        """Not kept: larger than MEDIA_MAX_BYTES (`size` when the sender said how large)."""
        self.record_attempt(media_id, status=TOO_LARGE, size=size, last_error=error)

    def delete_conversation(self, conversation_id: str, directory: Path) -> int:
        """Erase the conversation's media, files and rows; returns how many items."""
        with self.session() as s, s.begin():
            rows = s.scalars(
                sa.select(MediaFile).where(MediaFile.conversation_id == conversation_id)
            ).all()
            for row in rows:
                if row.stored_name:
                    (directory / row.stored_name).unlink(missing_ok=True)
                s.delete(row)
            return len(rows)
