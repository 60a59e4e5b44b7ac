"""Aftercare counted from the day of treatment, end to end over REST against the trained bot.

The bot runs on the real clock in the clinic's zone, so each case is one whose
outcome does not depend on the time of day: "3 days ago" always leaves the 48
hours behind and the 72 hours ahead until midnight tonight.
"""

from tests.content_files import domain_responses, faq_answer
from tests.e2e.stored import exported_conversation

ASK = domain_responses()["utter_ask_treatment_time"][0]["text"]
UNCLEAR = domain_responses()["utter_treatment_time_unclear"][0]["text"]


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text") for reply in replies]


def test_a_dated_makeup_question_is_answered_for_that_day_and_swimming_follows(bot, sender):
    (answer,) = texts(bot.send(sender, "I had it done 3 days ago, can I wear makeup now?"))
    assert answer.startswith("Your treatment was 3 days ago")
    assert "The 48 hours have passed, so you can wear makeup again" in answer
    (follow_up,) = texts(bot.send(sender, "and swimming?"))
    assert follow_up.startswith("Your treatment was 3 days ago")
    assert "The first 72 hours have not passed yet" in follow_up
    assert "swimming pools and saunas until tomorrow (" in follow_up
    (gym,) = texts(bot.send(sender, "what about the gym"))
    assert "The first 72 hours have not passed yet" in gym
    # Staff's export shows which FAQ topic each dated answer was for.
    events = exported_conversation(bot, sender)["events"]
    topics = [(e.get("metadata") or {}).get("faq_topic") for e in events if e["event"] == "bot"]
    assert topics == ["makeup", "exercise", "exercise"]


def test_a_gym_question_the_same_morning_says_until_when(bot, sender):
    (answer,) = texts(bot.send(sender, "I had it done an hour ago, can I go to the gym tonight?"))
    assert answer.startswith("It has been about 1 hour since") or answer.startswith(
        "Your treatment was less than an hour ago"
    )
    assert "please avoid the gym" in answer and " until " in answer


def test_an_unclear_date_is_asked_once_then_the_general_rule_is_given(bot, sender):
    assert texts(bot.send(sender, "I had it done, can I wear makeup?")) == [ASK]
    assert texts(bot.send(sender, "I can't remember")) == [UNCLEAR, faq_answer("makeup")]
    # Not asked again: the next question gets the general answer straight away.
    assert texts(bot.send(sender, "can I wear makeup after microneedling?")) == [
        faq_answer("makeup")
    ]


def test_the_date_given_after_the_question_is_used(bot, sender):
    assert texts(bot.send(sender, "I had it done, can I wear makeup?")) == [ASK]
    (answer,) = texts(bot.send(sender, "2 weeks ago"))
    assert answer.startswith("Your treatment was 14 days ago")
    assert "you can wear makeup again" in answer


def test_an_ordinary_faq_question_gets_the_general_answer_as_before(bot, sender):
    assert texts(bot.send(sender, "can I wear makeup after microneedling?")) == [
        faq_answer("makeup")
    ]
    assert texts(bot.send(sender, "my session is next friday, when can I go swimming after?")) == [
        faq_answer("exercise")
    ]


def test_a_report_dated_earlier_in_the_conversation_is_triaged_with_that_date(bot, sender):
    bot.send(sender, "I had my treatment 10 days ago, can I wear makeup?")
    replies = texts(bot.send(sender, "my face is still red after the treatment"))
    assert replies[0] == domain_responses()["utter_triage_review_overdue"][0]["text"]
