"""The contact step end to end: every way people give their details completes the hand-off.

Each case asks for a person over REST, answers the two contact questions and
checks what staff see (the stored hand-off's phone in E.164 form and e-mail)
and that the person was given a reference. Numbers without a country code are
read as Pakistani first (PHONE_DEFAULT_REGION=PK), then British.
"""

import re

import pytest

from tests.content_files import contact_formats, domain_responses
from tests.e2e.conversation import response_text
from tests.e2e.stored import handoffs_of

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
PK = "+923001234567"
# The details question when the person gave no name (its variation conditioned on that).
DETAILS_QUESTION_WITHOUT_NAME = next(
    v["text"]
    for v in domain_responses()["utter_ask_contact_form_contact_details"]
    if v.get("condition")
)

DETAILS_REPLIES = contact_formats()


def ask_for_a_person(bot, sender) -> None:
    replies = bot.send(sender, "can I speak to a real person please")
    assert replies[-1]["text"] == response_text("utter_ask_contact_form_contact_name")


def the_handoff(bot, sender) -> dict:
    (handoff,) = handoffs_of(bot, sender)
    return handoff


def final_reference(replies: list[dict]) -> str:
    match = REFERENCE.search(replies[-1]["text"])
    assert match, f"no reference in {replies[-1]['text']!r}"
    return match.group(0)


@pytest.mark.parametrize(("reply", "phone", "email"), DETAILS_REPLIES)
def test_every_details_format_completes_the_handoff(bot, sender, reply, phone, email):
    ask_for_a_person(bot, sender)
    bot.send(sender, "Sam Taylor")
    reference = final_reference(bot.send(sender, reply))
    handoff = the_handoff(bot, sender)
    assert handoff["reference"] == reference
    assert handoff["contact"] == {"name": "Sam Taylor", "phone": phone, "email": email}


@pytest.mark.parametrize(
    ("reply", "name"),
    [
        ("Jo Bloggs", "Jo Bloggs"),
        ("Sarah Jones", "Sarah Jones"),
        ("my name is sarah jones", "Sarah Jones"),
        ("it's Jo", "Jo"),
        ("I'm Ann Smith", "Ann Smith"),
        ("this is Sam here", "Sam"),
        ("Zoë O'Neill-Brown", "Zoë O'Neill-Brown"),
    ],
)
def test_a_name_is_taken_whatever_intent_it_looks_like(bot, sender, reply, name):
    ask_for_a_person(bot, sender)
    assert bot.send(sender, reply)[-1]["text"] == response_text(
        "utter_ask_contact_form_contact_details", contact_name=name
    )
    final_reference(bot.send(sender, "0300 1234567"))
    assert the_handoff(bot, sender)["contact"] == {"name": name, "phone": PK, "email": None}


def test_a_number_given_for_the_name_is_contact_details_and_the_name_is_asked_once_more(
    bot, sender
):
    ask_for_a_person(bot, sender)
    replies = bot.send(sender, "my number is 07700 900777")
    assert [r["text"] for r in replies] == [
        response_text("utter_contact_name_after_details"),
        response_text("utter_ask_contact_form_contact_name"),
    ]
    final_reference(bot.send(sender, "Jo Bloggs"))
    contact = the_handoff(bot, sender)["contact"]
    assert contact == {"name": "Jo Bloggs", "phone": "+447700900777", "email": None}


def test_a_second_number_for_the_name_completes_without_a_name(bot, sender):
    ask_for_a_person(bot, sender)
    bot.send(sender, "07700 900888")
    final_reference(bot.send(sender, "07700 900888"))
    contact = the_handoff(bot, sender)["contact"]
    assert contact == {"name": None, "phone": "+447700900888", "email": None}


def test_name_and_number_in_one_message_fill_both(bot, sender):
    ask_for_a_person(bot, sender)
    final_reference(bot.send(sender, "Sarah Jones, 07700 900888"))
    contact = the_handoff(bot, sender)["contact"]
    assert contact == {"name": "Sarah Jones", "phone": "+447700900888", "email": None}


def test_an_email_alone_at_the_name_step_is_kept(bot, sender):
    ask_for_a_person(bot, sender)
    bot.send(sender, "sarah@example.com")
    final_reference(bot.send(sender, "Sarah"))
    contact = the_handoff(bot, sender)["contact"]
    assert contact == {"name": "Sarah", "phone": None, "email": "sarah@example.com"}


def test_asking_for_a_person_again_carries_on_with_the_form(bot, sender):
    ask_for_a_person(bot, sender)
    bot.send(sender, "Sam Taylor")
    replies = [r["text"] for r in bot.send(sender, "I want to talk to a human")]
    assert response_text("utter_handoff_human_requested") not in replies
    assert replies == [
        response_text("utter_contact_form_continues"),
        response_text("utter_ask_contact_form_contact_details", contact_name="Sam Taylor"),
    ]
    final_reference(bot.send(sender, "+44 7700 900123, sam@example.com"))
    assert the_handoff(bot, sender)["contact"]["email"] == "sam@example.com"


def test_a_question_is_answered_and_the_details_asked_again(bot, sender):
    ask_for_a_person(bot, sender)
    bot.send(sender, "Sam Taylor")
    replies = bot.send(sender, "how long does a session take?")
    assert len(replies) == 2
    assert replies[-1]["text"] == response_text(
        "utter_ask_contact_form_contact_details", contact_name="Sam Taylor"
    )
    final_reference(bot.send(sender, "07700 900123"))


@pytest.mark.parametrize("decline", ["I'd rather not", "no thanks", "skip"])
def test_declining_still_stores_the_handoff_and_gives_a_reference(bot, sender, decline):
    ask_for_a_person(bot, sender)
    assert bot.send(sender, decline)[-1]["text"] == DETAILS_QUESTION_WITHOUT_NAME
    reference = final_reference(bot.send(sender, decline))
    handoff = the_handoff(bot, sender)
    assert handoff["reference"] == reference
    assert handoff["contact"] == {"name": None, "phone": None, "email": None}
    assert bot.send(sender, "hello")  # the conversation goes on


def test_two_unusable_replies_store_the_handoff_without_contact_details(bot, sender):
    ask_for_a_person(bot, sender)
    bot.send(sender, "Sam Taylor")
    assert bot.send(sender, "tomorrow afternoon")[-1]["text"] == response_text(
        "utter_ask_contact_form_contact_details", contact_name="Sam Taylor"
    )
    replies = bot.send(sender, "🙂🙂")
    reference = final_reference(replies)
    assert replies[-1]["text"] == response_text(
        "utter_handoff_raised_no_contact",
        handoff_reference=reference,
    )
    assert the_handoff(bot, sender)["contact"] == {
        "name": "Sam Taylor",
        "phone": None,
        "email": None,
    }


def test_stop_leaves_the_form_and_the_handoff_is_still_stored(bot, sender):
    ask_for_a_person(bot, sender)
    final_reference(bot.send(sender, "stop"))
    assert the_handoff(bot, sender)["reasons"] == ["human_requested"]
