"""MentionDetector: statuses, offsets, flags and how the detector is built."""

import subprocess
import sys
from pathlib import Path

import pytest

from clinic_nlp import (
    Mention,
    MentionDetector,
    Status,
    VocabularyError,
    flagged_codes,
    get_detector,
    load_vocabulary,
)
from clinic_nlp.vocabulary import REPO_ROOT


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("I'm 12 weeks pregnant", Status.POSITIVE),
        ("I'm NOT pregnant", Status.NEGATED),
        ("my sister is pregnant but I'm not", Status.OTHER_PERSON),
        ("I might be pregnant", Status.UNCERTAIN),
        ("what if I get pregnant?", Status.HYPOTHETICAL),
        # Pregnancy is about now or lately: years ago it is over.
        ("I was pregnant years ago", Status.RESOLVED),
        ("I was pregnant last year", Status.HISTORICAL),
        # Precedence: someone else's uncertain pregnancy is someone else's.
        ("my sister might be pregnant", Status.OTHER_PERSON),
        ("my sister is not pregnant", Status.NEGATED),
    ],
)
def test_status(detector: MentionDetector, text: str, status: Status) -> None:
    (mention,) = detector.detect(text)
    assert (mention.code, mention.status) == ("pregnancy", status)


def test_a_condition_years_ago_is_long_ago(detector: MentionDetector) -> None:
    (mention,) = detector.detect("I had eczema years ago")
    assert mention.status == Status.LONG_AGO


@pytest.mark.parametrize(
    ("status", "flag"),
    [
        (Status.POSITIVE, True),
        (Status.UNCERTAIN, True),
        (Status.HISTORICAL, True),
        (Status.NEGATED, False),
        (Status.OTHER_PERSON, False),
        (Status.HYPOTHETICAL, False),
    ],
)
def test_which_statuses_raise_a_flag(status: Status, flag: bool) -> None:
    assert Mention("herpes", "cold sores", 0, 10, status).raises_flag is flag


def test_mentions_carry_character_offsets(detector: MentionDetector) -> None:
    text = "No eczema, but I get Cold Sores and I'm on Roaccutane."
    mentions = detector.detect(text)
    assert [(m.code, m.text, m.status) for m in mentions] == [
        ("eczema", "eczema", Status.NEGATED),
        ("herpes", "Cold Sores", Status.POSITIVE),
        ("acne_medication", "Roaccutane", Status.POSITIVE),
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert flagged_codes(mentions) == {"herpes", "acne_medication"}


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_has_no_mentions(detector: MentionDetector, text: str) -> None:
    assert detector.detect(text) == []


def test_not_contraindications_hide_the_term_inside_them(detector: MentionDetector) -> None:
    assert detector.detect("does UV radiation matter after treatment?") == []
    assert [m.code for m in detector.detect("I had radiation in May")] == ["recent_radiation"]


def test_get_detector_is_built_once(detector: MentionDetector) -> None:
    assert get_detector() is detector


def test_a_custom_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text(
        "codes:\n  freckles:\n    source: [s.txt]\n    phrases: [freckles]\n"
        "    patterns: [[{LOWER: freckly}]]\n"
        "context:\n  rules:\n"
        "    - {literal: sans, category: NEGATED_EXISTENCE, direction: FORWARD}\n",
        encoding="utf-8",
    )
    detector = MentionDetector(load_vocabulary(path))
    assert [m.status for m in detector.detect("freckles; sans freckles")] == [
        Status.POSITIVE,
        Status.NEGATED,
    ]


def test_emphatic_particles_may_sit_inside_any_term(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text(
        "emphatic_particles: [hi, bhi]\n"
        "codes:\n  x:\n    source: [s.txt]\n    phrases: [ruk nahi raha]\n"
        "    patterns: [[{LOWER: band}, {LOWER: nahi}]]\n"
        "not_contraindications: [[{LOWER: band}, {LOWER: nahi}, {LOWER: kiya}]]\n",
        encoding="utf-8",
    )
    detector = MentionDetector(load_vocabulary(path))
    found = [
        m.text
        for text in ("ruk hi nahi raha", "band bhi nahi", "ruk nahi raha")
        for m in detector.detect(text)
    ]
    assert found == ["ruk hi nahi raha", "band bhi nahi", "ruk nahi raha"]
    # a not-contraindication pattern, with a particle too, hides the term inside it
    assert detector.detect("band hi nahi kiya") == []
    # only the listed particles: other words still break a phrase
    assert detector.detect("ruk abhi nahi raha") == []


def test_scars_of_wounds_are_no_open_wound_unless_they_grow_thick(
    detector: MentionDetector,
) -> None:
    assert flagged_codes(detector.detect("zakhm ke nishan hain")) == set()
    assert flagged_codes(detector.detect("zakhm ke nishan mote ho jate hain")) == {"keloid_history"}
    assert flagged_codes(detector.detect("zakhm hai chehre pe")) == {"open_wound"}


def test_dropping_an_unknown_default_rule_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text(
        "codes:\n  x: {source: [s.txt], phrases: [x], patterns: [[{LOWER: y}]]}\n"
        "context:\n  drop_default_rules: [no such rule]\n",
        encoding="utf-8",
    )
    with pytest.raises(VocabularyError, match="no such rule"):
        MentionDetector(load_vocabulary(path))


def test_importing_the_package_loads_neither_spacy_nor_rasa() -> None:
    # Other services import clinic_nlp for its types; spaCy (and TensorFlow
    # behind it) must wait until a detector is built.
    code = "import sys, clinic_nlp; print(sorted({'spacy', 'medspacy', 'rasa'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        # Urdu's "nahin" follows what it denies, and reaches no further back
        # than the clause ("hai") or a past "tha".
        ("mujhe eczema hai, pregnant nahi", {"eczema": "positive", "pregnancy": "negated"}),
        ("eczema tha, pregnant nahi hoon", {"eczema": "historical", "pregnancy": "negated"}),
        (
            "main pregnant nahi hoon lekin mujhe eczema hai",
            {"pregnancy": "negated", "eczema": "positive"},
        ),
        # Urdu script splits at its own question mark and full stop.
        ("کیا یہ ٹھیک ہے؟ میں حاملہ ہوں۔", {"pregnancy": "positive"}),
        ("مجھے ایگزیما نہیں، میری بہن کو ہے", {"eczema": "negated"}),
    ],
)
def test_urdu_negation_reaches_back_within_its_clause(
    detector: MentionDetector, text: str, statuses: dict[str, str]
) -> None:
    assert {m.code: m.status.value for m in detector.detect(text)} == statuses


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # English "main" is not Urdu "main" (I): the general question stays general,
        # and someone else's condition stays theirs.
        ("what's the main risk with eczema?", "hypothetical"),
        ("my sister's main problem is eczema", "other_person"),
        # Urdu "main" is the writer: a question about themself.
        ("kya main eczema ke saath karwa sakti hoon?", "positive"),
    ],
)
def test_main_is_the_writer_only_in_urdu(detector: MentionDetector, text: str, status: str) -> None:
    (mention,) = detector.detect(text)
    assert mention.status.value == status
