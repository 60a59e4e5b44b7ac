"""Hand-off to clinic staff: why it is raised, how to reach the person, and storing it."""

import asyncio
import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.booking_details import BOOKING_SLOTS, booking_of
from actions.disclosures import flagged_codes
from actions.questionnaire import load_questionnaire
from actions.screening_decision import answered_items
from clinic_nlp.language import conversation_languages, written_language
from clinic_store.handoffs import HandoffStore
from clinic_store.languages import reply_language
from clinic_store.notifications import dispatch_pending
from clinic_store.outbox import Outbox
from clinic_store.settings import Settings, get_settings
from clinic_store.spool import SpooledHandoff, describe, spool_handoff
from clinic_store.views import HandoffView

logger = logging.getLogger(__name__)

REASONS_SLOT = "handoff_reasons"
WHATSAPP_CHANNELS = frozenset({"whatsapp", "twilio"})
CONTACT_SLOTS = ("contact_name", "contact_phone", "contact_email")
PROFILE_NAME_LENGTH = 200

# What the person is told when a hand-off starts, by the intent that started it.
START_RESPONSES = {
    "post_treatment_concern": ("post_treatment_concern", "utter_handoff_post_treatment_concern"),
    "book_consultation": ("consultation_request", "utter_handoff_consultation_request"),
    "request_human": ("human_requested", "utter_handoff_human_requested"),
}
# What an accepted offer of staff contact is about, by the offer the bot made last.
OFFER_RESPONSES = {
    "utter_offer_staff": ("repeated_fallback", "utter_handoff_repeated_fallback"),
    "utter_triage_offer_review": ("post_treatment_review", "utter_handoff_post_treatment_review"),
    "utter_triage_offer_contact": ("post_treatment_review", "utter_handoff_post_treatment_review"),
    # "Would you like to book one?" after a questionnaire with nothing flagged.
    "utter_screening_clear": ("consultation_request", "utter_handoff_consultation_request"),
}
ACCEPTING_INTENTS = frozenset({"request_human", "affirm"})


def last_bot_response(tracker: Tracker) -> str | None:
    """The name of the response the bot sent last, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def whatsapp_number(tracker: Tracker) -> str | None:
    """The sender's phone number when the conversation is on WhatsApp."""
    if tracker.get_latest_input_channel() not in WHATSAPP_CHANNELS:
        return None
    # Twilio's sender ids are "whatsapp:+44...", Meta's are digits only ("44..."): store +44...
    return "+" + tracker.sender_id.removeprefix("whatsapp:").lstrip("+")


def whatsapp_profile_name(tracker: Tracker) -> str | None:
    """The name on the sender's WhatsApp profile, from the newest user message whose metadata
    has it (channels/whatsapp_cloud.py, twilio_whatsapp.py put it there)."""
    for event in reversed(tracker.events):
        name = (event.get("metadata") or {}).get("profile_name")
        if event.get("event") == "user" and isinstance(name, str) and name.strip():
            return " ".join(name.split())[:PROFILE_NAME_LENGTH]
    return None


def reasons_for_request(tracker: Tracker) -> tuple[list[str], str]:
    """The reason codes for a new hand-off request, and what to tell the person."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "disclose_contraindication":
        return flagged_codes(tracker.latest_message), "utter_handoff_disclosure"
    offer = OFFER_RESPONSES.get(last_bot_response(tracker))
    if intent in ACCEPTING_INTENTS and offer:
        return [offer[0]], offer[1]
    reason, response = START_RESPONSES.get(intent, START_RESPONSES["request_human"])
    # "Get me a nurse, I've got a cold sore since the treatment" is urgent AND herpes.
    return [reason, *flagged_codes(tracker.latest_message)], response


class ActionStartHandoff(Action):
    """Records why staff are needed and explains it; the contact form follows."""

    def name(self) -> str:
        return "action_start_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        reasons, response = reasons_for_request(tracker)
        dispatcher.utter_message(response=response)
        pending = tracker.get_slot(REASONS_SLOT) or []
        return [SlotSet(REASONS_SLOT, list(dict.fromkeys([*pending, *reasons])))]


def contact_fields(tracker: Tracker) -> dict[str, str | None]:
    """Name, phone (E.164) and e-mail as the contact form read them; on WhatsApp, the number
    and the profile's name (staff see it as such, and as the name while none is given)."""
    phone = whatsapp_number(tracker)
    if phone:
        return {
            "contact_name": None,
            "contact_phone": phone,
            "contact_email": None,
            "profile_name": whatsapp_profile_name(tracker),
        }
    return {name: tracker.get_slot(name) for name in CONTACT_SLOTS}


def _summary(reasons: list[str], tracker: Tracker) -> str:
    text = (tracker.latest_message.get("text") or "")[:300]
    summary = f"Reasons: {', '.join(reasons)}. Last message: {text}"
    # What the person typed as their contact details, for staff to check the number read from it.
    typed = tracker.get_slot("contact_details")
    return f"{summary}. Contact as typed: {typed}" if typed and typed != text else summary


def _raised_response(urgent: bool, contact: dict[str, str | None]) -> str:
    """What the person is told: the reference, and that staff cannot call them back if so."""
    response = "utter_handoff_raised_urgent" if urgent else "utter_handoff_raised"
    reachable = contact["contact_phone"] or contact["contact_email"]
    return response if reachable else f"{response}_no_contact"


async def store_or_spool(
    details: dict[str, Any], settings: Settings
) -> HandoffView | SpooledHandoff:
    """The stored hand-off; with the database unreachable, the one kept in the spool instead."""
    store = HandoffStore()
    try:
        handoff = await asyncio.to_thread(store.raise_handoff, **details)
    except SQLAlchemyError as error:
        logger.error(
            "Could not store the hand-off of conversation %s (%s); keeping it in %s",
            details["conversation_id"],
            describe(error),
            settings.handoff_spool_dir,
        )
        return await asyncio.to_thread(spool_handoff, settings.handoff_spool_dir, **details)
    notify_in_background(store)
    return handoff


class ActionRaiseHandoff(Action):
    """Stores the hand-off, queues staff notifications and gives the person a reference."""

    def name(self) -> str:
        return "action_raise_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        reasons = tracker.get_slot(REASONS_SLOT) or ["human_requested"]
        settings = get_settings()
        contact = contact_fields(tracker)
        details = {
            "conversation_id": tracker.sender_id,
            "channel": tracker.get_latest_input_channel() or "unknown",
            "language": written_language(tracker.events),
            "reasons": reasons,
            "answers": answered_items(load_questionnaire(), tracker.slots),
            "summary": _summary(reasons, tracker),
            "booking": booking_of(tracker.slots),
            "notify_channels": settings.notifier_channels,
            **contact,
        }
        # Staff hear of it either way: from the outbox, or from the spool (notifications.py).
        handoff = await store_or_spool(details, settings)
        urgent = handoff.priority == "urgent"
        dispatcher.utter_message(
            response=_raised_response(urgent, contact),
            handoff_reference=handoff.reference,
            contact_time=settings.contact_hours(
                urgent,
                reply_language(
                    conversation_languages(tracker.slots, tracker.events),
                    settings.roman_urdu_reply_language,
                ),
            ),
        )
        return [
            SlotSet("handoff_open", True),
            SlotSet("handoff_reference", handoff.reference),
            SlotSet(REASONS_SLOT, []),
            # Stored with the hand-off: a later booking starts afresh.
            *(SlotSet(slot, None) for slot in BOOKING_SLOTS),
        ]


_background_tasks: set[asyncio.Task] = set()


def notify_in_background(store: HandoffStore) -> None:
    """Send the queued notifications without making the person wait for them."""
    task = asyncio.get_running_loop().create_task(dispatch_pending(Outbox(store.database_url)))
    _background_tasks.add(task)  # keeps a reference so the task is not garbage-collected
    task.add_done_callback(_background_tasks.discard)
