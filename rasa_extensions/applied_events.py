"""Work out a tracker's applied events once per change of its events, not once per caller.

`DialogueStateTracker.applied_events()` walks every event of the conversation
and undoes reverted ones and finished form loops (quadratic over form loops:
the questionnaire is one). Rasa 3.6 calls it about three times per predicted
action (both policies build the dialogue states from it, the memoization
policy looks at it again), on the same unchanged tracker, all on the event
loop. Here the result is remembered on the tracker together with what it was
computed from (the number of events and the first and last event objects:
events are only ever appended, or dropped from the front when a maximum
history is set) and handed out as a new list each time, as Rasa's callers may
change it. Installed by a no-op pipeline component (config.yml), as the other
changes in this package are.
"""

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.installer import InstallerComponent

_rasa_applied_events = DialogueStateTracker.applied_events


def _events_key(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    events = tracker.events
    return (len(events), id(events[0]), id(events[-1])) if events else (0,)


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """`DialogueStateTracker.applied_events`, remembered until the events change."""
    key = _events_key(self)
    remembered = self.__dict__.get("_applied_events_memo")
    if remembered is None or remembered[0] != key:
        remembered = (key, _rasa_applied_events(self))
        self.__dict__["_applied_events_memo"] = remembered
    return list(remembered[1])


def install() -> None:
    """Make every tracker remember its applied events."""
    DialogueStateTracker.applied_events = applied_events


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RememberedAppliedEvents(InstallerComponent):
    """Installs the remembered applied events when the model loads."""

    install = staticmethod(install)
