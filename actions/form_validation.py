"""The validation every form shares: the reply is read as an answer first, intents come after.

While a form asks for a slot, the raw text of the person's reply goes to the
form's own parser. A valid value fills the slot whatever intent the classifier
chose ("Sarah Jones" classified as a FAQ, "+44 7700 900123, sam@example.com" as
a request for a human). Only a reply that does not parse is an interruption:

- a contraindication mentioned in it is added to the hand-off reasons (as it is
  when mentioned in an answer) and acknowledged;
- "stop" / "cancel" leaves the form, and the rule for its end follows (the
  questionnaire says it stopped, a hand-off is stored without contact details);
- an intent the form leaves for (`leaving_intents`, e.g. an urgent symptom) hands
  the turn to the rules;
- a question is answered, small talk is replied to, and the question comes again.

Whatever it was, a reply that gives no value counts: after the second one for
the same question the form moves on (`give_up`, per form), so no conversation
can loop. The class is abstract, so the action server does not register it.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.contact_details import is_stop
from actions.disclosures import flagged_codes
from actions.faq import faq_response_name
from actions.handoff import REASONS_SLOT
from clinic_nlp.language import SWITCH_INTENT

ASKED_AGAIN_SLOT = "asked_again"
REQUESTED_SLOT = "requested_slot"
# Actions that may run between the person's message and the form reading it.
READING_ACTIONS = frozenset({"action_listen", "action_extract_slots"})
# Small talk any form replies to before asking its question again.
SMALL_TALK_RESPONSES = {"bot_challenge": "utter_iamabot", "out_of_scope": "utter_out_of_scope"}
LANGUAGE_SWITCHED_RESPONSE = "utter_language_switched"


def intent_of(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def is_new_reply(tracker: Tracker, form: str) -> bool:
    """The form runs straight after the person's message (not back from another action)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action_execution_rejected":
            return False
        if event.get("event") == "action" and event.get("name") not in {*READING_ACTIONS, form}:
            return False
    return False


class FormReplyValidation(FormValidationAction, ABC):
    """Reads each reply as a value for the requested slot; only the rest interrupts."""

    # Intents that leave the form for the rules when the reply is not a value.
    leaving_intents: frozenset[str] = frozenset()
    # What the form says to an intent it answers itself, by intent.
    intent_responses: dict[str, str] = SMALL_TALK_RESPONSES

    @abstractmethod
    def read_reply(self, slot: str, text: str, tracker: Tracker) -> Dict[str, Any]:
        """The slot values a reply gives; it answers the question if `slot` is among them."""

    @abstractmethod
    def unclear_response(self, slot: str, values: Dict[str, Any]) -> str:
        """What to say after the first reply that does not answer `slot`; `values`: what it gave."""

    @abstractmethod
    def give_up(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """The events that move the form past `slot` after a second reply that is no answer."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slot = tracker.get_slot(REQUESTED_SLOT)
        if slot is None or not is_new_reply(tracker, self.form_name()):
            return []
        if intent_of(tracker) == SWITCH_INTENT:
            # "urdu mein" instead of an answer is never read as one ("Urdu" is no name):
            # `reply_language` is already set, so the form says so and asks again in that
            # language. It counts like a question asked instead, so switching cannot loop.
            dispatcher.utter_message(response=LANGUAGE_SWITCHED_RESPONSE)
            return self._count_unusable(slot, {}, dispatcher, tracker, answered=True)
        text = tracker.latest_message.get("text") or ""
        values = self.read_reply(slot, text, tracker)
        if slot in values:
            # An answer may name a condition too ("I'm Sarah and I'm pregnant"): kept for staff.
            return self._new_reasons(tracker) + [SlotSet(n, v) for n, v in values.items()]
        if not values:
            if is_stop(text):
                # The form ends and the rule for its end follows. The question's slot is
                # set (unanswered): Rasa rejects a form run that sets no slot, and the
                # rules would then take "stop" for a goodbye.
                return self._new_reasons(tracker) + [SlotSet(slot, None), ActiveLoop(None)]
            if intent_of(tracker) in self.leaving_intents:
                # The rules take over; the hand-off they start adds the reply's flags itself.
                # It counts too: a form the rules come back to must not ask a third time.
                rejected = [ActionExecutionRejected(self.form_name())]
                return rejected + self._count_unusable(slot, {}, dispatcher, tracker, True)
        reasons = self._new_reasons(tracker)
        if reasons:
            dispatcher.utter_message(response="utter_contraindication_noted")
        events = reasons + [SlotSet(name, value) for name, value in values.items()]
        replied = not values and self._reply_to_interruption(dispatcher, tracker)
        return events + self._count_unusable(
            slot, values, dispatcher, tracker, bool(reasons) or replied
        )

    @staticmethod
    def _new_reasons(tracker: Tracker) -> List[EventType]:
        """A contraindication volunteered in the reply joins the hand-off reasons."""
        pending = tracker.get_slot(REASONS_SLOT) or []
        new = [code for code in flagged_codes(tracker.latest_message) if code not in pending]
        return [SlotSet(REASONS_SLOT, [*pending, *new])] if new else []

    def _reply_to_interruption(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """Answer the question or small talk sent instead of an answer; False if it was neither."""
        response = faq_response_name(tracker.latest_message) or self.intent_responses.get(
            intent_of(tracker) or ""
        )
        if response:
            dispatcher.utter_message(response=response)
        return bool(response)

    def _count_unusable(
        self,
        slot: str,
        values: Dict[str, Any],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        answered: bool,
    ) -> List[EventType]:
        """Ask again once; the second time, move on."""
        asked_again = list(tracker.get_slot(ASKED_AGAIN_SLOT) or [])
        if slot in asked_again:
            return self.give_up(slot, dispatcher, tracker)
        if not answered:
            dispatcher.utter_message(response=self.unclear_response(slot, values))
        return [SlotSet(ASKED_AGAIN_SLOT, [*asked_again, slot])]
