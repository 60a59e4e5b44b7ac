"""Keep each idle conversation's tracker in memory, so the next message does not rebuild it.

Rasa's SQL tracker store reads every event of a conversation's session on
every message, parses it and replays it into a new tracker, then counts the
stored events again before saving the new ones: the longer the conversation
(the questionnaire is long), the more Python per message, all of it holding
the GIL that the event loop needs (docs/benchmarks.md). Here the tracker
saved at the end of a message is kept with the id of the conversation's newest
row. The next read of that conversation checks that the newest row is still
that one (one indexed query) and, if so, hands back the kept tracker instead
of reading the rows. If there are newer rows (another Rasa process took the
conversation's last message, as the production load balancer may send any
message to either) and the session the kept tracker holds is still the latest
one, only those rows are read and applied to it. Anything else (a new
session, a conversation deleted and begun again) means a full read as before.
So it is correct with several Rasa processes too: the lock store lets one
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
class Known:
    """A tracker, how many of its first events are stored, and the newest stored row's id."""

    tracker: DialogueStateTracker
    stored: int
    newest_id: int | None


def continues_session(start: float, events: Iterable[Event]) -> bool:
    """Whether `events` belong to the session that started at `start`, as a read selects it."""
    return not any(isinstance(event, SessionStarted) or event.timestamp < start for event in events)


def reads_back_the_same(tracker: DialogueStateTracker) -> bool:
    """Whether reading the conversation's latest session would give exactly these events."""
    events = list(tracker.events)
    if not events or not isinstance(events[0], SessionStarted):
        return False
    return continues_session(events[0].timestamp, events[1:])


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

    def keep(self, tracker: DialogueStateTracker, newest_id: int | None) -> None:
        """Keep a just-saved tracker for the next message, if it reads back the same."""
        if reads_back_the_same(tracker):
            self._put(self._idle, Known(tracker, len(tracker.events), newest_id))

    def _put(self, where: OrderedDict[str, Known], known: Known) -> None:
        where[known.tracker.sender_id] = known
        where.move_to_end(known.tracker.sender_id)
        while len(where) > self.size:
            where.popitem(last=False)
