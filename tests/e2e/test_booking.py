"""Booking a consultation end to end over REST: the details, the contact step, the hand-off,
and staff confirming a slot that reaches the patient in the same chat."""

import re
from datetime import datetime, timedelta

from actions.booking_details import load_booking_content
from clinic_store.settings import get_settings
from tests.e2e.conversation import BOOKING_QUESTIONS, response_text, run_questionnaire
from tests.staff_api import staff, staff_api, transcript

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
QUESTIONS = load_booking_content().questions


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text") for r in replies]


def book_through_the_questionnaire(bot, sender: str, accept: str = "yes") -> list[dict]:
    """Ask to book, answer "No" to every question, accept the offer; the bot's replies."""
    replies, _ = run_questionnaire(bot, sender, {}, opening="I'd like to book a consultation")
    assert texts(replies) == [response_text("utter_screening_clear")]
    return bot.send(sender, accept)


def handoff_of(bot, reference: str) -> dict:
    (handoff,) = [
        h for h in staff(bot, "GET", "/handoffs")["handoffs"] if h["reference"] == reference
    ]
    return handoff


def a_future_slot(days: int = 7) -> tuple[datetime, str, str]:
    """A slot at 11:00 in the clinic's time zone, `days` from today."""
    zone = get_settings().clinic_zone
    day = (datetime.now(zone) + timedelta(days=days)).date()
    return (
        datetime.combine(day, datetime.min.time().replace(hour=11), zone),
        day.isoformat(),
        "11:00",
    )


def test_a_booking_collects_the_details_and_staff_confirm_a_slot_in_the_same_chat(bot, sender):
    replies = book_through_the_questionnaire(bot, sender)
    assert texts(replies) == [
        response_text("utter_handoff_consultation_request"),
        QUESTIONS["booking_area"].text,
    ]
    assert replies[-1]["buttons"] == QUESTIONS["booking_area"].buttons
    assert texts(bot.send(sender, "my cheeks")) == [QUESTIONS["booking_concern"].text]
    assert texts(bot.send(sender, "acne scars")) == [QUESTIONS["booking_times"].text]
    assert texts(bot.send(sender, "Saturday after 4")) == [
        response_text("utter_ask_contact_form_contact_name")
    ]
    bot.send(sender, "Sam Taylor")
    (raised,) = bot.send(sender, "07700 900123")
    reference = REFERENCE.search(raised["text"]).group(0)

    handoff = handoff_of(bot, reference)
    assert handoff["reasons"] == ["consultation_request"]
    booking = handoff["booking"]
    assert booking["status"] == "requested" and booking["slot"] is None
    details = booking["details"]
    assert (details["area"]["label"], details["area"]["text"]) == ("Face", "my cheeks")
    assert details["concern"]["choice"] == ["acne_scars"]
    assert details["times"]["text"] == "Saturday after 4"
    assert details["times"]["label"] == "Saturday · after 16:00"

    slot, day, clock = a_future_slot()
    booked = staff(
        bot,
        "POST",
        f"/handoffs/{handoff['id']}/confirm_slot",
        date=day,
        time=clock,
        note="Please arrive 10 minutes early.",
        staff="Nurse Kim",
    )
    assert booked["booking"]["status"] == "booked"
    assert datetime.fromisoformat(booked["booking"]["slot"]) == slot
    assert booked["booking"]["booked_by"] == "Nurse Kim"
    expected = (
        f"Your consultation is booked for {slot:%A} {slot.day} {slot:%B} at 11:00 at The Face "
        f"Clinic. If you need to change it, just reply here or contact the clinic, quoting your "
        f"reference {reference}. A note from the clinic: Please arrive 10 minutes early."
    )
    assert booked["message"]["text"] == expected

    # The patient gets it in the same chat with their next message, from the member of staff.
    replies = bot.send(sender, "thank you")
    assert replies[0] == {
        "recipient_id": sender,
        "text": expected,
        "custom": {"author": "staff", "staff_name": "Nurse Kim"},
    }
    stored = [(m["author"], m["staff_name"], m["text"]) for m in transcript(bot, sender)]
    assert ("staff", "Nurse Kim", expected) in stored
    assert handoff_of(bot, reference)["booking"]["status"] == "booked"


def test_a_slot_in_the_past_is_refused_and_nothing_is_sent(bot, sender):
    book_through_the_questionnaire(bot, sender, accept="/book_consultation")
    for reply in ("not sure", "skip", "any time", "Sam", "sam@example.com"):
        replies = bot.send(sender, reply)
    reference = REFERENCE.search(replies[-1]["text"]).group(0)
    handoff = handoff_of(bot, reference)
    details = handoff["booking"]["details"]
    assert [details[k]["label"] for k in ("area", "concern", "times")] == [
        "not sure",
        "not sure",
        "no preference",
    ]
    _, day, _ = a_future_slot(days=-1)
    refused = staff_api(
        bot, "POST", f"/handoffs/{handoff['id']}/confirm_slot", date=day, time="11:00"
    )
    assert refused.status_code == 400 and "past" in refused.json()["error"]
    assert handoff_of(bot, reference)["booking"]["status"] == "requested"
    assert all(m["author"] != "staff" for m in transcript(bot, sender))


def test_two_unusable_replies_move_on_and_stop_ends_the_booking(bot, sender):
    book_through_the_questionnaire(bot, sender)
    # An emoji may be read as a question (it is answered) or as nothing (the bot says so).
    assert texts(bot.send(sender, "🙂"))[-1] == QUESTIONS["booking_area"].text
    assert texts(bot.send(sender, "🙂"))[-2:] == [
        response_text("utter_booking_not_given"),
        QUESTIONS["booking_concern"].text,
    ]
    assert texts(bot.send(sender, "stop")) == [response_text("utter_booking_stopped")]
    assert staff(bot, "GET", "/handoffs")["handoffs"] == [
        h for h in staff(bot, "GET", "/handoffs")["handoffs"] if h["conversation_id"] != sender
    ]


def test_an_urgent_report_while_booking_is_handed_off_urgently_with_the_details(bot, sender):
    book_through_the_questionnaire(bot, sender)
    bot.send(sender, "face")
    replies = bot.send(sender, "I had microneedling yesterday and now there's pus and a fever")
    assert response_text("utter_handoff_post_treatment_concern") in texts(replies)
    assert texts(replies)[-1] == response_text("utter_ask_contact_form_contact_name")
    bot.send(sender, "Sam")
    (raised,) = bot.send(sender, "07700 900123")
    handoff = handoff_of(bot, REFERENCE.search(raised["text"]).group(0))
    assert handoff["priority"] == "urgent"
    assert handoff["booking"]["details"]["area"]["choice"] == ["face"]


def test_questions_are_answered_and_the_booking_question_comes_again(bot, sender):
    book_through_the_questionnaire(bot, sender)
    replies = bot.send(sender, "does it hurt?")
    assert texts(replies)[-1] == QUESTIONS["booking_area"].text
    assert len(replies) == 2 and replies[0]["text"] not in BOOKING_QUESTIONS
