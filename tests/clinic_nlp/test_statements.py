"""The table of patients' statements (tests/data/contraindication_statements.yml)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from clinic_nlp import MentionDetector, Status, flagged_codes, load_vocabulary

TABLE = Path(__file__).resolve().parents[1] / "data" / "contraindication_statements.yml"
ROWS: list[dict[str, Any]] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))["statements"]
CODES = load_vocabulary().code_names


def _params() -> list[Any]:
    return [
        pytest.param(
            row,
            id=row["text"][:50],
            marks=[pytest.mark.xfail(reason=row["xfail"], strict=True)] if "xfail" in row else [],
        )
        for row in ROWS
    ]


def _must_not_flag(row: dict[str, Any]) -> set[str]:
    if row["no_flags"] == "others":
        return set(CODES) - set(row["flags"])
    return set(row["no_flags"])


def test_table_is_big_enough_and_well_formed() -> None:
    assert len(ROWS) >= 100
    for row in ROWS:
        assert set(row) <= {"text", "flags", "no_flags", "xfail"}, row
        assert set(row["flags"]) <= CODES, row
        assert not set(row["flags"]) & _must_not_flag(row), row
        assert _must_not_flag(row) <= CODES, row


def test_every_code_is_flagged_by_at_least_three_statements() -> None:
    counts = {code: 0 for code in CODES}
    for row in ROWS:
        if "xfail" not in row:
            for code in row["flags"]:
                counts[code] += 1
    assert {code: n for code, n in counts.items() if n < 3} == {}


@pytest.mark.parametrize("row", _params())
def test_statement(detector: MentionDetector, row: dict[str, Any]) -> None:
    mentions = detector.detect(row["text"])
    raised = flagged_codes(mentions)
    described = [(m.code, m.text, m.status.value) for m in mentions]
    assert set(row["flags"]) <= raised, described
    assert not raised & _must_not_flag(row), described


def test_negated_or_other_person_mentions_raise_nothing(detector: MentionDetector) -> None:
    checked = 0
    for row in ROWS:
        mentions = detector.detect(row["text"])
        if mentions and all(m.status in (Status.NEGATED, Status.OTHER_PERSON) for m in mentions):
            checked += 1
            assert flagged_codes(mentions) == set(), row["text"]
    assert checked >= 20
