"""The languages patients write and are answered in, as every process sees them.

`reply_language()` decides which language the bot answers in from the conversation's
slots (the Rasa server's response generator, the actions, and the staff console
for the message it sends when staff hand back); the labels are how staff see a
hand-off's language. Which language a message is in is clinic_nlp/language.py's.
Nothing here imports Rasa or spaCy, so the staff console can use it.
"""

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ENGLISH, ROMAN_URDU, URDU = "en", "roman_ur", "ur"
# The slots (domain/language.yml): how the person writes, and the language they asked for.
LANGUAGE_SLOT, REPLY_LANGUAGE_SLOT = "language", "reply_language"
LANGUAGES_FILE = Path(__file__).resolve().parent.parent / "content" / "languages.yml"
NOT_KNOWN = "not known"


def reply_language(slots: Mapping[str, Any], roman_urdu_reply: str) -> str:
    """`en` or `ur`: the language asked for, else the one the person writes in.

    `slots` are the conversation's: `reply_language` holds what was asked for (it
    changes only when asked again), `language` how the person writes (it changes
    only with a message long enough to tell). Roman Urdu gets the clinic's choice.
    """
    asked = slots.get(REPLY_LANGUAGE_SLOT)
    if asked in (ENGLISH, URDU):
        return asked
    written = slots.get(LANGUAGE_SLOT)
    if written == URDU:
        return URDU
    return roman_urdu_reply if written == ROMAN_URDU else ENGLISH


def offers_urdu(slots: Mapping[str, Any], roman_urdu_reply: str) -> bool:
    """Whether the person writes Roman Urdu, gets English, and has not chosen it."""
    return (
        slots.get(LANGUAGE_SLOT) == ROMAN_URDU
        and slots.get(REPLY_LANGUAGE_SLOT) is None
        and roman_urdu_reply == ENGLISH
    )


@cache
def language_labels() -> dict[str, str]:
    """Language code -> its label for staff (content/languages.yml's `labels`)."""
    data = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
    return {str(code): str(label) for code, label in (data.get("labels") or {}).items()}


def language_label(code: str | None) -> str:
    """The label of a hand-off's language; "not known" when none was stored."""
    return language_labels().get(code, code) if code else NOT_KNOWN
