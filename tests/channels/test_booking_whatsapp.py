"""Booking on WhatsApp with the running bot: the booking questions as a list, no contact step,
and the slot staff confirm sent to the patient's number (Cloud API and Twilio fakes)."""

import re
from datetime import datetime, timedelta

import pytest

from actions.booking_details import load_booking_content
from clinic_store.settings import get_settings
from tests.channels.fakes import FakeGraphApi, FakeTwilioApi
from tests.channels.test_conversations import (
    TwilioPatient,
    WhatsAppPatient,
    asks_or_ends,
    body_text,
    reply_ids,
)
from tests.channels.webhooks import new_twilio_sender, new_wa_id, reply_payload
from tests.e2e.conversation import QUESTIONS, response_text
from tests.servers import eventually
from tests.staff_api import staff

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
BOOKING = load_booking_content().questions


@pytest.fixture
def cloud_patient(bot, fake_graph_api: FakeGraphApi) -> WhatsAppPatient:
    return WhatsAppPatient(bot, fake_graph_api, new_wa_id())


@pytest.fixture
def twilio_sender(bot, fake_twilio_api: FakeTwilioApi) -> TwilioPatient:
    return TwilioPatient(bot, fake_twilio_api, new_twilio_sender())


def confirm_a_slot(bot, reference: str) -> str:
    """Staff confirm a slot next week at 10:00 through the API; the confirmation's text."""
    (handoff,) = [
        h for h in staff(bot, "GET", "/handoffs")["handoffs"] if h["reference"] == reference
    ]
    day = (datetime.now(get_settings().clinic_zone) + timedelta(days=7)).date().isoformat()
    booked = staff(
        bot, "POST", f"/handoffs/{handoff['id']}/confirm_slot", date=day, time="10:00", staff="Ali"
    )
    assert booked["booking"]["status"] == "booked"
    return booked["message"]["text"]


def test_a_whatsapp_booking_asks_the_details_and_the_confirmed_slot_reaches_the_number(
    bot, cloud_patient
):
    patient = cloud_patient
    replies = patient.say("I'd like to book a consultation", done=asks_or_ends)
    while body_text(replies[-1]) in QUESTIONS:
        replies = patient.tap("No", done=asks_or_ends)
    assert body_text(replies[-1]) == response_text("utter_screening_clear")
    replies = patient.tap(reply_ids(replies[-1])[0], done=asks_or_ends)  # "Book a consultation"
    assert body_text(replies[-1]) == BOOKING["booking_area"].text
    assert replies[-1]["interactive"]["type"] == "list"  # six options: a list, not buttons
    replies = patient.turn(reply_payload(patient.number, "Face", "list_reply"), done=asks_or_ends)
    assert body_text(replies[-1]) == BOOKING["booking_concern"].text
    replies = patient.say("acne scars", done=asks_or_ends)
    assert body_text(replies[-1]) == BOOKING["booking_times"].text
    replies = patient.say("weekday mornings", done=lambda sent: bool(sent))
    reference = REFERENCE.search(body_text(replies[-1])).group(0)  # no contact questions

    before = len(patient.graph.sent_to(patient.number))
    text = confirm_a_slot(bot, reference)
    patient.graph.wait_for(lambda _: len(patient.graph.sent_to(patient.number)) > before)
    assert body_text(patient.graph.sent_to(patient.number)[-1]) == text
    assert "at 10:00 at The Face Clinic" in text


def test_a_confirmed_slot_reaches_a_twilio_patient(bot, twilio_sender):
    replies = twilio_sender.say("can I speak to a real person please")
    text = confirm_a_slot(bot, REFERENCE.search(replies[-1]).group(0))
    eventually(lambda: twilio_sender.twilio.sent_to(twilio_sender.number)[-1:] == [text])
