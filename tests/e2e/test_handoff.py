"""Hand-offs end to end: what the person is told, from the first message to the reference."""

import re

import pytest
import requests

from tests.conftest import STAFF_API_TOKEN
from tests.content_files import faq_answer
from tests.e2e.conversation import response_text, run_questionnaire
from tests.servers import eventually

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")


def give_contact_details(bot, sender) -> str:
    """Answer the contact questions; returns the final reply's text."""
    bot.send(sender, "Sam Taylor")
    (reply,) = bot.send(sender, "07700 900123")
    return reply["text"]


def test_asking_for_a_human_collects_contact_details_and_gives_a_reference(bot, sender):
    replies = bot.send(sender, "can I speak to a real person please")
    assert [r["text"] for r in replies] == [
        response_text("utter_handoff_human_requested"),
        response_text("utter_ask_contact_form_contact_name"),
    ]
    assert bot.send(sender, "Sam Taylor")[0]["text"] == response_text(
        "utter_ask_contact_form_contact_details", contact_name="Sam Taylor"
    )
    (reply,) = bot.send(sender, "07700 900123")
    assert REFERENCE.search(reply["text"])


def test_an_invalid_phone_or_email_is_asked_again(bot, sender):
    bot.send(sender, "I want to talk to someone")
    bot.send(sender, "Sam")
    assert bot.send(sender, "tomorrow afternoon")[0]["text"] == response_text(
        "utter_contact_details_invalid"
    )


@pytest.mark.parametrize(
    "text",
    [
        "I'm 12 weeks pregnant, can I do this?",
        "I'm 3 months pregnant, is microneedling allowed?",
        "I've had rosacea for years, does that rule me out?",
        "I'm on Accutane at the moment, can I still have microneedling",
    ],
)
def test_a_volunteered_contraindication_goes_to_staff_at_once(bot, sender, text):
    replies = bot.send(sender, text)
    assert [r["text"] for r in replies] == [
        response_text("utter_handoff_disclosure"),
        response_text("utter_ask_contact_form_contact_name"),
    ]


def test_a_negated_or_someone_elses_condition_is_not_a_flag(bot, sender):
    replies = bot.send(sender, "my sister is pregnant but I'm not, how long does a session take?")
    assert response_text("utter_handoff_disclosure") not in [r["text"] for r in replies]


def test_a_worrying_symptom_after_treatment_is_urgent(bot, sender):
    replies = bot.send(
        sender, "I had microneedling 3 days ago and now there's pus and I have a fever"
    )
    assert replies[0]["text"] == response_text("utter_handoff_post_treatment_concern")
    assert "urgent" in give_contact_details(bot, sender)


def test_once_staff_have_the_conversation_no_new_screening_but_faqs_still_answered(bot, sender):
    run_questionnaire(bot, sender, {"keloids": "Yes"})
    text = give_contact_details(bot, sender)
    reference = REFERENCE.search(text).group(0)
    replies = bot.send(sender, "can I have microneedling?")
    assert [r["text"] for r in replies] == [
        response_text("utter_handoff_already_open", handoff_reference=reference)
    ]
    assert [r["text"] for r in bot.send(sender, "when will I see results?")] == [
        faq_answer("results")
    ]


def test_two_misunderstandings_then_accepting_staff_contact(bot, sender):
    bot.send(sender, "blorp zzkq wibble fnord")
    bot.send(sender, "qwxz plonk vrrrm")
    replies = bot.send(sender, "/request_human")
    assert replies[0]["text"] == response_text("utter_handoff_repeated_fallback")


def test_staff_are_notified_by_webhook_and_email(bot, sender, staff_webhook, staff_mailbox):
    bot.send(sender, "I had microneedling yesterday and my face is swollen and oozing pus")
    reference = REFERENCE.search(give_contact_details(bot, sender)).group(0)
    hook = eventually(lambda: [p for p in staff_webhook.received if p["reference"] == reference])
    assert hook[0]["priority"] == "urgent"
    assert "post_treatment_concern" in hook[0]["reasons"]
    mail = eventually(lambda: [m for m in staff_mailbox.messages if reference in m["Subject"]])
    assert mail[0]["Subject"].startswith("URGENT")
    assert "pus" not in mail[0].get_payload()  # health details stay behind the console login


def staff_api(bot, path: str) -> list | dict:
    response = requests.get(
        f"{bot.console_url}/api{path}",
        headers={"Authorization": f"Bearer {STAFF_API_TOKEN}"},
        timeout=10,
    )
    response.raise_for_status()
    body = response.json()
    return body.get("handoffs", body)


def test_staff_see_the_flagged_questionnaire_through_the_api(bot, sender):
    answers = {"skin_condition": "Yes", "skin_condition_type": "Rosacea", "cold_sores": "Not sure"}
    run_questionnaire(bot, sender, answers)
    reference = REFERENCE.search(give_contact_details(bot, sender)).group(0)
    (handoff,) = [h for h in staff_api(bot, "/handoffs?status=open") if h["reference"] == reference]
    assert handoff["conversation_id"] == sender
    assert handoff["channel"] == "rest"
    assert handoff["reasons"] == ["rosacea", "herpes"]
    assert handoff["priority"] == "screening"
    assert handoff["contact"] == {"name": "Sam Taylor", "phone": "+447700900123", "email": None}
    detail = staff_api(bot, f"/handoffs/{handoff['id']}")
    assert detail["answers"]["skin_condition_type"] == ["rosacea"]
    assert detail["answers"]["cold_sores"] == "unsure"


def test_a_volunteered_flag_reaches_staff_with_its_code(bot, sender):
    bot.send(sender, "I'm on Roaccutane at the moment, is that a problem?")
    reference = REFERENCE.search(give_contact_details(bot, sender)).group(0)
    (handoff,) = [h for h in staff_api(bot, "/handoffs") if h["reference"] == reference]
    assert handoff["reasons"] == ["acne_medication"]


def test_asking_for_a_human_is_one_handoff_however_often_asked(bot, sender):
    bot.send(sender, "I want to speak to a person")
    give_contact_details(bot, sender)
    bot.send(sender, "can I talk to a human please")
    mine = [h for h in staff_api(bot, "/handoffs") if h["conversation_id"] == sender]
    assert len(mine) == 1 and mine[0]["reasons"] == ["human_requested"]
