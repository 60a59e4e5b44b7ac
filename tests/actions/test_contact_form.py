"""The contact form's validator: replies read before intents, no question asked a third time."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.contact_form import ValidateContactForm
from actions.form_validation import FormReplyValidation
from clinic_store.settings import get_settings
from tests.actions.trackers import domain_dict, make_tracker, mention, slot_events

FORM = "contact_form"


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


async def reply(dispatcher, text: str, asked: str = "contact_name", slots=None, **tracker_args):
    """The form's events for `text` sent in reply to the question `asked`."""
    tracker = make_tracker(
        text, active_loop=FORM, slots={"requested_slot": asked, **(slots or {})}, **tracker_args
    )
    return await ValidateContactForm().run(dispatcher, tracker, domain_dict())


def responses(dispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


def test_the_shared_base_is_abstract_so_the_action_server_does_not_register_it():
    with pytest.raises(TypeError):
        FormReplyValidation()


@pytest.mark.parametrize("intent", ["faq", "request_human", "nlu_fallback"])
async def test_a_name_is_a_name_whatever_the_classifier_said(dispatcher, intent):
    slots = slot_events(await reply(dispatcher, "Jo Bloggs", intent=intent))
    assert slots["contact_name"] == "Jo Bloggs"
    assert dispatcher.messages == []


async def test_urdu_mein_at_the_name_step_is_no_name_and_the_question_comes_again(dispatcher):
    slots = slot_events(await reply(dispatcher, "urdu mein", intent="switch_language"))
    assert slots == {"asked_again": ["contact_name"]}  # not a name; asked again by the form
    assert responses(dispatcher) == ["utter_language_switched"]


async def test_details_at_the_name_step_fill_the_details_and_the_name_is_asked_once_more(
    dispatcher,
):
    slots = slot_events(await reply(dispatcher, "my number is 07700 900777", intent="out_of_scope"))
    assert slots["contact_phone"] == "+447700900777"
    assert slots["contact_details"] == "my number is 07700 900777"
    assert "contact_name" not in slots
    assert slots["asked_again"] == ["contact_name"]
    assert responses(dispatcher) == ["utter_contact_name_after_details"]


async def test_details_again_at_the_name_step_go_on_without_a_name(dispatcher):
    events = await reply(dispatcher, "07700 900888", slots={"asked_again": ["contact_name"]})
    slots = slot_events(events)
    assert slots["contact_name"] is None and slots["contact_skipped"] == ["contact_name"]
    assert slots["contact_phone"] == "+447700900888"
    assert slots["requested_slot"] is None  # both questions dealt with: the form ends


async def test_name_and_number_in_one_reply(dispatcher):
    slots = slot_events(await reply(dispatcher, "Sarah Jones, 07700 900888"))
    assert (slots["contact_name"], slots["contact_phone"]) == ("Sarah Jones", "+447700900888")


async def test_both_a_phone_and_an_email_are_kept(dispatcher):
    text = "+44 7700 900123, sam@example.com"
    slots = slot_events(
        await reply(dispatcher, text, asked="contact_details", intent="request_human")
    )
    assert (slots["contact_phone"], slots["contact_email"]) == ("+447700900123", "sam@example.com")
    assert slots["contact_details"] == text


async def test_the_default_region_is_a_setting(dispatcher, monkeypatch):
    monkeypatch.setenv("PHONE_DEFAULT_REGION", "GB")
    monkeypatch.setenv("PHONE_OTHER_REGIONS", "GB")  # no other region to try
    slots = slot_events(await reply(dispatcher, "0300 1234567", asked="contact_details"))
    assert slots["contact_phone"] == "+443001234567"


async def test_unusable_details_are_asked_again_once_then_skipped(dispatcher):
    first = slot_events(await reply(dispatcher, "tomorrow", asked="contact_details"))
    assert responses(dispatcher) == ["utter_contact_details_invalid"]
    assert first["asked_again"] == ["contact_details"]
    assert "contact_details" not in first  # still to be asked
    again = CollectingDispatcher()
    second = slot_events(
        await reply(
            again,
            "🙂",
            asked="contact_details",
            slots={"contact_name": "Ann", "asked_again": ["contact_details"]},
        )
    )
    assert second["contact_skipped"] == ["contact_details"]
    assert second["requested_slot"] is None


async def test_a_second_unusable_name_goes_on_without_it(dispatcher):
    slots = slot_events(await reply(dispatcher, "???", slots={"asked_again": ["contact_name"]}))
    assert responses(dispatcher) == ["utter_contact_name_skipped"]
    assert slots["requested_slot"] == "contact_details"


@pytest.mark.parametrize("text", ["I'd rather not", "no thanks", "skip"])
async def test_a_decline_skips_the_question(dispatcher, text):
    slots = slot_events(
        await reply(dispatcher, text, asked="contact_details", slots={"contact_name": "Ann"})
    )
    assert slots["contact_skipped"] == ["contact_details"]
    assert slots["requested_slot"] is None


async def test_a_question_is_answered_and_counts(dispatcher):
    slots = slot_events(
        await reply(
            dispatcher,
            "how long does it take?",
            asked="contact_details",
            intent="faq",
            response_selector={"faq": {"response": {"intent_response_key": "faq/duration"}}},
        )
    )
    assert responses(dispatcher) == ["utter_faq/duration"]
    assert slots["asked_again"] == ["contact_details"]


async def test_asking_for_a_person_again_carries_on(dispatcher):
    events = await reply(
        dispatcher, "I want a human", asked="contact_details", intent="request_human"
    )
    assert responses(dispatcher) == ["utter_contact_form_continues"]
    assert slot_events(events) == {"asked_again": ["contact_details"]}


async def test_a_volunteered_contraindication_joins_the_reasons(dispatcher):
    slots = slot_events(
        await reply(
            dispatcher,
            "I'm pregnant by the way",
            intent="disclose_contraindication",
            entities=[mention("pregnancy", "positive", 4, 12)],
            slots={"handoff_reasons": ["human_requested"]},
        )
    )
    assert slots["handoff_reasons"] == ["human_requested", "pregnancy"]
    assert responses(dispatcher) == ["utter_contraindication_noted"]


async def test_an_urgent_report_leaves_the_form_to_the_rules(dispatcher):
    events = await reply(
        dispatcher, "my face is burning and swollen", intent="post_treatment_concern"
    )
    assert events[0]["event"] == "action_execution_rejected"


async def test_stop_ends_the_form_so_the_handoff_is_stored(dispatcher):
    events = await reply(dispatcher, "cancel", intent="goodbye")
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]


async def test_whatsapp_needs_no_contact_form(dispatcher):
    tracker = make_tracker("hi", channel="whatsapp", sender_id="923001234567", active_loop=FORM)
    events = await ValidateContactForm().run(dispatcher, tracker, domain_dict())
    assert slot_events(events) == {"requested_slot": None}


def test_an_unknown_phone_region_stops_the_settings_loudly():
    with pytest.raises(ValueError, match="PHONE_DEFAULT_REGION"):
        get_settings({"PHONE_DEFAULT_REGION": "XX"})
    assert get_settings({}).phone_regions == ("PK", "GB")
    assert get_settings({"PHONE_OTHER_REGIONS": "pk, ae"}).phone_regions == ("PK", "AE")


async def test_a_condition_named_in_an_answer_is_kept_for_staff(dispatcher):
    slots = slot_events(
        await reply(
            dispatcher,
            "I'm Sarah and I'm pregnant",
            intent="disclose_contraindication",
            entities=[mention("pregnancy", "positive", 18, 26)],
            slots={"handoff_reasons": ["human_requested"]},
        )
    )
    assert slots["contact_name"] == "Sarah"
    assert slots["handoff_reasons"] == ["human_requested", "pregnancy"]
