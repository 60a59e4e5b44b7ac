"""Post-treatment triage end to end over REST: what the person is told, what staff get."""

import pytest

from tests.content_files import faq_responses
from tests.e2e.conversation import asked_slot, response_text
from tests.e2e.stored import handoffs_of
from tests.e2e.test_handoff import REFERENCE, give_contact_details
from tests.servers import eventually

URGENT_SIGNS = response_text("utter_triage_urgent_signs")
FAQ_ANSWERS = {variation["text"] for variation in faq_responses().values()}


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text") for reply in replies]


def stored_handoff(bot, sender: str) -> dict:
    (handoff,) = eventually(lambda: handoffs_of(bot, sender))
    return handoff


@pytest.mark.parametrize(
    ("text", "effect"),
    [
        (
            "I had microneedling yesterday and my face is red like a sunburn, is that normal?",
            "redness",
        ),
        ("I had it done last week and now I have small white bumps", "milia"),
        ("my skin feels tight and sore after my session", "tight_sore"),
    ],
)
def test_an_expected_effect_is_explained_with_the_urgent_signs_and_no_handoff(
    bot, sender, text, effect
):
    replies = bot.send(sender, text)
    assert texts(replies) == [
        response_text(f"utter_triage_expected_{effect}"),
        URGENT_SIGNS,
        response_text("utter_triage_offer_contact"),
    ]
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/request_human"]
    assert handoffs_of(bot, sender) == []


def test_staff_contact_asked_for_after_an_expected_effect_is_a_normal_review(bot, sender):
    replies = bot.send(sender, "my face is red since my treatment yesterday")
    assert texts(bot.send(sender, replies[-1]["buttons"][0]["payload"]))[0] == response_text(
        "utter_handoff_post_treatment_review"
    )
    give_contact_details(bot, sender)
    handoff = stored_handoff(bot, sender)
    assert (handoff["reasons"], handoff["priority"]) == (["post_treatment_review"], "normal")


def test_a_symptom_the_documents_do_not_describe_is_offered_a_normal_review(bot, sender):
    replies = bot.send(sender, "my skin is peeling 3 days after microneedling, is that normal?")
    assert texts(replies) == [
        response_text("utter_triage_review_undescribed"),
        URGENT_SIGNS,
        response_text("utter_triage_offer_review"),
    ]
    assert handoffs_of(bot, sender) == []
    assert texts(bot.send(sender, "yes please")) == [
        response_text("utter_handoff_post_treatment_review"),
        response_text("utter_ask_contact_form_contact_name"),
    ]
    reply = give_contact_details(bot, sender)
    assert REFERENCE.search(reply) and "urgent" not in reply
    handoff = stored_handoff(bot, sender)
    assert handoff["reasons"] == ["post_treatment_review"]
    assert handoff["priority"] == "normal"


def test_an_effect_past_its_time_is_offered_a_review_that_the_button_accepts(bot, sender):
    replies = bot.send(sender, "my face is still red 10 days after microneedling")
    assert texts(replies)[0] == response_text("utter_triage_review_overdue")
    yes = replies[-1]["buttons"][0]["payload"]
    assert texts(bot.send(sender, yes))[0] == response_text("utter_handoff_post_treatment_review")
    give_contact_details(bot, sender)
    assert stored_handoff(bot, sender)["priority"] == "normal"


def test_a_declined_review_stores_nothing(bot, sender):
    replies = bot.send(sender, "I've got a rash since the treatment")
    no = replies[-1]["buttons"][1]["payload"]
    assert texts(bot.send(sender, no)) == [response_text("utter_anything_else")]
    assert handoffs_of(bot, sender) == []


@pytest.mark.parametrize(
    "text", ["could I get an infection from it", "is it normal to bleed a little?"]
)
def test_a_question_gets_an_faq_answer_not_a_handoff(bot, sender, text):
    replies = bot.send(sender, text)
    assert len(replies) == 1 and replies[0]["text"] in FAQ_ANSWERS
    assert handoffs_of(bot, sender) == []


def test_a_cold_sore_after_treatment_is_urgent_with_the_herpes_code(bot, sender):
    replies = bot.send(sender, "I have a cold sore since the treatment")
    assert texts(replies)[0] == response_text("utter_handoff_post_treatment_concern")
    assert "urgent" in give_contact_details(bot, sender)
    handoff = stored_handoff(bot, sender)
    assert handoff["reasons"] == ["post_treatment_concern", "herpes"]
    assert handoff["priority"] == "urgent"


def test_a_suspected_infection_is_urgent_not_a_disclosure(bot, sender):
    replies = bot.send(sender, "I think it's infected after the treatment")
    assert texts(replies)[0] == response_text("utter_handoff_post_treatment_concern")
    give_contact_details(bot, sender)
    handoff = stored_handoff(bot, sender)
    assert handoff["reasons"][0] == "post_treatment_concern"
    assert handoff["priority"] == "urgent"


def test_an_expected_effect_during_the_questionnaire_is_answered_and_it_goes_on(bot, sender):
    assert asked_slot(bot.send(sender, "can I have microneedling?")) == "pregnancy"
    replies = bot.send(sender, "my face is still a bit red since my last treatment yesterday")
    assert texts(replies)[0] == response_text("utter_triage_expected_redness")
    assert asked_slot(replies) == "pregnancy"
    assert asked_slot(bot.send(sender, "No")) == "skin_condition"


def test_an_urgent_sign_during_the_questionnaire_leaves_it_for_the_urgent_handoff(bot, sender):
    bot.send(sender, "can I have microneedling?")
    replies = bot.send(sender, "there's pus on my cheek since the treatment and I have a fever")
    assert texts(replies) == [
        response_text("utter_handoff_post_treatment_concern"),
        response_text("utter_ask_contact_form_contact_name"),
    ]
    give_contact_details(bot, sender)
    assert stored_handoff(bot, sender)["priority"] == "urgent"


def test_an_urgent_sign_while_giving_contact_details_makes_the_handoff_urgent(bot, sender):
    bot.send(sender, "can I speak to a person please")
    replies = bot.send(sender, "actually my face has pus and yellow crusts since the treatment")
    assert response_text("utter_handoff_post_treatment_concern") in texts(replies)
    assert texts(replies)[-1] == response_text("utter_ask_contact_form_contact_name")
    give_contact_details(bot, sender)
    handoff = stored_handoff(bot, sender)
    assert handoff["priority"] == "urgent"
    assert set(handoff["reasons"]) >= {"human_requested", "post_treatment_concern"}


def test_an_expected_effect_while_giving_contact_details_is_explained_and_the_form_goes_on(
    bot, sender
):
    bot.send(sender, "can I speak to a person please")
    replies = bot.send(sender, "my face is red like a sunburn since my treatment yesterday")
    assert texts(replies)[0] == response_text("utter_triage_expected_redness")
    assert texts(replies)[-1] == response_text("utter_ask_contact_form_contact_name")
    give_contact_details(bot, sender)
    handoff = stored_handoff(bot, sender)
    assert (handoff["reasons"], handoff["priority"]) == (["human_requested"], "normal")
