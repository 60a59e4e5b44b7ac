"""Retention: conversations idle for longer than RETENTION_DAYS are deleted, except those
staff still have open; on SQLite files and on PostgreSQL, by function, command and daily task.
"""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from clinic_store.database import engine_for, migrate, utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.outbox import Outbox
from clinic_store.settings import Settings, get_settings
from staff_console.privacy import export_conversation
from staff_console.retention import DailyPurge, purge_expired
from tests.databases import postgres_database
from tests.servers import REPO_ROOT

DAYS = 30
# Rasa's SQL tracker store table, as far as the console reads it.
EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("data", sa.Text),
)


def databases(database_url: str, tracker_store_url: str, retention_days: int = DAYS) -> Settings:
    """Settings for a migrated project database and a tracker store with Rasa's table."""
    migrate(database_url)
    EVENTS.create(engine_for(tracker_store_url), checkfirst=True)
    return get_settings(
        {
            "DATABASE_URL": database_url,
            "TRACKER_STORE_URL": tracker_store_url,
            "RETENTION_DAYS": str(retention_days),
        }
    )


@pytest.fixture
def sqlite_settings(tmp_path) -> Settings:
    return databases(f"sqlite:///{tmp_path / 'clinic.db'}", f"sqlite:///{tmp_path / 'tracker.db'}")


def say(settings: Settings, text: str, at: datetime) -> str:
    """A new conversation with one message from the person at `at`; returns its id."""
    conversation_id = f"retention-{uuid.uuid4().hex[:10]}"
    with engine_for(settings.tracker_store_url).begin() as connection:
        connection.execute(
            sa.insert(EVENTS).values(
                sender_id=conversation_id,
                type_name="user",
                timestamp=at.timestamp(),
                data=json.dumps({"event": "user", "text": text}),
            )
        )
    return conversation_id


def hand_off(store: HandoffStore, conversation_id: str, resolved: bool) -> int:
    handoff = store.raise_handoff(
        conversation_id=conversation_id,
        channel="rest",
        reasons=["pregnancy"],
        answers={"pregnancy": "yes"},
        summary="Summary.",
        contact_phone="07700 900123",
        notify_channels=["webhook"],
    )
    if resolved:
        store.resolve(handoff.id, "nurse.kim")
    return handoff.id


def stored(settings: Settings, store: HandoffStore, conversation_id: str) -> bool:
    exported = export_conversation(settings, store, conversation_id)
    return bool(exported["events"] or exported["handoffs"])


def check_retention(settings: Settings) -> None:
    """Old conversations go with their hand-offs and notifications; recent and open ones stay."""
    store = HandoffStore(settings.database_url)
    now = utcnow()
    later = now + timedelta(days=DAYS + 1)
    old = say(settings, "I'm 12 weeks pregnant", at=now)
    old_handoff = hand_off(store, old, resolved=True)
    recent = say(settings, "does it hurt?", at=now + timedelta(days=2))
    with_staff = say(settings, "I'm on Roaccutane", at=now - timedelta(days=10 * DAYS))
    open_handoff = hand_off(store, with_staff, resolved=False)
    assert Outbox(store.database_url).notifications(old_handoff)

    assert purge_expired(settings, store, now=later) == [old]
    assert not stored(settings, store, old)
    assert (
        store.get(old_handoff) is None
        and Outbox(store.database_url).notifications(old_handoff) == []
    )
    assert stored(settings, store, recent) and stored(settings, store, with_staff)

    # Resolving is activity: the conversation is kept for the full period from then on.
    store.resolve(open_handoff, "nurse.kim")
    assert purge_expired(settings, store, now=now + timedelta(days=DAYS - 1)) == []
    assert purge_expired(settings, store, now=later) == [with_staff]
    assert not stored(settings, store, with_staff) and stored(settings, store, recent)
    assert purge_expired(settings, store, now=later + timedelta(days=2)) == [recent]


def test_retention_on_sqlite(sqlite_settings):
    check_retention(sqlite_settings)


def test_retention_on_postgresql():
    with postgres_database() as url:
        try:
            check_retention(databases(url, url))
        finally:
            engine_for(url).dispose()  # lets the database be dropped


def test_zero_days_keeps_everything_forever(tmp_path):
    settings = databases(
        f"sqlite:///{tmp_path / 'clinic.db'}", f"sqlite:///{tmp_path / 'tracker.db'}", 0
    )
    store = HandoffStore(settings.database_url)
    conversation = say(settings, "hello", at=utcnow() - timedelta(days=10_000))
    assert purge_expired(settings, store) == []
    assert stored(settings, store, conversation)


def test_the_staff_command_says_how_many_it_deleted(sqlite_settings):
    store = HandoffStore(sqlite_settings.database_url)
    old = say(sqlite_settings, "hello", at=utcnow() - timedelta(days=DAYS + 5))
    recent = say(sqlite_settings, "hello", at=utcnow() - timedelta(days=DAYS - 5))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": sqlite_settings.database_url,
        "TRACKER_STORE_URL": sqlite_settings.tracker_store_url,
        "RETENTION_DAYS": str(DAYS),
    }
    result = subprocess.run(
        [sys.executable, "-m", "staff_console", "purge-expired"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("Deleted 1 conversations")
    assert not stored(sqlite_settings, store, old) and stored(sqlite_settings, store, recent)


async def test_the_console_purges_in_the_background_from_its_start(sqlite_settings):
    store = HandoffStore(sqlite_settings.database_url)
    old = say(sqlite_settings, "hello", at=utcnow() - timedelta(days=DAYS + 5))
    purge = DailyPurge(sqlite_settings, store)
    purge.start()
    try:
        for _ in range(100):
            if not stored(sqlite_settings, store, old):
                break
            await asyncio.sleep(0.1)
        assert not stored(sqlite_settings, store, old)
    finally:
        await purge.stop()


def test_the_retention_setting():
    assert get_settings({}).retention_days == 365
    assert get_settings({"RETENTION_DAYS": "0"}).retention_days == 0
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        get_settings({"RETENTION_DAYS": "-1"})
