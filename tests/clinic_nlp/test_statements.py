"""The tables of patients' statements: English (tests/data/contraindication_statements.yml)
and Roman Urdu / Urdu script (tests/data/urdu_contraindication_statements.yml)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from clinic_nlp import MentionDetector, Status, flagged_codes, load_vocabulary

DATA = Path(__file__).resolve().parents[1] / "data"
# Each table, with the fewest rows it must have and the fewest that must raise nothing.
TABLES = {
    "english": ("contraindication_statements.yml", 100, 20),
    "urdu": ("urdu_contraindication_statements.yml", 60, 20),
}
ROWS: dict[str, list[dict[str, Any]]] = {
    name: yaml.safe_load((DATA / file).read_text(encoding="utf-8"))["statements"]
    for name, (file, _, _) in TABLES.items()
}
CODES = load_vocabulary().code_names


def _params() -> list[Any]:
    return [
        pytest.param(
            row,
            id=f"{name}: {row['text'][:50]}",
            marks=[pytest.mark.xfail(reason=row["xfail"], strict=True)] if "xfail" in row else [],
        )
        for name, rows in ROWS.items()
        for row in rows
    ]


def _must_not_flag(row: dict[str, Any]) -> set[str]:
    if row["no_flags"] == "others":
        return set(CODES) - set(row["flags"])
    return set(row["no_flags"])


@pytest.mark.parametrize("table", TABLES)
def test_table_is_big_enough_and_well_formed(table: str) -> None:
    _, least_rows, least_without_flags = TABLES[table]
    rows = ROWS[table]
    assert len(rows) >= least_rows
    assert sum(1 for row in rows if not row["flags"]) >= least_without_flags
    for row in rows:
        assert set(row) <= {"text", "flags", "no_flags", "xfail"}, row
        assert set(row["flags"]) <= CODES, row
        assert not set(row["flags"]) & _must_not_flag(row), row
        assert _must_not_flag(row) <= CODES, row


def test_every_code_is_flagged_by_at_least_three_english_statements() -> None:
    counts = {code: 0 for code in CODES}
    for row in ROWS["english"]:
        if "xfail" not in row:
            for code in row["flags"]:
                counts[code] += 1
    assert {code: n for code, n in counts.items() if n < 3} == {}


def test_every_code_is_flagged_by_an_urdu_statement() -> None:
    flagged = {code for row in ROWS["urdu"] if "xfail" not in row for code in row["flags"]}
    assert CODES - flagged == set()


@pytest.mark.parametrize("row", _params())
def test_statement(detector: MentionDetector, row: dict[str, Any]) -> None:
    mentions = detector.detect(row["text"])
    raised = flagged_codes(mentions)
    described = [(m.code, m.text, m.status.value) for m in mentions]
    assert set(row["flags"]) <= raised, described
    assert not raised & _must_not_flag(row), described


@pytest.mark.parametrize("table", TABLES)
def test_negated_or_other_person_mentions_raise_nothing(
    detector: MentionDetector, table: str
) -> None:
    checked = 0
    for row in ROWS[table]:
        mentions = detector.detect(row["text"])
        if mentions and all(m.status in (Status.NEGATED, Status.OTHER_PERSON) for m in mentions):
            checked += 1
            assert flagged_codes(mentions) == set(), row["text"]
    assert checked >= 20
