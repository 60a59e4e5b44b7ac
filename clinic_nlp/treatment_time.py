"""When the person was treated, read from what they wrote: shared by the triage and the
dated aftercare answers.

English dates are read by dateparser ("yesterday", "3 days ago", "on Monday",
"1 December", "yesterday at 3pm"); content/treatment_time.yml adds what it does
not read (parts of a day, "last Friday", Roman Urdu such as "kal", "parson",
"teen din pehle") and the words that say whether the message speaks of the past.
dateparser 1.2's `search_dates` only finds where the times are: each one it
finds is read again with `DateDataParser`, which gets clock times and weekdays
right where `search_dates` does not ("on Monday at 10am" came back as 3 October).

A time is a stretch (`TreatmentTime`): a day is the whole day, "this morning" its
hours, a clock time that moment, and nothing is later than now. Aftercare counts
from its latest moment, the triage from its earliest, so both are on the careful
side. Every time is in the clinic's zone (CLINIC_TIMEZONE). A date in the future
or one that cannot be a treatment date ("on the 45th", "31/11") is `UNCLEAR`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from clinic_nlp.vocabulary import REPO_ROOT, VocabularyError, read_content, text_list

DEFAULT_PATH = REPO_ROOT / "content" / "treatment_time.yml"
SLOT = "treatment_time"
# A clock time in a date phrase ("at 10am", "3 hours ago", "15:30") makes it a moment.
CLOCK = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d:\d\d|\b(?:hours?|minutes?|noon)\b")
# Dates written with digits, and day ordinals: when none of them reads as a date
# the message gave a date we cannot use ("on 31/11", "the 45th").
DATE_LIKE = re.compile(
    r"\b\d{1,4}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?\b|\b\d{1,3}(?:st|nd|rd|th)\b"
)
# "the 2nd" alone: dateparser 1.2 reads it as February; it is a day of this month.
DAY_ORDINAL = re.compile(r"\b(?:on\s+)?(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)\b")
# "day 5 and still swollen": the fifth day after the treatment.
DAY_NUMBER = re.compile(r"\bday\s+(\d{1,2})\b")
# "my 2nd session" counts sessions; dateparser would read "2nd" as a day of the month.
COUNTED_ORDINAL = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)\s+(?:sessions?|treatments?|times?|visits?|rounds?|appointments?)\b"
)
# "over a week", "more than 10 days": longer than the stretch named.
LONGER_THAN = re.compile(r"\b(?:over|more than|longer than|past|beyond|upwards of)\s*$")
MONTH_NAMES = "|".join(m.lower()[:3] + r"\w*" for m in calendar.month_name[1:])
MONTH_BEFORE = re.compile(rf"\b(?:{MONTH_NAMES})\s*$")
MONTH_AFTER = re.compile(rf"^\s*(?:of\s+)?(?:{MONTH_NAMES})\b")


class Clarity(StrEnum):
    """What a message says of the treatment's time."""

    FOUND = "found"
    # A time was given that cannot be the treatment's (in the future, not a date).
    UNCLEAR = "unclear"
    NONE = "none"


@dataclass(frozen=True)
class TreatmentTime:
    """When the treatment was: between `earliest` and `latest`, in the clinic's zone."""

    earliest: datetime
    latest: datetime
    # The time was a clock time ("at 10am", "3 hours ago"), not a day or part of one.
    exact: bool = False

    def days_ago(self, now: datetime) -> int:
        """Whole days from the earliest treatment day to today (the triage's count)."""
        return (now.astimezone(self.earliest.tzinfo).date() - self.earliest.date()).days

    def to_slot(self) -> str:
        """ISO 8601 interval text for the `treatment_time` slot."""
        kind = "exact" if self.exact else "day"
        return f"{self.earliest.isoformat()}/{self.latest.isoformat()}#{kind}"

    @classmethod
    def from_slot(cls, value: Any, zone: tzinfo) -> TreatmentTime | None:
        """The time a slot holds, in `zone`; None for anything else."""
        if not isinstance(value, str):
            return None
        interval, _, kind = value.partition("#")
        try:
            earliest, latest = (datetime.fromisoformat(p) for p in interval.split("/"))
        except ValueError:
            return None
        if earliest.tzinfo is None or latest.tzinfo is None or latest < earliest:
            return None
        return cls(earliest.astimezone(zone), latest.astimezone(zone), kind == "exact")


@dataclass(frozen=True)
class Reading:
    """What one message says: the time (when found), and whether it speaks of the past."""

    clarity: Clarity
    time: TreatmentTime | None = None
    # Why it is unclear: "future", "not_a_date" or "ambiguous" ("kal" alone).
    reason: str | None = None
    # The message speaks of the past ("had", "was", "karwaya", "I had it done").
    past: bool = False


@dataclass(frozen=True)
class Phrase:
    """A wording of content/treatment_time.yml's `phrases`."""

    most_days_ago: int
    least_days_ago: int
    part: str | None = None
    until_now: bool = False
    past_only: bool = False


# eq=False: compared and hashed as one object, so its patterns can be cached.
@dataclass(frozen=True, eq=False)
class TimeWords:
    """Everything treatment_time.yml says."""

    day_parts: dict[str, tuple[time, time | None]]
    phrases: dict[str, Phrase]
    urdu_numbers: dict[str, int]
    urdu_units: dict[str, str]
    urdu_ago: tuple[str, ...]
    past_cues: tuple[str, ...]
    own_treatment_cues: tuple[str, ...]
    future_cues: tuple[str, ...]
    activity_times: frozenset[str]
    time_words: frozenset[str]
    number_words: frozenset[str]
    same_as: dict[str, str]
    max_days_ago: int
    reply_filler_words: frozenset[str] = frozenset()
    past_words: tuple[str, ...] = ()
    future_before: tuple[str, ...] = ()
    follow_up_openers: tuple[str, ...] = ()
    event_before: tuple[str, ...] = ()
    urdu_more_than: tuple[str, ...] = ()


def read_treatment_time(text: str, now: datetime, words: TimeWords | None = None) -> Reading:
    """When `text` says the treatment was, `now` being the clinic's aware clock."""
    words = words or get_time_words()
    lowered = _normal(text)
    past, future = _has_any(lowered, words.past_cues), _has_any(lowered, words.future_cues)
    past = past or _has_any(lowered, words.own_treatment_cues)
    # Without a word of the past, a date is not the treatment's ("a party on Saturday").
    dated = past or _has_any(_rewritten(lowered, words), words.past_words)
    found: list[TreatmentTime] = []
    unclear: list[str] = []
    lowered = _read_phrases(lowered, now, words, past, future, found, unclear)
    lowered = _rewritten(lowered, words)
    lowered = _day_ordinals(lowered, now, unclear)
    activity = _read_dates(lowered, now, words, found, unclear)
    if not dated:
        found, activity = [], []
    if future and not past:
        # "my session is on Monday": the weekday dateparser puts in the past is to come.
        return Reading(Clarity.UNCLEAR, reason="future")
    if not found and activity and past:
        found = activity  # "I had it done today", "red after my session today"
    if found:
        return Reading(Clarity.FOUND, _spanning(found), past=past)
    if unclear or DATE_LIKE.search(lowered):
        reason = unclear[0] if unclear else "not_a_date"
        return Reading(Clarity.UNCLEAR, reason=reason, past=past)
    return Reading(Clarity.NONE, past=past)


def elapsed_days(text: str, now: datetime, words: TimeWords | None = None) -> int | None:
    """The longest stretch of time a report after treatment names, in days, if any.

    In a report every stretch is time since the treatment, whether or not it is
    worded in the past: "2 weeks later", "after 10 days", "day 5". dateparser
    reads "2 weeks later" as a date to come: the distance is what counts.
    """
    words = words or get_time_words()
    lowered = COUNTED_ORDINAL.sub(" ", _rewritten(_normal(text), words))
    days = [int(match.group(1)) for match in DAY_NUMBER.finditer(lowered)]
    base = now.replace(tzinfo=None)
    settings = {"RELATIVE_BASE": base}
    for matched, when in search_dates(lowered, languages=["en"], settings=settings) or []:
        if _is_time_phrase(matched, words) and not _of_an_event(lowered, matched, words):
            longer = LONGER_THAN.search(lowered[: lowered.find(matched)]) is not None
            days.append(abs(base - when.replace(tzinfo=None)).days + longer)
    return max(days, default=None)


def _is_time_phrase(matched: str, words: TimeWords) -> bool:
    """Whether a dateparser match is a time ("3 days", "last week"), not "may", "now" or "sat"."""
    tokens = set(re.findall(r"[a-z]+", matched.lower()))
    has_digit = any(ch.isdigit() for ch in matched)
    return has_digit or not (words.time_words | words.number_words).isdisjoint(tokens)


def speaks_of_own_treatment(text: str, words: TimeWords | None = None) -> bool:
    """The message speaks of the person's own treatment as done ("I had it done", "karwaya")."""
    return own_treatment_mention(text, words) is not None


def time_mention(text: str, words: TimeWords | None = None) -> tuple[int, int] | None:
    """Where the text may say when the treatment was (start, end), if it does: cheap, for the
    NLU component ("3 days ago", "on the 2nd", "kal", "this morning").

    Times that usually say when the person wants to do something ("today", "now")
    do not count; a mention that is no treatment time only costs the action a look.
    """
    words = words or get_time_words()
    found = [
        m.span() for m in _mention_pattern(words).finditer(text.lower().replace("\u2019", "'"))
    ]
    return min(found) if found else None


def own_treatment_mention(text: str, words: TimeWords | None = None) -> tuple[int, int] | None:
    """Where the text speaks of the person's own treatment as done ("I had it done")."""
    words = words or get_time_words()
    match = _cue_pattern(words.own_treatment_cues).search(text.lower().replace("\u2019", "'"))
    return match.span() if match else None


def is_follow_up(text: str, words: TimeWords | None = None) -> bool:
    """The text opens like a follow-up question ("and swimming?", "what about the gym")."""
    words = words or get_time_words()
    return _cue_pattern(words.follow_up_openers).match(text.lower().strip()) is not None


def mentions_a_time(text: str, words: TimeWords | None = None) -> bool:
    return time_mention(text, words) is not None


def only_says_when(text: str, words: TimeWords | None = None) -> bool:
    """The text is a time and nothing else of substance ("it was 3 days ago", "kal karwaya")."""
    words = words or get_time_words()
    lowered = text.lower().replace("\u2019", "'")
    if time_mention(lowered, words) is None:
        return False
    rest = _mention_pattern(words).sub(" ", lowered)
    rest = _cue_pattern(words.own_treatment_cues).sub(" ", rest)
    allowed = words.reply_filler_words | {*words.past_cues, *words.urdu_numbers, *words.urdu_units}
    return all(
        token in allowed or any(ch.isdigit() for ch in token)
        for token in re.findall(r"[\w']+", rest)
    )


@lru_cache(maxsize=4)
def _mention_pattern(words: TimeWords) -> re.Pattern[str]:
    """A number, a time word and "ago"; a wording of the data; or a date written in digits."""
    # "last" alone is no time ("how long does redness last"); "last week" is one.
    alone = words.time_words - words.activity_times - {"last"}
    units = "|".join(map(re.escape, sorted(alone, key=len, reverse=True)))
    numbers = "|".join(map(re.escape, sorted(words.number_words)))
    wordings = "|".join(
        map(re.escape, sorted({*words.phrases, *words.urdu_ago}, key=len, reverse=True))
    )
    return re.compile(
        rf"(?<![\w'])(?:(?:(?:\d+|{numbers}|a|an|last|on)\s+)?(?:{units})(?:\s+(?:ago|after|later|back))?"
        rf"|{wordings})(?![\w'])|{DATE_LIKE.pattern}"
    )


@lru_cache(maxsize=4)
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(map(re.escape, sorted(cues, key=len, reverse=True)))
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])")


def _normal(text: str) -> str:
    """Lower case, one space between words, straight apostrophes, a space at each end."""
    return " " + re.sub(r"\s+", " ", text.lower().replace("\u2019", "'")) + " "


def _rewritten(lowered: str, words: TimeWords) -> str:
    """The `same_as` wordings and Roman Urdu amounts in the English dateparser reads."""
    for phrase, same in words.same_as.items():
        lowered = re.sub(rf"(?<![\w.]){re.escape(phrase)}(?!\w)", same, lowered)
    return _roman_urdu_amounts(lowered, words)


def _read_phrases(
    lowered: str,
    now: datetime,
    words: TimeWords,
    past: bool,
    future: bool,
    found: list[TreatmentTime],
    unclear: list[str],
) -> str:
    """The data's own wordings, longest first; each one read is blanked out of the text."""
    for wording in sorted(words.phrases, key=len, reverse=True):
        pattern = rf"(?<![\w']){re.escape(wording)}(?![\w'])"
        match = re.search(pattern, lowered)
        if match is None:
            continue
        phrase = words.phrases[wording]
        span = _phrase_time(phrase, now, words)
        before = lowered[: match.start()].split()
        if (before and before[-1] in words.future_before) or span.earliest > now:
            unclear.append("future")  # "in a few days", "this evening" said at noon
        elif phrase.past_only and not past:
            # "kal" is tomorrow when the message speaks of what is to come.
            unclear.append("future" if future else "ambiguous")
        else:
            found.append(span)
        lowered = re.sub(pattern, lambda m: " " * len(m.group()), lowered)
    return lowered


def _phrase_time(phrase: Phrase, now: datetime, words: TimeWords) -> TreatmentTime:
    first = now.date() - timedelta(days=phrase.most_days_ago)
    last = now.date() - timedelta(days=phrase.least_days_ago)
    start, end = (time(0), None)
    if phrase.part:
        start, end = words.day_parts[phrase.part]
    earliest = datetime.combine(first, start, now.tzinfo)
    latest = (
        datetime.combine(last, end, now.tzinfo)
        if end is not None
        else datetime.combine(last + timedelta(days=1), time(0), now.tzinfo)
    )
    if phrase.until_now:
        latest = now
    return TreatmentTime(earliest, min(latest, now))


def _roman_urdu_amounts(lowered: str, words: TimeWords) -> str:
    """ "teen din pehle" -> "3 days ago", "ek hafte se zyada ho gaya" -> "more than 1 weeks
    ago", for dateparser."""
    numbers = "|".join(map(re.escape, words.urdu_numbers)) + r"|\d+"
    units = "|".join(map(re.escape, words.urdu_units))
    ago = "|".join(map(re.escape, words.urdu_ago))
    more = "|".join(map(re.escape, words.urdu_more_than)) or r"(?!)"
    pattern = rf"\b({numbers}) ({units}) (?:({more}) )?({ago})\b"

    def english(match: re.Match[str]) -> str:
        number = words.urdu_numbers.get(match.group(1), match.group(1))
        longer = "more than " if match.group(3) else ""
        return f"{longer}{number} {words.urdu_units[match.group(2)]} ago"

    return re.sub(pattern, english, lowered)


def _day_ordinals(lowered: str, now: datetime, unclear: list[str]) -> str:
    """ "on the 2nd" -> that day of this month, or of last month when it is still to come."""

    def as_date(match: re.Match[str]) -> str:
        if MONTH_BEFORE.search(lowered[: match.start()]) or MONTH_AFTER.match(
            lowered[match.end() :]
        ):
            return match.group()  # "2nd December", "December 2nd": dateparser reads those
        day = int(match.group(1))
        year, month = now.year, now.month
        if day > now.day:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        if day < 1 or day > calendar.monthrange(year, month)[1]:
            unclear.append("not_a_date")
            return " "
        return f" {day} {calendar.month_name[month]} {year} "

    return DAY_ORDINAL.sub(as_date, lowered)


def _read_dates(
    lowered: str,
    now: datetime,
    words: TimeWords,
    found: list[TreatmentTime],
    unclear: list[str],
) -> list[TreatmentTime]:
    """dateparser's dates in the text into `found`; returns the activity times ("today")."""
    base = now.replace(tzinfo=None)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    parser = _date_parser(base)
    activity: list[TreatmentTime] = []
    for matched, _ in search_dates(lowered, languages=["en"], settings=settings) or []:
        matched = matched.strip()
        if not _is_time_phrase(matched, words) or _of_an_event(lowered, matched, words):
            continue
        data = parser.get_date_data(matched)
        if data.date_obj is None:
            continue
        when = data.date_obj
        when = when.astimezone(now.tzinfo) if when.tzinfo else when.replace(tzinfo=now.tzinfo)
        if data.period == "year" or (now - when).days > words.max_days_ago:
            unclear.append("not_a_date")
            continue
        exact = bool(CLOCK.search(matched))
        span = _span(when, now, exact)
        if span is not None and _may_be_today(lowered, matched, when, now):
            span = TreatmentTime(span.earliest, now)
        if span is None:
            unclear.append("future")
        elif matched in words.activity_times:
            activity.append(span)
        else:
            found.append(span)
    return activity


def _of_an_event(lowered: str, matched: str, words: TimeWords) -> bool:
    """Whether the date is an occasion's still to come ("before my sister's mayun on Saturday")."""
    if not words.event_before:
        return False
    cues = "|".join(re.escape(cue) for cue in words.event_before)
    occasion = r"(?:\s+[\w']+){0,4}?\s+(?:on\s+|this\s+|next\s+)?"
    day = re.escape(re.sub(r"^on\s+", "", matched.strip()))
    return re.search(rf"(?:^|\s)(?:{cues}){occasion}{day}\b", lowered) is not None


def _may_be_today(lowered: str, matched: str, when: datetime, now: datetime) -> bool:
    """Whether a bare weekday read as last week's may mean today ("on Thursday", on a Thursday).

    dateparser reads it as a week ago; the person may have been treated this
    morning, so the stretch reaches to now and aftercare counts from today.
    """
    today = calendar.day_name[now.weekday()].lower()
    named = any(token in (today, today[:3]) for token in re.findall(r"[a-z]+", matched))
    last = re.search(rf"\blast\s+(?:{re.escape(matched)})", lowered) or "last" in matched
    return named and not last and when.date() != now.date()


@lru_cache(maxsize=8)
def _date_parser(base: datetime) -> DateDataParser:
    return DateDataParser(
        languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    )


def _span(when: datetime, now: datetime, exact: bool) -> TreatmentTime | None:
    """The stretch a time read by dateparser stands for; None when it is still to come."""
    if exact:
        return None if when > now else TreatmentTime(when, when, exact=True)
    start = datetime.combine(when.date(), time(0), now.tzinfo)
    if start > now:
        return None
    return TreatmentTime(start, min(start + timedelta(days=1), now))


def _spanning(times: list[TreatmentTime]) -> TreatmentTime:
    """One stretch covering every time the message gave: the careful reading both ways."""
    return TreatmentTime(
        min(t.earliest for t in times),
        max(t.latest for t in times),
        exact=all(t.exact for t in times),
    )


def _has_any(lowered: str, cues: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![\w']){re.escape(cue)}(?![\w'])", lowered) for cue in cues)


# --- the data file ----------------------------------------------------------------------


def load_time_words(path: Path | str | None = None) -> TimeWords:
    """Read and check treatment_time.yml."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_content(path)
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping")
    parts = {name: _part(name, hours) for name, hours in (data.get("day_parts") or {}).items()}
    phrases = {
        str(wording).lower(): _phrase(str(wording), entry, parts)
        for wording, entry in (data.get("phrases") or {}).items()
    }
    urdu = data.get("roman_urdu") or {}
    max_days = data.get("max_days_ago")
    if not isinstance(max_days, int) or max_days < 7:
        raise VocabularyError("max_days_ago: expected a whole number of days, at least 7")
    return TimeWords(
        day_parts=parts,
        phrases=phrases,
        urdu_numbers={str(k): int(v) for k, v in (urdu.get("numbers") or {}).items()},
        urdu_units={str(k): str(v) for k, v in (urdu.get("units") or {}).items()},
        urdu_ago=tuple(text_list(urdu.get("ago"), "roman_urdu.ago")),
        urdu_more_than=tuple(text_list(urdu.get("more_than"), "roman_urdu.more_than")),
        past_cues=tuple(text_list(data.get("past_cues"), "past_cues")),
        own_treatment_cues=tuple(text_list(data.get("own_treatment_cues"), "own_treatment_cues")),
        future_cues=tuple(text_list(data.get("future_cues"), "future_cues")),
        activity_times=frozenset(text_list(data.get("activity_times"), "activity_times")),
        time_words=frozenset(text_list(data.get("time_words"), "time_words")),
        number_words=frozenset(text_list(data.get("number_words"), "number_words")),
        same_as={str(k): str(v) for k, v in (data.get("same_as") or {}).items()},
        max_days_ago=max_days,
        reply_filler_words=frozenset(text_list(data.get("reply_filler_words"), "reply_filler")),
        past_words=tuple(text_list(data.get("past_words"), "past_words")),
        future_before=tuple(text_list(data.get("future_before"), "future_before")),
        follow_up_openers=tuple(text_list(data.get("follow_up_openers"), "follow_up_openers")),
        event_before=tuple(text_list(data.get("event_before"), "event_before")),
    )


@lru_cache(maxsize=1)
def get_time_words() -> TimeWords:
    """The project's treatment_time.yml, read once."""
    return load_time_words()


def _part(name: str, hours: Any) -> tuple[time, time | None]:
    """A part of the day as [start, end]; an end of "24:00" is the end of the day (None)."""
    if not (isinstance(hours, list) and len(hours) == 2 and all(isinstance(h, str) for h in hours)):
        raise VocabularyError(f'day_parts.{name}: expected ["HH:MM", "HH:MM"]')
    start = time.fromisoformat(hours[0])
    end = None if hours[1] == "24:00" else time.fromisoformat(hours[1])
    if end is not None and end <= start:
        raise VocabularyError(f"day_parts.{name}: the end must come after the start")
    return start, end


def _phrase(wording: str, entry: Any, parts: dict[str, Any]) -> Phrase:
    where = f"phrases.{wording}"
    if not isinstance(entry, dict) or "days_ago" not in entry:
        raise VocabularyError(f"{where}: expected a mapping with 'days_ago'")
    days = entry["days_ago"]
    most, least = (days, days) if isinstance(days, int) else tuple(days)
    if not (isinstance(most, int) and isinstance(least, int) and most >= least >= 0):
        raise VocabularyError(f"{where}: days_ago is a number or [most, least], 0 or more")
    part = entry.get("part")
    if part is not None and part not in parts:
        raise VocabularyError(f"{where}: unknown part of the day {part!r}")
    return Phrase(most, least, part, bool(entry.get("until_now")), bool(entry.get("past_only")))
