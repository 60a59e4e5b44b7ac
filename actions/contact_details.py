"""Names, declines and stops in replies to the contact questions (pure functions).

Phone numbers and e-mail addresses are read by clinic_store/contact_parsing.py,
which the staff console shares. Names are what is left of a short reply once its
lead-in ("my name is", "it's") is taken off, when no word of it shows it is
something else (content/contact_replies.yml).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from actions.answers import normalise
from clinic_store.contact_parsing import ContactDetails

REPLIES_PATH = Path(__file__).resolve().parent.parent / "content" / "contact_replies.yml"
MAX_NAME_WORDS = 4
# A reply longer than a name with its lead-in and a courtesy ("hi, my name is Sana
# Tariq, thanks") is a message about something else, whatever word it opens with.
MAX_NAME_REPLY_WORDS = 8
# Longer when it speaks of a name: "put it under my mum's name please, Rukhsana Bibi".
MAX_NAMING_REPLY_WORDS = 14
MAX_NAME_LENGTH = 100
TOKEN_TRIM = ',;:!?"()[]'
# Letters (with their accents and vowel marks) joined by ' - or . as in "O'Neill-Brown".
NAME_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['\u2019.-][\p{L}\p{M}]+)*\.?")
# Urdu's comma, "aur" (and), "ya" (or) and "mera" (my) too: "Ayesha mera number ...".
CLAUSE_BREAK = re.compile(
    r"[,;/|+&،]|\s-\s|\b(?:and|or|my|aur|ya|mera|meri|میرا|میری|اور)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class ReplyWords:
    """The phrases that tell what a reply to a contact question is (contact_replies.yml)."""

    name_lead_ins: tuple[tuple[str, ...], ...]
    name_endings: tuple[tuple[str, ...], ...]
    not_name_words: frozenset[str]
    naming_words: frozenset[str]
    declines: tuple[str, ...]
    stops: tuple[str, ...]


@lru_cache(maxsize=1)
def load_reply_words(path: Path = REPLIES_PATH) -> ReplyWords:
    """The reply phrases from their YAML file, read once per process."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ReplyWords(
        name_lead_ins=_token_phrases(raw["name_lead_ins"]),
        name_endings=_token_phrases(raw["name_endings"], reverse=True),
        not_name_words=frozenset(word.lower() for word in raw["not_name_words"]),
        naming_words=frozenset(normalise(word) for word in raw["naming_words"]),
        declines=tuple(normalise(p) for p in raw["declines"]),
        stops=tuple(normalise(p) for p in raw["stops"]),
    )


def _token_phrases(phrases: Iterable[str], reverse: bool = False) -> tuple[tuple[str, ...], ...]:
    """Phrases as lower-case token tuples, longest first (reversed to match from the end)."""
    split = (tuple(_lower(p).split()[:: -1 if reverse else 1]) for p in phrases)
    return tuple(sorted(split, key=len, reverse=True))


def _lower(token: str) -> str:
    return token.lower().replace("\u2019", "'")


def _phrase_at(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> int:
    """How many of the first tokens are one of the phrases (longest first), or 0."""
    return next((len(p) for p in phrases if tuple(tokens[: len(p)]) == p), 0)


def _name_in(clause: str, words: ReplyWords) -> str | None:
    """The name a clause gives ("it's Sarah Jones" -> "Sarah Jones"), if it is one."""
    tokens = [t for t in (t.strip(TOKEN_TRIM) for t in clause.split()) if t]
    lowered = [_lower(t) for t in tokens]
    tokens = tokens[_phrase_at(lowered, words.name_lead_ins) :]
    lowered = lowered[len(lowered) - len(tokens) :]
    ending = _phrase_at(lowered[::-1], words.name_endings)
    tokens, lowered = tokens[: len(tokens) - ending], lowered[: len(lowered) - ending]
    if not 1 <= len(tokens) <= MAX_NAME_WORDS or not all(NAME_WORD.fullmatch(t) for t in tokens):
        return None
    bare = [t.strip(".") for t in lowered]
    if any(t in words.not_name_words for t in bare) or all(t in STOP_WORDS for t in bare):
        return None
    name = " ".join(tokens).rstrip(".")
    return (name.title() if name.islower() else name)[:MAX_NAME_LENGTH]


def parse_name(text: str, contact: ContactDetails | None = None) -> str | None:
    """The person's name in a reply to "what's your name?", or None.

    Phone numbers and e-mail addresses in the reply are left out first, so
    "Sarah Jones, 07700 900888" gives "Sarah Jones" and "my number is 07700 900777"
    gives no name at all.
    """
    rest = list(text)
    for start, end in contact.spans if contact else ():
        rest[start:end] = [","] * (end - start)
    rest_text = "".join(rest)
    words = load_reply_words()
    said = normalise(rest_text).split()
    naming = not words.naming_words.isdisjoint(said)
    if len(said) > (MAX_NAMING_REPLY_WORDS if naming else MAX_NAME_REPLY_WORDS):
        return None
    names = [
        name
        for clause in CLAUSE_BREAK.split(rest_text)
        if normalise(clause) and (name := _name_in(clause, words))
    ]
    return _fullest(names)


def _fullest(names: list[str]) -> str | None:
    """The first name given, or a later, longer one beginning with it ("I'm Ali, Ali Raza")."""
    if not names:
        return None
    first = names[0]
    longer = [n for n in names[1:] if n.casefold().startswith(first.casefold() + " ")]
    return max(longer, key=len, default=first)


def _says(text: str, phrases: tuple[str, ...]) -> bool:
    """The whole reply is one of the phrases, or contains one of several words."""
    cleaned = normalise(text)
    return any(
        cleaned == phrase or (" " in phrase and re.search(rf"\b{re.escape(phrase)}\b", cleaned))
        for phrase in phrases
    )


def is_decline(text: str) -> bool:
    """The person would rather not answer ("I'd rather not", "no thanks", "skip")."""
    return _says(text, load_reply_words().declines)


def is_stop(text: str) -> bool:
    """The person wants to leave the form ("stop", "cancel")."""
    return _says(text, load_reply_words().stops)
