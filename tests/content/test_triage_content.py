"""The triage data (content/triage.yml), the domain and the seed documents agree."""

import pytest

from clinic_nlp.triage_content import Kind, get_triage, load_triage
from clinic_nlp.vocabulary import VocabularyError
from tests.content_files import REPO_ROOT, SEEDS_DIR, domain_responses, faq_responses, load_yaml

CONTENT = get_triage()
RESPONSES = domain_responses()
TRIAGE_DOMAIN = load_yaml(REPO_ROOT / "domain" / "triage.yml")


@pytest.mark.parametrize("effect", CONTENT.effects.values(), ids=lambda e: e.name)
def test_every_entry_names_existing_seed_documents(effect):
    assert effect.sources
    for source in effect.sources:
        assert (SEEDS_DIR / source).is_file(), source


def test_the_default_days_come_from_a_seed_document():
    assert CONTENT.default_days_sources
    assert all((SEEDS_DIR / source).is_file() for source in CONTENT.default_days_sources)


@pytest.mark.parametrize(
    "effect", [e for e in CONTENT.effects.values() if e.kind is Kind.EXPECTED], ids=lambda e: e.name
)
def test_every_expected_effect_has_its_response_and_a_time(effect):
    assert effect.response in RESPONSES
    assert effect.days is not None and effect.days >= 0


def test_every_tier_has_entries_and_the_issue_s_signs_are_urgent():
    kinds = {effect.kind for effect in CONTENT.effects.values()}
    assert kinds == set(Kind)
    urgent = {name for name, e in CONTENT.effects.items() if e.kind is Kind.URGENT}
    assert {"infection", "cold_sore", "heavy_bleeding", "severe_swelling"} <= urgent
    assert {"swelling_near_eyes", "severe_pain", "trouble_breathing", "fever"} <= urgent


def test_the_documents_do_not_call_peeling_or_dryness_expected():
    expected_phrases = {
        phrase
        for code in CONTENT.vocabulary.codes
        if CONTENT.effects[code.code].kind is Kind.EXPECTED
        for phrase in code.phrases
    }
    assert not {"peeling", "flaking", "dry", "itchy"} & expected_phrases


def test_the_responses_the_triage_sends_exist():
    from actions import triage

    names = [
        triage.URGENT_SIGNS_RESPONSE,
        triage.CONTACT_OFFER_RESPONSE,
        triage.REVIEW_OFFER_RESPONSE,
        triage.REVIEW_OVERDUE_RESPONSE,
        triage.REVIEW_UNDESCRIBED_RESPONSE,
        "utter_handoff_post_treatment_review",
    ]
    assert set(names) <= set(RESPONSES)
    assert CONTENT.question_fallback_response in faq_responses()


def test_the_tier_slot_has_exactly_the_tiers():
    from actions.triage import Tier

    values = TRIAGE_DOMAIN["slots"]["triage_tier"]["values"]
    assert set(values) == {tier.value for tier in Tier}


def test_the_review_offer_buttons_accept_or_decline():
    (offer,) = RESPONSES["utter_triage_offer_review"]
    assert [b["payload"] for b in offer["buttons"]] == ["/request_human", "/deny"]
    (contact,) = RESPONSES["utter_triage_offer_contact"]
    assert [b["payload"] for b in contact["buttons"]] == ["/request_human"]


def test_an_entry_without_sources_is_refused(tmp_path):
    path = tmp_path / "triage.yml"
    text = (REPO_ROOT / "content" / "triage.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("    sources: [003_7be8019d3ce0fb9a.txt]\n", "", 1))
    with pytest.raises(VocabularyError, match="sources"):
        load_triage(path)
