"""What the bot says to a photo, voice note, video, document or sticker sent on WhatsApp.

The channel has recorded the items (clinic_store/media.py) and sends the intent
`send_media` with their ids in the message's metadata (channels/media_messages.py).
The bot cannot look at them, and says so. Staff can:

- with a hand-off open in the conversation, the items are already part of it:
  staff are told, and the patient hears that staff will look;
- after a report of a problem after treatment (a triage tier other than a
  question, now or earlier in the conversation), a hand-off is raised for them
  (normal priority; an urgent report has raised its own already), so staff see
  the photo with the conversation;
- otherwise the bot offers to pass the conversation on.

A sticker is acknowledged only: it shows no skin.
"""

import asyncio
import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import contact_fields, notify_in_background, store_or_spool
from actions.questionnaire import load_questionnaire
from actions.screening_decision import answered_items
from actions.triage import TIER_SLOT, Tier
from clinic_store.handoffs import HandoffStore
from clinic_store.media import METADATA_KEY
from clinic_store.models import MEDIA_RECEIVED, STICKER, URGENT
from clinic_store.outbox import Outbox
from clinic_store.settings import get_settings
from clinic_store.views import HandoffView

logger = logging.getLogger(__name__)

MEDIA_REASON = "post_treatment_media"
# Tiers that mean the person reported a problem of their own after treatment.
PROBLEM_TIERS = frozenset({Tier.EXPECTED.value, Tier.REVIEW.value, Tier.URGENT.value})
CANNOT_VIEW_RESPONSE = "utter_media_cannot_view"
STICKER_RESPONSE = "utter_media_sticker"
PASSED_RESPONSE = "utter_media_passed_to_staff"
OFFER_RESPONSE = "utter_media_offer_staff"


def media_items(latest_message: dict[str, Any]) -> list[dict[str, Any]]:
    """The items the channel recorded for the message (`{"id", "kind"}` each)."""
    items = (latest_message.get("metadata") or {}).get(METADATA_KEY)
    return [item for item in items or [] if isinstance(item, dict)]


def only_stickers(items: list[dict[str, Any]]) -> bool:
    return bool(items) and all(item.get("kind") == STICKER for item in items)


def reported_a_problem(tracker: Tracker) -> bool:
    """Whether the person reported a problem after treatment in this conversation."""
    tiers = [tracker.get_slot(TIER_SLOT)] + [
        event.get("value")
        for event in tracker.events
        if event.get("event") == "slot" and event.get("name") == TIER_SLOT
    ]
    return any(tier in PROBLEM_TIERS for tier in tiers)


def _contact_time(handoff: Any) -> str:
    settings = get_settings()
    urgent = handoff.priority == URGENT
    return settings.urgent_contact_hours if urgent else settings.clinic_contact_hours


async def _raise_for_media(tracker: Tracker) -> Any:
    """A hand-off for the media (stored, or spooled while the database is down)."""
    settings = get_settings()
    details = {
        "conversation_id": tracker.sender_id,
        "channel": tracker.get_latest_input_channel() or "unknown",
        "reasons": [MEDIA_REASON],
        "answers": answered_items(load_questionnaire(), tracker.slots),
        "summary": f"Reasons: {MEDIA_REASON}. The patient sent a photo or file after"
        " reporting a problem after treatment: see the conversation.",
        "notify_channels": settings.notifier_channels,
        **contact_fields(tracker),
    }
    return await store_or_spool(details, settings)


def _tell_staff(handoff: HandoffView) -> None:
    Outbox().notify(handoff.id, MEDIA_RECEIVED, get_settings().notifier_channels)


class ActionAcknowledgeMedia(Action):
    """Says the bot cannot look at the media, and brings them to staff where they matter."""

    def name(self) -> str:
        return "action_acknowledge_media"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        items = media_items(tracker.latest_message)
        if only_stickers(items):
            dispatcher.utter_message(response=STICKER_RESPONSE)
            return []
        dispatcher.utter_message(response=CANNOT_VIEW_RESPONSE)
        store = HandoffStore()
        handoff = await asyncio.to_thread(store.open_for_conversation, tracker.sender_id)
        if handoff is not None:
            await asyncio.to_thread(_tell_staff, handoff)
            notify_in_background(store)
        elif reported_a_problem(tracker):
            handoff = await _raise_for_media(tracker)
        else:
            dispatcher.utter_message(response=OFFER_RESPONSE)
            return []
        logger.info(
            "Media in conversation %s passed to staff (%s)", tracker.sender_id, handoff.reference
        )
        dispatcher.utter_message(
            response=PASSED_RESPONSE,
            handoff_reference=handoff.reference,
            contact_time=_contact_time(handoff),
        )
        return [SlotSet("handoff_open", True), SlotSet("handoff_reference", handoff.reference)]
