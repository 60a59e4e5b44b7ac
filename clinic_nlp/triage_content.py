"""The post-treatment triage data, read from `content/triage.yml`.

Plain data, like `vocabulary.py`: the effects with their tier, time and
response, and a `Vocabulary` of their wordings for the mention detector, whose
ConText rules are clinical_terms.yml's plus the triage's own question rules.
Both the NLU component and the action server read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from clinic_nlp.mentions import Status
from clinic_nlp.vocabulary import (
    REPO_ROOT,
    Vocabulary,
    VocabularyError,
    code_terms,
    context_rule,
    load_vocabulary,
    phrases_and_patterns,
    read_content,
    text_list,
)

DEFAULT_PATH = REPO_ROOT / "content" / "triage.yml"
BEYOND_DOCUMENTS = "beyond_documents"
# What the person says they have now, sure or not ("I think it's infected").
# Denied, someone else's, asked about or in the past: not a report of theirs.
REPORTED_STATUSES = frozenset({Status.POSITIVE, Status.UNCERTAIN})


class Kind(StrEnum):
    """Which section of triage.yml an effect is in."""

    EXPECTED = "expected"
    URGENT = "urgent"
    REVIEW = "review"


@dataclass(frozen=True)
class Effect:
    """One effect or sign someone may report after treatment."""

    name: str
    kind: Kind
    sources: tuple[str, ...]
    # How many days it usually lasts (expected effects only).
    days: int | None = None
    response: str | None = None
    beyond_documents: bool = False
    # A sign that only says how an effect is going ("more and more", "won't stop"):
    # it counts only beside an effect of the person's own.
    only_with_an_effect: bool = False
    # A sign that names a change ("worse", "spreading") rather than a thing:
    # with no word placing it after the treatment, it describes skin in general
    # ("my acne scars look even worse"), not a report.
    needs_a_treatment_cue: bool = False


@dataclass(frozen=True)
class TriageContent:
    """Everything triage.yml says."""

    effects: dict[str, Effect]
    vocabulary: Vocabulary
    default_days_sources: tuple[str, ...]
    after_treatment_cues: tuple[str, ...]
    after_treatment_patterns: tuple[str, ...]
    codes_treatment_explains: frozenset[str]
    question_fallback_response: str
    time_gone_by_patterns: tuple[str, ...] = ()

    @cached_property
    def after_treatment(self) -> re.Pattern[str]:
        """Any wording placing a report after the treatment: a cue, or a time since it."""
        cues = (re.escape(cue) for cue in sorted(self.after_treatment_cues, key=len, reverse=True))
        alternatives = "|".join([*cues, *self.after_treatment_patterns])
        return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)

    @cached_property
    def time_gone_by(self) -> re.Pattern[str]:
        """Time gone by ("it's been a week"), with no word of the treatment; none listed,
        it matches nothing."""
        alternatives = "|".join(self.time_gone_by_patterns) or r"(?!)"
        return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def load_triage(
    path: Path | str | None = None, terms_path: Path | str | None = None
) -> TriageContent:
    """Read and check triage.yml; its ConText rules add to those of `terms_path`."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_content(path)
    if not isinstance(data, dict) or not isinstance(data.get("default_days"), int):
        raise VocabularyError(f"{path}: expected a mapping with a whole number 'default_days'")
    effects = [
        _effect(name, Kind(kind), entry, data["default_days"])
        for kind in Kind
        for name, entry in (data.get(kind.value) or {}).items()
    ]
    shared = load_vocabulary(terms_path)
    extra_rules = ((data.get("context") or {}).get("rules")) or []
    not_effects, not_effect_patterns = phrases_and_patterns(data.get("not_effects"), "not_effects")
    vocabulary = Vocabulary(
        codes=tuple(
            code_terms(name, {**entry, "source": entry.get("sources")})
            for kind in Kind
            for name, entry in (data.get(kind.value) or {}).items()
        ),
        not_contraindications=not_effects,
        not_contraindication_patterns=not_effect_patterns,
        context_rules=shared.context_rules
        + tuple(context_rule(i, rule) for i, rule in enumerate(extra_rules)),
        dropped_default_rules=shared.dropped_default_rules,
        emphatic_particles=shared.emphatic_particles,
        # The same test as for conditions: "could the tiny holes get infected?",
        # with nothing of the writer or of now in it, asks in general.
        general_questions=shared.general_questions,
    )
    return TriageContent(
        effects={effect.name: effect for effect in effects},
        vocabulary=vocabulary,
        default_days_sources=tuple(text_list(data.get("default_days_sources"), "default_days")),
        after_treatment_cues=tuple(text_list(data.get("after_treatment_cues"), "cues")),
        after_treatment_patterns=tuple(
            text_list(data.get("after_treatment_patterns"), "after_treatment_patterns")
        ),
        codes_treatment_explains=frozenset(
            text_list(data.get("codes_treatment_explains"), "codes_treatment_explains")
        ),
        question_fallback_response=str(data["question_fallback_response"]),
        time_gone_by_patterns=tuple(
            text_list(data.get("time_gone_by_patterns"), "time_gone_by_patterns")
        ),
    )


@lru_cache(maxsize=1)
def get_triage() -> TriageContent:
    """The project's triage content, read once."""
    return load_triage()


def _effect(name: str, kind: Kind, entry: Any, default_days: int) -> Effect:
    where = f"{kind.value}.{name}"
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: expected a mapping")
    sources = tuple(text_list(entry.get("sources"), f"{where}.sources"))
    if not sources:
        raise VocabularyError(f"{where}: 'sources' must name at least one seed file")
    expected = kind is Kind.EXPECTED
    if expected and not entry.get("response"):
        raise VocabularyError(f"{where}: an expected effect needs its 'response'")
    return Effect(
        name=name,
        kind=kind,
        sources=sources,
        days=int(entry.get("days", default_days)) if expected else None,
        response=entry.get("response"),
        beyond_documents=entry.get("basis") == BEYOND_DOCUMENTS,
        only_with_an_effect=bool(entry.get("only_with_an_effect")),
        needs_a_treatment_cue=bool(entry.get("needs_a_treatment_cue")),
    )
