"""The contraindication questionnaire: one generic validator driven by content/questionnaire.yml."""

from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import UNCLEAR, UNSURE, YES, Mention, parse_options, parse_yes_no
from actions.disclosures import mentions_in
from actions.faq import faq_response_name
from actions.questionnaire import Item, Questionnaire, load_questionnaire
from actions.screening_decision import screening_flags

UNCLEAR_SLOT = "screening_unclear"
OUTCOME_SLOT = "screening_outcome"
REASONS_SLOT = "handoff_reasons"
# Small talk the form answers before asking its question again.
INTERRUPTION_RESPONSES = {"bot_challenge": "utter_iamabot", "out_of_scope": "utter_out_of_scope"}


def _prefill_from_mentions(
    questionnaire: Questionnaire, mentions: list[Mention], slots: dict
) -> dict:
    """Slot values implied by conditions the person mentioned themselves, for any item."""
    updates: dict[str, Any] = {}
    for mention in mentions:
        item = questionnaire.item_for_code(mention.code)
        if not mention.raises_flag or item is None:
            continue
        updates[item.slot] = YES
        if item.follow_up:
            chosen = updates.get(item.follow_up.slot) or slots.get(item.follow_up.slot)
            chosen = chosen if isinstance(chosen, list) else []
            updates[item.follow_up.slot] = list(dict.fromkeys([*chosen, mention.code]))
    return updates


def _parse(questionnaire: Questionnaire, item: Item, slot: str, text: str, mentions: list[Mention]):
    if item.follow_up and slot == item.follow_up.slot:
        return parse_options(text, item.follow_up, questionnaire, mentions)
    return parse_yes_no(text, questionnaire, item.codes, mentions)


class ValidateScreeningForm(FormValidationAction):
    """Turns each answer into yes / no / not sure (or the options chosen); unclear: ask again."""

    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        slots = []
        for item in load_questionnaire().items:
            slots.append(item.slot)
            if item.follow_up and tracker.get_slot(item.slot) == YES:
                slots.append(item.follow_up.slot)
        return slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        questionnaire = load_questionnaire()
        mentions = mentions_in(tracker.latest_message)
        updates = _prefill_from_mentions(questionnaire, mentions, tracker.slots)
        candidates = tracker.slots_to_validate()
        if not updates and not candidates:
            # Nothing here answers the questionnaire (an intent its slot mappings
            # leave out, such as a report after treatment): no events, so the form
            # rejects the message and the rules handle it (data/rules/triage.yml).
            return []
        unclear = list(tracker.get_slot(UNCLEAR_SLOT) or [])
        for slot, text in candidates.items():
            item = questionnaire.item_for_slot(slot)
            if item is None or slot in updates:
                continue
            answer = _parse(questionnaire, item, slot, str(text), mentions)
            if answer == UNCLEAR:
                answer = self._handle_unclear(dispatcher, tracker, item, slot, unclear)
            updates[slot] = answer
        return [SlotSet(slot, value) for slot, value in updates.items()] + [
            SlotSet(UNCLEAR_SLOT, unclear)
        ]

    @staticmethod
    def _handle_unclear(
        dispatcher: CollectingDispatcher, tracker: Tracker, item: Item, slot: str, unclear: list
    ) -> Any:
        """Ask again once; a second unclear answer is recorded as "not sure" for staff to check.

        A question or small talk in place of an answer is answered first and does
        not count as an unclear answer.
        """
        faq_response = faq_response_name(tracker.latest_message)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if faq_response or intent in INTERRUPTION_RESPONSES:
            dispatcher.utter_message(response=faq_response or INTERRUPTION_RESPONSES[intent])
            return None
        if slot in unclear:
            dispatcher.utter_message(response="utter_screening_noted_unsure")
            return UNSURE
        unclear.append(slot)
        is_follow_up = item.follow_up is not None and slot == item.follow_up.slot
        dispatcher.utter_message(
            response="utter_screening_unclear_options"
            if is_follow_up
            else "utter_screening_unclear"
        )
        return None


class ActionResetScreening(Action):
    """Clears earlier answers so the questionnaire starts from the first question."""

    def name(self) -> str:
        return "action_reset_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        slots = [*load_questionnaire().slots, UNCLEAR_SLOT, OUTCOME_SLOT]
        return [SlotSet(slot, None) for slot in slots]


class ActionConcludeScreening(Action):
    """Tells the person the outcome; flags go to staff, never a clearance."""

    def name(self) -> str:
        return "action_conclude_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        questionnaire = load_questionnaire()
        already_raised = tracker.get_slot(REASONS_SLOT) or []
        flags = screening_flags(questionnaire, tracker.slots, volunteered=already_raised)
        if not flags:
            dispatcher.utter_message(response="utter_screening_clear")
            return [SlotSet(OUTCOME_SLOT, "clear")]
        dispatcher.utter_message(response="utter_screening_flagged")
        return [SlotSet(OUTCOME_SLOT, "flagged"), SlotSet(REASONS_SLOT, flags)]
