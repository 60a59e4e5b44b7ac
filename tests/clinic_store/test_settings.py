"""Settings read from the environment: the reply language for Roman Urdu writers."""

import pytest

from clinic_store.settings import get_settings


def test_roman_urdu_writers_get_english_unless_the_clinic_chooses_urdu():
    assert get_settings({}).roman_urdu_reply_language == "en"
    assert get_settings({"ROMAN_URDU_REPLY_LANGUAGE": " UR "}).roman_urdu_reply_language == "ur"


def test_an_unknown_reply_language_is_refused():
    with pytest.raises(ValueError, match="ROMAN_URDU_REPLY_LANGUAGE"):
        get_settings({"ROMAN_URDU_REPLY_LANGUAGE": "punjabi"})
