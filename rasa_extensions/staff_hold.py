"""The bot steps aside while clinic staff hold a conversation, with Rasa's own pause.

When a member of staff claims a hand-off in the console, the hand-off's
`bot_paused` is set in the clinic database (clinic_store/handoffs.py). Before
each message is answered, this looks that up for the conversation, under
Rasa's conversation lock, and brings the tracker in line with Rasa's own
events: `ConversationPaused` when staff hold it, `ConversationResumed` when they
have handed it back. Rasa's `MessageProcessor` then stores the patient's message
as usual but predicts nothing for a paused tracker. The database, not any one
process, holds the state, so every Rasa server behind the load balancer sees it
(production mode), and it survives restarts.

While paused, one custom action still runs for each patient message,
`action_patient_wrote_to_staff` (actions/staff_hold.py): it tells the member of
staff that the patient wrote, and flags a new urgent report after treatment as
urgent. It sends the patient nothing, and a failure of it is logged, never
answered with the usual apology. `action_listen` is logged after it, as after
any turn, so the dialogue's rules match again once the bot is back.

A database that cannot be read is logged and the bot answers: a patient is
never left without any reply because the pause could not be checked.
"""

import asyncio
import logging

from rasa.core.actions.action import action_for_name_or_text
from rasa.core.channels import OutputChannel
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ConversationPaused,
    ConversationResumed,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_store.database import report_unreadable
from clinic_store.handoffs import HandoffStore
from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

logger = logging.getLogger(__name__)

WHILE_HELD_ACTION = "action_patient_wrote_to_staff"

# Rasa's own method, kept before install() replaces it (install may run more than once).
_run_prediction_loop = MessageProcessor._run_prediction_loop


async def held_by_staff(conversation_id: str) -> bool:
    """Whether staff hold the conversation now; False (the bot answers) if that cannot be read."""
    try:
        return await asyncio.to_thread(HandoffStore().held, conversation_id) is not None
    except Exception as error:  # the database is down or not migrated: answer, and say so
        report_unreadable(
            logger,
            error,
            "Could not check whether staff hold conversation %s (%s); the bot answers",
            conversation_id,
        )
        return False


def follow_staff_hold(tracker: DialogueStateTracker, held: bool) -> None:
    """Pause or resume the tracker with Rasa's events so that it says what the database says."""
    if held and not tracker.is_paused():
        tracker.update(ConversationPaused())
    elif not held and tracker.is_paused():
        tracker.update(ConversationResumed())


def unanswered_user_message(tracker: DialogueStateTracker) -> bool:
    """Whether the newest turn is a patient message no action has run after yet."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


async def _tell_staff(
    processor: MessageProcessor, tracker: DialogueStateTracker, output_channel: OutputChannel
) -> None:
    """Run the while-held action on the action server; whatever happens, listen next."""
    action = action_for_name_or_text(WHILE_HELD_ACTION, processor.domain, processor.action_endpoint)
    prediction = PolicyPrediction.for_action_name(processor.domain, WHILE_HELD_ACTION)
    try:
        events = await action.run(output_channel, processor.nlg, tracker, processor.domain)
    except Exception as error:  # staff still see the message in the console
        logger.error(
            "'%s' failed in conversation %s held by staff: %s",
            WHILE_HELD_ACTION,
            tracker.sender_id,
            type(error).__name__,
        )
        events = []
    processor._log_action_on_tracker(tracker, action, events, prediction)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))


async def _run_prediction_loop_unless_held(
    self: MessageProcessor, output_channel: OutputChannel, tracker: DialogueStateTracker
) -> None:
    follow_staff_hold(tracker, await held_by_staff(tracker.sender_id))
    if tracker.is_paused() and not self._should_handle_message(tracker):
        if unanswered_user_message(tracker):
            await _tell_staff(self, tracker, output_channel)
        return
    await _run_prediction_loop(self, output_channel, tracker)


@require_pinned_rasa
def install() -> None:
    """Check the staff hold before every prediction."""
    MessageProcessor._run_prediction_loop = _run_prediction_loop_unless_held


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class StaffHold(InstallerComponent):
    """Installs the staff hold when the model loads."""

    install = staticmethod(install)
