"""The contact form: how staff can reach the person, read from whatever they type.

A reply to either question may hold a name, a phone number, an e-mail address or
several of them ("Sarah Jones, 07700 900888"); each fills its own slot. A phone
number or e-mail given for the name is never stored as the name. Declining
("I'd rather not") or two replies that cannot be used skip the question; the
hand-off is stored either way. WhatsApp conversations skip the form: the number
is known.
"""

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.contact_details import is_decline, parse_name
from actions.form_validation import ASKED_AGAIN_SLOT, SMALL_TALK_RESPONSES, FormReplyValidation
from actions.handoff import whatsapp_number
from clinic_store.contact_parsing import parse_contact
from clinic_store.settings import get_settings

NAME_SLOT = "contact_name"
DETAILS_SLOT = "contact_details"
PHONE_SLOT = "contact_phone"
EMAIL_SLOT = "contact_email"
SKIPPED_SLOT = "contact_skipped"
MAX_TYPED_LENGTH = 200
UNCLEAR_RESPONSES = {
    NAME_SLOT: "utter_contact_name_unclear",
    DETAILS_SLOT: "utter_contact_details_invalid",
}


def _skipped(tracker: Tracker, slot: str) -> Dict[str, Any]:
    skipped = tracker.get_slot(SKIPPED_SLOT) or []
    return {SKIPPED_SLOT: list(dict.fromkeys([*skipped, slot]))}


class ValidateContactForm(FormReplyValidation):
    """Asks web visitors for a name and a phone number or e-mail; WhatsApp needs neither."""

    leaving_intents = frozenset({"post_treatment_concern"})
    # "Can I talk to a person?" while giving contact details: that is what is happening.
    intent_responses = {**SMALL_TALK_RESPONSES, "request_human": "utter_contact_form_continues"}

    def name(self) -> str:
        return "validate_contact_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        if whatsapp_number(tracker):
            return []
        skipped = tracker.get_slot(SKIPPED_SLOT) or []
        return [slot for slot in domain_slots if slot not in skipped]

    def read_reply(self, slot: str, text: str, tracker: Tracker) -> Dict[str, Any]:
        contact = parse_contact(text, get_settings().phone_regions)
        values: Dict[str, Any] = {}
        if contact:
            values = {
                DETAILS_SLOT: " ".join(text.split())[:MAX_TYPED_LENGTH],
                PHONE_SLOT: contact.phone,
                EMAIL_SLOT: contact.email,
            }
        name = parse_name(text, contact) if slot == NAME_SLOT else None
        if name:
            values[NAME_SLOT] = name
        elif contact and slot == NAME_SLOT:
            values.update(self._name_once_more(tracker))
        elif not contact and is_decline(text):
            values.update({slot: None, **_skipped(tracker, slot)})
        return values

    @staticmethod
    def _name_once_more(tracker: Tracker) -> Dict[str, Any]:
        """Details given for the name: ask for the name once more, or go on without it."""
        asked_again = tracker.get_slot(ASKED_AGAIN_SLOT) or []
        if NAME_SLOT in asked_again:
            return {NAME_SLOT: None, **_skipped(tracker, NAME_SLOT)}
        return {}

    def unclear_response(self, slot: str, values: Dict[str, Any]) -> str:
        if slot == NAME_SLOT and values.get(DETAILS_SLOT):
            return "utter_contact_name_after_details"
        return UNCLEAR_RESPONSES[slot]

    def give_up(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        if slot == NAME_SLOT:
            dispatcher.utter_message(response="utter_contact_name_skipped")
        return [SlotSet(slot, None), *(SlotSet(k, v) for k, v in _skipped(tracker, slot).items())]
