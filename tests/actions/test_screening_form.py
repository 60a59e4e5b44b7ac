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


async def validate(dispatcher, asked: str = "pregnancy", slots=None, **tracker_args) -> dict:
    """What the form makes of the latest message, sent in reply to the question `asked`."""
    slots = {"requested_slot": asked, **(slots or {})}
    tracker = make_tracker(active_loop=FORM, slots=slots, **tracker_args)
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain_dict())
    return slot_events(events)


def responses(dispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


async def test_a_typed_no_is_recorded_and_the_next_question_asked(dispatcher):
    slots = await validate(dispatcher, text="nope")
    assert slots["pregnancy"] == "no"
    assert slots["requested_slot"] == "skin_condition"
    assert dispatcher.messages == []


async def test_a_yes_to_a_grouped_question_asks_which_one(dispatcher):
    slots = await validate(
        dispatcher,
        text="Yes",
        asked="skin_condition",
        slots={"pregnancy": "no"},
    )
    assert slots["skin_condition"] == "yes"
    assert slots["requested_slot"] == "skin_condition_type"


async def test_which_one_by_number(dispatcher):
    slots = await validate(
        dispatcher,
        text="2",
        asked="skin_condition_type",
        slots={"pregnancy": "no", "skin_condition": "yes"},
    )
    assert slots["skin_condition_type"] == ["eczema"]
    assert slots["requested_slot"] == "treatment_area"


async def test_an_unclear_answer_is_asked_again_then_noted_as_not_sure(dispatcher):
    first = await validate(dispatcher, text="banana")
    assert "pregnancy" not in first
    assert first["asked_again"] == ["pregnancy"]
    assert first["requested_slot"] == "pregnancy"
    assert responses(dispatcher) == ["utter_screening_unclear"]

    again = CollectingDispatcher()
    second = await validate(
        again,
        text="potato",
        slots={"asked_again": ["pregnancy"]},
    )
    assert second["pregnancy"] == "unsure"
    assert responses(again) == ["utter_screening_noted_unsure"]


async def test_asking_for_another_language_repeats_the_question_like_a_question_would(dispatcher):
    slots = await validate(dispatcher, text="urdu mein", intent="switch_language")
    assert responses(dispatcher) == ["utter_language_switched"]
    assert "pregnancy" not in slots and slots["requested_slot"] == "pregnancy"
    assert slots["asked_again"] == ["pregnancy"]  # switching back and forth cannot loop


FAQ_DURATION = {
    "text": "how long does it take?",
    "intent": "faq",
    "response_selector": {"faq": {"response": {"intent_response_key": "faq/duration"}}},
}


async def test_a_question_instead_of_an_answer_is_answered_and_the_question_repeated(dispatcher):
    slots = await validate(dispatcher, **FAQ_DURATION)
    assert responses(dispatcher) == ["utter_faq/duration"]
    assert "pregnancy" not in slots
    assert slots["requested_slot"] == "pregnancy"
    # A question counts as a reply that is no answer: asking questions cannot loop.
    assert slots["asked_again"] == ["pregnancy"]


async def test_a_second_question_is_answered_and_the_item_noted_as_not_sure(dispatcher):
    slots = await validate(dispatcher, slots={"asked_again": ["pregnancy"]}, **FAQ_DURATION)
    assert responses(dispatcher) == ["utter_faq/duration", "utter_screening_noted_unsure"]
    assert slots["pregnancy"] == "unsure"
    assert slots["requested_slot"] == "skin_condition"


AFTER_TREATMENT_AREA_YES = {"pregnancy": "no", "skin_condition": "no", "treatment_area": "yes"}


@pytest.mark.parametrize(
    ("text", "intent", "entities", "chosen"),
    [
        # Classified as an urgent post-treatment report, with no mention found.
        ("an infection", "post_treatment_concern", [], ["active_skin_infection"]),
        (
            "infected",
            "post_treatment_concern",
            [mention("active_skin_infection", "positive", 0, 8)],
            ["active_skin_infection"],
        ),
        (
            "a cut",
            "disclose_contraindication",
            [mention("open_wound", "positive", 2, 5)],
            ["open_wound"],
        ),
        (
            "sunburnt",
            "disclose_contraindication",
            [mention("sunburn", "positive", 0, 8)],
            ["sunburn"],
        ),
        (
            "mole",
            "disclose_contraindication",
            [mention("raised_moles_warts", "positive", 0, 4)],
            ["raised_moles_warts"],
        ),
        ("1 and 3", "out_of_scope", [], ["skin_inflammation", "open_wound"]),
    ],
)
async def test_which_of_these_is_answered_whatever_the_intent(
    dispatcher, text, intent, entities, chosen
):
    slots = await validate(
        dispatcher,
        text=text,
        intent=intent,
        entities=entities,
        asked="treatment_area_type",
        slots=AFTER_TREATMENT_AREA_YES,
    )
    assert slots["treatment_area_type"] == chosen
    assert slots["requested_slot"] == "cold_sores"


async def test_an_unclear_follow_up_is_asked_again_once_then_noted_as_not_sure(dispatcher):
    first = await validate(
        dispatcher, text="hmm", asked="treatment_area_type", slots=AFTER_TREATMENT_AREA_YES
    )
    assert responses(dispatcher) == ["utter_screening_unclear_options"]
    again = CollectingDispatcher()
    second = await validate(
        again,
        text="hmm",
        asked="treatment_area_type",
        slots={**AFTER_TREATMENT_AREA_YES, "asked_again": first["asked_again"]},
    )
    assert second["treatment_area_type"] == "unsure"
    assert responses(again) == ["utter_screening_noted_unsure"]


@pytest.mark.parametrize("intent", ["request_human", "post_treatment_concern", "goodbye"])
async def test_leaving_intents_hand_the_turn_to_the_rules(dispatcher, intent):
    tracker = make_tracker(
        "get me a person", intent=intent, active_loop=FORM, slots={"requested_slot": "keloids"}
    )
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain_dict())
    assert events[0] == {**events[0], "event": "action_execution_rejected", "name": FORM}


async def test_a_yes_leaves_nothing_to_the_rules_even_as_a_request_for_a_person(dispatcher):
    slots = await validate(dispatcher, text="yes", intent="request_human", asked="keloids")
    assert slots["keloids"] == "yes"


async def test_stop_leaves_the_questionnaire(dispatcher):
    tracker = make_tracker(
        "stop", intent="goodbye", active_loop=FORM, slots={"requested_slot": "keloids"}
    )
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain_dict())
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]


async def test_a_stopped_questionnaire_is_never_a_clearance(dispatcher):
    events = await ActionConcludeScreening().run(
        dispatcher, make_tracker(slots={"pregnancy": "no"}), domain_dict()
    )
    assert slot_events(events) == {"screening_outcome": "stopped"}
    assert responses(dispatcher) == ["utter_screening_stopped"]


async def test_a_stopped_questionnaire_with_a_flag_still_goes_to_staff(dispatcher):
    events = await ActionConcludeScreening().run(
        dispatcher, make_tracker(slots={"pregnancy": "yes"}), domain_dict()
    )
    assert slot_events(events)["screening_outcome"] == "flagged"


async def test_a_reply_after_another_action_is_not_read_again(dispatcher):
    # Back in the form after an interruption (the FAQ rule, a hand-off start): the
    # message was dealt with already and must not count twice.
    tracker = make_tracker("banana", active_loop=FORM, slots={"requested_slot": "pregnancy"})
    tracker.events.append({"event": "action", "name": "action_start_handoff"})
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain_dict())
    assert "asked_again" not in slot_events(events)
    assert dispatcher.messages == []


async def test_a_volunteered_condition_fills_its_own_item(dispatcher):
    text = "not pregnant but I have eczema"
    slots = await validate(
        dispatcher,
        text=text,
        entities=[mention("pregnancy", "negated", 4, 12), mention("eczema", "positive", 24, 30)],
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
