"""The questionnaire data, the domain and the spec agree with each other."""

import re

import pytest

from actions.answers import YES, parse_options, parse_yes_no
from actions.questionnaire import load_questionnaire
from tests.content_files import REPO_ROOT, SEEDS_DIR, domain_responses, load_yaml

Q = load_questionnaire()
SPEC = (REPO_ROOT.parent / "shared" / "spec" / "contraindications.md").read_text()
SPEC_CODES = set(re.findall(r"^\| `(\w+)` \|", SPEC, re.MULTILINE))
RESPONSES = domain_responses()
SCREENING_DOMAIN = load_yaml(REPO_ROOT / "domain" / "screening.yml")


def test_every_spec_code_is_asked_exactly_once():
    asked = [code for item in Q.items for code in item.codes]
    assert sorted(asked) == sorted(SPEC_CODES)


def test_form_asks_the_questionnaire_slots_in_order():
    form_slots = SCREENING_DOMAIN["forms"]["screening_form"]["required_slots"]
    assert tuple(form_slots) == Q.slots
    assert set(Q.slots) <= set(SCREENING_DOMAIN["slots"])


@pytest.mark.parametrize("item", Q.items, ids=lambda item: item.slot)
def test_every_item_has_its_question_with_yes_no_buttons_and_real_sources(item):
    (question,) = RESPONSES[f"utter_ask_screening_form_{item.slot}"]
    assert [b["title"] for b in question["buttons"]] == list(Q.yes_no_options)
    assert all(parse_yes_no(b["payload"], Q, item.codes) for b in question["buttons"])
    for source in item.sources:
        assert (SEEDS_DIR / source).is_file()


@pytest.mark.parametrize("item", [i for i in Q.items if i.follow_up], ids=lambda i: i.slot)
def test_every_follow_up_button_means_its_own_option(item):
    (question,) = RESPONSES[f"utter_ask_screening_form_{item.follow_up.slot}"]
    payloads = [b["payload"] for b in question["buttons"]]
    assert len(payloads) == len(item.follow_up.options)
    for payload, option in zip(payloads, item.follow_up.options, strict=True):
        assert parse_options(payload, item.follow_up, Q) == [option.code]
    assert set(item.follow_up.codes) == set(item.codes)


def test_yes_no_buttons_fit_whatsapp_reply_buttons():
    assert len(Q.yes_no_options) <= 3
    assert all(len(title) <= 20 for title in Q.yes_no_options)
    assert parse_yes_no(Q.yes_no_options[0], Q, ()) == YES


@pytest.mark.parametrize("item", [i for i in Q.items if i.follow_up], ids=lambda i: i.slot)
def test_follow_up_titles_fit_whatsapp_buttons_or_list_rows(item):
    (question,) = RESPONSES[f"utter_ask_screening_form_{item.follow_up.slot}"]
    limit = 20 if len(question["buttons"]) <= 3 else 24
    assert all(len(b["title"]) <= limit for b in question["buttons"])
