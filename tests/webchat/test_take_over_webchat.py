"""Staff take over a web-chat conversation: their reply is pushed into the open widget.

With the running bot and console; the visitor talks to Rasa's socket.io channel
as the widget does (visitor.py).
"""

import re

from tests.e2e.conversation import response_text
from tests.staff_api import staff, take_over
from tests.webchat.visitor import Visitor

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
# Long enough for a reply the bot should not send to have come.
SILENCE_S = 3.0
PUSH_TIMEOUT_S = 15.0


def test_a_staff_reply_appears_in_the_open_widget_and_waits_for_a_closed_one(bot, visitor):
    visitor.say("can I speak to a real person please")
    visitor.say("Sam Taylor")
    path = take_over(bot, REFERENCE.search(visitor.say("07700 900123")[-1]).group(0))
    assert staff(bot, "GET", path)["channel"] == "socketio"

    visitor.client.emit("user_uttered", {"message": "hello?", "session_id": visitor.session_id})
    assert visitor.next_reply(SILENCE_S) is None  # the bot is silent

    staff(bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Hi Sam, Kim here.")
    assert visitor.next_reply(PUSH_TIMEOUT_S) == "Hi Sam, Kim here."

    # The widget is closed: the next reply waits, and arrives when the page is opened again.
    visitor.leave()
    staff(bot, "POST", f"{path}/reply", staff="Nurse Kim", text="Call us any time.")
    back = Visitor(bot, session_id=visitor.session_id)
    try:
        assert back.next_reply(PUSH_TIMEOUT_S) == "Call us any time."
        staff(bot, "POST", f"{path}/release", staff="Nurse Kim")
        assert back.next_reply(PUSH_TIMEOUT_S) == response_text("utter_assistant_back")
    finally:
        back.leave()
