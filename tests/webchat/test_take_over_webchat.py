"""Staff take over a web-chat conversation: their reply is pushed into the open widget.

With the running bot and console; the visitor talks to Rasa's socket.io channel
as the widget does (visitor.py).
"""

import re

import requests

from tests.conftest import STAFF_API_TOKEN
from tests.e2e.conversation import response_text
from tests.webchat.visitor import Visitor

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
AUTH = {"Authorization": f"Bearer {STAFF_API_TOKEN}"}
# Long enough for a reply the bot should not send to have come.
SILENCE_S = 3.0
PUSH_TIMEOUT_S = 15.0


def staff(bot, method: str, path: str, **body) -> requests.Response:
    return requests.request(
        method, f"{bot.console_url}/api{path}", headers=AUTH, json=body or None, timeout=10
    )


def test_a_staff_reply_appears_in_the_open_widget_and_waits_for_a_closed_one(bot, visitor):
    visitor.say("can I speak to a real person please")
    visitor.say("Sam Taylor")
    reference = REFERENCE.search(visitor.say("07700 900123")[-1]).group(0)
    handoffs = staff(bot, "GET", "/handoffs").json()["handoffs"]
    (handoff,) = [h for h in handoffs if h["reference"] == reference]
    assert handoff["channel"] == "socketio"
    path = f"/handoffs/{handoff['id']}"
    assert staff(bot, "POST", f"{path}/claim", staff="Nurse Kim").ok

    visitor.client.emit("user_uttered", {"message": "hello?", "session_id": visitor.session_id})
    assert visitor.next_reply(SILENCE_S) is None  # the bot is silent

    assert staff(bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Hi Sam, Kim here.").ok
    assert visitor.next_reply(PUSH_TIMEOUT_S) == "Hi Sam, Kim here."

    # The widget is closed: the next reply waits, and arrives when the page is opened again.
    visitor.client.disconnect()
    assert staff(bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Call us any time.").ok
    back = Visitor(bot, session_id=visitor.session_id)
    try:
        assert back.next_reply(PUSH_TIMEOUT_S) == "Call us any time."
        assert staff(bot, "POST", f"{path}/release", staff="Nurse Kim").ok
        assert back.next_reply(PUSH_TIMEOUT_S) == response_text("utter_assistant_back")
    finally:
        back.client.disconnect()
