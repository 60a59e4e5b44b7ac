"""Staff take over a WhatsApp conversation with the running bot: Cloud API and Twilio fakes.

The staff reply goes to the patient's number as a normal message through the
channel's send API; after 24 hours without a message from the patient, free
text is refused and the clinic's template is sent instead; handing back tells
the patient at once.
"""

import re
import time

import sqlalchemy as sa

from clinic_store.database import engine_for
from tests.channels.fakes import (
    TWILIO_TEMPLATE_CONTENT_SID,
    WHATSAPP_TEMPLATE_NAME,
)
from tests.channels.test_conversations import body_text
from tests.channels.webhooks import text_payload
from tests.e2e.conversation import response_text
from tests.servers import eventually
from tests.staff_api import staff_api, take_over, transcript

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
# Long enough for a reply the bot should not send to have arrived at the fake.
SILENCE_S = 2.0
A_DAY_AND_AN_HOUR_S = 25 * 3600


def written(bot, conversation_id: str) -> list[tuple[str, str]]:
    return [(m["author"], m["text"]) for m in transcript(bot, conversation_id)]


def age_conversation(bot, conversation_id: str, seconds: float) -> None:
    """As if the patient had last written `seconds` earlier (the console reads these times)."""
    with engine_for(bot.tracker_store_url).begin() as connection:
        connection.execute(
            sa.text("UPDATE events SET timestamp = timestamp - :s WHERE sender_id = :id"),
            {"s": seconds, "id": conversation_id},
        )


def test_staff_talk_with_a_whatsapp_patient_through_the_cloud_api(bot, patient):
    replies = patient.say(
        "can I speak to a real person please",
        done=lambda sent: any(REFERENCE.search(body_text(m)) for m in sent),
    )
    reference = REFERENCE.search(body_text(replies[-1])).group(0)
    path = take_over(bot, reference)

    before = len(patient.graph.sent_to(patient.number))
    assert patient.post(text_payload(patient.number, "hello, is someone there?")) == 200
    time.sleep(SILENCE_S)
    assert patient.graph.sent_to(patient.number)[before:] == []  # the bot is silent

    assert staff_api(bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Hi, Kim here.").ok
    sent = patient.graph.wait_for(lambda _: len(patient.graph.sent_to(patient.number)) > before)
    assert sent and patient.graph.sent_to(patient.number)[before:] == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": patient.number,
            "type": "text",
            "text": {"body": "Hi, Kim here."},
        }
    ]
    assert written(bot, patient.number)[-2:] == [
        ("patient", "hello, is someone there?"),
        ("staff", "Hi, Kim here."),
    ]

    # A day later WhatsApp would refuse free text: the console says so and offers the template.
    age_conversation(bot, patient.number, A_DAY_AND_AN_HOUR_S)
    refused = staff_api(
        bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Are you still there?"
    )
    assert refused.status_code == 409 and "24 hours" in refused.json()["error"]
    assert refused.json()["window"]["template"] == WHATSAPP_TEMPLATE_NAME
    before = len(patient.graph.sent_to(patient.number))
    assert (
        staff_api(bot, "POST", f"{path}/reply", staff="Nurse Kim", template=True).status_code == 201
    )
    patient.graph.wait_for(lambda _: len(patient.graph.sent_to(patient.number)) > before)
    template = patient.graph.sent_to(patient.number)[-1]
    assert (template["type"], template["template"]["name"]) == ("template", WHATSAPP_TEMPLATE_NAME)

    # The patient answers (the window opens again); staff hand back; the patient is told at once.
    assert patient.post(text_payload(patient.number, "yes, still here")) == 200
    eventually(lambda: written(bot, patient.number)[-1] == ("patient", "yes, still here"))
    before = len(patient.graph.sent_to(patient.number))
    assert staff_api(bot, "POST", f"{path}/release", staff="Nurse Kim").ok
    patient.graph.wait_for(lambda _: len(patient.graph.sent_to(patient.number)) > before)
    assert body_text(patient.graph.sent_to(patient.number)[-1]) == response_text(
        "utter_assistant_back"
    )


def test_staff_reply_and_the_template_reach_a_twilio_patient(bot, twilio_patient):
    replies = twilio_patient.say("can I speak to a real person please")
    reference = REFERENCE.search(replies[-1]).group(0)
    path = take_over(bot, reference)
    assert twilio_patient.say("hello?") == []  # the bot is silent

    assert staff_api(bot, "POST", f"{path}/reply", staff="Dr Lee", text="Hello, Dr Lee here.").ok
    eventually(
        lambda: twilio_patient.twilio.sent_to(twilio_patient.number)[-1:] == ["Hello, Dr Lee here."]
    )

    age_conversation(bot, twilio_patient.number, A_DAY_AND_AN_HOUR_S)
    assert staff_api(bot, "POST", f"{path}/reply", staff="Dr Lee", text="still?").status_code == 409
    assert staff_api(bot, "POST", f"{path}/reply", staff="Dr Lee", template=True).status_code == 201
    sent = eventually(
        lambda: [
            r.body
            for r in twilio_patient.twilio.received
            if r.body.get("To") == twilio_patient.number and "ContentSid" in r.body
        ]
    )
    assert sent[0]["ContentSid"] == TWILIO_TEMPLATE_CONTENT_SID
    assert [m["author"] for m in transcript(bot, twilio_patient.number)][-2:] == ["staff", "staff"]
