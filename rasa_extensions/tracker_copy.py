"""Copy a tracker by copying its state, not by replaying every event into a new one.

Before every action, Rasa 3.6 runs it on a copy of the conversation's tracker
(`DialogueStateTracker.copy()`), which builds a new tracker and replays all
the conversation's events: the longer the conversation, the more time on the
event loop, two or three times per message. A tracker's state is, by Rasa's
own rule, what replaying its events gives, so the copy here takes that state
directly: the same events in a new list, each slot and the active loop
copied, the rest as a replayed copy has it (no model or assistant id, no
sender source, nothing remembered by this package's other changes). When
events have been dropped from the front (a maximum history is set), the state
is not what the remaining events replay to, and Rasa's copy is used.
Installed by a no-op pipeline component (config.yml), as the other changes in
this package are.
"""

import copy

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

_rasa_copy = DialogueStateTracker.copy


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """`DialogueStateTracker.copy`, without the replay."""
    if self._max_event_history is not None:
        return _rasa_copy(self)
    duplicate = self.init_copy()
    duplicate.events.extend(self.events)
    duplicate.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    duplicate._paused = self._paused
    duplicate.followup_action = self.followup_action
    duplicate.latest_action = None if self.latest_action is None else dict(self.latest_action)
    duplicate.latest_message = self.latest_message
    duplicate.latest_bot_utterance = self.latest_bot_utterance
    duplicate.active_loop = copy.copy(self.active_loop)
    return duplicate


@require_pinned_rasa
def install() -> None:
    """Make every tracker copy without replaying."""
    DialogueStateTracker.copy = copy_tracker


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class CopiedTrackerState(InstallerComponent):
    """Installs the copy without replay when the model loads."""

    install = staticmethod(install)
