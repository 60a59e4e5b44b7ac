"""Conversations are stored and read back; SQLite runs in write-ahead-log mode."""

import sqlite3

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.tracker_store import ClinicSQLTrackerStore


async def test_a_saved_conversation_comes_back_and_sqlite_uses_wal(tmp_path):
    path = tmp_path / "tracker.db"
    store = ClinicSQLTrackerStore(host=f"sqlite:///{path}")
    tracker = DialogueStateTracker.from_events("sam", [UserUttered("does it hurt?")])
    await store.save(tracker)
    restored = await store.retrieve("sam")
    assert restored.latest_message.text == "does it hurt?"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
