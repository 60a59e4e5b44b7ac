"""The dated aftercare rules (content/aftercare_timing.yml) agree with the documents and the FAQ."""

import re
from pathlib import Path

import pytest

from actions.dated_aftercare import get_aftercare_timing, load_aftercare_timing
from clinic_nlp.treatment_time import load_time_words
from clinic_nlp.vocabulary import VocabularyError
from tests.content_files import SEEDS_DIR, domain_responses, faq_responses

TIMING = get_aftercare_timing()
# How each document writes the time of a rule, by hours.
WRITTEN = {24: "24 hours", 48: "48 hours", 72: "72 hours", 168: "1 week|one week"}


@pytest.mark.parametrize("rule", TIMING.rules.values(), ids=lambda r: r.name)
def test_every_rule_s_time_is_written_in_one_of_its_documents(rule):
    texts = [(SEEDS_DIR / source).read_text(encoding="utf-8") for source in rule.sources]
    assert re.search(WRITTEN[rule.hours], " ".join(texts), flags=re.IGNORECASE), rule.name


def test_the_issue_s_rules_have_the_documents_hours():
    hours = {name: rule.hours for name, rule in TIMING.rules.items()}
    assert hours == {
        "spf": 24,
        "makeup": 48,
        "sweat": 72,
        "sun_tanning": 168,
        "redness_first_days": 48,
        "redness_week": 168,
    }


def test_every_dated_topic_is_a_faq_topic_whose_general_answer_gives_the_same_times():
    faq = faq_responses()
    for topic, rules in TIMING.topics.items():
        general = faq[f"utter_faq/{topic}"]["text"]
        # Redness's days are 003's; the downtime answer says "a few days".
        timed = [n for n in rules if not n.startswith("redness")]
        # The makeup answer adds the sunscreen rule that goes with it.
        own = [n for n in timed if not (topic == "makeup" and n == "spf")]
        for name in own:
            hours = TIMING.rules[name].hours
            assert re.search(WRITTEN[hours], general, flags=re.IGNORECASE), (topic, name)


def test_the_questions_responses_are_in_the_domain():
    responses = domain_responses()
    assert {"utter_ask_treatment_time", "utter_treatment_time_unclear"} <= set(responses)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("rules: {makeup: {hours: 0, sources: [x], before: '{until}', after: a}}", "hours"),
        ("rules: {makeup: {hours: 48, before: '{until}', after: a}}", "sources"),
        ("rules: {makeup: {hours: 48, sources: [x], before: soon, after: a}}", "until"),
        ("rules: {makeup: {hours: 48, sources: [x], before: '{until}'}}", "after"),
        (
            "rules: {makeup: {hours: 48, sources: [x], before: '{until}', after: a}}\n"
            "topics: {makeup: [sweat]}",
            "topics.makeup",
        ),
    ],
)
def test_a_broken_timing_file_is_refused_with_where(tmp_path: Path, text: str, error: str):
    path = tmp_path / "aftercare_timing.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=re.escape(error)):
        load_aftercare_timing(path)


def test_the_treatment_time_words_load_and_a_broken_file_is_refused(tmp_path: Path):
    words = load_time_words()
    assert {"kal", "parson", "aaj subah", "this morning"} <= set(words.phrases)
    assert words.urdu_numbers["teen"] == 3 and words.urdu_units["din"] == "days"
    path = tmp_path / "treatment_time.yml"
    path.write_text("phrases: {kal: {days_ago: 1, part: dawn}}\nmax_days_ago: 366", "utf-8")
    with pytest.raises(VocabularyError, match="dawn"):
        load_time_words(path)
