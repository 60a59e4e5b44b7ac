"""The clinic's contraindication vocabulary, read from `content/clinical_terms.yml`.

Plain data only (no spaCy here), so that reading and checking the file is cheap
and the pipeline code in `mentions.py` is the one place that knows medspaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from clinic_nlp.urdu_script import with_urdu_i

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT / "content" / "clinical_terms.yml"

# ConText categories a clinic rule may use; CLAUSE_BOUNDARY is for TERMINATE
# rules, which end the reach of other rules and never qualify a mention.
MODIFIER_CATEGORIES = frozenset(
    {
        "NEGATED_EXISTENCE",
        "OTHER_PERSON",
        # "meri behen ko eczema hai aur mujhe bhi" (and me too): the writer's as well.
        "ALSO_THE_WRITER",
        "FAMILY",
        "HYPOTHETICAL",
        "POSSIBLE_EXISTENCE",
        # Words that only describe the term ("the cut I had"): no status of their
        # own, matched so that an "I" inside them ends no clause.
        "DESCRIPTION",
        # A question of how often something happens ("how common is that?"):
        # makes someone else's case a general question (clinic_nlp/mentions.py).
        "HOW_COMMON",
        "HISTORICAL",
        "LONG_AGO",
    }
)
BOUNDARY_CATEGORY = "CLAUSE_BOUNDARY"
DIRECTIONS = frozenset({"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE"})

TokenPattern = list[dict[str, Any]]


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message says where."""


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader that reads only true/false as booleans (as YAML 1.2 does).

    PyYAML follows YAML 1.1, where no/yes/on/off are booleans: a staff member
    adding the phrase `no` or the pattern value `on` would silently get False or
    True. Words are words here.
    """


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class CodeTerms:
    """How one contraindication code is worded."""

    code: str
    covers: str
    sources: tuple[str, ...]
    phrases: tuple[str, ...]
    patterns: tuple[TokenPattern, ...]
    # The code is about the skin as it is now (an open cut, sunburn): once it
    # is over ("it healed months ago") it no longer applies.
    present_only: bool = False
    # The code is about now or recently (isotretinoin): years ago it no longer applies.
    recent_only: bool = False


@dataclass(frozen=True)
class GeneralQuestions:
    """How to tell a question about a condition in general from one about the writer.

    A sentence that opens with one of `question_words` asks in general when the
    message has none of `first_person` (I, me, my...) and none of `present_time`
    (now, tomorrow...): "does eczema stop you having it?".
    """

    question_words: frozenset[str]
    first_person: frozenset[str]
    present_time: frozenset[str]
    # A first_person word after one of these is not the writer ("the main risk").
    not_personal_after: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ContextRuleSpec:
    """One clinic ConText rule, as written in the YAML."""

    literal: str
    category: str
    direction: str
    # A token pattern, or a regular expression over the text (case-insensitive)
    # for what tokens cannot say, such as "at the end of the message".
    pattern: TokenPattern | str | None = None
    max_scope: int | None = None
    # Codes the rule may qualify (None: all): "how do I avoid getting infected"
    # asks about infection; "how do I avoid a cold sore flare" may disclose one.
    allowed_types: frozenset[str] | None = None
    # Categories whose modifiers end this rule's reach: Urdu "nahin" after the
    # term must not reach back past "tha" ("eczema tha, ab nahin": it was, and
    # is no longer, which is historical, not denied).
    terminated_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Vocabulary:
    """Everything the mention detector needs from the YAML file."""

    codes: tuple[CodeTerms, ...]
    # Phrases that contain a term but do not mean its code ("UV radiation").
    not_contraindications: tuple[str, ...]
    context_rules: tuple[ContextRuleSpec, ...]
    dropped_default_rules: frozenset[str]
    general_questions: GeneralQuestions | None = None
    # Not-a-contraindication wordings too varied for a list of phrases
    # ("zakhmon ke nishan", scars of wounds, in every spelling).
    not_contraindication_patterns: tuple[TokenPattern, ...] = ()
    # Words that Roman Urdu and Urdu put inside a phrase for emphasis ("khoon
    # ruk hi nahi raha"): every term is also found with them.
    emphatic_particles: frozenset[str] = frozenset()

    @property
    def code_names(self) -> frozenset[str]:
        return frozenset(entry.code for entry in self.codes)


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """Read and check the vocabulary file (default: `content/clinical_terms.yml`)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_content(path)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise VocabularyError(f"{path}: expected a mapping with a 'codes' mapping")
    context = data.get("context") or {}
    phrases, patterns = phrases_and_patterns(
        data.get("not_contraindications"), "not_contraindications"
    )
    return Vocabulary(
        codes=tuple(code_terms(code, entry) for code, entry in data["codes"].items()),
        not_contraindications=phrases,
        not_contraindication_patterns=patterns,
        context_rules=tuple(
            context_rule(i, rule) for i, rule in enumerate(context.get("rules") or [])
        ),
        dropped_default_rules=frozenset(
            text_list(context.get("drop_default_rules"), "context.drop_default_rules")
        ),
        general_questions=_general_questions(context.get("general_questions")),
        emphatic_particles=frozenset(
            word.lower() for word in text_list(data.get("emphatic_particles"), "emphatic_particles")
        ),
    )


def phrases_and_patterns(
    value: Any, where: str
) -> tuple[tuple[str, ...], tuple[TokenPattern, ...]]:
    """A list of phrases and token patterns, apart; also used for triage.yml's not_effects."""
    if value is None:
        return (), ()
    if not isinstance(value, list):
        raise VocabularyError(f"{where}: expected a list of phrases and patterns")
    texts = [item for item in value if isinstance(item, str)]
    patterns = [
        _token_pattern(item, f"{where}[{i}]")
        for i, item in enumerate(value)
        if not isinstance(item, str)
    ]
    return tuple(text_list(texts, where)), tuple(patterns)


def _general_questions(entry: Any) -> GeneralQuestions | None:
    if entry is None:
        return None
    where = "context.general_questions"
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: expected a mapping")
    words = {
        key: frozenset(word.lower() for word in text_list(entry.get(key), f"{where}.{key}"))
        for key in ("question_words", "first_person", "present_time", "not_personal_after")
    }
    if not words["question_words"] or not words["first_person"]:
        raise VocabularyError(f"{where}: needs question_words and first_person")
    return GeneralQuestions(**words)


def read_content(path: Path) -> Any:
    """A content file, with only true/false read as booleans."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass


def code_terms(code: str, entry: Any) -> CodeTerms:
    """One entry of terms (source, phrases, patterns), checked; also used for triage.yml."""
    where = f"codes.{code}"
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: expected a mapping")
    sources = text_list(entry.get("source"), f"{where}.source")
    if not sources:
        raise VocabularyError(f"{where}: 'source' must name at least one seed file")
    phrases = text_list(entry.get("phrases"), f"{where}.phrases")
    patterns = [
        _token_pattern(pattern, f"{where}.patterns[{i}]")
        for i, pattern in enumerate(entry.get("patterns") or [])
    ]
    if not phrases and not patterns:
        raise VocabularyError(f"{where}: needs at least one phrase or pattern")
    present_only, recent_only = (
        _flag(entry, key, where) for key in ("present_only", "recent_only")
    )
    return CodeTerms(
        code=code,
        covers=str(entry.get("covers", "")),
        sources=tuple(sources),
        phrases=tuple(phrases),
        patterns=tuple(patterns),
        present_only=present_only,
        recent_only=recent_only,
    )


def _flag(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise VocabularyError(f"{where}.{key}: expected true or false")
    return value


def context_rule(index: int, rule: Any) -> ContextRuleSpec:
    """One ConText rule as written in a content file, checked."""
    where = f"context.rules[{index}]"
    if not isinstance(rule, dict) or not isinstance(rule.get("literal"), str):
        raise VocabularyError(f"{where}: expected a mapping with a text 'literal'")
    where = f"{where} ({rule['literal']!r})"
    direction = str(rule.get("direction", "")).upper()
    if direction not in DIRECTIONS:
        raise VocabularyError(f"{where}: direction must be one of {sorted(DIRECTIONS)}")
    category = str(rule.get("category", "")).upper()
    allowed = {BOUNDARY_CATEGORY} if direction == "TERMINATE" else MODIFIER_CATEGORIES
    if category not in allowed:
        raise VocabularyError(f"{where}: category must be one of {sorted(allowed)}")
    max_scope = rule.get("max_scope")
    if max_scope is not None and (not isinstance(max_scope, int) or max_scope <= 0):
        raise VocabularyError(f"{where}: max_scope must be a positive whole number")
    if direction == "TERMINATE":
        # medspaCy ends a rule's reach at a boundary only when their reaches
        # overlap by its test, which misses a boundary whose whole-sentence reach
        # contains the rule's shorter one ("I heard swelling is normal but mine is
        # swollen shut" stayed hearsay past "but"). One token each side is inside.
        if max_scope is not None:
            raise VocabularyError(f"{where}: a boundary reaches one token each side, no max_scope")
        max_scope = 1
    pattern = rule.get("pattern")
    if pattern is not None and not isinstance(pattern, str):
        pattern = _token_pattern(pattern, f"{where}.pattern")
    elif isinstance(pattern, str):
        pattern = with_urdu_i(pattern)
        _check_regex(pattern, f"{where}.pattern")
    allowed = rule.get("allowed_types")
    terminated_by = frozenset(
        name.upper() for name in text_list(rule.get("terminated_by"), f"{where}.terminated_by")
    )
    if terminated_by - MODIFIER_CATEGORIES:
        raise VocabularyError(
            f"{where}: terminated_by must name categories of {sorted(MODIFIER_CATEGORIES)}"
        )
    return ContextRuleSpec(
        literal=rule["literal"],
        category=category,
        direction=direction,
        pattern=pattern,
        max_scope=max_scope,
        allowed_types=None
        if allowed is None
        else frozenset(text_list(allowed, f"{where}.allowed_types")),
        terminated_by=terminated_by,
    )


def text_list(value: Any, where: str) -> list[str]:
    """A list of non-empty texts (or nothing), else a VocabularyError naming `where`."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise VocabularyError(f"{where}: expected a list of non-empty texts")
    return value


def _token_pattern(value: Any, where: str) -> TokenPattern:
    if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
        raise VocabularyError(f"{where}: a pattern is a list of {{...}} token descriptions")
    return value


def _check_regex(value: str, where: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise VocabularyError(f"{where}: not a valid regular expression: {error}") from error
