"""Urdu script as phones type it: one spelling of each letter for the matchers.

Phones with an Arabic keyboard write Arabic letters where Urdu has its own
(ي for ی, ك for ک, ه for ہ); the vocabulary is written with the Urdu ones. The
replacement is letter for letter, so the positions of what is found in the
standardised text are its positions in the text as sent. Vowel marks are
dropped where a word is looked up.
"""

import re
import unicodedata

_ARABIC_TO_URDU = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH (Urdu choti ye)
        "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH (Urdu kaf)
        "\u0647": "\u06c1",  # ARABIC HEH -> HEH GOAL (Urdu gol he)
        "\u0629": "\u06c3",  # TEH MARBUTA -> TEH MARBUTA GOAL
    }
)


def standard_urdu_letters(text: str) -> str:
    """The text with Arabic letter forms replaced by their Urdu ones (same length)."""
    return text.translate(_ARABIC_TO_URDU)


def without_vowel_marks(text: str) -> str:
    """The text without Urdu's vowel marks (zer, zabar, pesh...), which are not
    letters and would split a word ("اُردو" is "اردو")."""
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


# Urdu script writes "I" and "in" alike (میں). It is "I" where a clause opens
# ("میں حاملہ ہوں", "کیا میں ...", "اگر میں ...", "لگتا ہے میں ...": a
# postposition never follows a verb), and "in" after a noun ("جلد میں
# انفیکشن", an infection in the skin). Content files write
# URDU_I_PLACEHOLDER in a regular expression where they mean "I".
_CLAUSE_OPENERS = (
    *("کیا", "اگر", "جب", "کہ", "اور", "لیکن", "مگر", "تو"),
    *("اب", "ابھی", "پھر", "شاید", "جی", "ہاں"),
    *("ہے", "ہیں", "تھا", "تھی", "تھے", "ہوں", "ہو"),
)
URDU_I = (
    r"(?:(?<![^\W\d_]\s)(?<![^\W\d_])"
    + "".join(rf"|(?<={word}\s)" for word in _CLAUSE_OPENERS)
    + r")میں\b"
)
URDU_I_PLACEHOLDER = "<URDU_I>"
_URDU_I = re.compile(URDU_I)


def with_urdu_i(pattern: str) -> str:
    """A content file's regular expression with URDU_I_PLACEHOLDER spelt out."""
    return pattern.replace(URDU_I_PLACEHOLDER, URDU_I)


def is_urdu_i(text: str, start: int) -> bool:
    """Whether the میں at `start` in `text` is "I" rather than "in"."""
    return _URDU_I.match(standard_urdu_letters(text), start) is not None
