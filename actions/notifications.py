"""Tell staff about a new hand-off: an HTTP webhook (Slack/Teams style) and e-mail.

Notifications are an outbox in the database (see persistence.py): the hand-off
and its pending notifications are stored first, then sent. A notifier that is
down is retried with back-off and finally marked failed and logged; the
hand-off itself is never lost. The staff console retries due notifications in
the background, so retries do not depend on the conversation going on.
"""

import asyncio
import logging
import smtplib
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Optional

import aiohttp

from actions.persistence import HandoffStore, HandoffView, PendingNotification, utcnow
from actions.settings import Settings, get_settings

logger = logging.getLogger(__name__)

WEBHOOK, EMAIL = "webhook", "email"
RETRY_DELAYS = (timedelta(seconds=30), timedelta(seconds=120))  # then give up
SEND_TIMEOUT_S = 10


def console_link(settings: Settings, handoff: HandoffView) -> str:
    return f"{settings.staff_console_public_url}/handoffs/{handoff.id}"


def headline(handoff: HandoffView) -> str:
    """One line for staff; health details stay in the console, behind a login."""
    urgency = "URGENT " if handoff.priority == "urgent" else ""
    return f"{urgency}Hand-off {handoff.reference}: {', '.join(handoff.reasons)}"


def webhook_payload(settings: Settings, handoff: HandoffView) -> dict[str, Any]:
    link = console_link(settings, handoff)
    return {
        "text": f"{headline(handoff)} ({handoff.channel}). Open: {link}",
        "reference": handoff.reference,
        "reasons": handoff.reasons,
        "priority": handoff.priority,
        "conversation_id": handoff.conversation_id,
        "channel": handoff.channel,
        "console_url": link,
    }


def email_message(settings: Settings, handoff: HandoffView) -> EmailMessage:
    message = EmailMessage()
    urgency = "URGENT: " if handoff.priority == "urgent" else ""
    message["Subject"] = f"{urgency}New hand-off {handoff.reference}"
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(settings.staff_notify_emails)
    message.set_content(
        f"{headline(handoff)}\n\nChannel: {handoff.channel}\n"
        f"Open it in the staff console: {console_link(settings, handoff)}\n"
    )
    return message


async def send_webhook(settings: Settings, handoff: HandoffView) -> None:
    timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(
            settings.handoff_webhook_url, json=webhook_payload(settings, handoff)
        ) as response:
            response.raise_for_status()


def _send_email_blocking(settings: Settings, message: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SEND_TIMEOUT_S) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


async def send_email(settings: Settings, handoff: HandoffView) -> None:
    await asyncio.to_thread(_send_email_blocking, settings, email_message(settings, handoff))


SENDERS: dict[str, Callable[[Settings, HandoffView], Coroutine[Any, Any, None]]] = {
    WEBHOOK: send_webhook,
    EMAIL: send_email,
}


def next_attempt(attempts_so_far: int, now: datetime) -> Optional[datetime]:
    """When to try again after a failure, or None to give up."""
    if attempts_so_far < len(RETRY_DELAYS):
        return now + RETRY_DELAYS[attempts_so_far]
    return None


async def _attempt(store: HandoffStore, settings: Settings, pending: PendingNotification) -> None:
    try:
        await SENDERS[pending.channel](settings, pending.handoff)
    except Exception as error:  # any notifier failure is retried, never raised
        retry_at = next_attempt(pending.attempts, utcnow())
        log = logger.warning if retry_at else logger.error
        log(
            "Notifying staff by %s about %s failed (attempt %d)%s: %s",
            pending.channel,
            pending.handoff.reference,
            pending.attempts + 1,
            "" if retry_at else ", giving up",
            error,
        )
        await asyncio.to_thread(store.record_attempt, pending.id, error=str(error), retry_at=retry_at)
    else:
        await asyncio.to_thread(store.record_attempt, pending.id, error=None, retry_at=None)


async def dispatch_pending(
    store: HandoffStore, settings: Optional[Settings] = None, now: Optional[datetime] = None
) -> int:
    """Send every notification that is due; returns how many were attempted."""
    settings = settings or get_settings()
    try:
        due = await asyncio.to_thread(store.due_notifications, now)
    except Exception:
        logger.exception("Could not read pending staff notifications")
        return 0
    await asyncio.gather(*(_attempt(store, settings, pending) for pending in due))
    return len(due)


class NotificationWorker:
    """Sends due notifications every few seconds until stopped."""

    def __init__(self, store: HandoffStore, settings: Settings, interval_s: float = 5.0) -> None:
        self._store, self._settings, self._interval_s = store, settings, interval_s
        self._task: Optional[asyncio.Task] = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await dispatch_pending(self._store, self._settings)
            await asyncio.sleep(self._interval_s)
