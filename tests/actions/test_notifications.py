"""Staff notifications: delivered by webhook and e-mail, retried, and never losing the hand-off."""

from datetime import timedelta

import pytest

from actions.notifications import dispatch_pending
from actions.persistence import HandoffStore, migrate, utcnow
from actions.settings import get_settings
from tests.receivers import smtp_server, webhook_receiver


@pytest.fixture
def store(tmp_path) -> HandoffStore:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    migrate(url)
    return HandoffStore(url)


@pytest.fixture
def receivers():
    with webhook_receiver() as hook, smtp_server() as mail:
        yield hook, mail


def settings_for(hook, mail):
    return get_settings({
        "HANDOFF_WEBHOOK_URL": hook.url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mail.port),
        "STAFF_NOTIFY_EMAILS": "staff@clinic.test",
        "STAFF_CONSOLE_PUBLIC_URL": "https://console.clinic.test",
    })


def raise_urgent(store):
    return store.raise_handoff(
        conversation_id="c1", channel="whatsapp", reasons=["post_treatment_concern", "herpes"],
        answers={}, summary="Last message: pus on my cheek", notify_channels=("webhook", "email"),
    )


async def test_staff_get_a_webhook_and_an_email(store, receivers):
    hook, mail = receivers
    handoff = raise_urgent(store)
    assert await dispatch_pending(store, settings_for(hook, mail)) == 2
    (payload,) = hook.received
    assert payload["reference"] == handoff.reference
    assert payload["reasons"] == ["post_treatment_concern", "herpes"]
    assert payload["priority"] == "urgent"
    assert payload["console_url"] == f"https://console.clinic.test/handoffs/{handoff.id}"
    assert handoff.reference in payload["text"]
    (email,) = mail.messages
    assert email["Subject"] == f"URGENT: New hand-off {handoff.reference}"
    assert email["To"] == "staff@clinic.test"
    assert "pus" not in email.get_payload()
    assert store.notification_statuses(handoff.id) == [("webhook", "sent", 1), ("email", "sent", 1)]


async def test_a_notifier_that_is_down_is_retried_then_given_up_without_losing_the_handoff(
    store, receivers
):
    hook, mail = receivers
    hook.status = 503
    settings = settings_for(hook, mail)
    handoff = raise_urgent(store)
    now = utcnow()
    for minutes in (0, 1, 5):
        await dispatch_pending(store, settings, now=now + timedelta(minutes=minutes))
    assert store.notification_statuses(handoff.id) == [("webhook", "failed", 3), ("email", "sent", 1)]
    assert store.get(handoff.id).status == "open"


async def test_a_retry_succeeds_once_the_notifier_is_back(store, receivers):
    hook, mail = receivers
    hook.status = 503
    settings = settings_for(hook, mail)
    handoff = raise_urgent(store)
    await dispatch_pending(store, settings)
    hook.status = 200
    await dispatch_pending(store, settings, now=utcnow() + timedelta(minutes=1))
    assert store.notification_statuses(handoff.id)[0] == ("webhook", "sent", 2)
    assert [p["reference"] for p in hook.received] == [handoff.reference]
