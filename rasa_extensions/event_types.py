"""Look up Rasa's event classes by type name once, not once per event.

Rasa 3.6 turns every stored event back into an object through
`Event.resolve_by_type()`, which walks the whole tree of `Event` subclasses and
asks `inspect.isabstract()` of each, every time. The SQL tracker store rebuilds
a conversation from its stored events on every message, so this lookup was
most of the time spent reading a conversation (about 30 µs per event, 4.6 ms
for a finished questionnaire; docs/benchmarks.md). Names found are remembered;
names not found are looked up again each time (a class imported later may
bring them), and answer exactly as Rasa does.
"""

from functools import cache
from typing import Type

from rasa.shared.core.events import Event

from rasa_extensions.rasa_version import require_pinned_rasa

_rasa_resolve_by_type = Event.resolve_by_type


@cache
def _known_event_class(type_name: str) -> Type[Event] | None:
    # Rasa raises ValueError for an unknown name; `cache` does not remember raises.
    return _rasa_resolve_by_type(type_name)


def resolve_by_type(type_name: str, default: Type[Event] | None = None) -> Type[Event] | None:
    """`Event.resolve_by_type`, answered from memory for names seen before."""
    try:
        return _known_event_class(type_name)
    except ValueError:
        if default is not None:
            return default
        raise


@require_pinned_rasa
def install() -> None:
    """Make Rasa resolve event type names through the memory above."""
    Event.resolve_by_type = staticmethod(resolve_by_type)
