"""Patients are answered in their language over REST, with the real trained bot (`make run`).

Urdu script gets Urdu; Roman Urdu gets English (ROMAN_URDU_REPLY_LANGUAGE's default)
with a one-time offer of Urdu; "urdu mein" and "English please" switch for the rest
of the conversation; staff see the language with the hand-off. The messages are ones
the current model is known to handle whatever their language: greetings and buttons'
payloads, the switch phrases, and Urdu questions (any reply must be in Urdu).
"""

import re

from tests.content_files import faq_answer
from tests.e2e.conversation import response_text
from tests.staff_api import staff
from tests.urdu_texts import is_urdu_response, urdu_text

OFFER = response_text("utter_offer_urdu")
REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")


def test_an_urdu_script_message_gets_an_urdu_reply(bot, sender):
    replies = bot.send(sender, "کیا اس میں درد ہوتا ہے؟")
    assert replies and all(is_urdu_response(r["text"]) for r in replies), replies
    (greeting,) = bot.send(sender, "/greet")
    assert greeting["text"] == urdu_text("utter_greet")
    assert [b["payload"] for b in greeting["buttons"]][-1] == "/start_screening"


def test_roman_urdu_gets_english_with_a_one_time_offer_then_switches_and_back(bot, sender):
    first = [r["text"] for r in bot.send(sender, "kya is mein dard hota hai?")]
    # The answer, then the offer once, at the end (REST splits a text at blank lines).
    assert first[0] == faq_answer("pain") and first[-1].endswith(OFFER)
    assert sum(OFFER in text for text in first) == 1
    assert all(OFFER not in r["text"] for r in bot.send(sender, "mujhe batayein ke kya hai"))

    (switched,) = bot.send(sender, "urdu mein")
    assert switched["text"] == urdu_text("utter_language_switched")
    (greeting,) = bot.send(sender, "/greet")
    assert greeting["text"] == urdu_text("utter_greet")
    (answer,) = bot.send(sender, "how long does a session take?")  # the choice sticks
    assert answer["text"] == urdu_text("utter_faq/duration")

    (back,) = bot.send(sender, "English please")
    assert back["text"] == response_text("utter_language_switched")
    assert bot.send(sender, "how long does a session take?")[0]["text"] == faq_answer("duration")
    (greeting,) = bot.send(sender, "kal karwaya tha, ab kya karun")  # Roman Urdu again
    assert OFFER not in greeting["text"]


def test_a_handoff_from_an_urdu_conversation_shows_the_language_to_staff(bot, sender):
    bot.send(sender, "السلام علیکم، مجھے کسی سے بات کرنی ہے")
    asked = bot.send(sender, "/request_human")
    assert asked[-1]["text"] == urdu_text("utter_ask_contact_form_contact_name")
    bot.send(sender, "Ayesha Khan")
    (raised,) = bot.send(sender, "0300 1234567")
    reference = REFERENCE.search(raised["text"]).group(0)
    assert raised["text"].startswith(f"شکریہ۔ آپ کا ریفرنس نمبر {reference} ہے۔")
    assert "آپ سے ایک کاروباری دن کے اندر رابطہ کرے گا" in raised["text"]

    (handoff,) = [
        h for h in staff(bot, "GET", "/handoffs")["handoffs"] if h["reference"] == reference
    ]
    assert handoff["language"] == "ur"
    detail = staff(bot, "GET", f"/handoffs/{handoff['id']}")
    assert detail["language"] == "ur"
    patient = [m["text"] for m in detail["transcript"] if m["author"] == "patient"]
    assert patient[0] == "السلام علیکم، مجھے کسی سے بات کرنی ہے"  # as written


def test_a_switch_in_the_middle_of_a_form_asks_the_question_again_in_the_new_language(bot, sender):
    asked = bot.send(sender, "/request_human")
    assert asked[-1]["text"] == response_text("utter_ask_contact_form_contact_name")
    replies = bot.send(sender, "urdu mein")
    assert [r["text"] for r in replies] == [
        urdu_text("utter_language_switched"),
        urdu_text("utter_ask_contact_form_contact_name"),
    ]
