"""The policies' dialogue states, with each past turn's state worked out once per conversation.

Before every prediction, each of Rasa 3.6's policies asks for the dialogue
states of the whole conversation (`Domain.states_for_tracker_history`): Rasa
replays every applied event into a fresh tracker and describes the tracker
before every action, for the memoization policy and again for the rule
policy, on the event loop. A turn's description depends only on the applied
events before it, so here the descriptions are remembered on the tracker with
the applied events they came from: the next call reuses those of the turns
before the first event that differs (after a form loop undoes the last user
message, that is most of them), describes only the newer turns, and continues
the remembered replay when nothing was undone. What each policy then makes of
the turns (its rule-only turns hidden or not) is Rasa's loop below, on fresh
copies, so the states are the ones Rasa would build. Installed by a no-op
pipeline component (config.yml), as the other changes in this package are.
"""

from dataclasses import dataclass
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

_MEMO = "_described_turns"


@dataclass(frozen=True)
class _Turn:
    """The tracker before one action (or at the end): what the policies read of it."""

    position: int
    state: State
    previous_action: dict[str, Any] | None
    hide_rule_turn: bool
    has_followup_action: bool
    runs_active_loop: bool


@dataclass
class _Described:
    """Turns described from `applied`, and the replay tracker after all of them."""

    domain: Domain
    applied: list[Event]
    turns: list[_Turn]
    replay: DialogueStateTracker


def _describe(
    domain: Domain, tracker: DialogueStateTracker, position: int, hide: bool, omit: bool
) -> _Turn:
    return _Turn(
        position=position,
        state=domain.get_active_state(tracker, omit_unset_slots=omit),
        previous_action=domain._get_prev_action_sub_state(tracker),
        hide_rule_turn=hide,
        has_followup_action=bool(tracker.followup_action),
        runs_active_loop=tracker.latest_action_name == tracker.active_loop_name,
    )


def _common_prefix(before: list[Event], now: list[Event]) -> int:
    for index, (old, new) in enumerate(zip(before, now, strict=False)):
        if old is not new:
            return index
    return min(len(before), len(now))


def _described_turns(domain: Domain, tracker: DialogueStateTracker, omit: bool) -> list[_Turn]:
    """Every turn of `tracker.generate_all_prior_trackers()`, described as Rasa would."""
    applied = tracker.applied_events()
    memos = tracker.__dict__.setdefault(_MEMO, {})
    # Taken out while the replay moves on, so a failure half-way leaves nothing stale.
    known: _Described | None = memos.pop(omit, None)
    if known is not None and known.domain is domain:
        same = _common_prefix(known.applied, applied)
        turns = [turn for turn in known.turns if turn.position < same]
        replay, start = (
            (known.replay, same) if same == len(known.applied) else (tracker.init_copy(), 0)
        )
    else:
        turns, replay, start = [], tracker.init_copy(), 0
    for position in range(start, len(applied)):
        event = applied[position]
        if isinstance(event, ActionExecuted) and (not turns or turns[-1].position < position):
            turns.append(_describe(domain, replay, position, event.hide_rule_turn, omit))
        replay.update(event)
    memos[omit] = _Described(domain, applied, turns, replay)
    return [*turns, _describe(domain, replay, len(applied), False, omit)]


def _fresh(state: State) -> State:
    # Callers change states and their sub-states in place, as Rasa's own are new each time.
    return {kind: dict(sub_state) for kind, sub_state in state.items()}


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """`Domain.states_for_tracker_history` of Rasa 3.6.21, over the remembered turns."""
    states: list[State] = []
    last_ml_action_sub_state = None
    turn_was_hidden = False
    for turn in _described_turns(self, tracker, omit_unset_slots):
        if ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = turn.previous_action
            if not turn.has_followup_action and not turn.runs_active_loop:
                turn_was_hidden = turn.hide_rule_turn
            if turn_was_hidden:
                continue
        state = _fresh(turn.state)
        if ignore_rule_only_turns:
            self._remove_rule_only_features(state, rule_only_data)
            if states:
                self._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = dict(last_ml_action_sub_state)
        states.append(self._clean_state(state))
    return states


@require_pinned_rasa
def install() -> None:
    """Make every domain build dialogue states from remembered turns."""
    Domain.states_for_tracker_history = states_for_tracker_history


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RememberedDialogueStates(InstallerComponent):
    """Installs the remembered dialogue states when the model loads."""

    install = staticmethod(install)
