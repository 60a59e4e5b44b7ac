"""Tell clinic staff about hand-offs: a chat webhook (Slack/Teams style) and e-mail.

Notifications go through an outbox (see outbox.py): a hand-off and its
pending notifications are stored together first, and only then sent, so a
notifier that is down never loses a hand-off. `dispatch_pending` sends what is
due, retries failures with exponential back-off and finally marks them failed
(logged at ERROR). The action server calls it right after raising a hand-off;
the staff console's `NotificationWorker` calls it every few seconds, so retries
happen even when the conversation has moved on. The worker also drains the
spool of hand-offs kept on disk while the database was down (spool.py,
`drain_spool`), notifying staff straight from the file until it can be stored.

Messages carry the reference, the reason codes and a console link, never the
patient's answers or contact details: those stay behind the console's login.
"""

import asyncio
import logging
import smtplib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

import aiohttp
from sqlalchemy.exc import SQLAlchemyError

from clinic_store import spool
from clinic_store.background import PeriodicTask
from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.languages import language_label
from clinic_store.models import (
    MEDIA_NOT_STORED,
    MEDIA_RECEIVED,
    NEW_HANDOFF,
    PATIENT_MESSAGE,
    RETURNED,
    URGENT,
    URGENT_MESSAGE,
)
from clinic_store.outbox import Outbox
from clinic_store.settings import Settings, get_settings
from clinic_store.spool import SpooledHandoff
from clinic_store.views import DueNotification, HandoffView

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
FIRST_RETRY_DELAY = timedelta(seconds=30)
BACKOFF_FACTOR = 4  # waits 30 s, then 120 s
SEND_TIMEOUT_S = 10
# A notification being sent is held back from other senders for this long; it is
# longer than any send may take, and if the sender dies it is picked up again.
SEND_LEASE = timedelta(minutes=2)
WORKER_INTERVAL_S = 5.0


# A stored hand-off, or one kept in the spool while the database is down.
AnyHandoff = HandoffView | SpooledHandoff


class Notifier(Protocol):
    """Sends one hand-off notification of a kind (models.NOTIFICATION_KINDS), raising on
    any failure."""

    async def send(self, handoff: AnyHandoff, kind: str = NEW_HANDOFF) -> None: ...


def console_link(console_url: str, handoff: AnyHandoff) -> str:
    """The hand-off's page in the staff console; the list for a spooled one (no page yet)."""
    if isinstance(handoff, SpooledHandoff):
        return f"{console_url}/"
    return f"{console_url}/handoffs/{handoff.id}"


def headline(handoff: AnyHandoff, kind: str = NEW_HANDOFF) -> str:
    """One line for staff: what happened, the reference and the reasons; never what anyone wrote."""
    reasons = ", ".join(handoff.reasons)
    if kind == PATIENT_MESSAGE:
        return f"The patient wrote in {handoff.reference}, which you hold"
    if kind == URGENT_MESSAGE:
        return f"URGENT: a new report after treatment in {handoff.reference}, which staff hold"
    if kind == RETURNED:
        return f"Hand-off {handoff.reference} was left idle and is back on the open list: {reasons}"
    if kind == MEDIA_RECEIVED:
        return f"The patient sent a photo, voice note or file in {handoff.reference}"
    if kind == MEDIA_NOT_STORED:
        return (
            f"A file the patient sent in {handoff.reference} could not be kept"
            " (too large, or it could not be fetched): see the conversation"
        )
    urgency = "URGENT hand-off" if handoff.priority == URGENT else "New hand-off"
    return f"{urgency} {handoff.reference}: {reasons}"


def is_urgent(handoff: AnyHandoff, kind: str) -> bool:
    return kind == URGENT_MESSAGE or (kind != PATIENT_MESSAGE and handoff.priority == URGENT)


class WebhookNotifier:
    """POSTs JSON to a chat webhook: `text` for Slack/Teams, plus structured fields."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def payload(self, handoff: AnyHandoff, kind: str = NEW_HANDOFF) -> dict[str, Any]:
        link = console_link(self.settings.staff_console_public_url, handoff)
        return {
            "text": f"{headline(handoff, kind)} ({handoff.channel}, writes"
            f" {language_label(handoff.language)}). Open: {link}",
            "event": kind,
            "held_by": getattr(handoff, "claimed_by", None),
            "reference": handoff.reference,
            "reasons": list(handoff.reasons),
            "priority": handoff.priority,
            "conversation_id": handoff.conversation_id,
            "channel": handoff.channel,
            "language": handoff.language,
            "console_url": link,
        }

    async def send(self, handoff: AnyHandoff, kind: str = NEW_HANDOFF) -> None:
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_S)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(
                str(self.settings.handoff_webhook_url), json=self.payload(handoff, kind)
            ) as response,
        ):
            response.raise_for_status()


EMAIL_SUBJECTS = {
    NEW_HANDOFF: "New hand-off",
    PATIENT_MESSAGE: "Patient wrote in",
    URGENT_MESSAGE: "New report after treatment in",
    RETURNED: "Idle hand-off back on the list:",
    MEDIA_RECEIVED: "Patient sent media in",
    MEDIA_NOT_STORED: "Patient's file not kept in",
}
EMAIL_OPENINGS = {
    NEW_HANDOFF: "A conversation with the clinic assistant needs a member of staff.",
    PATIENT_MESSAGE: "The patient wrote into a conversation staff have taken over.",
    URGENT_MESSAGE: "While staff hold the conversation, the patient reported an urgent sign"
    " after treatment.",
    RETURNED: "A conversation staff took over was left idle; it is back on the open list and"
    " the assistant answers again.",
    MEDIA_RECEIVED: "The patient sent a photo, voice note or file; the console shows it.",
    MEDIA_NOT_STORED: "A file the patient sent could not be kept (larger than the clinic's"
    " limit, or it could not be fetched from WhatsApp). Ask the patient for it again if needed.",
}


class EmailNotifier:
    """Sends an e-mail through SMTP (the standard library's, in a worker thread)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def message(self, handoff: AnyHandoff, kind: str = NEW_HANDOFF) -> EmailMessage:
        urgency = "URGENT: " if is_urgent(handoff, kind) else ""
        message = EmailMessage()
        # Only the reference in the subject: it shows on lock screens and in mail logs.
        message["Subject"] = f"{urgency}{EMAIL_SUBJECTS[kind]} {handoff.reference}"
        message["From"] = self.settings.smtp_from
        message["To"] = ", ".join(self.settings.staff_notify_emails)
        link = console_link(self.settings.staff_console_public_url, handoff)
        message.set_content(
            f"{EMAIL_OPENINGS[kind]}\n\n"
            f"Reference: {handoff.reference}\n"
            f"Priority: {handoff.priority}\n"
            f"Reasons: {', '.join(handoff.reasons)}\n"
            f"Channel: {handoff.channel}\n"
            f"Patient writes: {language_label(handoff.language)}\n\n"
            f"Open it in the staff console (contact details and answers are there): {link}\n"
        )
        return message

    def _send_blocking(self, message: EmailMessage) -> None:
        settings = self.settings
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SEND_TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(message)

    async def send(self, handoff: AnyHandoff, kind: str = NEW_HANDOFF) -> None:
        await asyncio.to_thread(self._send_blocking, self.message(handoff, kind))


NOTIFIER_FACTORIES: dict[str, Callable[[Settings], Notifier]] = {
    "webhook": WebhookNotifier,
    "email": EmailNotifier,
}


def build_notifiers(settings: Settings) -> dict[str, Notifier]:
    """A notifier for each configured channel (see `Settings.notifier_channels`)."""
    return {
        channel: NOTIFIER_FACTORIES[channel](settings) for channel in settings.notifier_channels
    }


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait after `attempts` failed attempts; None when they are used up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return FIRST_RETRY_DELAY * BACKOFF_FACTOR ** (attempts - 1)


async def _deliver(
    outbox: Outbox, notifiers: Mapping[str, Notifier], due: DueNotification, now: datetime
) -> bool:
    """One attempt at one notification, recorded; whether it was sent."""
    notification, handoff = due.notification, due.handoff
    attempt = notification.attempts + 1
    try:
        notifier = notifiers.get(notification.channel)
        if notifier is None:
            raise LookupError(f"no {notification.channel} notifier is configured")
        await notifier.send(handoff, notification.kind)
    except Exception as error:  # whatever a notifier raises, the hand-off stays stored
        delay = retry_delay(attempt)
        retry_at = None if delay is None else now + delay
        logger.log(
            logging.WARNING if retry_at else logging.ERROR,
            "Notifying staff of %s by %s failed (attempt %d of %d%s): %r",
            handoff.reference,
            notification.channel,
            attempt,
            MAX_ATTEMPTS,
            "" if retry_at else ", giving up",
            error,
        )
        await asyncio.to_thread(outbox.record_failure, notification.id, repr(error), retry_at)
        return False
    await asyncio.to_thread(outbox.record_sent, notification.id, utcnow())
    return True


async def dispatch_pending(
    outbox: Outbox,
    now: datetime | None = None,
    notifiers: Mapping[str, Notifier] | None = None,
) -> int:
    """Send every notification due at `now` (default: now); returns how many were sent.

    Never raises: every failure, the database's included, is logged instead.
    """
    now = now or utcnow()
    try:
        notifiers = build_notifiers(get_settings()) if notifiers is None else notifiers
        taken = await asyncio.to_thread(outbox.take_due, now, SEND_LEASE)
        results = await asyncio.gather(
            *(_deliver(outbox, notifiers, due, now) for due in taken), return_exceptions=True
        )
    except Exception:
        logger.exception("Could not send staff notifications")
        return 0
    for result in results:
        if isinstance(result, Exception):
            logger.error("Could not record a staff notification attempt: %r", result)
    return sum(result is True for result in results)


async def _notify_from_spool(
    directory: Path, record: SpooledHandoff, notifiers: Mapping[str, Notifier]
) -> None:
    """Tell staff about a hand-off the database does not have yet; note who was reached."""
    channels = [name for name in record.channels_to_notify if name in notifiers]
    results = await asyncio.gather(
        *(notifiers[name].send(record) for name in channels), return_exceptions=True
    )
    sent = []
    for name, result in zip(channels, results, strict=True):
        if isinstance(result, Exception):
            logger.warning(
                "Notifying staff of spooled %s by %s failed: %r", record.reference, name, result
            )
        else:
            sent.append(name)
    if sent:
        await asyncio.to_thread(spool.write, directory, record.with_notified(sent))


async def drain_spool(
    store: HandoffStore, directory: Path, notifiers: Mapping[str, Notifier] | None = None
) -> int:
    """Store the hand-offs spooled in `directory`; returns how many were stored.

    A file is deleted only once its hand-off is committed. While the database is
    still down, staff are notified from the file (once per channel). Never raises.
    """
    stored = 0
    try:
        notifiers = build_notifiers(get_settings()) if notifiers is None else notifiers
        for path, record in await asyncio.to_thread(spool.pending, directory):
            try:
                await asyncio.to_thread(spool.store_spooled, store, record)
            except SQLAlchemyError as error:
                logger.warning(
                    "Hand-off %s stays spooled: %s", record.reference, spool.describe(error)
                )
                await _notify_from_spool(directory, record, notifiers)
                continue
            await asyncio.to_thread(path.unlink)
            logger.info("Spooled hand-off %s is stored", record.reference)
            stored += 1
    except Exception:
        logger.exception("Could not drain the hand-off spool %s", directory)
    return stored


class NotificationWorker(PeriodicTask):
    """Every `interval_s` seconds until stopped: drains `spool_dir` (if given), then sends."""

    def __init__(
        self,
        store: HandoffStore,
        interval_s: float = WORKER_INTERVAL_S,
        spool_dir: Path | None = None,
    ) -> None:
        super().__init__(interval_s)
        self.store, self.spool_dir = store, spool_dir
        self.outbox = Outbox(store.database_url)

    async def run_once(self) -> None:
        if self.spool_dir is not None:
            await drain_spool(self.store, self.spool_dir)
        await dispatch_pending(self.outbox)
