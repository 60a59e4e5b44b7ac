"""Urdu script: Arabic letter forms (ي ك ه) matched like Urdu (ی ک ہ), and میں as "I" or "in"."""

import re

import pytest

from clinic_nlp import MentionDetector, load_vocabulary
from clinic_nlp.triage_content import get_triage
from clinic_nlp.urdu_script import (
    URDU_I_PLACEHOLDER,
    is_urdu_i,
    standard_urdu_letters,
    with_urdu_i,
)


def test_arabic_letter_forms_become_urdu_ones_letter_for_letter() -> None:
    text = "ميں حامله هوں، كيا"
    standard = standard_urdu_letters(text)
    assert standard == "میں حاملہ ہوں، کیا"
    assert len(standard) == len(text)
    assert standard_urdu_letters("I'm pregnant") == "I'm pregnant"


def test_urdu_words_of_the_content_files_are_written_with_urdu_letters() -> None:
    """A phrase written with an Arabic letter form would never match."""
    vocabularies = (load_vocabulary(), get_triage().vocabulary)
    phrases = [p for v in vocabularies for entry in v.codes for p in entry.phrases]
    assert [p for p in phrases if standard_urdu_letters(p) != p] == []


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        ("میں حامله هوں", "pregnancy", "positive"),
        ("مجھے ايگزيما ہے", "eczema", "positive"),
        ("ميری بہن کو ايگزيما ہے", "eczema", "other_person"),
    ],
)
def test_a_mention_typed_with_arabic_letters_is_found_where_it_was_written(
    detector: MentionDetector, text: str, code: str, status: str
) -> None:
    (mention,) = detector.detect(text)
    assert mention.code == code
    assert text[mention.start : mention.end] == mention.text
    assert mention.status.value == status


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
