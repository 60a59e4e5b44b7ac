"""Hand-offs kept on disk while the database is unreachable, until they are stored.

When storing a hand-off fails with a database error, the action server writes
everything `HandoffStore.raise_handoff` needs, with the reference the person is
given, to one JSON file per hand-off in HANDOFF_SPOOL_DIR. Files are written to
a temporary file and renamed, so a crash never leaves half a record, and they
outlive restarts. The staff console's `NotificationWorker` (notifications.py)
drains the directory: it stores each record under its reference (a record
stored before is not stored again) and deletes the file only after the commit.
While the database stays down it notifies staff from the file and records which
channels it reached, so the outbox does not notify them a second time.

The files hold health answers and contact details: they are created readable by
their owner only. One drainer per directory (the console) is assumed.
"""

import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffStore, new_reference
from clinic_store.priorities import priority_for
from clinic_store.views import HandoffView

logger = logging.getLogger(__name__)

SUFFIX = ".json"


@dataclass(frozen=True)
class SpooledHandoff:
    """A hand-off not stored yet: the arguments of `raise_handoff`, and who was notified."""

    reference: str
    conversation_id: str
    channel: str
    reasons: list[str]
    answers: dict[str, Any]
    summary: str
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    notify_channels: list[str]
    spooled_at: str
    notified_channels: list[str]
    # Last, with a default: files spooled before it existed still load.
    profile_name: str | None = None
    booking: dict[str, Any] | None = None
    language: str | None = None

    @property
    def priority(self) -> str:
        return priority_for(self.reasons)

    @property
    def channels_to_notify(self) -> list[str]:
        """The configured notification channels that have not reached staff yet."""
        return [name for name in self.notify_channels if name not in self.notified_channels]

    def with_notified(self, channels: Sequence[str]) -> "SpooledHandoff":
        return replace(self, notified_channels=[*self.notified_channels, *channels])


def describe(error: Exception) -> str:
    """A database error for the log: the driver's first line, never SQLAlchemy's statement
    and parameters (they hold the person's answers and contact details)."""
    return str(getattr(error, "orig", None) or type(error).__name__).splitlines()[0]


def spool_handoff(
    directory: Path,
    *,
    reasons: Sequence[str],
    notify_channels: Sequence[str],
    **details: Any,
) -> SpooledHandoff:
    """Keep a hand-off that could not be stored (keyword arguments as `raise_handoff`'s)."""
    record = SpooledHandoff(
        reference=new_reference(),
        reasons=list(reasons),
        notify_channels=list(notify_channels),
        spooled_at=utcnow().isoformat(),
        notified_channels=[],
        **details,
    )
    write(directory, record)
    return record


def write(directory: Path, record: SpooledHandoff) -> Path:
    """Write (or replace) the record's file atomically; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{record.reference}{SUFFIX}"
    # mkstemp: a new file only its owner can read, in the same directory so the
    # rename is atomic; its name starts with a dot, so `pending` never lists it.
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(asdict(record), file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def pending(directory: Path) -> list[tuple[Path, SpooledHandoff]]:
    """The spooled hand-offs, oldest first; a file that cannot be read is logged and left."""
    records = []
    for path in directory.glob(f"*{SUFFIX}"):
        try:
            records.append((path, SpooledHandoff(**json.loads(path.read_text("utf-8")))))
        except (OSError, ValueError, TypeError) as error:
            logger.error("Spooled hand-off %s cannot be read and stays there: %r", path, error)
    return sorted(records, key=lambda item: item[1].spooled_at)


def store_spooled(store: HandoffStore, record: SpooledHandoff) -> HandoffView:
    """Store the record once: a hand-off already stored under its reference is returned as is."""
    stored = store.get_by_reference(record.reference)
    if stored is not None:
        return stored  # committed before, but the file was not deleted (a crash in between)
    return store.raise_handoff(
        conversation_id=record.conversation_id,
        channel=record.channel,
        language=record.language,
        reasons=record.reasons,
        answers=record.answers,
        summary=record.summary,
        contact_name=record.contact_name,
        contact_phone=record.contact_phone,
        contact_email=record.contact_email,
        profile_name=record.profile_name,
        booking=record.booking,
        notify_channels=record.channels_to_notify,
        reference=record.reference,
    )
