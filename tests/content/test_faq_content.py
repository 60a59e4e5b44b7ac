"""The FAQ answers: every one is backed by the clinic's documents and never overstates safety."""

import re

import pytest

from tests.content_files import (
    REPO_ROOT,
    SEEDS_DIR,
    domain_responses,
    faq_responses,
    load_yaml,
    nlu_examples,
)

FAQ = faq_responses()
# Every training file, English and the Urdu ones in their folders, merged per intent.
TRAINING: dict[str, list[str]] = {}
for path in sorted((REPO_ROOT / "data" / "nlu").rglob("*.yml")):
    for intent, examples in nlu_examples(path).items():
        TRAINING.setdefault(intent, []).extend(examples)
HELDOUT = nlu_examples(REPO_ROOT / "tests" / "nlu" / "heldout.yml")
HELDOUT_URDU = nlu_examples(REPO_ROOT / "tests" / "nlu" / "heldout_urdu.yml")
QUESTIONS = load_yaml(REPO_ROOT / "tests" / "data" / "faq_questions.yml")["questions"]

# Wordings the clinic's documents do not support, or that would clear someone for treatment.
OVERSTATEMENTS = [
    r"\bnon-invasive\b",
    r"\bno downtime\b",
    r"\bcompletely safe\b",
    r"\b(you are|you're) (suitable|cleared|fine to|ok to|okay to|safe to)\b",
    r"\bno side effects\b",
    r"\bpainless\b",
]


@pytest.mark.parametrize("name", sorted(FAQ))
def test_every_answer_names_existing_clinic_documents(name):
    sources = FAQ[name].get("metadata", {}).get("sources")
    assert sources, f"{name} names no source"
    for source in sources:
        assert (SEEDS_DIR / source).is_file(), f"{name}: no seed document {source}"


@pytest.mark.parametrize("name", sorted(FAQ))
def test_every_topic_is_trained_and_evaluated(name):
    intent = name.removeprefix("utter_")
    assert len(TRAINING.get(intent, [])) >= 10, f"{intent} has too few training examples"
    assert len(HELDOUT.get(intent, [])) >= 3, f"{intent} has too few held-out examples"


URDU_TRAINING = [
    nlu_examples(path)
    for folder in ("roman_urdu", "urdu")
    for path in sorted((REPO_ROOT / "data" / "nlu" / folder).glob("*.yml"))
]


@pytest.mark.parametrize("name", sorted(FAQ))
def test_every_topic_is_trained_and_evaluated_in_roman_urdu_and_urdu_script(name):
    intent = name.removeprefix("utter_")
    urdu = [e for examples in URDU_TRAINING for e in examples.get(intent, [])]
    in_script = [e for e in urdu if re.search(r"[\u0600-\u06ff]", e)]
    assert len(urdu) - len(in_script) >= 9, f"{intent} has too few Roman Urdu examples"
    assert len(in_script) >= 7, f"{intent} has too few Urdu-script examples"
    assert len(HELDOUT_URDU.get(intent, [])) >= 3, f"{intent} has too few Urdu held-out examples"


def test_held_out_and_test_questions_are_not_training_examples():
    trained = {e.lower() for examples in TRAINING.values() for e in examples}
    held_out = [
        e for held in (HELDOUT, HELDOUT_URDU) for examples in held.values() for e in examples
    ]
    leaked = [e for e in held_out if e.lower() in trained]
    leaked += [q["text"] for q in QUESTIONS if q["text"].lower() in trained]
    assert leaked == []


def test_question_table_covers_every_topic():
    assert len(QUESTIONS) >= 60
    topics = {q["topic"] for q in QUESTIONS}
    assert {f"utter_faq/{t}" for t in topics} == set(FAQ)


def test_no_response_overstates_safety_or_clears_anyone():
    texts = [v["text"] for v in FAQ.values()]
    texts += [v["text"] for variations in domain_responses().values() for v in variations]
    offending = [
        (pattern, text)
        for text in texts
        for pattern in OVERSTATEMENTS
        if re.search(pattern, text, re.IGNORECASE)
    ]
    assert offending == []


# The figures of the finer topics, as each answer gives them and each named
# source document has them (whitespace and case aside).
TOPIC_FACTS = {
    "numbing_cream": ("15-20 minutes", ["15-20 minutes"]),
    "home_devices": ("0.2 mm", ["0.2mm", "2-3 times"]),
    "maintenance": ("3-4 a year", ["3-4 treatments a year"]),
    "oiliness": ("reduce the oiliness of the skin", ["reduce the oiliness of the skin"]),
    "infection_risk": ("rare", ["in rare cases, there may be a skin infection"]),
    "milia": ("easily removed", ["easily removed"]),
}


@pytest.mark.parametrize("topic", sorted(TOPIC_FACTS))
def test_the_finer_topics_give_their_documents_figures(topic):
    in_answer, in_documents = TOPIC_FACTS[topic]
    answer = FAQ[f"utter_faq/{topic}"]
    assert in_answer in answer["text"]
    documents = " ".join(
        " ".join((SEEDS_DIR / s).read_text(encoding="utf-8").split()).lower()
        for s in answer["metadata"]["sources"]
    )
    assert all(fact.lower() in documents for fact in in_documents)


def test_home_devices_answer_gives_the_documents_frequency_and_cautions():
    answer = FAQ["utter_faq/home_devices"]["text"]
    assert "2-3 times a week" in answer
    assert "less effective than professional treatment" in answer
