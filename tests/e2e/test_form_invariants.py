"""No conversation can loop: arbitrary replies to every question of every form, over REST.

For each question of the contact form, of the questionnaire (follow-ups
included) and of the booking form, hypothesis sends a few arbitrary replies (random text mixed with
realistic ones: questions, names, numbers, "yes", emoji, "help", "stop", urgent
reports), then the same unusable reply until the forms end. Whatever was sent:

- every reply gets at least one message from the bot;
- no question is asked more than twice in a row;
- the forms end within a bounded number of turns;
- a hand-off that was started is stored, and the person is given its reference.
"""

import re
import uuid

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actions.booking_details import BOOKING_SLOTS
from actions.questionnaire import load_questionnaire
from tests.content_files import domain_responses
from tests.e2e.conversation import (
    BOOKING_QUESTIONS,
    QUESTIONS,
    asked_slot,
    response_text,
    run_questionnaire,
)
from tests.e2e.stored import handoffs_of

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
NAME_QUESTION = response_text("utter_ask_contact_form_contact_name")
# Both variations of the details question (with and without the name) end like this.
DETAILS_QUESTION_END = next(
    v["text"]
    for v in domain_responses()["utter_ask_contact_form_contact_details"]
    if v.get("condition")
)
HANDOFF_STARTS = {
    variation["text"]
    for name, variations in domain_responses().items()
    if name.startswith("utter_handoff_") and not name.startswith("utter_handoff_raised")
    for variation in variations
}
BOOKING_STOPPED = response_text("utter_booking_stopped")
TARGETS = ["contact_name", "contact_details", *load_questionnaire().slots, *BOOKING_SLOTS]
UNUSABLE = "🙂"
# Enough for every question of all the forms to be asked twice, and the drawn replies.
MAX_TURNS = 2 * (len(load_questionnaire().slots) + 2 + len(BOOKING_SLOTS)) + 10

REALISTIC = [
    "how long does a session take?",
    "does it hurt?",
    "what is microneedling?",
    "Jo Bloggs",
    "my name is Sarah Jones",
    "07700 900123",
    "+44 7700 900123, sam@example.com",
    "sarah@example.com",
    "0300 1234567",
    "yes",
    "no",
    "not sure",
    "1",
    "2 and 3",
    "an infection",
    "😀👍",
    "help",
    "stop",
    "cancel",
    "skip",
    "I'd rather not",
    "bye",
    "hello",
    "I want to talk to a person",
    "I'm pregnant",
    "I had microneedling yesterday and now there's pus and a fever",
    "?",
    "",
]
REPLY = st.one_of(
    st.sampled_from(REALISTIC),
    # Not "/intent" commands (Rasa's own syntax for button payloads, "/restart").
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).filter(
        lambda text: not text.lstrip().startswith("/")
    ),
)


def form_question(replies: list[dict]) -> str | None:
    """The form question the bot's last message asks, if it asks one."""
    text = (replies[-1].get("text") or "") if replies else ""
    if text in QUESTIONS or text in BOOKING_QUESTIONS or text == NAME_QUESTION:
        return text
    if text.endswith(DETAILS_QUESTION_END):
        return text
    return None


def reach_booking(bot, sender: str, target: str) -> list[dict]:
    """Ask to book, pass the questionnaire, accept, and answer until `target` is asked."""
    replies, _ = run_questionnaire(bot, sender, {}, opening="I'd like to book a consultation")
    replies = bot.send(sender, "yes")
    answers = {"booking_area": "face", "booking_concern": "pores"}
    while (slot := BOOKING_QUESTIONS.get(replies[-1].get("text", ""))) != target:
        assert slot is not None, f"the booking ended before asking {target}"
        replies = bot.send(sender, answers[slot])
    return replies


def reach(bot, sender: str, target: str) -> list[dict]:
    """Start a conversation and answer until the bot asks for `target`."""
    if target in BOOKING_SLOTS:
        return reach_booking(bot, sender, target)
    if target.startswith("contact_"):
        replies = bot.send(sender, "can I speak to a real person please")
        return bot.send(sender, "Sam Taylor") if target == "contact_details" else replies
    item = load_questionnaire().item_for_slot(target)
    answers = {item.slot: "Yes"} if target != item.slot else {}
    replies = bot.send(sender, "can I have microneedling?")
    while (slot := asked_slot(replies)) != target:
        assert slot is not None, f"the questionnaire ended before asking {target}"
        replies = bot.send(sender, answers.get(slot, "No"))
    return replies


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), drawn=st.lists(REPLY, max_size=6))
# The booking form, whatever hypothesis draws: only unusable replies, and a question then "stop".
@example(target="booking_area", drawn=[])
@example(target="booking_concern", drawn=["I'm pregnant", "hello"])
@example(target="booking_times", drawn=["does it hurt?", "stop"])
def test_every_form_ends_whatever_the_replies(bot, target, drawn):
    sender = f"invariant-{uuid.uuid4().hex[:12]}"
    replies = reach(bot, sender, target)
    last = form_question(replies)
    assert last is not None
    streak, said = 1, [r.get("text") or "" for r in replies]
    for turn in range(MAX_TURNS):
        text = drawn[turn] if turn < len(drawn) else UNUSABLE
        replies = bot.send(sender, text)
        assert replies, f"no answer to {text!r} at turn {turn}"
        said += [r.get("text") or "" for r in replies]
        question = form_question(replies)
        if question is None:
            break
        streak = streak + 1 if question == last else 1
        assert streak <= 2, f"{question!r} asked {streak} times in a row (last reply {text!r})"
        last = question
    else:
        raise AssertionError(f"the form did not end within {MAX_TURNS} turns: {said[-4:]}")
    started = any(text in HANDOFF_STARTS for text in said) and BOOKING_STOPPED not in said
    if NAME_QUESTION in said or started:
        (handoff,) = handoffs_of(bot, sender)
        assert handoff["reference"] in " ".join(said)
        assert REFERENCE.search(" ".join(said))
