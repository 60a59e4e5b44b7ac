"""Understanding typed or tapped answers to the questionnaire (pure functions).

Answers arrive as button titles ("Yes"), numbers typed on WhatsApp ("1"), or free
text ("nope", "not that I know of", "yes, 3 months along"). Anything that is not
clearly one answer comes back as UNCLEAR so the question is asked again.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from actions.questionnaire import FollowUp, Questionnaire
from clinic_nlp.urdu_script import standard_urdu_letters

YES, NO, UNSURE, UNCLEAR = "yes", "no", "unsure", "unclear"
# An answer comes first and is short ("no", "yes, 3 months along", "I have never
# been pregnant"); the answer words of a longer opening ("there's pus on my cheek
# and I have a fever") are part of a message about something else.
MAX_ANSWER_WORDS = 8
# Urdu's comma, question mark and full stop, and its "but" and "and", too.
CLAUSE_BOUNDARY = re.compile(r"[,.;!?،؟۔]|\b(?:but|and|lekin|magar|aur|لیکن|مگر|اور)\b")


@dataclass(frozen=True)
class Mention:
    """A contraindication the spaCy layer found in the message, with its context."""

    code: str
    raises_flag: bool
    negated: bool
    start: int = 0
    end: int = 0


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, Urdu letters, single spaces, no punctuation around."""
    text = standard_urdu_letters(text.lower()).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.split())


def _phrase_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        for match in re.finditer(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text):
            spans.append((match.start(), match.end()))
    return spans


def _kinds_found(text: str, phrases_by_kind: dict[str, tuple[str, ...]]) -> set[str]:
    """Which answer kinds occur, where a longer phrase hides any phrase inside it."""
    found = [
        (start, end, kind)
        for kind, phrases in phrases_by_kind.items()
        for start, end in _phrase_spans(text, phrases)
    ]
    return {
        kind
        for start, end, kind in found
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)
    }


def _without_clauses_about(text: str, mentions: Iterable[Mention]) -> str:
    """The text minus the clauses that mention other conditions.

    "No, but I have eczema" answers "are you pregnant?" with its first clause; the
    second one ("I have ...") is about eczema and is dealt with on its own.
    """
    spans = [(m.start, m.end) for m in mentions]
    kept, start = [], 0
    for boundary in [*CLAUSE_BOUNDARY.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        if not any(s < end and start < e for s, e in spans):
            kept.append(text[start:end])
        start = boundary.end() if boundary else len(text)
    return " ".join(kept)


def _opening_answer(cleaned: str) -> str:
    """The first clause of a normalised reply, or nothing when it is too long to be an answer."""
    opening = CLAUSE_BOUNDARY.split(cleaned, maxsplit=1)[0].strip()
    return opening if len(opening.split()) <= MAX_ANSWER_WORDS else ""


def _numbered_choice(text: str, count: int) -> list[int]:
    """1-based option numbers typed as the whole answer ("2", "1 and 3", "1,2", "۱ aur ۳")."""
    if not re.fullmatch(r"(?:[\d\s,and&]|aur|اور)+", text):
        return []
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    return numbers if numbers and all(1 <= n <= count for n in numbers) else []


def parse_yes_no(
    text: str, questionnaire: Questionnaire, codes: Iterable[str], mentions: Iterable[Mention] = ()
) -> str:
    """YES, NO, UNSURE or UNCLEAR for a yes/no question about `codes`.

    A flag-raising mention of one of the item's conditions is a yes whatever the
    other words say: missing a contraindication is the worst error.
    """
    codes = set(codes)
    relevant = [m for m in mentions if m.code in codes]
    if any(m.raises_flag for m in relevant):
        return YES
    others = [m for m in mentions if m.code not in codes]
    cleaned = _opening_answer(normalise(_without_clauses_about(text, others)))
    cleaned = " ".join(w for w in cleaned.split() if w not in questionnaire.answer_particles)
    numbers = _numbered_choice(cleaned, len(questionnaire.yes_no_options))
    if len(numbers) == 1:
        cleaned = normalise(questionnaire.yes_no_options[numbers[0] - 1])
    kinds = _kinds_found(cleaned, questionnaire.answer_phrases)
    if UNSURE in kinds:
        return UNSURE
    if (relevant and all(m.negated for m in relevant)) or kinds == {NO}:
        return NO
    return YES if kinds == {YES} else UNCLEAR


def parse_options(
    text: str, follow_up: FollowUp, questionnaire: Questionnaire, mentions: Iterable[Mention] = ()
) -> list[str] | str:
    """The option codes chosen for a follow-up, UNSURE, or UNCLEAR."""
    cleaned = normalise(text)
    numbers = _numbered_choice(cleaned, len(follow_up.options))
    if numbers:
        return _unique(follow_up.options[n - 1].code for n in numbers)
    if cleaned in questionnaire.all_options:
        return list(follow_up.codes)
    chosen = [option.code for option in follow_up.options if _phrase_spans(cleaned, option.labels)]
    chosen += [m.code for m in mentions if m.raises_flag and m.code in follow_up.codes]
    if chosen:
        return _unique(chosen)
    if UNSURE in _kinds_found(cleaned, questionnaire.answer_phrases):
        return UNSURE
    return UNCLEAR


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))
