"""Settings read from the environment: the reply language for Roman Urdu writers."""

import pytest

from clinic_store.settings import get_settings


def test_roman_urdu_writers_get_english_unless_the_clinic_chooses_urdu():
    assert get_settings({}).roman_urdu_reply_language == "en"
    assert get_settings({"ROMAN_URDU_REPLY_LANGUAGE": " UR "}).roman_urdu_reply_language == "ur"


def test_when_staff_call_back_is_said_in_the_reply_language():
    settings = get_settings({"URGENT_CONTACT_HOURS_UR": "آج ہی"})
    assert settings.contact_hours(urgent=False, language="en") == "within one working day"
    assert settings.contact_hours(urgent=False, language="ur") == "ایک کاروباری دن کے اندر"
    assert settings.contact_hours(urgent=True, language="ur") == "آج ہی"


def test_an_unknown_reply_language_is_refused():
    with pytest.raises(ValueError, match="ROMAN_URDU_REPLY_LANGUAGE"):
        get_settings({"ROMAN_URDU_REPLY_LANGUAGE": "punjabi"})
