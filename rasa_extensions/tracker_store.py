"""Rasa's SQL tracker store, with SQLite tuned for a chat server.

With SQLite (the single-machine default) every message's commit waits for the
disk, and Rasa does it inside its event loop, so every other conversation
waits too. Write-ahead logging with `synchronous=NORMAL` keeps the database
consistent after a crash of the process and loses at most the last commits on a
power cut, and lets readers and the writer work at once. PostgreSQL (production)
is left exactly as Rasa configures it.
"""

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class ClinicSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore; on SQLite, in WAL mode with normal synchronisation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _tune_sqlite)
            self.engine.dispose()  # connections opened so far predate the listener
