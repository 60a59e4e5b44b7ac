"""The notification outbox, on SQLite and on a real PostgreSQL database (see conftest.py)."""

from datetime import timedelta

import pytest

from clinic_store.database import utcnow
from tests.clinic_store.test_handoffs import raise_for


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def test_a_due_notification_is_taken_by_one_sender_until_its_lease_runs_out(store, outbox):
    handoff = raise_for(store, notify_channels=["webhook"])
    now, lease = utcnow(), timedelta(minutes=2)

    [taken] = outbox.take_due(now, lease)
    assert taken.handoff == handoff and taken.notification.channel == "webhook"
    assert outbox.take_due(now, lease) == []
    assert len(outbox.take_due(now + lease + timedelta(seconds=1), lease)) == 1


def test_attempts_are_recorded(store, outbox):
    handoff = raise_for(store, notify_channels=["webhook", "email"])
    webhook, email = outbox.notifications(handoff.id)
    retry_at = utcnow() + timedelta(seconds=30)

    outbox.record_sent(webhook.id, utcnow())
    outbox.record_failure(email.id, "refused", retry_at)
    webhook, email = outbox.notifications(handoff.id)
    assert (webhook.status, webhook.attempts) == ("sent", 1) and webhook.sent_at is not None
    assert (email.status, email.attempts, email.last_error) == ("pending", 1, "refused")
    assert email.next_attempt_at == retry_at

    outbox.record_failure(email.id, "refused again", None)
    assert outbox.notifications(handoff.id)[1].status == "failed"
