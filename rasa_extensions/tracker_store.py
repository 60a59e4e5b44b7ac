"""Rasa's SQL tracker store, off the event loop and with SQLite tuned for a chat server.

Rasa's `SQLTrackerStore` is `async` in name only: it reads and replays a
conversation, and writes its new events, synchronously inside Rasa's event
loop, so every other conversation waits meanwhile. Here that work runs in one
worker thread per store, one read or write after the other; SQLite and
PostgreSQL's driver release the GIL while they wait. One thread, not a pool:
measured at 8 conversations, a pool of threads gave a worse p95 (SQLite
writers waiting on each other, threads fighting over the GIL row by row) and
no more messages per second; no thread at all gave more messages per second
but a p95 twice as high (docs/benchmarks.md). A conversation's messages still
go one at a time and in order: Rasa holds its lock around each message and
awaits each read and write, and the thread takes them in order.

With SQLite (the single-machine default):
- write-ahead logging with `synchronous=NORMAL` keeps the database consistent
  after a crash of the process, loses at most the last commits on a power cut,
  and lets readers and a writer work at once;
- connections are kept in a pool (SQLAlchemy 1.4 opens a new one per session
  for a SQLite file, and closing the last one checkpoints the write-ahead log
  every time); `check_same_thread=False` because the worker thread uses
  connections the event loop's thread opened (one thread at a time).
PostgreSQL (production) keeps Rasa's engine and pool.

Reading is cheaper too: only the `data` column is selected, and event classes
are looked up by name from memory (`event_types`), which was most of the time
spent rebuilding a conversation. New events are inserted in one statement.
Most reads are not needed at all: the tracker saved at the end of a message is
kept in memory and handed back to the conversation's next message if the
database holds no newer row, or brought up to date with only the rows another
Rasa process added meanwhile (`tracker_cache`, which says why that is safe with
several Rasa processes); its save then knows which events are new without
counting the stored ones.
"""

import asyncio
import itertools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from rasa_extensions import event_types
from rasa_extensions.tracker_cache import Known, TrackerCache, continues_session

T = TypeVar("T")

# Idle conversations whose tracker stays in memory. Each costs about 0.4 MB with
# the policies' remembered states (measured: 256 took the Rasa server from 910 to
# 1,022 MB); 64 is more than a clinic's chats going on at once, and a conversation
# that fell out is read in full, as Rasa does.
CACHED_CONVERSATIONS = 64


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def pooled_sqlite_engine(url: sa.engine.URL) -> sa.engine.Engine:
    """An engine for a SQLite file that keeps its tuned connections open between sessions."""
    engine = sa.create_engine(
        url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
    )
    sa.event.listen(engine, "connect", _tune_sqlite)
    return engine


def _event_row(sender_id: str, event: Event) -> dict[str, Any]:
    """The columns Rasa stores for one event (as `SQLTrackerStore.save` fills them)."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class ClinicSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose database work runs in a worker thread; SQLite pooled, in WAL mode."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event_types.install()
        self._cache = TrackerCache(CACHED_CONVERSATIONS)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-store")
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = pooled_sqlite_engine(url)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session, read in the worker thread."""
        return await self._in_worker(self._read, sender_id, False)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """Every session of the conversation, read in the worker thread."""
        return await self._in_worker(self._read, conversation_id, True)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stream the new events (event broker, on the loop), then store them in the worker."""
        await self.stream_events(tracker)
        await self._in_worker(self._write_new_events, tracker)

    async def _in_worker(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    def _newest_id(self, session: sa.orm.Session, sender_id: str) -> int | None:
        newest = sa.func.max(self.SQLEvent.id)
        return session.query(newest).filter(self.SQLEvent.sender_id == sender_id).scalar()

    def _read(self, sender_id: str, all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            newest_id = self._newest_id(session, sender_id)
            kept = None if all_sessions else self._kept_up_to_date(session, sender_id, newest_id)
            if kept is not None:
                return kept
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=all_sessions
            ).with_entities(self.SQLEvent.data)
            events = [json.loads(data) for (data,) in query]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not all_sessions:
            self._cache.lend(Known(tracker, len(events), newest_id))
        return tracker

    def _kept_up_to_date(
        self, session: sa.orm.Session, sender_id: str, newest_id: int | None
    ) -> DialogueStateTracker | None:
        """The kept tracker, plus the rows another process added to its session since."""
        known = self._cache.take(sender_id)
        if known is None or known.newest_id is None or newest_id is None:
            return None
        if newest_id != known.newest_id:
            start = known.tracker.events[0].timestamp
            if newest_id < known.newest_id or self._session_start(session, sender_id) != start:
                return None
            added = self._events_after(session, sender_id, known.newest_id)
            if not continues_session(start, added):
                return None
            for event in added:
                known.tracker.update(event)
            known = Known(known.tracker, known.stored + len(added), newest_id)
        self._cache.lend(known)
        return known.tracker

    def _session_start(self, session: sa.orm.Session, sender_id: str) -> float | None:
        """When the conversation's latest stored session started (as Rasa's read selects it)."""
        return (
            session.query(sa.func.max(self.SQLEvent.timestamp))
            .filter(
                self.SQLEvent.sender_id == sender_id,
                self.SQLEvent.type_name == SessionStarted.type_name,
            )
            .scalar()
        )

    def _events_after(self, session: sa.orm.Session, sender_id: str, row_id: int) -> list[Event]:
        query = (
            session.query(self.SQLEvent.data)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > row_id)
            .order_by(self.SQLEvent.id)
        )
        return deserialise_events([json.loads(data) for (data,) in query])

    def _write_new_events(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            lent = self._cache.returned(tracker)
            if lent and lent.newest_id == self._newest_id(session, tracker.sender_id):
                new_events = itertools.islice(tracker.events, lent.stored, None)
            else:  # not read here, or written meanwhile: count what is stored, as Rasa does
                new_events = self._additional_events(session, tracker)
            rows = [_event_row(tracker.sender_id, event) for event in new_events]
            if rows:
                session.execute(sa.insert(self.SQLEvent), rows)
            # Inside the transaction: a row another process adds after it is not ours.
            newest_id = self._newest_id(session, tracker.sender_id)
            session.commit()
        self._cache.keep(tracker, newest_id)
