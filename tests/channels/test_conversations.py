"""Whole WhatsApp conversations with the running bot: signed webhooks in, fake APIs out."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from actions.questionnaire import load_questionnaire
from clinic_store.handoffs import HandoffStore
from tests.channels.fakes import WHATSAPP_VERIFY_TOKEN, FakeGraphApi, FakeTwilioApi
from tests.channels.webhooks import (
    meta_request,
    new_message_id,
    new_wa_id,
    reply_payload,
    status_payload,
    text_payload,
    twilio_form,
    twilio_headers,
)
from tests.content_files import faq_answer
from tests.e2e.conversation import QUESTIONS, response_text
from tests.servers import RunningBot
from tests.urdu_texts import is_urdu_response, urdu_text

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
TOP_LEVEL = [item.slot for item in load_questionnaire().items]
# After the bot's last message, how long nothing more must arrive before its turn counts as over.
QUIET_S = 1.0
CONTACT_QUESTIONS = {response_text("utter_ask_contact_form_contact_name")}


def body_text(message: dict) -> str:
    """What the person reads in a Graph API message body."""
    if message["type"] == "interactive":
        return message["interactive"]["body"]["text"]
    return message["text"]["body"]


def reply_ids(message: dict) -> list[str]:
    return [b["reply"]["id"] for b in message["interactive"]["action"]["buttons"]]


@dataclass
class WhatsAppPatient:
    """One person messaging the clinic on WhatsApp (Cloud API), with the bot's replies to them."""

    bot: RunningBot
    graph: FakeGraphApi
    number: str

    @property
    def webhook_url(self) -> str:
        return f"{self.bot.rasa_url}/webhooks/whatsapp/webhook"

    def post(self, payload: dict | bytes, **headers: str) -> int:
        body, signed = meta_request(payload)
        return requests.post(
            self.webhook_url, data=body, headers={**signed, **headers}, timeout=30
        ).status_code

    def turn(self, payload: dict, done: Callable[[list[dict]], bool] = bool) -> list[dict]:
        """Send `payload`; the bot's replies, once `done(replies)` holds and nothing more comes."""
        before = len(self.graph.sent_to(self.number))
        assert self.post(payload) == 200

        def replies() -> list[dict]:
            return self.graph.sent_to(self.number)[before:]

        self.graph.wait_for(lambda _: done(replies()))
        count = len(replies())
        while True:
            time.sleep(QUIET_S)
            if len(replies()) == count:
                return replies()
            count = len(replies())

    def say(self, text: str, **kwargs) -> list[dict]:
        return self.turn(text_payload(self.number, text), **kwargs)

    def tap(self, reply_id: str, **kwargs) -> list[dict]:
        return self.turn(reply_payload(self.number, reply_id), **kwargs)


def asks_or_ends(replies: list[dict]) -> bool:
    """The bot's turn in the questionnaire is over: a question with buttons, or a reference."""
    return bool(replies) and (
        replies[-1]["type"] == "interactive" or bool(REFERENCE.search(body_text(replies[-1])))
    )


def test_the_verification_handshake(patient):
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
        "hub.challenge": "42",
    }
    answer = requests.get(patient.webhook_url, params=params, timeout=10)
    assert (answer.status_code, answer.text) == (200, "42")
    params["hub.verify_token"] = "guess"
    assert requests.get(patient.webhook_url, params=params, timeout=10).status_code == 403


def test_a_question_gets_its_faq_answer_as_text(patient):
    (reply,) = patient.say("how long does a session take?")
    assert reply["type"] == "text"
    assert reply["text"]["body"] == faq_answer("duration")


def test_the_questionnaire_with_reply_buttons_ends_in_a_handoff_to_the_whatsapp_number(
    patient, bot
):
    replies = patient.say("can I have microneedling?", done=asks_or_ends)
    asked = []
    while replies[-1]["type"] == "interactive":
        question = replies[-1]
        assert reply_ids(question) == ["Yes", "No", "Not sure"]
        asked.append(QUESTIONS[body_text(question)])
        assert len(asked) <= len(TOP_LEVEL), "the questionnaire does not end"
        replies = patient.tap("Yes" if asked[-1] == "keloids" else "No", done=asks_or_ends)
    assert asked == TOP_LEVEL

    texts = [body_text(reply) for reply in replies]
    assert texts[0] == response_text("utter_screening_flagged")
    assert not CONTACT_QUESTIONS & set(texts), "WhatsApp needs no name or phone question"
    reference = REFERENCE.search(texts[-1]).group(0)
    handoff = HandoffStore(bot.database_url).get_by_reference(reference)
    assert handoff.channel == "whatsapp"
    assert handoff.contact["phone"] == f"+{patient.number}"
    assert "keloid_history" in handoff.reasons


def test_urdu_on_whatsapp_urdu_replies_the_one_offer_and_the_switch_both_ways(patient):
    replies = patient.say("کیا اس میں درد ہوتا ہے؟")
    assert replies and all(is_urdu_response(body_text(r)) for r in replies)
    (greeting,) = patient.say("hello there")  # too short to change the language
    assert body_text(greeting) == urdu_text("utter_greet")
    buttons = greeting["interactive"]["action"]["buttons"]
    assert [b["reply"]["title"] for b in buttons][0] == "مائیکرونیڈلنگ کیا ہے"
    assert reply_ids(greeting)[-1] == "/start_screening"

    (switched,) = patient.say("English please")
    assert body_text(switched) == response_text("utter_language_switched")
    (answer,) = patient.say("how long does a session take?")
    assert body_text(answer) == faq_answer("duration")
    (switched,) = patient.say("urdu mein")
    assert body_text(switched) == urdu_text("utter_language_switched")
    (answer,) = patient.say("how long does a session take?")
    assert body_text(answer) == urdu_text("utter_faq/duration")


def test_roman_urdu_on_whatsapp_gets_english_and_the_offer_once(bot, fake_graph_api):
    patient = WhatsAppPatient(bot, fake_graph_api, new_wa_id())
    offer = response_text("utter_offer_urdu")
    first = patient.say("kya is mein dard hota hai?")
    assert body_text(first[0]).endswith(f"\n\n{offer}")
    assert all(offer not in body_text(r) for r in patient.say("mujhe batayein ke kya hai"))


def test_requests_without_a_valid_signature_are_refused(patient):
    body, headers = meta_request(text_payload(patient.number, "hello"))
    url = patient.webhook_url
    assert (
        requests.post(
            url, data=body, headers={"Content-Type": "application/json"}, timeout=10
        ).status_code
        == 403
    )
    forged = {**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}
    assert requests.post(url, data=body, headers=forged, timeout=10).status_code == 403
    assert requests.post(url, data=body + b"\n", headers=headers, timeout=10).status_code == 403


def test_malformed_payloads_are_bad_requests_and_the_bot_keeps_working(patient):
    assert patient.post(b"{not json") == 400
    assert patient.post({"object": "whatsapp_business_account", "entry": "oops"}) == 400
    (reply,) = patient.say("does it hurt?")
    assert reply["text"]["body"] == faq_answer("pain")


def test_a_redelivered_message_is_answered_once_and_a_status_update_not_at_all(patient):
    payload = text_payload(patient.number, "how long does a session take?", new_message_id())
    first = patient.turn(payload)
    assert patient.post(payload) == 200  # Meta delivering it again
    assert patient.post(status_payload(patient.number)) == 200
    (answer,) = patient.say("does it hurt?")
    assert [body_text(m) for m in first] == [faq_answer("duration")]
    assert body_text(answer) == faq_answer("pain")
    assert len(patient.graph.sent_to(patient.number)) == 2


@dataclass
class TwilioPatient:
    """One person messaging the clinic on WhatsApp through Twilio."""

    bot: RunningBot
    twilio: FakeTwilioApi
    number: str

    @property
    def webhook_url(self) -> str:
        return f"{self.bot.rasa_url}/webhooks/twilio/webhook"

    def say(self, text: str) -> list[str]:
        """Send `text`; the bot's replies (Twilio's webhook answers after the bot has replied)."""
        before = len(self.twilio.sent_to(self.number))
        form = twilio_form(self.number, text)
        answer = requests.post(
            self.webhook_url, data=form, headers=twilio_headers(self.webhook_url, form), timeout=60
        )
        assert answer.status_code == 204
        return self.twilio.sent_to(self.number)[before:]


def test_twilio_a_question_gets_its_answer(twilio_patient):
    assert twilio_patient.say("how long does a session take?") == [faq_answer("duration")]


def test_twilio_options_are_numbered_and_answered_by_number(twilio_patient, bot):
    def question(slot: str) -> str:
        return f"{response_text(f'utter_ask_screening_form_{slot}')}\n\n1. Yes\n2. No\n3. Not sure"

    replies = twilio_patient.say("can I have microneedling?")
    assert replies == [response_text("utter_screening_intro"), question("pregnancy")]
    for slot, following in zip(TOP_LEVEL, TOP_LEVEL[1:], strict=False):
        assert twilio_patient.say("1" if slot == "keloids" else "2") == [question(following)]
    replies = twilio_patient.say("2")
    assert replies[0] == response_text("utter_screening_flagged")
    reference = REFERENCE.search(replies[-1]).group(0)
    handoff = HandoffStore(bot.database_url).get_by_reference(reference)
    assert handoff.contact["phone"] == twilio_patient.number.removeprefix("whatsapp:")


def test_twilio_a_bad_signature_is_refused(twilio_patient):
    form = twilio_form(twilio_patient.number, "hello")
    url = twilio_patient.webhook_url
    assert (
        requests.post(
            url, data=form, headers=twilio_headers(url, form, token="guess"), timeout=10
        ).status_code
        == 403
    )
    assert requests.post(url, data=form, timeout=10).status_code == 403
    assert twilio_patient.twilio.sent_to(twilio_patient.number) == []
