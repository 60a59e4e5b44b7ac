"""Aftercare counted from the day of treatment: the dated table, the answers and the action."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.dated_aftercare import (
    ASK_RESPONSE,
    ActionAnswerDatedAftercare,
    apply_rule,
    dated_answer,
    get_aftercare_timing,
    say_when,
)
from clinic_nlp.treatment_time import (
    Clarity,
    TreatmentTime,
    mentions_a_time,
    only_says_when,
    read_treatment_time,
)
from clinic_nlp.treatment_time_mention import mention_value
from clinic_store.settings import get_settings
from tests.actions.trackers import domain_dict, make_tracker, slot_events

TABLE = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "data" / "dated_aftercare.yml").read_text("utf-8")
)
ROWS: list[dict[str, Any]] = TABLE["questions"]
TIMING = get_aftercare_timing()
KARACHI = ZoneInfo("Asia/Karachi")


def row_now(row: dict[str, Any]) -> datetime:
    zone = ZoneInfo(row.get("zone", TABLE["zone"]))
    return datetime.fromisoformat(row.get("now", TABLE["now"])).astimezone(zone)


def test_the_table_has_at_least_40_questions_with_every_kind_of_outcome():
    assert len(ROWS) >= 40
    outcomes = {row.get("time") or ("allowed" if row["allowed"] else "not_yet") for row in ROWS}
    assert outcomes == {"allowed", "not_yet", "unclear", "none"}
    assert {row["rule"] for row in ROWS if "rule" in row} == set(TIMING.rules)
    assert len({row.get("zone", TABLE["zone"]) for row in ROWS}) >= 3


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{row['text'][:40]}" for i, row in enumerate(ROWS)])
def test_dated_question(row: dict[str, Any]):
    now = row_now(row)
    reading = read_treatment_time(row["text"], now)
    if "time" in row:
        assert reading.clarity.value == row["time"], reading
        return
    assert reading.clarity is Clarity.FOUND, reading
    answer = apply_rule(TIMING.rules[row["rule"]], reading.time, now)
    assert answer.passed is row["allowed"], (answer, reading)
    if not row["allowed"]:
        until = datetime.fromisoformat(row["until"])
        assert answer.until == until and answer.until.utcoffset() == until.utcoffset()
        # What the person reads names that day in the clinic's zone.
        assert say_when(until, now) in answer.text


def test_an_until_is_never_earlier_than_the_rule_and_is_on_a_whole_hour():
    now = datetime(2026, 12, 3, 12, 0, tzinfo=KARACHI)
    for minutes in range(0, 24 * 60, 7):
        treated_at = now - timedelta(minutes=minutes)
        treated = TreatmentTime(treated_at, treated_at, exact=True)
        for rule in TIMING.rules.values():
            answer = apply_rule(rule, treated, now)
            assert answer.until >= treated_at + timedelta(hours=rule.hours)
            assert answer.until - (treated_at + timedelta(hours=rule.hours)) < timedelta(hours=1)
            assert (answer.until.minute, answer.until.second) == (0, 0)
            assert answer.passed is (now >= answer.until)


def test_the_answer_says_how_long_it_has_been_then_each_rule():
    now = datetime(2026, 12, 3, 12, 0, tzinfo=KARACHI)
    treated = read_treatment_time("I had it done 3 days ago", now).time
    text = dated_answer("makeup", treated, now, TIMING)
    assert text.splitlines() == [
        "Your treatment was 3 days ago (Monday 30 November).",
        f"- {TIMING.rules['makeup'].after}",
        f"- {TIMING.rules['spf'].after}",
    ]
    this_morning = read_treatment_time("treated this morning", now).time
    gym = dated_answer("exercise", this_morning, now, TIMING)
    assert gym.splitlines()[0] == "Your treatment was today."
    ninety = read_treatment_time("I had it done 90 minutes ago", now).time
    assert dated_answer("makeup", ninety, now, TIMING).splitlines()[0] == (
        "It has been about 1 hour since your treatment (Thursday 3 December at 10:30 am)."
    )
    assert "until Sunday 6 December at noon" in gym


def test_a_remembered_time_survives_the_slot_in_another_zone():
    now = datetime(2026, 12, 3, 12, 0, tzinfo=KARACHI)
    treated = read_treatment_time("yesterday at 3pm", now).time
    london = TreatmentTime.from_slot(treated.to_slot(), ZoneInfo("Europe/London"))
    assert london is not None and london.exact
    assert london.latest == treated.latest and london.latest.hour == 10
    assert TreatmentTime.from_slot("not a time", KARACHI) is None
    assert TreatmentTime.from_slot(None, KARACHI) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I had it done 3 days ago, can I wear makeup now?", "time"),
        ("kal karwaya tha, makeup?", "time"),
        ("on the 2nd", "time"),
        ("I had it done, can I wear makeup?", "own_treatment"),
        ("can I wear makeup after microneedling?", None),
        ("can I go to the gym today?", None),  # "today" is when they want to go
        ("how much does it cost?", None),
    ],
)
def test_the_nlu_mention_marks_only_messages_that_may_date_the_treatment(text, value):
    assert mention_value(text) == value
    assert mentions_a_time(text) is (value == "time")


@pytest.mark.parametrize(
    ("text", "only_when"),
    [
        ("2 weeks ago", True),
        ("it was about 3 days ago", True),
        ("my session was last thursday", True),
        ("on monday at 10am", True),
        ("kal karwaya tha", True),
        ("teen din pehle", True),
        ("3 days ago, can I wear makeup?", False),
        ("is the session under an hour", False),
        ("I had microneedling yesterday and my face is red", False),
        ("not sure", False),
    ],
)
def test_a_reply_that_only_says_when_is_told_apart_from_a_question(text, only_when):
    assert only_says_when(text) is only_when


# --- the action ------------------------------------------------------------------------


def selected(topic: str) -> dict:
    return {"faq": {"response": {"intent_response_key": f"faq/{topic}", "confidence": 0.9}}}


def faq_question(text: str, topic: str, **kwargs: Any):
    """A tracker whose latest message is a FAQ question the selector put under `topic`."""
    return make_tracker(text, intent="faq", response_selector=selected(topic), **kwargs)


async def run_action(tracker) -> tuple[list[dict], dict]:
    # As Rasa sends it: the slot extraction runs between the message and the action.
    tracker.events.append({"event": "action", "name": "action_extract_slots"})
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerDatedAftercare().run(dispatcher, tracker, domain_dict())
    return dispatcher.messages, slot_events(events)


def asked_before(topic: str) -> list[dict]:
    """The events of a conversation where the bot has just asked when the treatment was."""
    return [
        {"event": "user", "text": "I had it done, can I wear makeup?"},
        {"event": "bot", "text": "...", "metadata": {"utter_action": ASK_RESPONSE}},
    ]


async def test_a_dated_question_is_answered_for_that_day_and_remembered():
    tracker = faq_question("I had it done 3 days ago, can I wear makeup now?", "makeup")
    messages, slots = await run_action(tracker)
    (message,) = messages
    assert "3 days ago" in message["text"] and TIMING.rules["makeup"].after in message["text"]
    assert message["faq_topic"] == "makeup"  # stored with it, for staff and the evaluations
    remembered = TreatmentTime.from_slot(slots["treatment_time"], KARACHI)
    assert remembered is not None and remembered.days_ago(datetime.now(KARACHI)) == 3


async def test_a_follow_up_uses_the_remembered_time():
    now = datetime.now(KARACHI)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    remembered = TreatmentTime(start, start + timedelta(days=1)).to_slot()
    tracker = faq_question("and swimming?", "exercise", slots={"treatment_time": remembered})
    messages, slots = await run_action(tracker)
    (message,) = messages
    assert message["text"].startswith("Your treatment was yesterday")
    assert "72 hours have not passed" in message["text"]
    assert "treatment_time" not in slots  # nothing new said: the slot stays as it was


def remembered_yesterday() -> str:
    start = datetime.now(KARACHI).replace(hour=0, minute=0, second=0, microsecond=0)
    return TreatmentTime(start - timedelta(days=1), start).to_slot()


@pytest.mark.parametrize(
    ("text", "confidence", "answered"),
    [
        ("and swimming?", 0.94, True),
        ("what about the gym", 0.99, True),
        ("and swimming?", 0.5, False),  # the topic is not clear
        ("where can I swim in Multan", 0.99, False),  # no follow-up
    ],
)
async def test_a_follow_up_read_as_out_of_scope_is_answered_only_when_it_is_one(
    text, confidence, answered
):
    unsure = {
        "faq": {"response": {"intent_response_key": "faq/exercise", "confidence": confidence}}
    }
    tracker = make_tracker(
        text,
        intent="out_of_scope",
        response_selector=unsure,
        slots={"treatment_time": remembered_yesterday()},
    )
    messages, _ = await run_action(tracker)
    if answered:
        (message,) = messages
        assert "72 hours have not passed" in message["text"]
    else:
        assert [m["response"] for m in messages] == ["utter_out_of_scope"]


async def test_a_topic_without_time_rules_gets_its_faq_answer_even_with_a_time():
    tracker = faq_question("I had it done yesterday, how many sessions will I need?", "sessions")
    messages, slots = await run_action(tracker)
    assert [m["response"] for m in messages] == ["utter_faq/sessions"]
    assert "treatment_time" in slots


async def test_an_own_treatment_without_a_time_is_asked_once_then_answered_for_the_day():
    tracker = faq_question("I had it done, can I wear makeup?", "makeup")
    messages, slots = await run_action(tracker)
    assert [m["response"] for m in messages] == [ASK_RESPONSE]
    assert slots == {"aftercare_topic_asked": "makeup"}

    reply = make_tracker(
        "2 weeks ago",
        intent="tell_treatment_time",
        slots={"aftercare_topic_asked": "makeup"},
        earlier_events=asked_before("makeup"),
    )
    messages, slots = await run_action(reply)
    (message,) = messages
    assert "14 days ago" in message["text"] and TIMING.rules["makeup"].after in message["text"]
    assert slots["aftercare_topic_asked"] is None


@pytest.mark.parametrize("reply", ["not sure", "on the 45th", "kal"])
async def test_a_reply_still_unclear_gets_the_general_rule_and_no_second_question(reply):
    tracker = make_tracker(
        reply,
        intent="nlu_fallback",
        slots={"aftercare_topic_asked": "makeup"},
        earlier_events=asked_before("makeup"),
    )
    messages, slots = await run_action(tracker)
    assert [m["response"] for m in messages] == ["utter_treatment_time_unclear", "utter_faq/makeup"]
    assert slots == {"aftercare_topic_asked": None}


async def test_a_reply_that_only_says_when_gets_the_whole_aftercare_for_that_day():
    tracker = make_tracker(
        "2 weeks ago", intent="tell_treatment_time", response_selector=selected("downtime")
    )
    messages, slots = await run_action(tracker)
    (message,) = messages
    for name in TIMING.topics["aftercare"]:
        assert TIMING.rules[name].after in message["text"]
    assert "treatment_time" in slots


async def test_an_unsure_faq_topic_is_still_the_one_the_faq_rule_would_answer():
    unsure = {"faq": {"response": {"intent_response_key": "faq/sessions", "confidence": 0.2}}}
    tracker = make_tracker("I had it done yesterday, hmm?", intent="faq", response_selector=unsure)
    messages, _ = await run_action(tracker)
    assert [m["response"] for m in messages] == ["utter_faq/sessions"]


async def test_a_future_treatment_gets_the_general_rule_without_a_question():
    tracker = faq_question("my session is next friday, can I wear makeup after?", "makeup")
    messages, slots = await run_action(tracker)
    assert [m["response"] for m in messages] == ["utter_faq/makeup"]
    assert slots == {}


async def test_a_question_asked_long_after_the_bot_asked_is_not_read_as_the_reply():
    # The bot asked, the person went on to something else, then asks about the gym.
    earlier = [
        *asked_before("makeup"),
        {"event": "user", "text": "how much is it?"},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_clinic_price"}},
    ]
    tracker = make_tracker(
        "can I go to the gym?",
        intent="faq",
        response_selector=selected("exercise"),
        slots={"aftercare_topic_asked": "makeup"},
        earlier_events=earlier,
    )
    messages, slots = await run_action(tracker)
    assert [m["response"] for m in messages] == ["utter_faq/exercise"]
    assert slots == {"aftercare_topic_asked": None}


def test_the_clinic_time_zone_is_a_setting_checked_when_read():
    assert get_settings({}).clinic_timezone == "Asia/Karachi"
    assert get_settings({"CLINIC_TIMEZONE": "Europe/London"}).clinic_zone == ZoneInfo(
        "Europe/London"
    )
    with pytest.raises(ValueError, match="CLINIC_TIMEZONE"):
        get_settings({"CLINIC_TIMEZONE": "Mars/Olympus_Mons"})


@pytest.mark.parametrize(
    ("zone", "offset"), [("Pacific/Kiritimati", "+14:00"), ("Etc/GMT+11", "-11:00")]
)
async def test_yesterday_is_the_clinic_s_yesterday(monkeypatch, zone, offset):
    monkeypatch.setenv("CLINIC_TIMEZONE", zone)
    tracker = faq_question("I had it done yesterday, can I wear makeup?", "makeup")
    _, slots = await run_action(tracker)
    earliest = slots["treatment_time"].split("/")[0]
    assert earliest.endswith(f"T00:00:00{offset}")
    yesterday = datetime.now(ZoneInfo(zone)).date() - timedelta(days=1)
    assert earliest.startswith(yesterday.isoformat())


# --- in Urdu ---------------------------------------------------------------------------

URDU_TIMING = get_aftercare_timing("ur")


def test_the_urdu_texts_keep_the_english_hours_sources_topics_and_placeholders():
    assert URDU_TIMING.topics == TIMING.topics
    for name, rule in TIMING.rules.items():
        urdu = URDU_TIMING.rules[name]
        assert (urdu.hours, urdu.sources) == (rule.hours, rule.sources)
        assert urdu.before != rule.before and "{until}" in urdu.before
        assert urdu.after != rule.after


def test_days_and_times_are_said_in_urdu_with_the_part_of_the_day():
    now = datetime(2026, 12, 3, 9, 0, tzinfo=KARACHI)  # a Thursday
    wording = URDU_TIMING.wording
    assert say_when(datetime(2026, 12, 3, 15, 0, tzinfo=KARACHI), now, wording) == "آج، دوپہر 3 بجے"
    assert say_when(datetime(2026, 12, 4, 10, 30, tzinfo=KARACHI), now, wording) == (
        "کل (جمعہ 4 دسمبر)، صبح 10:30 بجے"
    )
    assert say_when(datetime(2026, 12, 6, 0, 0, tzinfo=KARACHI), now, wording) == "اتوار 6 دسمبر"
    assert say_when(datetime(2026, 12, 3, 12, 0, tzinfo=KARACHI), now, wording) == (
        "آج، دوپہر 12 بجے"
    )
    assert say_when(datetime(2026, 12, 3, 20, 0, tzinfo=KARACHI), now, wording) == "آج، رات 8 بجے"


async def test_a_conversation_in_urdu_gets_the_dated_answer_in_urdu():
    # The language is read as clinic_nlp/language.py reads it (tested there): here, asked for.
    tracker = faq_question(
        "I had it done 3 days ago, can I wear makeup now?", "makeup", slots={"reply_language": "ur"}
    )
    (message,), _ = await run_action(tracker)
    assert message["text"].startswith("آپ کا علاج 3 دن پہلے ہوا تھا (")
    assert f"- {URDU_TIMING.rules['makeup'].after}" in message["text"]
    assert "days ago" not in message["text"]
