"""content/clinical_terms.yml against the spec, and the loader's checks."""

import re
from pathlib import Path

import pytest

from clinic_nlp import VocabularyError, load_vocabulary
from clinic_nlp.vocabulary import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"
SPEC = SHARED / "spec" / "contraindications.md"
SPEC_ROW = re.compile(r"^\| `(?P<code>[a-z_]+)` \|.*\| (?P<sources>\d{3}(?:, \d{3})*) \|$")


def _spec_sources() -> dict[str, set[str]]:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is not there")
    rows = (SPEC_ROW.match(line) for line in SPEC.read_text(encoding="utf-8").splitlines())
    return {row["code"]: set(row["sources"].split(", ")) for row in rows if row}


def test_codes_are_exactly_the_specs() -> None:
    assert load_vocabulary().code_names == set(_spec_sources())


def test_sources_are_the_specs_seed_files() -> None:
    spec = _spec_sources()
    for entry in load_vocabulary().codes:
        assert all((SHARED / "seeds" / name).is_file() for name in entry.sources), entry.code
        assert {name[:3] for name in entry.sources} == spec[entry.code], entry.code


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_words_like_no_and_on_stay_words(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(
        _write(
            tmp_path,
            "codes:\n"
            "  x:\n"
            "    source: [seed.txt]\n"
            "    phrases: [no, on]\n"
            "    patterns: [[{LOWER: off, OP: '?'}, {IS_PUNCT: true}]]\n",
        )
    )
    (entry,) = vocabulary.codes
    assert entry.phrases == ("no", "on")
    assert entry.patterns == ([{"LOWER": "off", "OP": "?"}, {"IS_PUNCT": True}],)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("codes: [a]\n", "'codes' mapping"),
        ("codes:\n  x:\n    phrases: [a]\n", "codes.x: 'source'"),
        ("codes:\n  x:\n    source: [s]\n", "codes.x: needs at least one phrase"),
        ("codes:\n  x:\n    source: [s]\n    phrases: [1]\n", "codes.x.phrases"),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\n"
            "context:\n  rules: [{literal: b, category: NEGATED_EXISTENCE, direction: UP}]\n",
            "direction must be",
        ),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\n"
            "context:\n  rules: [{literal: b, category: FAMILY, direction: TERMINATE}]\n",
            "category must be one of ['CLAUSE_BOUNDARY']",
        ),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\n"
            "context:\n  rules: [{literal: b, category: HISTORICAL, direction: FORWARD,"
            " pattern: '('}]\n",
            "not a valid regular expression",
        ),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\n"
            "context:\n  rules: [{literal: b, category: NEGATED_EXISTENCE, direction: BACKWARD,"
            " terminated_by: [PAST]}]\n",
            "terminated_by must name categories",
        ),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\n"
            "context:\n  rules: [{literal: b, category: CLAUSE_BOUNDARY, direction: TERMINATE,"
            " max_scope: 3}]\n",
            "a boundary reaches one token each side, no max_scope",
        ),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\nnot_contraindications: [b, [c]]\n",
            "not_contraindications[1]: a pattern is a list",
        ),
        (
            "codes:\n  x: {source: [s], phrases: [a]}\nemphatic_particles: [hi, 2]\n",
            "emphatic_particles: expected a list of non-empty texts",
        ),
    ],
)
def test_malformed_files_say_where(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(VocabularyError, match=re.escape(message)):
        load_vocabulary(_write(tmp_path, text))
