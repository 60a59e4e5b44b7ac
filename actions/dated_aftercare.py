"""Aftercare answers that count from the day the person was treated.

"I had it done 3 days ago, can I wear makeup now?" gets "the 48 hours have
passed..." instead of the general rule; "treated this morning, can I go to the
gym tonight?" gets "please wait until Sunday 6 December at 11 am". The rules and
their words are content/aftercare_timing.yml; when the person was treated is read
by clinic_nlp/treatment_time.py (the message first, else the `treatment_time`
slot, which remembers it for "and swimming?"). Each rule counts from the latest
moment the treatment can have been and its "until" is rounded up to the hour:
never earlier than the documents allow.

When the person speaks of their own treatment but gives no usable time, the bot
asks once when it was (the `aftercare_topic_asked` slot holds the question), then
answers with their day or, still unclear, with the general FAQ answer. Topics
with no time rules, and questions with no time at all, get the FAQ answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import selected_faq_response
from clinic_nlp.language import conversation_languages
from clinic_nlp.treatment_time import (
    SLOT as TREATMENT_TIME_SLOT,
)
from clinic_nlp.treatment_time import (
    Clarity,
    Reading,
    TreatmentTime,
    is_follow_up,
    read_treatment_time,
    speaks_of_own_treatment,
)
from clinic_nlp.vocabulary import REPO_ROOT, VocabularyError, read_content, text_list
from clinic_store.languages import ENGLISH, URDU, reply_language
from clinic_store.settings import get_settings

DEFAULT_PATH = REPO_ROOT / "content" / "aftercare_timing.yml"
# The Urdu texts of the rules and the wording; hours, sources and topics stay the English file's.
TRANSLATION_PATHS = {URDU: REPO_ROOT / "content" / "aftercare_timing_ur.yml"}
WORDING_TEXTS = (
    *("today", "tomorrow", "at", "clock", "day", "one_hour", "hours", "one_day", "days"),
    *("less_than_an_hour", "about", "treated_today", "treated_yesterday", "treated_days_ago"),
    "treated_at_least_days_ago",
)
ASKED_SLOT = "aftercare_topic_asked"
ASK_RESPONSE = "utter_ask_treatment_time"
STILL_UNCLEAR_RESPONSE = "utter_treatment_time_unclear"
# A follow-up read as out of scope ("and swimming?") is answered when the response
# selector is at least this sure of its topic (measured: 0.82-0.99 for such follow-ups).
FOLLOW_UP_MIN_CONFIDENCE = 0.8
OUT_OF_SCOPE_INTENT = "out_of_scope"
OUT_OF_SCOPE_RESPONSE = "utter_out_of_scope"
# The topic of a reply that only says when ("on Monday"): the whole aftercare.
DEFAULT_TOPIC = "aftercare"
TELL_TIME_INTENT = "tell_treatment_time"
FAQ_PREFIX = "utter_faq/"


@dataclass(frozen=True)
class TimeRule:
    """One of the documents' time rules after treatment."""

    name: str
    hours: int
    sources: tuple[str, ...]
    before: str
    after: str


@dataclass(frozen=True)
class Wording:
    """How one language says days, times and how long it has been (`wording`)."""

    texts: dict[str, str]
    noon: str | None
    parts_of_day: tuple[tuple[int, str], ...]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]

    def say(self, name: str, **values: Any) -> str:
        return self.texts[name].format(**values)


@dataclass(frozen=True)
class AftercareTiming:
    """Everything aftercare_timing.yml says, in one language."""

    rules: dict[str, TimeRule]
    topics: dict[str, tuple[str, ...]]
    wording: Wording


@dataclass(frozen=True)
class RuleAnswer:
    """One rule applied to one person's treatment time."""

    rule: str
    passed: bool
    # From when it is allowed (rounded up to the hour), in the clinic's zone.
    until: datetime
    text: str


def load_aftercare_timing(path: Path | str | None = None) -> AftercareTiming:
    """Read and check aftercare_timing.yml."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_content(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise VocabularyError(f"{path}: expected a mapping with 'rules'")
    rules = {name: _rule(str(name), entry) for name, entry in data["rules"].items()}
    topics = {}
    for topic, names in (data.get("topics") or {}).items():
        names = text_list(names, f"topics.{topic}")
        unknown = [n for n in names if n not in rules]
        if not names or unknown:
            raise VocabularyError(f"topics.{topic}: needs rules, unknown {unknown}")
        topics[str(topic)] = tuple(names)
    return AftercareTiming(rules, topics, _wording(data.get("wording"), str(path)))


def load_translation(timing: AftercareTiming, path: Path | str) -> AftercareTiming:
    """`timing` with the rule texts and wording of a translation file (aftercare_timing_ur.yml)."""
    data = read_content(Path(path))
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or set(entries) != set(timing.rules):
        raise VocabularyError(
            f"{path}: needs the texts of exactly the rules {sorted(timing.rules)}"
        )
    rules = {}
    for name, rule in timing.rules.items():
        texts = _rule_texts(f"{path}: rules.{name}", entries[name])
        rules[name] = replace(rule, before=texts["before"], after=texts["after"])
    return replace(timing, rules=rules, wording=_wording(data.get("wording"), str(path)))


@cache
def get_aftercare_timing(language: str = ENGLISH) -> AftercareTiming:
    """The project's aftercare_timing.yml in `language` (English when it has no translation)."""
    english = load_aftercare_timing()
    path = TRANSLATION_PATHS.get(language)
    return load_translation(english, path) if path else english


def _wording(entry: Any, where: str) -> Wording:
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: needs a mapping 'wording'")
    missing = [name for name in WORDING_TEXTS if not isinstance(entry.get(name), str)]
    weekdays = tuple(text_list(entry.get("weekdays"), f"{where}: wording.weekdays"))
    months = tuple(text_list(entry.get("months"), f"{where}: wording.months"))
    parts = tuple((int(hour), str(word)) for hour, word in entry.get("parts_of_day") or [])
    if missing or len(weekdays) != 7 or len(months) != 12 or not parts or parts[0][0] != 0:
        raise VocabularyError(
            f"{where}: wording needs {missing or 'its texts'}, 7 weekdays, 12 months and"
            " parts_of_day from hour 0"
        )
    return Wording(
        {name: entry[name] for name in WORDING_TEXTS}, entry.get("noon"), parts, weekdays, months
    )


def _rule(name: str, entry: Any) -> TimeRule:
    where = f"rules.{name}"
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: expected a mapping")
    hours = entry.get("hours")
    if not isinstance(hours, int) or hours <= 0:
        raise VocabularyError(f"{where}: 'hours' must be a whole number above 0")
    sources = tuple(text_list(entry.get("sources"), f"{where}.sources"))
    if not sources:
        raise VocabularyError(f"{where}: 'sources' must name at least one seed file")
    texts = _rule_texts(where, entry)
    return TimeRule(name, hours, sources, texts["before"], texts["after"])


def _rule_texts(where: str, entry: Any) -> dict[str, str]:
    """A rule's `before` and `after`; `before` must say {until}."""
    texts = {key: (entry or {}).get(key) for key in ("before", "after")}
    if not all(isinstance(t, str) and t.strip() for t in texts.values()):
        raise VocabularyError(f"{where}: needs the texts 'before' and 'after'")
    if "{until}" not in texts["before"]:
        raise VocabularyError(f"{where}: 'before' must say {{until}}")
    return texts


# --- applying the rules ---------------------------------------------------------------


def allowed_from(rule: TimeRule, treated: TreatmentTime) -> datetime:
    """When the rule's time has passed, counted from the latest moment of the treatment,
    rounded up to the next whole hour."""
    end = treated.latest + timedelta(hours=rule.hours)
    if end.minute or end.second or end.microsecond:
        end = end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return end


def apply_rule(
    rule: TimeRule, treated: TreatmentTime, now: datetime, wording: Wording | None = None
) -> RuleAnswer:
    until = allowed_from(rule, treated)
    passed = now >= until
    text = rule.after if passed else rule.before.format(until=say_when(until, now, wording))
    return RuleAnswer(rule.name, passed, until, text)


def answers_for(
    topic: str, treated: TreatmentTime, now: datetime, timing: AftercareTiming
) -> list[RuleAnswer]:
    return [
        apply_rule(timing.rules[name], treated, now, timing.wording)
        for name in timing.topics[topic]
    ]


def say_when(moment: datetime, now: datetime, wording: Wording | None = None) -> str:
    """ "today at 3 pm", "tomorrow (Friday 4 December) at 11 am", "Sunday 6 December"."""
    wording = wording or get_aftercare_timing().wording
    days = (moment.date() - now.date()).days
    day = _day(moment, wording)
    if days == 0:
        day = wording.say("today")
    elif days == 1:
        day = wording.say("tomorrow", day=day)
    if moment.hour == 0 and moment.minute == 0:
        return day  # "until Sunday 6 December": from its start
    return wording.say("at", day=day, clock=_clock(moment, wording))


def _clock(moment: datetime, wording: Wording) -> str:
    """ "noon", "3 pm", "10:30 am"."""
    if (moment.hour, moment.minute) == (12, 0) and wording.noon:
        return wording.noon
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    part = [word for hour, word in wording.parts_of_day if hour <= moment.hour][-1]
    return wording.say("clock", time=f"{moment.hour % 12 or 12}{minutes}", part=part)


def say_elapsed(treated: TreatmentTime, now: datetime, wording: Wording | None = None) -> str:
    """How long it has been, said from the latest moment the treatment can have been."""
    wording = wording or get_aftercare_timing().wording
    if treated.exact:
        hours = math.floor((now - treated.latest).total_seconds() / 3600)
        when = wording.say(
            "at", day=_day(treated.latest, wording), clock=_clock(treated.latest, wording)
        )
        if hours < 1:
            return wording.say("less_than_an_hour", when=when)
        count = (
            _count(hours, "hour", wording) if hours < 48 else _count(hours // 24, "day", wording)
        )
        return wording.say("about", count=count, when=when)
    last_day = (treated.latest - timedelta(microseconds=1)).date()
    days = (now.date() - last_day).days
    at_least = treated.earliest.date() != last_day
    day = _day(last_day, wording)
    if days == 0:
        return wording.say("treated_today")
    if days == 1 and not at_least:
        return wording.say("treated_yesterday", day=day)
    ago = "treated_at_least_days_ago" if at_least else "treated_days_ago"
    return wording.say(ago, days=days, day=day)


def _day(day: date, wording: Wording) -> str:
    return wording.say(
        "day",
        weekday=wording.weekdays[day.weekday()],
        date=day.day,
        month=wording.months[day.month - 1],
    )


def _count(number: int, unit: str, wording: Wording) -> str:
    """ "1 hour", "5 days": the wording's `one_hour` / `hours`, `one_day` / `days`."""
    return wording.say(f"one_{unit}") if number == 1 else wording.say(f"{unit}s", n=number)


def dated_answer(topic: str, treated: TreatmentTime, now: datetime, timing: AftercareTiming) -> str:
    """The whole answer for one topic: how long it has been, then each rule."""
    lines = [say_elapsed(treated, now, timing.wording)]
    lines += [answer.text for answer in answers_for(topic, treated, now, timing)]
    return " ".join(lines[:1]) + "\n" + "\n".join(f"- {line}" for line in lines[1:])


# --- the action -----------------------------------------------------------------------


def follow_up_topic(latest_message: dict[str, Any], timing: AftercareTiming) -> str | None:
    """The dated topic of a short follow-up the classifier took for out of scope, if clear."""
    response = selected_faq_response(latest_message, min_confidence=FOLLOW_UP_MIN_CONFIDENCE)
    topic = response.removeprefix(FAQ_PREFIX) if response else None
    if topic in timing.topics and is_follow_up(latest_message.get("text") or ""):
        return topic
    return None


def _intent(latest_message: dict[str, Any]) -> str | None:
    return (latest_message.get("intent") or {}).get("name")


def topic_of(latest_message: dict[str, Any]) -> str:
    """The FAQ topic of a question ("makeup"); the whole aftercare for a reply that only
    says when. A FAQ question gets the topic the FAQ rule would answer, however unsure."""
    if _intent(latest_message) == TELL_TIME_INTENT:
        return DEFAULT_TOPIC
    response = selected_faq_response(latest_message, min_confidence=0)
    return response.removeprefix(FAQ_PREFIX) if response else DEFAULT_TOPIC


def just_asked(tracker: Tracker) -> bool:
    """The bot's last words before the latest message asked when the person was treated."""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen > 1:
                return False
        elif event.get("event") == "bot" and users_seen == 1:
            return (event.get("metadata") or {}).get("utter_action") == ASK_RESPONSE
    return False


class ActionAnswerDatedAftercare(Action):
    """Answers an aftercare question for this person's treatment time, when it is known."""

    def name(self) -> str:
        return "action_answer_dated_aftercare"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        settings = get_settings()
        zone = settings.clinic_zone
        now = datetime.now(zone)
        message = tracker.latest_message
        text = message.get("text") or ""
        reading = read_treatment_time(text, now)
        asked = tracker.get_slot(ASKED_SLOT) if just_asked(tracker) else None
        treated = reading.time or TreatmentTime.from_slot(
            tracker.get_slot(TREATMENT_TIME_SLOT), zone
        )
        events: list[EventType] = []
        if reading.time is not None:
            events.append(SlotSet(TREATMENT_TIME_SLOT, reading.time.to_slot()))
        if tracker.get_slot(ASKED_SLOT):
            events.append(SlotSet(ASKED_SLOT, None))
        if asked:
            topic = asked  # the reply to "when were you treated?": the question's topic
        elif _intent(message) == OUT_OF_SCOPE_INTENT:
            topic = follow_up_topic(message, get_aftercare_timing())
            if topic is None:
                dispatcher.utter_message(response=OUT_OF_SCOPE_RESPONSE)
                return events
        else:
            topic = topic_of(message)
        slots = conversation_languages(tracker.slots, tracker.events)
        language = reply_language(slots, settings.roman_urdu_reply_language)
        timing = get_aftercare_timing(language)
        response, ask = respond(topic, reading, treated, bool(asked), text, now, timing)
        if ask:
            dispatcher.utter_message(response=ASK_RESPONSE)
            return [*events, SlotSet(ASKED_SLOT, topic)]
        if response.startswith("utter_"):
            if asked:
                dispatcher.utter_message(response=STILL_UNCLEAR_RESPONSE)
            dispatcher.utter_message(response=response)
        else:
            # Stored with the bot's message: staff and the evaluations see which FAQ
            # topic it answered, as `utter_action` shows for the general answers.
            dispatcher.utter_message(text=response, faq_topic=topic)
        return events


def respond(
    topic: str,
    reading: Reading,
    treated: TreatmentTime | None,
    already_asked: bool,
    text: str,
    now: datetime,
    timing: AftercareTiming | None = None,
) -> tuple[str, bool]:
    """(the dated answer's text or a response name, whether to ask when first)."""
    timing = timing or get_aftercare_timing()
    general = f"{FAQ_PREFIX}{topic}"
    if topic not in timing.topics:
        return general, False
    if treated is not None:
        return dated_answer(topic, treated, now, timing), False
    # "I had it done on the 45th" or "I had it done": their own treatment, time unclear.
    unclear = reading.clarity is Clarity.UNCLEAR and reading.reason != "future" and reading.past
    if not already_asked and (unclear or speaks_of_own_treatment(text)):
        return general, True
    return general, False
