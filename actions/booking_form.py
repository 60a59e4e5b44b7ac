"""The booking form: the treatment area, the concern and the preferred times, before contact.

Its questions, options and the words replies are read with are in
content/booking.yml (actions/booking_details.py reads them). It shares the
validation of every form (actions/form_validation.py): the reply is read first,
so "my cheeks" is the face whatever intent the classifier chose; "not sure",
"skip" or "any time" skip a question; after two replies it cannot use it moves
on and records "not given"; a contraindication is noted, an urgent report after
treatment leaves for the rules, "stop" ends the booking.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_details import (
    AREA,
    BOOKING_SLOTS,
    CONCERN,
    NOT_GIVEN,
    OTHER,
    SKIPPED,
    TIMES,
    BookingContent,
    Question,
    chosen_options,
    detail,
    is_skip,
    load_booking_content,
    parse_preferred_times,
    times_summary,
)
from actions.contact_details import is_decline, is_stop
from actions.disclosures import flagged_codes
from actions.form_validation import (
    ASKED_AGAIN_SLOT,
    SMALL_TALK_RESPONSES,
    FormReplyValidation,
    intent_of,
)
from actions.handoff import REASONS_SLOT
from clinic_store.database import utcnow
from clinic_store.settings import get_settings

OUTCOME_SLOT = "booking_outcome"
CONSULTATION_REASON = "consultation_request"
# Replies that mean something of their own: never taken as an area or concern in the
# person's own words ("yes", "hello", "I want a person", a report after treatment).
NOT_OWN_WORDS_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "request_human",
        "post_treatment_concern",
        "disclose_contraindication",
        "start_screening",
        "book_consultation",
        "empty_message",
    }
)
QUESTION_WORDS = frozenset(
    {"what", "how", "does", "do", "can", "is", "are", "will", "why", "when", "where", "who"}
    | {"which", "should", "could", "would"}
)


def _is_question(text: str) -> bool:
    words = text.lower().split()
    return text.rstrip().endswith("?") or bool(words and words[0] in QUESTION_WORDS)


def own_words(text: str, tracker: Tracker) -> bool:
    """The reply can stand as the person's own answer: words, no question, nothing else meant."""
    return (
        any(ch.isalpha() for ch in text)
        and not _is_question(text)
        and intent_of(tracker) not in NOT_OWN_WORDS_INTENTS
        and not flagged_codes(tracker.latest_message)
        and not is_stop(text)
    )


def _labelled(question: Question, keys: list[str], text: str) -> Dict[str, Any]:
    titles = {o.key: o.title for o in question.options}
    return detail(keys, text, label=", ".join(titles[k] for k in keys))


def read_option_reply(question: Question, text: str, tracker: Tracker) -> Dict[str, Any] | None:
    """An area or concern: the options named, the person's own words as "other", or None."""
    keys = chosen_options(text, question)
    if keys:
        return _labelled(question, keys, text)
    if own_words(text, tracker):
        return detail([OTHER], text, label=" ".join(text.split())[:100])
    return None


def read_times_reply(content: BookingContent, text: str) -> Dict[str, Any] | None:
    """Preferred days and times, read and kept as typed; None when nothing could be read."""
    today = utcnow().astimezone(get_settings().clinic_zone).date()
    times = parse_preferred_times(text, today, content.times)
    if not times:
        return None
    parsed = times.to_json()
    return detail(["preferred"], text, label=times_summary(parsed, content.times), parsed=parsed)


def skipped(question: Question, text: str) -> Dict[str, Any]:
    return detail([SKIPPED], text, label=question.skipped)


class ValidateBookingForm(FormReplyValidation):
    """Reads the area, the concern and the preferred times from whatever the person types."""

    leaving_intents = frozenset({"post_treatment_concern"})
    # "Can I talk to a person?" while booking: that is what the booking leads to.
    intent_responses = {**SMALL_TALK_RESPONSES, "request_human": "utter_booking_continues"}

    def name(self) -> str:
        return "validate_booking_form"

    def read_reply(self, slot: str, text: str, tracker: Tracker) -> Dict[str, Any]:
        content = load_booking_content()
        question = content.questions[slot]
        if is_skip(text, content) or is_decline(text):
            return {slot: skipped(question, text)}
        if slot == TIMES:
            value = read_times_reply(content, text)
        else:
            value = read_option_reply(question, text, tracker)
        return {slot: value} if value else {}

    def unclear_response(self, slot: str, values: Dict[str, Any]) -> str:
        return "utter_booking_unclear_times" if slot == TIMES else "utter_booking_unclear"

    def give_up(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_booking_not_given")
        label = load_booking_content().not_given
        return [SlotSet(slot, detail([NOT_GIVEN], None, label=label))]


class AskBookingQuestion(Action, ABC):
    """Asks one booking question with its options as buttons, from content/booking.yml."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The booking slot the question asks for."""

    def name(self) -> str:
        return f"action_ask_booking_form_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        question = load_booking_content().questions[self.slot]
        dispatcher.utter_message(text=question.text, buttons=question.buttons)
        return []


class AskBookingArea(AskBookingQuestion):
    slot = AREA


class AskBookingConcern(AskBookingQuestion):
    slot = CONCERN


class AskBookingTimes(AskBookingQuestion):
    slot = TIMES


class ActionConcludeBooking(Action):
    """After the booking questions: on to the contact step, or, stopped, say so.

    Stopped with nothing but the booking to hand off, the request is dropped; a
    condition mentioned meanwhile still goes to staff ("flagged").
    """

    def name(self) -> str:
        return "action_conclude_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        asked_again = [
            s for s in tracker.get_slot(ASKED_AGAIN_SLOT) or [] if s not in BOOKING_SLOTS
        ]
        events: List[EventType] = [SlotSet(ASKED_AGAIN_SLOT, asked_again)]
        if all(tracker.get_slot(slot) for slot in BOOKING_SLOTS):
            return [*events, SlotSet(OUTCOME_SLOT, "complete")]
        reasons = [r for r in tracker.get_slot(REASONS_SLOT) or [] if r != CONSULTATION_REASON]
        if reasons:
            dispatcher.utter_message(response="utter_booking_stopped_flagged")
            return [*events, SlotSet(OUTCOME_SLOT, "flagged")]
        dispatcher.utter_message(response="utter_booking_stopped")
        cleared = [SlotSet(slot, None) for slot in BOOKING_SLOTS]
        return [*events, *cleared, SlotSet(REASONS_SLOT, []), SlotSet(OUTCOME_SLOT, "stopped")]
