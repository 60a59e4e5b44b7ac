"""Work out a tracker's applied events from its new events only, once per change.

`DialogueStateTracker.applied_events()` walks every event of the conversation
and undoes reverted ones and finished form loops (quadratic over form loops:
the questionnaire is one). Rasa 3.6 calls it about three times per predicted
action and once more per message, on the event loop, each time from the
first event. Its result is a fold over the events, given the names of the
loops the conversation ever activated. So the fold is remembered on the tracker
with what it was computed from (how many events, the first and last of them:
events are only ever appended, or dropped from the front when a maximum
history is set); new events continue it, unless they activate a loop not seen
before (which changes how earlier events count: then it starts over with
Rasa's own method). Callers get a new list each time, as Rasa's may change it.
Installed by a no-op pipeline component (config.yml), as the other changes in
this package are.
"""

from dataclasses import dataclass
from itertools import islice
from typing import Iterable

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

_rasa_applied_events = DialogueStateTracker.applied_events
_MEMO = "_applied_events_fold"


@dataclass
class _Fold:
    """Rasa's applied events after the first `seen` events of a tracker."""

    seen: int
    first: Event
    last: Event
    loop_names: frozenset[str]
    applied: list[Event]


def _loop_names(events: Iterable[Event]) -> frozenset[str]:
    return frozenset(event.name for event in events if isinstance(event, ActiveLoop) and event.name)


def _fold_from_start(tracker: DialogueStateTracker) -> _Fold:
    events = tracker.events
    return _Fold(
        len(events), events[0], events[-1], _loop_names(events), _rasa_applied_events(tracker)
    )


def _apply(tracker: DialogueStateTracker, fold: _Fold, event: Event) -> None:
    """One step of the loop in Rasa 3.6's `applied_events`, with the same helpers."""
    applied = fold.applied
    if isinstance(event, (Restarted, SessionStarted)):
        applied.clear()
    elif isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (
        isinstance(event, ActionExecuted)
        and event.action_name in fold.loop_names
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)


def _fold_further(tracker: DialogueStateTracker, fold: _Fold) -> _Fold:
    events = tracker.events
    new_events = list(islice(events, fold.seen, None))
    if not _loop_names(new_events) <= fold.loop_names:
        return _fold_from_start(tracker)
    further = _Fold(len(events), fold.first, events[-1], fold.loop_names, list(fold.applied))
    for event in new_events:
        _apply(tracker, further, event)
    return further


def _still_holds(fold: _Fold, tracker: DialogueStateTracker) -> bool:
    events = tracker.events
    return (
        len(events) >= fold.seen and events[0] is fold.first and events[fold.seen - 1] is fold.last
    )


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """`DialogueStateTracker.applied_events`, from the events added since the last call."""
    if not self.events:
        return []
    fold = self.__dict__.get(_MEMO)
    if fold is None or not _still_holds(fold, self):
        fold = _fold_from_start(self)
    elif fold.seen < len(self.events):
        fold = _fold_further(self, fold)
    self.__dict__[_MEMO] = fold
    return list(fold.applied)


@require_pinned_rasa
def install() -> None:
    """Make every tracker remember its applied events."""
    DialogueStateTracker.applied_events = applied_events


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RememberedAppliedEvents(InstallerComponent):
    """Installs the remembered applied events when the model loads."""

    install = staticmethod(install)
