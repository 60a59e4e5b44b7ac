"""The questionnaire form: answers understood, unclear ones asked again, flags kept."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaire import load_questionnaire
from actions.screening_form import (
    ActionConcludeScreening,
    ActionResetScreening,
    ValidateScreeningForm,
)
from tests.actions.trackers import domain_dict, make_tracker, mention, slot_events

FORM = "screening_form"


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


async def validate(dispatcher, **tracker_args) -> dict:
    tracker = make_tracker(active_loop=FORM, **tracker_args)
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain_dict())
    return slot_events(events)


def responses(dispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


async def test_a_typed_no_is_recorded_and_the_next_question_asked(dispatcher):
    slots = await validate(dispatcher, text="nope", set_by_message={"pregnancy": "nope"})
    assert slots["pregnancy"] == "no"
    assert slots["requested_slot"] == "skin_condition"
    assert dispatcher.messages == []


async def test_a_yes_to_a_grouped_question_asks_which_one(dispatcher):
    slots = await validate(
        dispatcher,
        text="Yes",
        slots={"pregnancy": "no"},
        set_by_message={"skin_condition": "Yes"},
    )
    assert slots["skin_condition"] == "yes"
    assert slots["requested_slot"] == "skin_condition_type"


async def test_which_one_by_number(dispatcher):
    slots = await validate(
        dispatcher,
        text="2",
        slots={"pregnancy": "no", "skin_condition": "yes"},
        set_by_message={"skin_condition_type": "2"},
    )
    assert slots["skin_condition_type"] == ["eczema"]
    assert slots["requested_slot"] == "treatment_area"


async def test_an_unclear_answer_is_asked_again_then_noted_as_not_sure(dispatcher):
    first = await validate(dispatcher, text="banana", set_by_message={"pregnancy": "banana"})
    assert first["pregnancy"] is None
    assert first["screening_unclear"] == ["pregnancy"]
    assert first["requested_slot"] == "pregnancy"
    assert responses(dispatcher) == ["utter_screening_unclear"]

    again = CollectingDispatcher()
    second = await validate(
        again,
        text="potato",
        slots={"screening_unclear": ["pregnancy"]},
        set_by_message={"pregnancy": "potato"},
    )
    assert second["pregnancy"] == "unsure"
    assert responses(again) == ["utter_screening_noted_unsure"]


async def test_a_question_instead_of_an_answer_is_answered_and_the_question_repeated(dispatcher):
    slots = await validate(
        dispatcher,
        text="how long does it take?",
        intent="faq",
        response_selector={"faq": {"response": {"intent_response_key": "faq/duration"}}},
        set_by_message={"pregnancy": "how long does it take?"},
    )
    assert responses(dispatcher) == ["utter_faq/duration"]
    assert slots["pregnancy"] is None
    assert slots["screening_unclear"] == []


async def test_a_volunteered_condition_fills_its_own_item(dispatcher):
    text = "not pregnant but I have eczema"
    slots = await validate(
        dispatcher,
        text=text,
        entities=[mention("pregnancy", "negated", 4, 12), mention("eczema", "positive", 24, 30)],
        set_by_message={"pregnancy": text},
    )
    assert slots["pregnancy"] == "no"
    assert slots["skin_condition"] == "yes"
    assert slots["skin_condition_type"] == ["eczema"]


async def test_someone_elses_condition_is_not_recorded(dispatcher):
    text = "my sister is pregnant but I'm not"
    slots = await validate(
        dispatcher,
        text=text,
        entities=[mention("pregnancy", "other_person", 13, 21)],
        set_by_message={"pregnancy": text},
    )
    assert slots["pregnancy"] == "no"


async def test_reset_clears_every_answer():
    events = await ActionResetScreening().run(
        CollectingDispatcher(), make_tracker(slots={"pregnancy": "yes"}), domain_dict()
    )
    cleared = slot_events(events)
    assert cleared["pregnancy"] is None and cleared["healing_type"] is None
    assert cleared["screening_outcome"] is None


def all_no() -> dict:
    return {item.slot: "no" for item in load_questionnaire().items}


async def test_no_flags_offers_a_consultation_and_never_clears(dispatcher):
    events = await ActionConcludeScreening().run(
        dispatcher, make_tracker(slots=all_no()), domain_dict()
    )
    assert slot_events(events) == {"screening_outcome": "clear"}
    assert responses(dispatcher) == ["utter_screening_clear"]


async def test_flags_are_kept_for_the_hand_off(dispatcher):
    slots = {**all_no(), "healing": "yes", "healing_type": ["poor_healing"]}
    events = await ActionConcludeScreening().run(
        dispatcher, make_tracker(slots={**slots, "handoff_reasons": ["herpes"]}), domain_dict()
    )
    assert slot_events(events) == {
        "screening_outcome": "flagged",
        "handoff_reasons": ["herpes", "poor_healing"],
    }
    assert responses(dispatcher) == ["utter_screening_flagged"]


async def test_a_message_that_answers_nothing_leaves_the_form_to_the_rules(dispatcher):
    # A report after treatment: the slot mappings leave its intent out, so no
    # slot is a candidate; no events make the form reject it and the rules run.
    tracker = make_tracker(
        "my face is red since the treatment",
        intent="post_treatment_concern",
        slots={"requested_slot": "pregnancy"},
        active_loop=FORM,
    )
    events = await ValidateScreeningForm().get_validation_events(dispatcher, tracker, {})
    assert events == []
    assert dispatcher.messages == []
