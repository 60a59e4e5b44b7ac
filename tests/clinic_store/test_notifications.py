"""Staff notifications, sent to a local webhook receiver and a local SMTP server."""

import asyncio
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.notifications import (
    NotificationWorker,
    build_notifiers,
    dispatch_pending,
    retry_delay,
)
from clinic_store.outbox import Outbox
from clinic_store.settings import Settings, get_settings
from tests.receivers import MailReceiver, WebhookReceiver, smtp_server, webhook_receiver
from tests.servers import free_port

CONSOLE_URL = "https://staff.clinic.example"
PATIENT_ANSWERS = {"pregnancy": "yes", "skin_condition_type": ["eczema"]}


@pytest.fixture(scope="module")
def module_webhook() -> Iterator[WebhookReceiver]:
    """Started once: stopping http.server takes half a second."""
    with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
def webhook(module_webhook: WebhookReceiver) -> WebhookReceiver:
    module_webhook.received.clear()
    module_webhook.status = 200
    return module_webhook


@pytest.fixture
def mailbox() -> Iterator[MailReceiver]:
    with smtp_server() as receiver:
        yield receiver


def notifier_settings(webhook_url: str, smtp_port: int) -> Settings:
    return get_settings(
        {
            "HANDOFF_WEBHOOK_URL": webhook_url,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_FROM": "assistant@clinic.example",
            "STAFF_NOTIFY_EMAILS": "nurses@clinic.example, doctor@clinic.example",
            "STAFF_CONSOLE_PUBLIC_URL": CONSOLE_URL,
        }
    )


def raise_for(store: HandoffStore, reasons: list[str], conversation_id: str = "conv-1"):
    return store.raise_handoff(
        conversation_id=conversation_id,
        channel="whatsapp",
        language="ur",
        reasons=reasons,
        answers=PATIENT_ANSWERS,
        summary="Reasons: see the console.",
        contact_name="Ann Patient",
        contact_phone="+44 7700 900123",
        notify_channels=["webhook", "email"],
    )


def statuses(store: HandoffStore, handoff_id: int) -> list[tuple[str, str, int]]:
    outbox = Outbox(store.database_url)
    return [(n.channel, n.status, n.attempts) for n in outbox.notifications(handoff_id)]


async def test_an_urgent_handoff_reaches_the_webhook_and_the_mailbox(
    store, webhook, mailbox, outbox
):
    handoff = raise_for(store, ["post_treatment_concern", "herpes"])
    notifiers = build_notifiers(notifier_settings(webhook.url, mailbox.port))

    assert await dispatch_pending(outbox, notifiers=notifiers) == 2

    [payload] = webhook.received
    link = f"{CONSOLE_URL}/handoffs/{handoff.id}"
    assert payload == {
        "text": f"URGENT hand-off {handoff.reference}: post_treatment_concern, herpes "
        f"(whatsapp, writes Urdu (Urdu script)). Open: {link}",
        "reference": handoff.reference,
        "reasons": ["post_treatment_concern", "herpes"],
        "priority": "urgent",
        "conversation_id": "conv-1",
        "channel": "whatsapp",
        "language": "ur",
        "console_url": link,
        "event": "handoff",
        "held_by": None,
    }
    [mail] = mailbox.messages
    assert mail["Subject"] == f"URGENT: New hand-off {handoff.reference}"
    assert mail["To"] == "nurses@clinic.example, doctor@clinic.example"
    body = mail.get_payload(decode=True).decode()
    assert handoff.reference in body and "post_treatment_concern, herpes" in body and link in body
    assert "Patient writes: Urdu (Urdu script)" in body
    assert statuses(store, handoff.id) == [("webhook", "sent", 1), ("email", "sent", 1)]


async def test_messages_leave_out_answers_and_contact_details(store, webhook, mailbox, outbox):
    handoff = raise_for(store, ["pregnancy"])
    await dispatch_pending(
        outbox, notifiers=build_notifiers(notifier_settings(webhook.url, mailbox.port))
    )

    [mail] = mailbox.messages
    assert mail["Subject"] == f"New hand-off {handoff.reference}"
    sent = str(webhook.received) + mail.as_string()
    for private in ("Ann Patient", "7700", "skin_condition", "eczema"):
        assert private not in sent


async def test_a_dead_webhook_is_retried_with_backoff_then_given_up_without_raising(
    store, mailbox, caplog, outbox
):
    dead_url = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens there
    notifiers = build_notifiers(notifier_settings(dead_url, mailbox.port))
    handoff = raise_for(store, ["post_treatment_concern"])
    start = utcnow()

    assert await dispatch_pending(outbox, start, notifiers) == 1  # the e-mail still goes
    [webhook, email] = outbox.notifications(handoff.id)
    assert (webhook.status, webhook.attempts, email.status) == ("pending", 1, "sent")
    assert webhook.next_attempt_at == start + timedelta(seconds=30)
    assert "ClientConnectorError" in webhook.last_error

    # Not due again before its back-off is over; then twice more, 30 s and 120 s apart.
    assert await dispatch_pending(outbox, start + timedelta(seconds=29), notifiers) == 0
    assert statuses(store, handoff.id)[0] == ("webhook", "pending", 1)
    await dispatch_pending(outbox, start + timedelta(seconds=30), notifiers)
    assert statuses(store, handoff.id)[0] == ("webhook", "pending", 2)
    with caplog.at_level(logging.ERROR, logger="clinic_store.notifications"):
        await dispatch_pending(outbox, start + timedelta(seconds=150), notifiers)
    assert statuses(store, handoff.id)[0] == ("webhook", "failed", 3)
    assert f"{handoff.reference} by webhook failed (attempt 3 of 3, giving up)" in caplog.text

    # Failed for good: never sent again, and the hand-off is untouched.
    assert await dispatch_pending(outbox, start + timedelta(days=1), notifiers) == 0
    assert store.get(handoff.id) == handoff


async def test_an_error_status_from_the_webhook_counts_as_a_failure(
    store, webhook, mailbox, outbox
):
    webhook.status = 503
    handoff = raise_for(store, ["pregnancy"])
    await dispatch_pending(
        outbox, notifiers=build_notifiers(notifier_settings(webhook.url, mailbox.port))
    )
    assert statuses(store, handoff.id) == [("webhook", "pending", 1), ("email", "sent", 1)]
    assert "503" in outbox.notifications(handoff.id)[0].last_error


async def test_a_channel_no_longer_configured_is_retried_not_lost(store, outbox):
    handoff = raise_for(store, ["pregnancy"])
    assert await dispatch_pending(outbox, notifiers={}) == 0
    [webhook, email] = outbox.notifications(handoff.id)
    assert (webhook.status, webhook.attempts) == ("pending", 1)
    assert "no webhook notifier is configured" in webhook.last_error


async def test_an_unreachable_database_is_logged_not_raised(caplog):
    outbox = Outbox(f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere")
    assert await dispatch_pending(outbox, notifiers={}) == 0
    assert "Could not send staff notifications" in caplog.text


async def test_two_senders_at_once_send_each_notification_once(store, webhook, mailbox, outbox):
    raise_for(store, ["pregnancy"])
    notifiers = build_notifiers(notifier_settings(webhook.url, mailbox.port))
    sent = await asyncio.gather(
        dispatch_pending(outbox, notifiers=notifiers), dispatch_pending(outbox, notifiers=notifiers)
    )
    assert sorted(sent) == [0, 2]
    assert len(webhook.received) == 1 and len(mailbox.messages) == 1


async def test_the_worker_sends_in_the_background_with_the_configured_notifiers(
    store, webhook, monkeypatch
):
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", webhook.url)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    handoff = store.raise_handoff(
        conversation_id="conv-2",
        channel="rest",
        reasons=["human_requested"],
        answers={},
        summary="",
    )
    worker = NotificationWorker(store, interval_s=0.05)
    worker.start()
    try:
        for _ in range(100):
            if webhook.received:
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
    assert [payload["reference"] for payload in webhook.received] == [handoff.reference]


def test_the_backoff_waits_30_then_120_seconds_then_gives_up():
    assert [retry_delay(attempts) for attempts in (1, 2, 3)] == [
        timedelta(seconds=30),
        timedelta(seconds=120),
        None,
    ]


def test_only_configured_channels_get_a_notifier():
    assert list(build_notifiers(get_settings({}))) == []
    assert list(build_notifiers(get_settings({"SMTP_HOST": "mail"}))) == []  # nobody to tell
    both = build_notifiers(notifier_settings("http://hook", 25))
    assert list(both) == ["webhook", "email"]
