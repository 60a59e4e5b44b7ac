"""The frozen blind sets: what patients' own words get, scored against the issue's targets.

The figures and every miss go to results/blind-<round>.md (the README quotes them).
Where a target is not met yet, the misses measured on 2026-12-03 are listed in
known_misses.yml beside this file: any other miss fails, so nothing gets worse
unnoticed; the list is never a reason to change training data.
"""

import os

import pytest
import yaml

from tests.blind.evaluation import (
    BLIND_DIR,
    ROUNDS,
    URDU_ROUNDS,
    evaluate_round,
    load_round,
    markdown_report,
    round_name,
    round_number,
)
from tests.servers import REPO_ROOT, RunningBot

# Issue 11 asks for 95 %; the lowest round measured 88.4 % (README). Below this floor
# something got worse. The Roman Urdu / Urdu sets' first runs: 80.6 % and 77.1 %.
FAQ_FLOOR = 0.88
URDU_FAQ_FLOOR = 0.75
KNOWN_MISSES = yaml.safe_load((BLIND_DIR / "known_misses.yml").read_text(encoding="utf-8"))
COPIED_MIN_WORDS = 10


# make test scores every message of the freshest rounds, and of the older ones
# the reports and volunteered conditions (a missed urgent sign or flag is the
# worst error); their other kinds took 5 of its minutes: `make blind` scores all.
# Contact replies, names and answers have their own tables in tests/data.
FRESHEST_ENGLISH, FRESHEST_URDU = 2, 2
SAFETY_KINDS = frozenset({"report", "disclosure"})
ALL_KINDS = os.environ.get("BLIND_ALL_KINDS") == "1"


FULL_ROUNDS = frozenset(
    sorted(ROUNDS, key=round_number)[-FRESHEST_ENGLISH:]
    + sorted(URDU_ROUNDS, key=round_number)[-FRESHEST_URDU:]
)


@pytest.fixture(scope="module", params=ROUNDS + URDU_ROUNDS, ids=round_name)
def scored(request, bot: RunningBot):
    full = ALL_KINDS or request.param in FULL_ROUNDS
    result = evaluate_round(bot, request.param, kinds=None if full else SAFETY_KINDS)
    out = REPO_ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / f"blind-{result.name}.md").write_text(markdown_report(result), encoding="utf-8")
    return result


def _misses(result, kind, *categories):
    return [(o.text, o.got) for o in result.of_kind(kind) if o.category in categories]


def _new_misses(result, kind, category):
    known = set((KNOWN_MISSES.get(result.name) or {}).get(category) or [])
    return [(text, got) for text, got in _misses(result, kind, category) if text not in known]


def test_faq_questions_get_a_right_answer(scored):
    _skip_unless_scored(scored, "faq")
    right, total = scored.accuracy("faq")
    floor = URDU_FAQ_FLOOR if scored.name.startswith("urdu-") else FAQ_FLOOR
    assert right / total >= floor, markdown_report(scored)


def _skip_unless_scored(result, *kinds):
    if not any(result.of_kind(kind) for kind in kinds):
        pytest.skip(f"{', '.join(kinds)} of the freshest rounds only (make blind: all)")


def test_questionnaire_answers_are_read_as_meant(scored):
    _skip_unless_scored(scored, "answer")
    assert [(o.text, o.got) for o in scored.of_kind("answer") if not o.right] == []


def test_every_urgent_report_is_escalated_as_urgent(scored):
    assert _new_misses(scored, "report", "URGENT MISSED") == []


def test_no_expected_effect_is_escalated_as_urgent(scored):
    assert _new_misses(scored, "report", "expected called urgent") == []


def test_no_volunteered_contraindication_is_missed(scored):
    assert _new_misses(scored, "disclosure", "FLAG MISSED") == []


def test_no_negated_or_someone_elses_condition_is_flagged(scored):
    assert _new_misses(scored, "disclosure", "flagged though not the person's") == []


def test_no_hand_off_is_lost_at_the_contact_steps(scored):
    _skip_unless_scored(scored, "contact", "name")
    assert _misses(scored, "contact", "HAND-OFF LOST") == []
    assert _misses(scored, "name", "HAND-OFF LOST") == []


def _training_examples() -> set[str]:
    examples = set()
    for path in (REPO_ROOT / "data" / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                examples.add(_normalised(line.strip().removeprefix("- ")))
    return examples


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("path", ROUNDS + URDU_ROUNDS, ids=round_name)
def test_no_blind_message_is_in_the_training_data(path):
    # Short messages ("hi", "price?", "how far apart are the sessions") occur in both
    # by nature, up to nine words ("how long should i stay out of the sun": round
    # 15's helper wrote four such); a longer one found word for word would have been copied.
    training = _training_examples()
    by_chance = set((KNOWN_MISSES.get(round_name(path)) or {}).get("in the training data") or [])
    copied = [
        m["text"]
        for m in load_round(path)
        if len(m["text"].split()) >= COPIED_MIN_WORDS
        and _normalised(m["text"]) in training
        and m["text"] not in by_chance
    ]
    assert copied == []
