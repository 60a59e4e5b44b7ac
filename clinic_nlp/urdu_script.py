"""Urdu script as phones type it: one spelling of each letter for the matchers.

Phones with an Arabic keyboard write Arabic letters where Urdu has its own
(ي for ی, ك for ک, ه for ہ); the vocabulary is written with the Urdu ones. The
replacement is letter for letter, so the positions of what is found in the
standardised text are its positions in the text as sent. Vowel marks are
dropped where a word is looked up.
"""

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
