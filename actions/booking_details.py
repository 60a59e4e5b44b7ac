"""What a booking reply says: the area, the concern, the preferred days and times.

Pure functions over content/booking.yml. An area or concern is one of the file's
options when the reply names it ("my cheeks" -> face), else the person's own words
(kept as "other"); preferred times are read into days, parts of the day, dates and
clock limits ("Saturday after 4" -> Saturday, after 16:00) from the file's words,
dateparser for dates with a month and "tomorrow", and a pattern for clock times.
Every detail keeps the reply as typed, which is what staff read first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateparser.search import search_dates

from actions.answers import normalise
from clinic_nlp.vocabulary import REPO_ROOT, read_content

BOOKING_PATH = REPO_ROOT / "content" / "booking.yml"
AREA, CONCERN, TIMES = "booking_area", "booking_concern", "booking_times"
BOOKING_SLOTS = (AREA, CONCERN, TIMES)
OTHER, SKIPPED, NOT_GIVEN = "other", "skipped", "not_given"
MAX_TEXT = 200
# "after 4", "at 3pm", "10:30", "before 11 am": an hour, minutes, am/pm.
CLOCK = re.compile(r"\b(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\w)")
# Dates dateparser may read: with a month name, or tomorrow.
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
DATE_WORDS = re.compile(rf"\b(?:{MONTHS})[a-z]*\b|\btomorrow\b|\b\d{{1,2}}/\d{{1,2}}\b")
DAY_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Option:
    key: str
    title: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    slot: str
    text: str
    skipped: str
    options: tuple[Option, ...]

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [{"title": o.title, "payload": o.title} for o in self.options]


@dataclass(frozen=True)
class Named:
    """A day, a group of days, a part of the day or a relative day, and its words."""

    key: str
    label: str
    words: tuple[str, ...]
    days: tuple[str, ...] = ()
    days_ahead: int = 0


@dataclass(frozen=True)
class TimeWords:
    days: tuple[Named, ...]
    day_groups: tuple[Named, ...]
    parts: tuple[Named, ...]
    relative_days: tuple[Named, ...]
    after_words: tuple[str, ...]
    before_words: tuple[str, ...]
    afternoon_hours_below: int


@dataclass(frozen=True)
class BookingContent:
    questions: dict[str, Question]
    not_given: str
    skip_words: tuple[str, ...]
    times: TimeWords
    confirmation: str
    confirmation_note: str


def _words(raw: Any) -> tuple[str, ...]:
    return tuple(normalise(str(word)) for word in raw or ())


def _named(key: str, raw: dict[str, Any]) -> Named:
    return Named(
        key=key,
        label=str(raw.get("label", key)),
        words=_words(raw.get("words")),
        days=tuple(raw.get("days") or ()),
        days_ahead=int(raw.get("days_ahead", 0)),
    )


def parse_booking_content(raw: dict[str, Any]) -> BookingContent:
    questions = {
        slot: Question(
            slot=slot,
            text=entry["text"],
            skipped=entry["skipped"],
            options=tuple(
                Option(key, option["title"], _words(option["words"]))
                for key, option in entry["options"].items()
            ),
        )
        for slot, entry in raw["questions"].items()
    }
    times = raw["preferred_times"]
    return BookingContent(
        questions=questions,
        not_given=raw["not_given"],
        skip_words=_words(raw["skip_words"]),
        times=TimeWords(
            **{
                group: tuple(_named(k, v) for k, v in times[group].items())
                for group in ("days", "day_groups", "parts", "relative_days")
            },
            after_words=_words(times["after_words"]),
            before_words=_words(times["before_words"]),
            afternoon_hours_below=int(times["afternoon_hours_below"]),
        ),
        confirmation=raw["confirmation"],
        confirmation_note=raw["confirmation_note"],
    )


@lru_cache(maxsize=1)
def load_booking_content(path: Path = BOOKING_PATH) -> BookingContent:
    """content/booking.yml, read once per process."""
    return parse_booking_content(read_content(path))


def _has(cleaned: str, phrase: str) -> bool:
    return bool(re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", cleaned))


def is_skip(text: str, content: BookingContent) -> bool:
    """ "Not sure", "skip", "any time": the person leaves the question to the consultation."""
    cleaned = normalise(text)
    return any(
        cleaned == word or (" " in word and _has(cleaned, word)) for word in content.skip_words
    )


def chosen_options(text: str, question: Question) -> list[str]:
    """The options a reply names, in the question's order ("face and neck" -> both)."""
    cleaned = normalise(text)
    titles = {normalise(o.title): o.key for o in question.options}
    if cleaned in titles:
        return [titles[cleaned]]
    return [o.key for o in question.options if any(_has(cleaned, w) for w in o.words)]


def detail(choice: str | list[str], text: str | None, **extra: Any) -> dict[str, Any]:
    """A booking detail as stored: what was chosen and the reply as typed."""
    typed = " ".join(text.split())[:MAX_TEXT] if text else None
    return {"choice": choice, "text": typed, **extra}


def booking_of(slots: dict[str, Any]) -> dict[str, Any] | None:
    """The booking details a conversation gave, by detail ("area", "concern", "times")."""
    given = {slot.removeprefix("booking_"): slots.get(slot) for slot in BOOKING_SLOTS}
    given = {name: value for name, value in given.items() if value}
    return given or None


@dataclass(frozen=True)
class PreferredTimes:
    """What a reply says of when the person can come; empty when it says nothing usable."""

    days: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    after: str | None = None
    before: str | None = None

    def __bool__(self) -> bool:
        return bool(self.days or self.parts or self.dates or self.after or self.before)

    def to_json(self) -> dict[str, Any]:
        return {
            "days": list(self.days),
            "parts": list(self.parts),
            "dates": [d.isoformat() for d in self.dates],
            "after": self.after,
            "before": self.before,
        }


def _clock(hour: int, minutes: str | None, meridiem: str | None, words: TimeWords) -> str | None:
    if meridiem and meridiem.startswith("p") and hour < 12:
        hour += 12
    elif meridiem is None and 1 <= hour < words.afternoon_hours_below:
        hour += 12  # "after 4": the clinic sees nobody at 4 in the morning
    if hour > 23 or int(minutes or 0) > 59:
        return None
    return f"{hour:02d}:{int(minutes or 0):02d}"


def _limits(cleaned: str, words: TimeWords) -> tuple[str | None, str | None]:
    """The clock times a reply gives as "after" and "before" limits ("at 3pm": after 15:00)."""
    after = before = None
    for match in CLOCK.finditer(cleaned):
        meridiem = (match.group(3) or "").replace(".", "") or None
        lead = cleaned[: match.start()].split()[-1:]
        if not (
            meridiem
            or match.group(2)
            or (lead and lead[0] in {*words.after_words, *words.before_words})
        ):
            continue  # a bare number ("the 12th", "2 days") is no clock time
        clock = _clock(int(match.group(1)), match.group(2), meridiem, words)
        if clock and lead and lead[0] in words.before_words:
            before = before or clock
        elif clock:
            after = after or clock
    return after, before


def _dates(cleaned: str, today: date, words: TimeWords) -> list[date]:
    found = [
        today + timedelta(days=r.days_ahead)
        for r in words.relative_days
        if any(_has(cleaned, w) for w in r.words)
    ]
    for match in DAY_ORDINAL.finditer(cleaned):
        day = int(match.group(1))
        for months_ahead in range(2):  # this month's 12th, or next month's once it has passed
            year, month = divmod(today.month - 1 + months_ahead, 12)
            try:
                candidate = date(today.year + year, month + 1, day)
            except ValueError:
                continue
            if candidate >= today:
                found.append(candidate)
                break
    if DATE_WORDS.search(cleaned):
        base = datetime.combine(today, datetime.min.time())
        settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}
        for phrase, moment in search_dates(cleaned, languages=["en"], settings=settings) or []:
            if DATE_WORDS.search(phrase) and moment.date() >= today:
                found.append(moment.date())
    return sorted(set(found))


def parse_preferred_times(text: str, today: date, words: TimeWords) -> PreferredTimes:
    """Days, parts of the day, dates and clock limits in a reply ("weekday mornings")."""
    cleaned = normalise(text.replace(":", " colon ")).replace(" colon ", ":")
    days = [d.key for d in words.days if any(_has(cleaned, w) for w in d.words)]
    for group in words.day_groups:
        if any(_has(cleaned, w) for w in group.words):
            days += group.days
    parts = [p.key for p in words.parts if any(_has(cleaned, w) for w in p.words)]
    after, before = _limits(text.lower(), words)
    ordered = tuple(d for d in WEEKDAYS if d in days)
    return PreferredTimes(
        ordered, tuple(parts), tuple(_dates(cleaned, today, words)), after, before
    )


def times_summary(times: dict[str, Any], words: TimeWords) -> str:
    """Preferred times as staff read them: "Saturday · afternoon · after 16:00"."""
    labels = {n.key: n.label for n in (*words.days, *words.parts)}
    days = list(times.get("days") or [])
    for group in words.day_groups:
        if set(group.days) <= set(days):
            days = [d for d in days if d not in group.days] + [group.key]
            labels[group.key] = group.label
    pieces = [labels.get(d, d) for d in days]
    pieces += [date.fromisoformat(d).strftime("%a %d %b") for d in times.get("dates") or []]
    pieces += [labels.get(p, p) for p in times.get("parts") or []]
    pieces += [f"{k} {times[k]}" for k in ("after", "before") if times.get(k)]
    return " · ".join(pieces)
