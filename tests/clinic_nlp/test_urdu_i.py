"""Urdu script's میں: "I" where a clause opens, "in" after a noun."""

import re

import pytest

from clinic_nlp.urdu_script import URDU_I_PLACEHOLDER, is_urdu_i, with_urdu_i


@pytest.mark.parametrize(
    ("text", "is_i"),
    [
        ("میں حاملہ ہوں", True),
        ("کیا میں حاملہ ہو کر کروا سکتی ہوں", True),
        ("اگر میں دوا لے رہی ہوں", True),
        ("لگتا ہے میں حاملہ ہوں", True),
        ("جلد میں انفیکشن ہے", False),
        ("چہرے میں سوجن ہے", False),
    ],
)
def test_urdu_i_is_told_from_the_postposition(text: str, is_i: bool) -> None:
    assert is_urdu_i(text, text.index("میں")) is is_i


def test_a_content_pattern_spells_out_the_placeholder() -> None:
    pattern = re.compile(with_urdu_i(f"{URDU_I_PLACEHOLDER} بھی"))
    assert pattern.search("اور میں بھی")
    assert not pattern.search("جلد میں بھی")
