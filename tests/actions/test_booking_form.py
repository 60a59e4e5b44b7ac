"""The booking form's validator and actions: replies read first, skips, no question a third time."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_details import AREA, CONCERN, TIMES, load_booking_content
from actions.booking_form import (
    ActionConcludeBooking,
    AskBookingArea,
    AskBookingTimes,
    ValidateBookingForm,
)
from tests.actions.trackers import domain_dict, make_tracker, mention, slot_events

FORM = "booking_form"


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


async def reply(dispatcher, text: str, asked: str = AREA, slots=None, **tracker_args):
    tracker = make_tracker(
        text, active_loop=FORM, slots={"requested_slot": asked, **(slots or {})}, **tracker_args
    )
    return await ValidateBookingForm().run(dispatcher, tracker, domain_dict())


def responses(dispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback", "out_of_scope", "affirm"])
async def test_an_area_named_is_read_whatever_the_classifier_said(dispatcher, intent):
    slots = slot_events(await reply(dispatcher, "my cheeks and neck", intent=intent))
    assert slots[AREA] == {
        "choice": ["face", "neck"],
        "label": "Face, Neck",
        "text": "my cheeks and neck",
    }
    assert dispatcher.messages == []


async def test_own_words_are_kept_as_other(dispatcher):
    slots = slot_events(await reply(dispatcher, "my upper lip", intent="nlu_fallback"))
    assert slots[AREA] == {"choice": ["other"], "label": "my upper lip", "text": "my upper lip"}


async def test_preferred_times_are_read_and_kept_as_typed(dispatcher):
    slots = slot_events(await reply(dispatcher, "Saturday after 4", asked=TIMES, intent="faq"))
    times = slots[TIMES]
    assert (times["text"], times["label"]) == ("Saturday after 4", "Saturday · after 16:00")
    assert times["parsed"]["days"] == ["saturday"] and times["parsed"]["after"] == "16:00"


@pytest.mark.parametrize(
    ("asked", "text"), [(AREA, "not sure"), (CONCERN, "skip"), (TIMES, "any time")]
)
async def test_a_person_may_skip(dispatcher, asked, text):
    slots = slot_events(await reply(dispatcher, text, asked=asked))
    skipped = load_booking_content().questions[asked].skipped
    assert slots[asked] == {"choice": ["skipped"], "label": skipped, "text": text}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("🙂", "nlu_fallback"),
        ("how long does it take?", "faq"),
        ("yes", "affirm"),
        ("hello", "greet"),
    ],
)
async def test_an_unusable_reply_is_asked_again_once_then_not_given(dispatcher, text, intent):
    first = slot_events(await reply(dispatcher, text, intent=intent))
    assert AREA not in first and first["asked_again"] == [AREA]
    second = CollectingDispatcher()
    slots = slot_events(await reply(second, text, intent=intent, slots={"asked_again": [AREA]}))
    assert slots[AREA] == {"choice": ["not_given"], "label": "not given", "text": None}
    assert "utter_booking_not_given" in responses(second)


async def test_times_that_name_no_time_are_asked_again_with_examples(dispatcher):
    slots = slot_events(await reply(dispatcher, "whenever my sister can drive me", asked=TIMES))
    assert TIMES not in slots
    assert responses(dispatcher) == ["utter_booking_unclear_times"]


async def test_a_condition_mentioned_is_noted_and_not_taken_as_an_area(dispatcher):
    entities = [mention("pregnancy", "positive")]
    events = await reply(
        dispatcher, "I'm pregnant", intent="disclose_contraindication", entities=entities
    )
    slots = slot_events(events)
    assert AREA not in slots and slots["handoff_reasons"] == ["pregnancy"]
    assert responses(dispatcher)[0] == "utter_contraindication_noted"


async def test_stop_ends_the_booking(dispatcher):
    events = await reply(dispatcher, "stop", intent="deny")
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot_events(events)[AREA] is None


async def test_an_urgent_report_leaves_for_the_rules(dispatcher):
    events = await reply(dispatcher, "there's pus and a fever", intent="post_treatment_concern")
    assert events[0]["event"] == "action_execution_rejected"


async def test_asking_for_a_person_carries_on_with_the_booking(dispatcher):
    await reply(dispatcher, "can I talk to someone", intent="request_human")
    assert responses(dispatcher) == ["utter_booking_continues"]


async def test_the_questions_come_from_the_content_file(dispatcher):
    await AskBookingArea().run(dispatcher, make_tracker(), domain_dict())
    question = load_booking_content().questions[AREA]
    assert dispatcher.messages[0]["text"] == question.text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        "Face",
        "Neck",
        "Hands",
        "Chest",
        "Back",
        "Other",
    ]
    assert AskBookingTimes().name() == "action_ask_booking_form_booking_times"


DETAIL = {"choice": ["face"], "label": "Face", "text": "face"}


async def test_a_complete_booking_goes_on_to_the_contact_step(dispatcher):
    slots = {AREA: DETAIL, CONCERN: DETAIL, TIMES: DETAIL, "asked_again": [AREA, "pregnancy"]}
    events = slot_events(
        await ActionConcludeBooking().run(dispatcher, make_tracker(slots=slots), {})
    )
    assert events == {"asked_again": ["pregnancy"], "booking_outcome": "complete"}
    assert dispatcher.messages == []


async def test_a_stopped_booking_is_dropped_unless_a_condition_was_mentioned(dispatcher):
    slots = {AREA: DETAIL, "handoff_reasons": ["consultation_request"]}
    events = slot_events(
        await ActionConcludeBooking().run(dispatcher, make_tracker(slots=slots), {})
    )
    assert events["booking_outcome"] == "stopped" and events["handoff_reasons"] == []
    assert events[AREA] is None
    flagged = CollectingDispatcher()
    slots["handoff_reasons"] = ["consultation_request", "pregnancy"]
    events = slot_events(await ActionConcludeBooking().run(flagged, make_tracker(slots=slots), {}))
    assert events["booking_outcome"] == "flagged"
    assert responses(flagged) == ["utter_booking_stopped_flagged"]


INTENTS = [
    "nlu_fallback",
    "faq",
    "affirm",
    "deny",
    "greet",
    "goodbye",
    "out_of_scope",
    "request_human",
]


@settings(max_examples=60, deadline=None)
@given(
    asked=st.sampled_from([AREA, CONCERN, TIMES]),
    text=st.text(max_size=40),
    intent=st.sampled_from(INTENTS),
)
async def test_no_question_is_asked_a_third_time(asked, text, intent):
    """Whatever the reply, the second one to the same question fills it or leaves the form."""
    first = await reply(CollectingDispatcher(), text, asked=asked, intent=intent)
    if asked in slot_events(first) or any(e["event"] == "active_loop" for e in first):
        return
    assert slot_events(first)["asked_again"] == [asked]
    second = await reply(
        CollectingDispatcher(), text, asked=asked, intent=intent, slots={"asked_again": [asked]}
    )
    assert asked in slot_events(second)
