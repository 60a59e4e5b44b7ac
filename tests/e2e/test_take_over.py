"""Staff take a conversation over end to end: the real trained bot (`make run`) and console.

Over REST: a patient asks for a person and gets a reference; staff claim the
hand-off through the API; the bot goes silent while what the patient writes
reaches staff; a staff reply comes back with the patient's next message; an
urgent report is still flagged as urgent; staff hand back and the bot answers again.
"""

import re

from tests.content_files import faq_answer
from tests.e2e.conversation import response_text
from tests.servers import eventually
from tests.staff_api import staff, transcript

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")


def hand_off(bot, sender: str) -> dict:
    """A patient asks for a person and gives details; the hand-off staff see."""
    bot.send(sender, "can I speak to a real person please")
    bot.send(sender, "Sam Taylor")
    (reply,) = bot.send(sender, "07700 900123")
    reference = REFERENCE.search(reply["text"]).group(0)
    (handoff,) = [
        h for h in staff(bot, "GET", "/handoffs")["handoffs"] if h["reference"] == reference
    ]
    return handoff


def written(bot, sender: str) -> list[tuple[str, str | None, str]]:
    return [(m["author"], m["staff_name"], m["text"]) for m in transcript(bot, sender)]


def deliveries(bot, sender: str) -> list[str]:
    return [m["delivery"] for m in transcript(bot, sender) if m["author"] == "staff"]


def test_staff_take_over_talk_with_the_patient_and_hand_back(bot, sender, staff_webhook):
    handoff = hand_off(bot, sender)
    path = f"/handoffs/{handoff['id']}"
    assert staff(bot, "POST", f"{path}/claim", staff="Nurse Kim")["bot_paused"] is True

    # The bot is silent; what the patient writes is stored and reaches staff.
    assert bot.send(sender, "hello? is anyone there") == []
    assert written(bot, sender)[-1] == ("patient", None, "hello? is anyone there")
    told = eventually(
        lambda: [
            p
            for p in staff_webhook.received
            if p["reference"] == handoff["reference"] and p["event"] == "patient_message"
        ]
    )
    assert told[0]["held_by"] == "Nurse Kim" and "hello" not in told[0]["text"]
    # Still silent for a question the bot would otherwise answer.
    assert bot.send(sender, "does microneedling hurt?") == []

    staff(bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Hi Sam, this is Kim.")
    assert deliveries(bot, sender) == ["pending"]  # until the patient's next message
    replies = bot.send(sender, "oh hi Kim")
    assert deliveries(bot, sender) == ["delivered"]
    assert [(r["text"], r["custom"]) for r in replies] == [
        ("Hi Sam, this is Kim.", {"author": "staff", "staff_name": "Nurse Kim"})
    ]
    assert bot.send(sender, "thanks") == []  # delivered once
    assert written(bot, sender)[-4:] == [
        ("patient", None, "does microneedling hurt?"),
        ("staff", "Nurse Kim", "Hi Sam, this is Kim."),
        ("patient", None, "oh hi Kim"),
        ("patient", None, "thanks"),
    ]

    released = staff(bot, "POST", f"{path}/release", staff="Nurse Kim")
    assert (released["status"], released["bot_paused"]) == ("claimed", False)
    replies = bot.send(sender, "how long does a session take?")
    assert [r["text"] for r in replies] == [
        response_text("utter_assistant_back"),
        faq_answer("duration"),
    ]
    assert bot.send(sender, "how long does a session take?")[0]["text"] == faq_answer("duration")


def test_an_urgent_report_while_staff_hold_the_conversation_is_flagged_urgent(
    bot, sender, staff_webhook
):
    handoff = hand_off(bot, sender)
    assert handoff["priority"] == "normal"
    staff(bot, "POST", f"/handoffs/{handoff['id']}/claim", staff="Dr Lee")

    report = "since the treatment yesterday my cheek has a yellow crust and pus"
    assert bot.send(sender, report) == []

    current = staff(bot, "GET", f"/handoffs/{handoff['id']}")
    assert current["priority"] == "urgent" and "post_treatment_concern" in current["reasons"]
    assert current["status"] == "claimed" and current["claimed_by"] == "Dr Lee"
    urgent = eventually(
        lambda: [
            p
            for p in staff_webhook.received
            if p["reference"] == handoff["reference"] and p["event"] == "urgent_message"
        ]
    )
    assert urgent[0]["text"].startswith("URGENT")


def test_resolving_hands_the_conversation_back(bot, sender):
    handoff = hand_off(bot, sender)
    staff(bot, "POST", f"/handoffs/{handoff['id']}/claim", staff="Nurse Kim")
    assert bot.send(sender, "are you still there?") == []

    staff(bot, "POST", f"/handoffs/{handoff['id']}/resolve", staff="Nurse Kim")

    replies = bot.send(sender, "how long does a session take?")
    assert [r["text"] for r in replies] == [
        response_text("utter_assistant_back"),
        faq_answer("duration"),
    ]
