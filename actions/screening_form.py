"""The contraindication questionnaire: one generic validator driven by content/questionnaire.yml."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import UNCLEAR, UNSURE, YES, Mention, parse_options, parse_yes_no
from actions.disclosures import mentions_in
from actions.form_validation import ASKED_AGAIN_SLOT, FormReplyValidation
from actions.handoff import REASONS_SLOT
from actions.questionnaire import Item, Questionnaire, load_questionnaire
from actions.screening_decision import screening_flags

OUTCOME_SLOT = "screening_outcome"


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


class ValidateScreeningForm(FormReplyValidation):
    """Turns each answer into yes / no / not sure (or the options chosen); unclear: ask again."""

    # A photo or voice note is never an answer: the rules acknowledge it, then ask again.
    leaving_intents = frozenset(
        {"request_human", "post_treatment_concern", "goodbye", "send_media"}
    )

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

    def read_reply(self, slot: str, text: str, tracker: Tracker) -> Dict[str, Any]:
        """The answer to the question asked, and to any other the person answered unasked."""
        questionnaire = load_questionnaire()
        mentions = mentions_in(tracker.latest_message)
        values = _prefill_from_mentions(questionnaire, mentions, tracker.slots)
        item = questionnaire.item_for_slot(slot)
        if item is not None and slot not in values:
            answer = _parse(questionnaire, item, slot, text, mentions)
            if answer != UNCLEAR:
                values[slot] = answer
        return values

    def unclear_response(self, slot: str, values: Dict[str, Any]) -> str:
        item = load_questionnaire().item_for_slot(slot)
        is_follow_up = bool(item and item.follow_up and slot == item.follow_up.slot)
        return "utter_screening_unclear_options" if is_follow_up else "utter_screening_unclear"

    def give_up(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        """A second unclear answer is recorded as "not sure" for staff to check."""
        dispatcher.utter_message(response="utter_screening_noted_unsure")
        return [SlotSet(slot, UNSURE)]


class ActionResetScreening(Action):
    """Clears earlier answers so the questionnaire starts from the first question."""

    def name(self) -> str:
        return "action_reset_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        slots = [*load_questionnaire().slots, ASKED_AGAIN_SLOT, OUTCOME_SLOT]
        return [SlotSet(slot, None) for slot in slots]


class ActionConcludeScreening(Action):
    """Tells the person the outcome; flags go to staff, never a clearance.

    A questionnaire stopped part-way with nothing flagged is "stopped"; one with
    a flag goes to staff like a finished one.
    """

    def name(self) -> str:
        return "action_conclude_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        questionnaire = load_questionnaire()
        already_raised = tracker.get_slot(REASONS_SLOT) or []
        flags = screening_flags(questionnaire, tracker.slots, volunteered=already_raised)
        if not flags and any(tracker.get_slot(item.slot) is None for item in questionnaire.items):
            # Left with "stop" before the end: nothing to conclude, and never a clearance.
            dispatcher.utter_message(response="utter_screening_stopped")
            return [SlotSet(OUTCOME_SLOT, "stopped")]
        if not flags:
            dispatcher.utter_message(response="utter_screening_clear")
            return [SlotSet(OUTCOME_SLOT, "clear")]
        dispatcher.utter_message(response="utter_screening_flagged")
        return [SlotSet(OUTCOME_SLOT, "flagged"), SlotSet(REASONS_SLOT, flags)]
