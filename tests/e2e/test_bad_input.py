"""Odd but valid messages over REST: each gets a sensible answer, the conversation goes on,
and what the person wrote is stored as sent (cut to the limit), so nothing is lost.

A fallback or rephrase answer is fine; a hand-off or anything that sounds like a
result of screening is not. How staff see such text (escaped) is tested in
tests/staff_console/test_console.py.
"""

import pytest

from channels.user_text import MAX_MESSAGE_CHARS
from tests.content_files import domain_responses, faq_answer
from tests.e2e.stored import stored_user_texts

LONG = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 200)[:10_000]
REPEATED = ("I have a question about the treatment and my skin. " * 200)[:10_000]
ODD_MESSAGES = {
    "emoji only": "😀👍🏽🎉",
    "French": "Est-ce que le microneedling fait mal ?",
    "Spanish": "¿Cuánto dura una sesión de microneedling?",
    "Chinese": "微针治疗会痛吗？",
    "HTML": '<b>hello</b><img src=x onerror="alert(1)">',
    "script": "<script>alert('x')</script>",
    "SQL": "'; DROP TABLE events; -- OR 1=1",
    "10,000 characters": LONG,
    # Read as a post-treatment message with nothing recognised in it: the triage
    # offers a review (no longer an urgent hand-off).
    "one sentence repeated to 10,000 characters": REPEATED,
}
NOT_FOR_ODD_INPUT = ("utter_handoff_", "utter_ask_contact_form_", "utter_screening_")


def forbidden_openings() -> list[str]:
    """How the hand-off and screening responses start (before any {placeholder})."""
    return [
        variation["text"].split("{")[0]
        for name, variations in domain_responses().items()
        if name.startswith(NOT_FOR_ODD_INPUT)
        for variation in variations
        if variation.get("text")
    ]


@pytest.mark.parametrize(
    "text",
    [pytest.param(text, id=name) for name, text in ODD_MESSAGES.items()],
)
def test_odd_input_gets_a_sensible_answer_and_the_conversation_goes_on(bot, sender, text):
    replies = [reply.get("text") or "" for reply in bot.send(sender, text)]
    assert replies and all(replies), "an answer with text"
    for reply in replies:
        assert not reply.startswith(tuple(forbidden_openings())), reply

    assert bot.send(sender, "how long does a session take?")[0]["text"] == faq_answer("duration")
    assert stored_user_texts(bot, sender) == [
        text[:MAX_MESSAGE_CHARS],
        "how long does a session take?",
    ]
