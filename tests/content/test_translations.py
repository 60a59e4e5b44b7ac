"""The Urdu texts: every English response has one, with the same sources, buttons and slots."""

import re

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from rasa_extensions.translated_responses import load_translations, translation_files
from tests.content_files import domain_responses, faq_responses

ENGLISH = {**domain_responses(), **{name: [v] for name, v in faq_responses().items()}}
URDU = load_translations()
URDU_LETTER = re.compile("[\u0600-\u06ff]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _without_translation_marks(metadata: dict) -> dict:
    return {k: v for k, v in metadata.items() if k not in ("translation_of", "checked_by_staff")}


def test_every_english_response_has_an_urdu_translation_and_nothing_else_is_translated():
    assert sorted(set(ENGLISH) - set(URDU)) == []
    assert sorted(set(URDU) - set(ENGLISH)) == []


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_each_variation_is_translated_with_the_same_sources_buttons_slots_and_conditions(name):
    english, urdu = ENGLISH[name], URDU.get(name, [])
    assert len(urdu) == len(english), f"{name}: {len(english)} English variations"
    for en, ur in zip(english, urdu, strict=True):
        assert ur.get("condition") == en.get("condition")
        assert _without_translation_marks(ur.get("metadata") or {}) == (en.get("metadata") or {})
        assert [b["payload"] for b in ur.get("buttons") or []] == [
            b["payload"] for b in en.get("buttons") or []
        ]
        assert set(PLACEHOLDER.findall(ur["text"])) == set(PLACEHOLDER.findall(en["text"]))


@pytest.mark.parametrize("name", sorted(URDU))
def test_each_translation_is_in_urdu_and_marked_for_staff_to_check(name):
    for variation in URDU[name]:
        words = PLACEHOLDER.sub("", variation["text"]).strip()
        assert not words or URDU_LETTER.search(words), f"{name} is not in Urdu script"
        assert all(URDU_LETTER.search(b["title"]) for b in variation.get("buttons") or [])
        metadata = variation.get("metadata") or {}
        assert metadata.get("translation_of") == "en"
        assert isinstance(metadata.get("checked_by_staff"), bool)


@pytest.mark.parametrize("name", sorted(URDU))
def test_button_titles_fit_whatsapps_buttons_and_list_rows(name):
    """WhatsApp cuts longer titles: 20 characters on up to 3 reply buttons, 24 in a list."""
    for variation in URDU[name]:
        buttons = variation.get("buttons") or []
        limit = 20 if len(buttons) <= 3 else 24
        assert all(len(b["title"]) <= limit for b in buttons), name


def test_rasa_does_not_read_the_translations_as_its_own_responses():
    """Rasa would keep one file's variations of a response and drop the other's."""
    files = translation_files()
    assert len(files) >= 10
    for path in files:
        assert not Domain.is_domain_file(path)
        assert not RasaYAMLReader.is_yaml_nlu_file(path)
    loaded = Domain.load("domain").responses["utter_greet"]
    assert [v["text"] for v in loaded] == [v["text"] for v in ENGLISH["utter_greet"]]
