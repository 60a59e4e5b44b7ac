"""Which language a patient writes in, and whether they ask for a reply language.

Patients in Multan write English, Roman Urdu ("kya is mein dard hota hai?") or
Urdu script ("کیا اس میں درد ہوتا ہے؟"). Urdu script is told by its Unicode
ranges; Roman Urdu by its words: those listed in content/languages.yml and the
Latin-letter words of the Urdu glossary (content/urdu_gloss.yml) that English
does not use too.
The language-ID packages on PyPI (langid, lingua, fastText's, CLD3) know Urdu
only in Urdu script and take Roman Urdu for some other language, so a word list
decides it here.

How a person writes is read again from the conversation's own messages where it
is needed (`conversation_languages()`: the response generator, the actions), not
kept as an entity of every message, which Rasa's story tests would have to
annotate on every line. A reply language asked for ("urdu mein") is an entity of
that message (language_components.py) kept by the slot `reply_language`;
clinic_store/languages.py's `reply_language()` tells which language to answer in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from clinic_nlp.urdu_gloss import Glossary, get_glossary
from clinic_nlp.urdu_script import without_vowel_marks
from clinic_nlp.vocabulary import REPO_ROOT, VocabularyError, read_content, text_list
from clinic_store.languages import (
    ENGLISH,
    LANGUAGE_SLOT,
    REPLY_LANGUAGE_SLOT,
    ROMAN_URDU,
    URDU,
)

DEFAULT_PATH = REPO_ROOT / "content" / "languages.yml"
# The entity is named as the slot that keeps it (domain/language.yml).
REPLY_LANGUAGE_ENTITY = REPLY_LANGUAGE_SLOT
USER_EVENT = "user"
SWITCH_INTENT = "switch_language"
# Arabic-script blocks (Urdu is written in them): basic, supplement, extended-A,
# presentation forms A and B.
URDU_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_WORD = re.compile(r"[a-z]+")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# One Roman Urdu word makes a message this short Roman Urdu ("dard hai?", "shukriya").
SHORT_MESSAGE_WORDS = 3


@dataclass(frozen=True)
class LanguageWords:
    """Everything content/languages.yml says."""

    min_english_words: int
    # Two Roman Urdu words make a longer message Roman Urdu when they are this share of it.
    min_roman_urdu_share: float
    roman_urdu_words: frozenset[str]
    # The glossary's Roman Urdu words: many, so they count only two at a time
    # ("Jo Bloggs", "Zara Ahmed" are names, not Roman Urdu).
    glossary_words: frozenset[str]
    switch_names: dict[str, str]  # a language's name as written -> `en` or `ur`
    switch_fillers: frozenset[str]


def load_language_words(
    path: Path | str | None = None, glossary: Glossary | None = None
) -> LanguageWords:
    """Read and check languages.yml; the glossary adds its Roman Urdu words."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_content(path)
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping")
    minimum = data.get("min_english_words")
    if not isinstance(minimum, int) or minimum < 1:
        raise VocabularyError(f"{path}: 'min_english_words' must be a whole number above 0")
    share = data.get("min_roman_urdu_share")
    if not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise VocabularyError(f"{path}: 'min_roman_urdu_share' must be above 0 and at most 1")
    switch = data.get("switch") or {}
    names = {
        _plain(name): language
        for language, written in (switch.get("names") or {}).items()
        for name in text_list(written, f"switch.names.{language}")
    }
    if set(names.values()) != {ENGLISH, URDU}:
        raise VocabularyError(f"{path}: 'switch.names' needs names for en and ur")
    return LanguageWords(
        minimum,
        float(share),
        frozenset(_plain(w) for w in text_list(data.get("roman_urdu_words"), "roman_urdu_words")),
        (glossary or get_glossary()).roman_urdu_words(),
        names,
        frozenset(_plain(w) for w in text_list(switch.get("fillers"), "switch.fillers")),
    )


@lru_cache(maxsize=1)
def get_language_words() -> LanguageWords:
    """The project's languages.yml, read once."""
    return load_language_words()


def _plain(text: str) -> str:
    """`text` in lower case, without Urdu's vowel marks."""
    return without_vowel_marks(text.casefold())


def _words(text: str) -> list[str]:
    return WORD.findall(_plain(text))


def detect_language(text: str, words: LanguageWords | None = None) -> str | None:
    """`ur`, `roman_ur`, `en`, or None when the message is too short to tell."""
    words = words or get_language_words()
    found = _words(text)
    urdu_words = [w for w in found if URDU_LETTER.search(w)]
    latin_words = [w for w in found if LATIN_WORD.fullmatch(w)]
    if urdu_words and len(urdu_words) * 2 >= len(latin_words):
        return URDU
    listed = sum(1 for word in latin_words if word in words.roman_urdu_words)
    roman = sum(1 for w in latin_words if w in words.roman_urdu_words or w in words.glossary_words)
    share = roman / len(latin_words) if latin_words else 0
    if (roman >= 2 and share >= words.min_roman_urdu_share) or (
        listed >= 1 and roman == 1 and len(latin_words) <= SHORT_MESSAGE_WORDS
    ):
        return ROMAN_URDU
    if urdu_words:
        return URDU  # Urdu words among more English ones: the writer reads Urdu script
    return ENGLISH if len(latin_words) >= words.min_english_words else None


def written_language(events: Iterable[Any], words: LanguageWords | None = None) -> str | None:
    """How the person writes: the language of their latest message long enough to tell.

    `events` are the conversation's, oldest first: Rasa's event objects (the Rasa
    server) or the action server's event dictionaries.
    """
    for event in reversed(list(events)):
        text = _user_text(event)
        if text and (language := detect_language(text, words)):
            return language
    return None


def conversation_languages(slots: Mapping[str, Any], events: Iterable[Any]) -> dict[str, Any]:
    """The slots with how the person writes added, for clinic_store.languages' decisions."""
    return {**slots, LANGUAGE_SLOT: written_language(events)}


def _user_text(event: Any) -> str | None:
    if isinstance(event, Mapping):
        return event.get("text") if event.get("event") == USER_EVENT else None
    return getattr(event, "text", None) if getattr(event, "type_name", "") == USER_EVENT else None


def requested_reply_language(text: str, words: LanguageWords | None = None) -> str | None:
    """`en` or `ur` when the message asks for replies in that language, else None."""
    words = words or get_language_words()
    left = [w for w in _words(text) if w not in words.switch_fillers]
    return words.switch_names.get(left[0]) if len(left) == 1 else None
