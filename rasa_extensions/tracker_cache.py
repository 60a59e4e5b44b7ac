"""Keep each idle conversation's tracker in memory, so the next message does not rebuild it.

Rasa's SQL tracker store reads every event of a conversation's session on
every message, parses it and replays it into a new tracker, then counts the
stored events again before saving the new ones: the longer the conversation
(the questionnaire is long), the more Python per message, all of it holding
the GIL that the event loop needs (docs/benchmarks.md). Here the tracker
saved at the end of a message is kept with where the conversation's rows
stood: the newest row's id and how many rows there were. The next read of
that conversation asks the database the same (one indexed query): if nothing
changed, it gets the kept tracker instead of reading the rows. If only newer
rows were added (another Rasa process took the conversation's last message,
as the production load balancer may send any message to either), only those
rows are read and applied to the kept tracker, provided they continue its
session. Anything else (a new session, rows deleted) means a full read as
before. So it is correct with several Rasa processes: the lock store lets one
message of a conversation run at a time, and each read checks the database.

A kept tracker is handed out once (taken, not copied): the message that gets
it changes it, and only a save puts it back. A tracker is only kept if reading
the database would give the same events: exactly one session, starting with
its `session_started` event (a brand-new conversation also holds the
`action_session_start` before it, which a read of the session leaves out).
At most `size` idle conversations are kept; the least recently used go first.
"""

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker


@dataclass(frozen=True)
class Rows:
    """Where a conversation's stored rows stand: the newest row's id, how many there are,
    and when its latest session started (which tells a conversation deleted and begun
    again apart, even where SQLite gives the new rows the deleted ones' ids)."""

    newest_id: int | None
    count: int
    session_start: float | None


@dataclass(frozen=True)
class Known:
    """A tracker, how many of its first events are stored, and the rows stored then."""

    tracker: DialogueStateTracker
    stored: int
    rows: Rows


def continues_session(start: float, events: Iterable[Event]) -> bool:
    """Whether `events` belong to the session that started at `start`, as a read selects it."""
    return not any(isinstance(event, SessionStarted) or event.timestamp < start for event in events)


def reads_back_the_same(tracker: DialogueStateTracker) -> bool:
    """Whether reading the conversation's latest session would give exactly these events."""
    events = list(tracker.events)
    if not events or not isinstance(events[0], SessionStarted):
        return False
    return continues_session(events[0].timestamp, events[1:])


def only_added(known: Rows, now: Rows) -> bool:
    """Whether rows can only have been added since `known`, to the same session."""
    return (
        known.newest_id is not None
        and now.newest_id is not None
        and now.newest_id > known.newest_id
        and now.count > known.count
        and now.session_start == known.session_start
    )


class TrackerCache:
    """Idle conversations' trackers, and those handed out until they are saved."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: OrderedDict[str, Known] = OrderedDict()
        self._lent: OrderedDict[str, Known] = OrderedDict()

    def take(self, sender_id: str) -> Known | None:
        """The kept tracker of an idle conversation, to be checked against the database."""
        return self._idle.pop(sender_id, None)

    def lend(self, known: Known) -> None:
        """Remember a tracker handed out, to know at its save which events are new."""
        self._put(self._lent, known)

    def returned(self, tracker: DialogueStateTracker) -> Known | None:
        """What was known when `tracker` was handed out; None if it was not (or no longer)."""
        known = self._lent.pop(tracker.sender_id, None)
        return known if known is not None and known.tracker is tracker else None

    def keep(self, tracker: DialogueStateTracker, rows: Rows) -> None:
        """Keep a just-saved tracker for the next message, if it reads back the same."""
        if reads_back_the_same(tracker):
            self._put(self._idle, Known(tracker, len(tracker.events), rows))

    def _put(self, where: OrderedDict[str, Known], known: Known) -> None:
        where[known.tracker.sender_id] = known
        where.move_to_end(known.tracker.sender_id)
        while len(where) > self.size:
            where.popitem(last=False)
