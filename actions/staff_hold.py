"""What happens to a patient's message while clinic staff hold the conversation.

Rasa stays paused (rasa_extensions/staff_hold.py) and runs only this action: the
member of staff holding the conversation is notified that the patient wrote (or
sent a photo, voice note or file, which the console shows),
and a new report after treatment that the triage finds urgent raises the
hand-off to urgent and notifies staff as urgent, as it would with the bot
answering. The patient is told nothing here: staff are talking with them.
"""

import asyncio
import logging
from datetime import datetime
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import notify_in_background
from actions.media import media_items
from actions.triage import Tier, findings_in, triage
from clinic_nlp.triage_content import get_triage
from clinic_store.handoffs import HandoffStore
from clinic_store.models import MEDIA_RECEIVED, PATIENT_MESSAGE, URGENT_MESSAGE
from clinic_store.outbox import Outbox
from clinic_store.settings import get_settings
from clinic_store.views import HandoffView

logger = logging.getLogger(__name__)

URGENT_REASON = "post_treatment_concern"
SUMMARY_CHARS = 300


def is_urgent_report(latest_message: dict[str, Any], now: datetime) -> bool:
    """Whether the message reports an urgent sign after treatment (the bot's own triage)."""
    findings = findings_in(latest_message)
    if not findings:
        return False
    decision = triage(latest_message.get("text") or "", findings, now, get_triage())
    return decision.tier is Tier.URGENT


def _record(held: HandoffView, latest_message: dict[str, Any], urgent: bool) -> str:
    """Queue the staff notification (and raise the priority if urgent); returns its kind."""
    channels = get_settings().notifier_channels
    if urgent:
        text = (latest_message.get("text") or "")[:SUMMARY_CHARS]
        HandoffStore().raise_handoff(
            conversation_id=held.conversation_id,
            channel=held.channel,
            reasons=[URGENT_REASON],
            answers={},
            summary=f"Urgent report while staff held the conversation: {text}",
            notify_channels=[],  # the urgent notification below says it better
        )
    if urgent:
        kind = URGENT_MESSAGE
    else:
        # A photo or voice note (kept in the console) is news of its own for staff.
        kind = MEDIA_RECEIVED if media_items(latest_message) else PATIENT_MESSAGE
    Outbox().notify(held.id, kind, channels)
    return kind


class ActionPatientWroteToStaff(Action):
    """Notifies staff of a patient's message in a conversation they hold; urgent if it is."""

    def name(self) -> str:
        return "action_patient_wrote_to_staff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        store = HandoffStore()
        held = await asyncio.to_thread(store.held, tracker.sender_id)
        if held is None:  # handed back in the meantime: the next message gets the bot
            return []
        urgent = is_urgent_report(tracker.latest_message, datetime.now())
        kind = await asyncio.to_thread(_record, held, tracker.latest_message, urgent)
        logger.info("Patient wrote in %s held by staff (%s)", held.reference, kind)
        notify_in_background(store)
        return []
