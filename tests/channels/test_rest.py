"""Bad input on the REST channel gets a clear answer, and the bot keeps working."""

import json
import sqlite3

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.rest import request_problem
from channels.user_text import EMPTY_MESSAGE, MAX_MESSAGE_CHARS, clean_user_text
from tests.content_files import faq_answer
from tests.e2e.conversation import response_text


def post(bot, data: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        f"{bot.rasa_url}/webhooks/rest/webhook",
        data=data,
        headers={"Content-Type": content_type},
        timeout=60,
    )


def stored_user_texts(bot, sender: str) -> list[str]:
    with sqlite3.connect(bot.tracker_store_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_invalid_requests_get_a_clear_4xx(bot, sender):
    assert post(bot, b"{not json").status_code == 400
    assert post(bot, b'{"message": "hi"}').json() == {
        "error": "'sender' must be a non-empty string of at most 255 characters"
    }
    assert post(bot, b"sender=a&message=b", "application/x-www-form-urlencoded").status_code == 415
    assert post(bot, b'{"sender": "a", "message": "\xff\xfe"}').status_code == 400
    assert post(bot, b'["a list"]').status_code == 400
    assert post(bot, json.dumps({"sender": sender, "message": 42}).encode()).status_code == 400
    assert bot.send(sender, "how long does a session take?")[0]["text"] == faq_answer("duration")


def test_empty_and_whitespace_messages_get_a_prompt(bot, sender):
    for text in ("", "   \n\t "):
        (reply,) = bot.send(sender, text)
        assert reply["text"] == response_text("utter_empty_message")


def test_a_very_long_message_is_cut_to_the_documented_limit(bot, sender):
    replies = bot.send(sender, "does it hurt? " * 800)
    assert replies, "the bot answers"
    assert [len(t) for t in stored_user_texts(bot, sender)] == [MAX_MESSAGE_CHARS]


def test_odd_but_valid_messages_are_answered_and_stored_as_sent(bot, sender):
    odd = [
        "😀😀😀",
        "¿Cuánto cuesta el microneedling?",
        "<script>alert('x')</script>",
        "'; DROP TABLE events; --",
    ]
    for text in odd:
        assert bot.send(sender, text), f"no reply to {text!r}"
    assert stored_user_texts(bot, sender) == odd
    assert bot.send(sender, "what is microneedling?")[0]["text"] == faq_answer("what_is")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_fuzzed_bodies_never_cause_a_server_error(bot, body):
    assert post(bot, body).status_code < 500


def test_message_cleaning():
    assert clean_user_text(None) == EMPTY_MESSAGE
    assert clean_user_text("  hi  ") == "hi"
    assert len(clean_user_text("x" * 5000)) == MAX_MESSAGE_CHARS


def test_request_checks_without_a_server():
    class Fake:
        def __init__(self, body: bytes, content_type: str = "application/json") -> None:
            self.body, self.content_type = body, content_type

    assert request_problem(Fake(b'{"sender": "s", "message": "hi"}')) is None
    assert request_problem(Fake(b'{"sender": "", "message": "hi"}')) is not None
    assert request_problem(Fake(b"{}", "text/plain")).startswith("expected Content-Type")
