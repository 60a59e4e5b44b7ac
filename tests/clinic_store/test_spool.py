"""Hand-offs raised while the database is down: kept on disk, staff told, stored once later."""

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRaiseHandoff
from clinic_store.handoffs import HandoffStore
from clinic_store.notifications import build_notifiers, drain_spool
from clinic_store.settings import get_settings
from clinic_store.spool import pending, spool_handoff
from tests.actions.trackers import make_tracker
from tests.receivers import WebhookReceiver, webhook_receiver

CONSOLE_URL = "https://staff.clinic.example"
HANDOFF = {
    "conversation_id": "conv-spooled",
    "channel": "rest",
    "language": "roman_ur",
    "reasons": ["pregnancy"],
    "answers": {"pregnancy": "yes"},
    "summary": "Reasons: pregnancy. Last message: 07700 900123",
    "contact_name": "Sam Taylor",
    "contact_phone": "07700 900123",
    "contact_email": None,
    "notify_channels": ["webhook"],
}


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def database_down(tmp_path: Path) -> HandoffStore:
    """A store whose database cannot be opened (its path is a directory)."""
    return HandoffStore(f"sqlite:///{tmp_path}")


def notifiers_for(webhook: WebhookReceiver) -> dict:
    return build_notifiers(
        get_settings({"HANDOFF_WEBHOOK_URL": webhook.url, "STAFF_CONSOLE_PUBLIC_URL": CONSOLE_URL})
    )


async def test_a_spooled_handoff_is_stored_with_its_reference_and_the_file_deleted(
    store, spool_dir, outbox
):
    record = spool_handoff(spool_dir, **HANDOFF)

    assert await drain_spool(store, spool_dir, notifiers={}) == 1

    stored = store.get_by_reference(record.reference)
    assert (stored.conversation_id, stored.reasons, stored.answers, stored.contact_name) == (
        "conv-spooled",
        ("pregnancy",),
        {"pregnancy": "yes"},
        "Sam Taylor",
    )
    assert stored.language == "roman_ur"
    # Staff were not reached from the spool, so the outbox will notify them.
    assert [(n.channel, n.status) for n in outbox.notifications(stored.id)] == [
        ("webhook", "pending")
    ]
    assert list((spool_dir).iterdir()) == []


async def test_the_booking_details_of_a_spooled_handoff_are_stored_with_it(store, spool_dir):
    booking = {"area": {"choice": ["face"], "label": "Face", "text": "my face"}}
    record = spool_handoff(spool_dir, **HANDOFF, booking=booking)
    ((_, read_back),) = pending(spool_dir)
    assert read_back.booking == booking

    await drain_spool(store, spool_dir, notifiers={})

    assert store.get_by_reference(record.reference).booking == booking


async def test_a_record_stored_before_a_crash_is_not_stored_twice(store, spool_dir):
    record = spool_handoff(spool_dir, **HANDOFF)
    # Committed, but the process died before deleting the file.
    store.raise_handoff(**{**HANDOFF, "notify_channels": []}, reference=record.reference)
    store.resolve(store.get_by_reference(record.reference).id, "nurse")

    await drain_spool(store, spool_dir, notifiers={})

    assert [h.reference for h in store.list()] == [record.reference]
    assert pending(spool_dir) == []


async def test_while_the_database_is_down_staff_are_told_once_and_the_file_is_kept(
    database_down, store, spool_dir, webhook, outbox
):
    record = spool_handoff(spool_dir, **HANDOFF)
    notifiers = notifiers_for(webhook)

    assert await drain_spool(database_down, spool_dir, notifiers) == 0
    assert await drain_spool(database_down, spool_dir, notifiers) == 0

    [payload] = webhook.received
    assert payload["reference"] == record.reference
    assert payload["console_url"] == f"{CONSOLE_URL}/"  # no page of its own until stored
    assert "Sam Taylor" not in str(payload) and "7700" not in str(payload)
    [(_, kept)] = pending(spool_dir)
    assert kept.notified_channels == ["webhook"]

    # The database is back: stored, with nothing left for the outbox to send again.
    assert await drain_spool(store, spool_dir, notifiers) == 1
    assert outbox.notifications(store.get_by_reference(record.reference).id) == []
    assert len(webhook.received) == 1


async def test_a_failed_notification_from_the_spool_is_left_to_the_outbox(
    database_down, store, spool_dir, webhook, outbox
):
    webhook.status = 503
    record = spool_handoff(spool_dir, **HANDOFF)
    await drain_spool(database_down, spool_dir, notifiers_for(webhook))
    assert pending(spool_dir)[0][1].notified_channels == []

    await drain_spool(store, spool_dir, notifiers={})
    stored = store.get_by_reference(record.reference)
    assert [(n.channel, n.status) for n in outbox.notifications(stored.id)] == [
        ("webhook", "pending")
    ]


def test_the_file_is_written_whole_and_only_its_owner_can_read_it(spool_dir):
    record = spool_handoff(spool_dir, **HANDOFF)

    [path] = spool_dir.iterdir()  # no temporary file left behind
    assert path.name == f"{record.reference}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["contact_phone"] == "07700 900123"


async def test_an_unreadable_file_is_left_for_staff_and_the_others_are_stored(
    store, spool_dir, caplog
):
    record = spool_handoff(spool_dir, **HANDOFF)
    (spool_dir / "MN-BROKEN.json").write_text("{not json")

    assert await drain_spool(store, spool_dir, notifiers={}) == 1

    assert store.get_by_reference(record.reference) is not None
    assert [p.name for p in spool_dir.iterdir()] == ["MN-BROKEN.json"]
    assert "MN-BROKEN.json cannot be read" in caplog.text


async def test_the_person_gets_the_usual_confirmation_while_the_database_is_down(
    tmp_path, spool_dir, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}")  # a directory: cannot open
    monkeypatch.setenv("HANDOFF_SPOOL_DIR", str(spool_dir))
    tracker = make_tracker(
        "07700 900123",
        slots={
            "handoff_reasons": ["human_requested"],
            "contact_name": "Sam Taylor",
            "contact_details": "07700 900123",
            "contact_phone": "+447700900123",
        },
    )
    dispatcher = CollectingDispatcher()

    events = await ActionRaiseHandoff().run(dispatcher, tracker, {})

    [(_, record)] = pending(spool_dir)
    [message] = dispatcher.messages
    assert message["response"] == "utter_handoff_raised"
    assert message["handoff_reference"] == record.reference
    assert {"event": "slot", "name": "handoff_reference", "value": record.reference} in [
        {key: event[key] for key in ("event", "name", "value")} for event in events
    ]
    assert (record.contact_name, record.contact_phone) == ("Sam Taylor", "+447700900123")


async def test_a_file_spooled_before_languages_were_stored_is_still_stored(store, spool_dir):
    record = spool_handoff(spool_dir, **HANDOFF)
    path = spool_dir / f"{record.reference}.json"
    old = json.loads(path.read_text())
    del old["language"]
    path.write_text(json.dumps(old))

    assert await drain_spool(store, spool_dir, notifiers={}) == 1
    assert store.get_by_reference(record.reference).language is None
