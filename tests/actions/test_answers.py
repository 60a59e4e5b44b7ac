"""Typed and tapped answers to the questionnaire are understood; unclear ones are not guessed."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from actions.answers import NO, UNCLEAR, UNSURE, YES, Mention, parse_options, parse_yes_no
from actions.disclosures import ENTITY, mentions_in
from actions.questionnaire import load_questionnaire
from clinic_nlp import get_detector

Q = load_questionnaire()
PREGNANCY = Q.item_for_slot("pregnancy")
SKIN = Q.item_for_slot("skin_condition")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes", YES),
        ("yes, 3 months along", YES),
        ("yep", YES),
        ("Yeah I am", YES),
        ("1", YES),
        ("No", NO),
        ("nope", NO),
        ("not that I know of", NO),
        ("No, never", NO),
        ("I have never had that", NO),
        ("2", NO),
        ("Not sure", UNSURE),
        ("maybe", UNSURE),
        ("I don't think so", UNSURE),
        ("3", UNSURE),
        ("idk", UNSURE),
        ("yes no", UNCLEAR),
        ("banana", UNCLEAR),
        ("", UNCLEAR),
        ("7", UNCLEAR),
        ("nope and I don't have eczema either", NO),
        # Answer words deep in a message about something else answer nothing.
        ("there's pus on my cheek since the treatment and I have a fever", UNCLEAR),
        ("my face has been really red and sore since I had it done, I have a photo", UNCLEAR),
    ],
)
def test_yes_no_answers(text, expected):
    assert parse_yes_no(text, Q, PREGNANCY.codes) == expected


def test_a_positive_mention_is_a_yes_whatever_the_other_words():
    mention = Mention(code="pregnancy", raises_flag=True, negated=False)
    assert parse_yes_no("no, but I'm 8 weeks pregnant", Q, PREGNANCY.codes, [mention]) == YES


def test_a_negated_mention_alone_is_a_no():
    mention = Mention(code="pregnancy", raises_flag=False, negated=True)
    assert parse_yes_no("I'm definitely not pregnant", Q, PREGNANCY.codes, [mention]) == NO


def test_a_mention_of_another_item_does_not_answer_this_one():
    mention = Mention(code="eczema", raises_flag=True, negated=False, start=7, end=13)
    assert parse_yes_no("I have eczema", Q, PREGNANCY.codes, [mention]) == UNCLEAR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Psoriasis", ["psoriasis"]),
        ("eczema and rosacea", ["eczema", "rosacea"]),
        ("2", ["eczema"]),
        ("1 and 3", ["psoriasis", "rosacea"]),
        ("1,2", ["psoriasis", "eczema"]),
        ("Another skin condition", ["chronic_skin_disorder"]),
        ("all of them", ["psoriasis", "eczema", "rosacea", "chronic_skin_disorder"]),
        ("not sure", UNSURE),
        ("9", UNCLEAR),
        ("hmm", UNCLEAR),
    ],
)
def test_which_one_answers(text, expected):
    assert parse_options(text, SKIN.follow_up, Q) == expected


def test_every_button_title_means_its_own_option():
    for item in Q.items:
        for title, expected in zip(Q.yes_no_options, (YES, NO, UNSURE), strict=True):
            assert parse_yes_no(title, Q, item.codes) == expected


@given(st.text(max_size=200))
def test_any_text_gets_one_of_the_four_answers(text):
    assert parse_yes_no(text, Q, PREGNANCY.codes) in {YES, NO, UNSURE, UNCLEAR}


@given(st.text(max_size=200))
def test_any_text_gets_known_options_or_unsure_or_unclear(text):
    result = parse_options(text, SKIN.follow_up, Q)
    assert result in (UNSURE, UNCLEAR) or set(result) <= set(SKIN.follow_up.codes)


def test_a_clause_about_another_condition_does_not_answer_this_question():
    text = "No, but I have eczema"
    eczema = Mention(code="eczema", raises_flag=True, negated=False, start=12, end=18)
    assert parse_yes_no(text, Q, PREGNANCY.codes, [eczema]) == NO


URDU_TABLE = Path(__file__).resolve().parents[1] / "data" / "urdu_questionnaire_answers.yml"
URDU_ROWS = yaml.safe_load(URDU_TABLE.read_text(encoding="utf-8"))["answers"]


def _detected_mentions(text: str) -> list[Mention]:
    """The mentions as the NLU component passes them to the form (entities -> mentions_in)."""
    entities = [
        {"entity": ENTITY, "value": m.code, "role": m.status.value, "start": m.start, "end": m.end}
        for m in get_detector().detect(text)
    ]
    return mentions_in({"entities": entities})


def test_the_urdu_table_has_30_answers_of_every_kind():
    assert len(URDU_ROWS) >= 30
    kinds = {row["answer"] if isinstance(row["answer"], str) else "options" for row in URDU_ROWS}
    assert kinds == {YES, NO, UNSURE, UNCLEAR, "options"}


@pytest.mark.parametrize("row", URDU_ROWS, ids=[row["text"] for row in URDU_ROWS])
def test_urdu_answers(row):
    item = Q.item_for_slot(row["slot"])
    mentions = _detected_mentions(row["text"])
    if item.follow_up and row["slot"] == item.follow_up.slot:
        assert parse_options(row["text"], item.follow_up, Q, mentions) == row["answer"]
    else:
        assert parse_yes_no(row["text"], Q, item.codes, mentions) == row["answer"]
