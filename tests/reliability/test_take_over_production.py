"""Production layout: staff hold a conversation whichever Rasa instance takes its messages.

The pause lives in PostgreSQL (the hand-off's `bot_paused`), so both instances
stay silent while staff hold the conversation, either returns the staff reply
with the patient's next message, and both answer again once it is handed back.
"""

import os
import re
import signal
from pathlib import Path

import requests

from tests.content_files import faq_answer
from tests.e2e.conversation import response_text
from tests.reliability.test_production import instance_up
from tests.servers import eventually
from tests.staff_api import staff, take_over, transcript
from tests.webchat.visitor import Visitor

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
PUSH_TIMEOUT_S = 15.0


def test_both_instances_stay_silent_while_staff_hold_the_conversation(production, sender):
    production.send_to(0, sender, "can I speak to a real person please")
    production.send_to(1, sender, "Sam Taylor")
    (reply,) = production.send_to(0, sender, "07700 900123")
    path = take_over(production, REFERENCE.search(reply["text"]).group(0))

    for turn, text in enumerate(["hello?", "does it hurt?", "anyone there?", "how long is it?"]):
        assert production.send_to(turn % 2, sender, text) == []
    staff(production, "POST", f"{path}/reply", staff="Nurse Kim", text="Kim here, sorry!")
    assert [r["text"] for r in production.send_to(1, sender, "ok")] == ["Kim here, sorry!"]
    assert production.send_to(0, sender, "thanks") == []
    stored = transcript(production, sender)
    patient_texts = [m["text"] for m in stored if m["author"] == "patient"]
    assert patient_texts[-6:] == [
        "hello?",
        "does it hurt?",
        "anyone there?",
        "how long is it?",
        "ok",
        "thanks",
    ]

    staff(production, "POST", f"{path}/release", staff="Nurse Kim")
    assert [r["text"] for r in production.send_to(0, sender, "how long does a session take?")] == [
        response_text("utter_assistant_back"),
        faq_answer("duration"),
    ]
    assert production.send_to(1, sender, "does it hurt?")[0]["text"] == faq_answer("pain")


def test_a_staff_reply_reaches_the_widget_through_the_load_balancer(production):
    """Each Rasa server sends only to the widgets connected to it; nginx keeps a visitor on one."""
    visitor = Visitor(production)
    try:
        visitor.say("can I speak to a real person please")
        visitor.say("Sam Taylor")
        path = take_over(production, REFERENCE.search(visitor.say("07700 900123")[-1]).group(0))
        for text in ("Hi Sam, Kim here.", "Are you free to talk?"):
            staff(production, "POST", f"{path}/reply", staff="Nurse Kim", text=text)
            assert visitor.next_reply(PUSH_TIMEOUT_S) == text
        staff(production, "POST", f"{path}/release", staff="Nurse Kim")
        assert visitor.next_reply(PUSH_TIMEOUT_S) == response_text("utter_assistant_back")
    finally:
        visitor.leave()


def test_nothing_is_lost_when_a_rasa_instance_and_the_console_die_while_staff_hold_it(
    production, sender
):
    production.send_to(0, sender, "can I speak to a real person please")
    production.send_to(0, sender, "Sam Taylor")
    (reply,) = production.send_to(0, sender, "07700 900123")
    path = take_over(production, REFERENCE.search(reply["text"]).group(0))
    staff(production, "POST", f"{path}/reply", staff="Nurse Kim", text="Kim here.")

    killed = [production.rasa_pid(0), *production.pids_running("-m staff_console")]
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    eventually(lambda: not any(Path(f"/proc/{pid}").exists() for pid in killed))

    # The other instance still knows staff hold it, and hands over the reply.
    assert [r["text"] for r in production.send_to(1, sender, "hello?")] == ["Kim here."]
    # supervisord restarts both; the restarted instance stays silent too.
    eventually(lambda: production.rasa_pid(0) not in (None, *killed), 30)
    eventually(lambda: instance_up(production, 0), 240, 1)
    assert production.send_to(0, sender, "still there?") == []
    eventually(lambda: console_up(production), 60, 1)
    stored = transcript(production, sender)
    assert [(m["author"], m["text"]) for m in stored][-3:] == [
        ("staff", "Kim here."),
        ("patient", "hello?"),
        ("patient", "still there?"),
    ]

    staff(production, "POST", f"{path}/resolve", staff="Nurse Kim")
    assert production.send_to(0, sender, "does it hurt?")[-1]["text"] == faq_answer("pain")


def console_up(bot) -> bool:
    try:
        return requests.get(f"{bot.console_url}/health", timeout=2).ok
    except requests.ConnectionError:
        return False
