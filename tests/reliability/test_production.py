"""Production mode end to end: nginx in front of two Rasa instances that share
PostgreSQL and Redis, with one of them killed under a running questionnaire."""

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import requests

from actions.questionnaire import load_questionnaire
from tests.content_files import faq_answer
from tests.e2e.conversation import asked_slot, response_text, run_questionnaire
from tests.e2e.stored import exported_conversation, handoffs_of
from tests.servers import ProductionBot, eventually, process_environ
from tests.webchat.visitor import Visitor

Q = load_questionnaire()
TOP_LEVEL = [item.slot for item in Q.items]
FLAGGED = [
    response_text("utter_screening_flagged"),
    response_text("utter_ask_contact_form_contact_name"),
]
COLD_SORES = next(item for item in Q.items if item.slot == "cold_sores")

# Questions with known answers, asked at once in one conversation.
QUESTIONS = {
    "What is microneedling?": "what_is",
    "Does it hurt?": "pain",
    "How long does a session take?": "duration",
    "How should I look after my skin afterwards?": "aftercare",
    "How should I prepare for my appointment?": "preparation",
    "How many sessions will I need?": "sessions",
}


class Alternating:
    """Sends each message of a conversation to the next Rasa instance in turn."""

    def __init__(self, bot: ProductionBot) -> None:
        self.bot = bot
        self.sent = 0

    def send(self, sender: str, text: str) -> list[dict]:
        instance = self.sent % len(self.bot.instance_urls)
        self.sent += 1
        return self.bot.send_to(instance, sender, text)


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text") for reply in replies]


def finish_with_contact_details(send, sender: str) -> str:
    """Give a name and a phone number; the bot's last reply."""
    send(sender, "Sam Taylor")
    (reply,) = send(sender, "07700 900123")
    return reply["text"]


def test_the_public_entry_serves_the_chat_page_and_the_channels_only(production, sender):
    page = requests.get(f"{production.webchat_url}/", timeout=30)
    assert page.status_code == 200 and "/static/vendor/rasa-webchat.js" in page.text
    assert texts(production.send(sender, "hello"))[0] == response_text("utter_greet")
    # Rasa's own routes are not passed on: nobody outside reads a tracker.
    tracker = requests.get(f"{production.rasa_url}/conversations/{sender}/tracker", timeout=30)
    assert tracker.status_code == 404 and "events" not in tracker.text


def test_the_web_chat_reaches_the_bot_through_the_load_balancer(production):
    visitor = Visitor(production)  # socket.io over long-polling, at nginx's address
    try:
        assert visitor.say("how long does a session take?") == [faq_answer("duration")]
        assert visitor.say("does it hurt?") == [faq_answer("pain")]
    finally:
        visitor.leave()


def test_every_rasa_process_runs_without_telemetry(production):
    pids = production.pids_running("rasa run") + production.pids_running("-m actions")
    assert len(pids) == 4  # two servers, two action servers
    assert {process_environ(pid).get("RASA_TELEMETRY_ENABLED") for pid in pids} == {"false"}


def test_a_conversation_alternating_between_instances_keeps_its_place(production, sender):
    alternating = Alternating(production)
    replies, asked = run_questionnaire(alternating, sender, {"cold_sores": "Yes"})
    assert asked == TOP_LEVEL
    assert texts(replies) == FLAGGED
    assert "MN-" in finish_with_contact_details(alternating.send, sender)
    (handoff,) = handoffs_of(production, sender)
    assert handoff["reasons"] == list(COLD_SORES.codes)


def test_messages_sent_at_once_to_both_instances_are_handled_in_order(production, sender):
    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        futures = []
        for number, question in enumerate(QUESTIONS):
            futures.append(pool.submit(production.send_to, number % 2, sender, question))
            time.sleep(0.1)  # so the sending order is well defined, not to wait for anything
        replies = [future.result(timeout=120) for future in futures]
    assert [texts(r)[0] for r in replies] == [faq_answer(topic) for topic in QUESTIONS.values()]
    turns = [
        e
        for e in exported_conversation(production, sender)["events"]
        if e["event"] in ("user", "bot")
    ]
    assert [e["text"] for e in turns if e["event"] == "user"] == list(QUESTIONS)
    # Each question is answered before the next one is read.
    speakers = [e["event"] for e in turns]
    assert all(b == "bot" for a, b in pairwise(speakers) if a == "user") and speakers[-1] == "bot"


def test_a_killed_instance_comes_back_and_the_questionnaire_carries_on(production, sender):
    replies = production.send_to(0, sender, "can I have microneedling?")
    asked = [asked_slot(replies)]
    replies = production.send_to(0, sender, "No")
    asked.append(asked_slot(replies))
    killed = production.rasa_pid(0)
    os.kill(killed, signal.SIGKILL)
    # Until the kernel has torn the process down, its socket still accepts
    # connections and then resets them: a message caught there gets a 502 and
    # is not passed on, since it may have been handled (README, "Production mode").
    eventually(lambda: not Path(f"/proc/{killed}").exists())

    # The load balancer passes the next answer to the other instance.
    replies = production.send(sender, "No")
    asked.append(asked_slot(replies))
    assert asked == TOP_LEVEL[:3]

    # supervisord restarts the killed one, which carries on where the conversation is.
    eventually(lambda: production.rasa_pid(0) not in (None, killed), 30)
    eventually(lambda: instance_up(production, 0), 240, 1)
    answers = {"cold_sores": "Yes"}
    while True:
        replies = production.send_to(0, sender, answers.get(asked[-1], "No"))
        if (slot := asked_slot(replies)) is None:
            break
        asked.append(slot)
    assert asked == TOP_LEVEL
    assert texts(replies) == FLAGGED
    assert "MN-" in finish_with_contact_details(lambda *a: production.send_to(0, *a), sender)
    assert len(handoffs_of(production, sender)) == 1


def instance_up(bot: ProductionBot, instance: int) -> bool:
    try:
        return requests.get(f"{bot.instance_urls[instance]}/", timeout=2).ok
    except requests.ConnectionError:
        return False
