"""Find contraindication mentions in a patient's message and say how they are meant.

The same pipeline, built from content/triage.yml's terms, finds the effects
people report after treatment (`get_triage_detector`): a mention's `code` is
then the effect's name.

The pipeline is `spacy.blank("en")` + a sentence splitter + medspaCy's
TargetMatcher (terms from the vocabulary) + medspaCy's ConText (its default
rules plus the clinic's). spaCy and medspaCy are imported only when a detector
is built, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from clinic_nlp.urdu_script import is_urdu_i, standard_urdu_letters
from clinic_nlp.vocabulary import (
    ContextRuleSpec,
    GeneralQuestions,
    TokenPattern,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token


class Status(StrEnum):
    """How a mention is meant, as ConText reads it."""

    POSITIVE = "positive"
    NEGATED = "negated"
    OTHER_PERSON = "other_person"
    UNCERTAIN = "uncertain"
    HYPOTHETICAL = "hypothetical"
    HISTORICAL = "historical"
    # Years ago ("as a teenager"): historical, and not recent either.
    LONG_AGO = "long_ago"
    # Was the person's but is over, for a code about the skin as it is now
    # ("I had a cut but it healed months ago").
    RESOLVED = "resolved"


# Staff check anything that may apply to the patient now: a past condition or
# a "might be" is not ruled out. Only what is clearly not the patient's
# (denied, someone else's, a what-if) raises nothing.
# The entities the NLU components (clinic_nlp/rasa_component.py) give the mentions;
# defined here so that the actions can read them without importing Rasa's NLU.
ENTITY_NAME = "contraindication"
TREATMENT_EFFECT_ENTITY = "treatment_effect"

FLAGGING_STATUSES = frozenset(
    {Status.POSITIVE, Status.UNCERTAIN, Status.HISTORICAL, Status.LONG_AGO}
)

# When several modifiers reach one mention, the first status here wins:
# "my sister might be pregnant" is about the sister, whatever else it says,
# unless the writer says it is theirs too ("aur mujhe bhi").
_PRECEDENCE = (
    Status.NEGATED,
    Status.POSITIVE,
    Status.OTHER_PERSON,
    Status.HYPOTHETICAL,
    Status.UNCERTAIN,
    Status.LONG_AGO,
    Status.HISTORICAL,
)

_HOW_COMMON = "HOW_COMMON"

_CATEGORY_STATUS = {
    "NEGATED_EXISTENCE": Status.NEGATED,
    "FAMILY": Status.OTHER_PERSON,  # medspaCy's default family rules
    "OTHER_PERSON": Status.OTHER_PERSON,
    "ALSO_THE_WRITER": Status.POSITIVE,
    "HYPOTHETICAL": Status.HYPOTHETICAL,
    "POSSIBLE_EXISTENCE": Status.UNCERTAIN,
    "HISTORICAL": Status.HISTORICAL,
    "LONG_AGO": Status.LONG_AGO,
}

# Label of the vocabulary's `not_contraindications` phrases: they are matched
# like terms so that, being longer, they win over the term inside them
# ("UV radiation" over "radiation"), and are then dropped.
_NOT_A_CONTRAINDICATION = "NOT_A_CONTRAINDICATION"

# NORM rather than LOWER: the same as lower case, but "don't", "dont" and
# "do not" agree, so a phrase written one way matches the others.
_MATCH_ATTR = "NORM"


@dataclass(frozen=True)
class Mention:
    """One contraindication mentioned in a text; start/end are character offsets."""

    code: str
    text: str
    start: int
    end: int
    status: Status

    @property
    def raises_flag(self) -> bool:
        """Whether staff should check this mention before treatment."""
        return self.status in FLAGGING_STATUSES


class MentionDetector:
    """The spaCy/medspaCy pipeline, built once from a vocabulary."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        self._nlp = _build_pipeline(self.vocabulary)
        codes = self.vocabulary.codes
        # Which past statuses mean the condition is over, by code.
        self._over = {
            **{e.code: {Status.LONG_AGO} for e in codes if e.recent_only},
            **{e.code: {Status.HISTORICAL, Status.LONG_AGO} for e in codes if e.present_only},
        }

    def detect(self, text: str) -> list[Mention]:
        """All mentions in `text`, in order, each with its status."""
        if not text or not text.strip():
            return []
        doc = self._nlp(standard_urdu_letters(text))
        return [
            Mention(
                code=span.label_,
                text=text[span.start_char : span.end_char],
                start=span.start_char,
                end=span.end_char,
                status=self._status(doc, span),
            )
            for span in doc.ents
            if span.label_ != _NOT_A_CONTRAINDICATION
        ]

    def _status(self, doc: Doc, span: Span) -> Status:
        status = _context_status(span)
        if status in self._over.get(span.label_, ()):
            return Status.RESOLVED
        general = self.vocabulary.general_questions
        if status in FLAGGING_STATUSES and general and _asks_in_general(doc, span, general):
            return Status.HYPOTHETICAL
        return status


def flagged_codes(mentions: Iterable[Mention]) -> set[str]:
    """The codes that staff should check, from a text's mentions."""
    return {mention.code for mention in mentions if mention.raises_flag}


@lru_cache(maxsize=1)
def get_detector() -> MentionDetector:
    """The shared detector for the default vocabulary, built on first use."""
    return MentionDetector()


@lru_cache(maxsize=1)
def get_triage_detector() -> MentionDetector:
    """The shared detector of post-treatment effects (content/triage.yml), built on first use."""
    from clinic_nlp.triage_content import get_triage

    return MentionDetector(get_triage().vocabulary)


def _context_status(span: Span) -> Status:
    categories = {modifier.category for modifier in span._.modifiers}
    statuses = {_CATEGORY_STATUS[c] for c in categories if c in _CATEGORY_STATUS}
    status = next((status for status in _PRECEDENCE if status in statuses), Status.POSITIVE)
    # "my cousin got an infection, how common is that?": someone else's case told
    # to ask how often it happens is a general question. The writer's own stays
    # theirs ("I got an infection, how common is that?" is a report).
    if status is Status.OTHER_PERSON and _HOW_COMMON in categories:
        return Status.HYPOTHETICAL
    return status


def _asks_in_general(doc: Doc, span: Span, words: GeneralQuestions) -> bool:
    """Whether the mention sits in a question about the condition, not about the writer.

    Only when nothing in the whole message points at the writer or at the
    present: "does eczema stop you having it?" asks in general; "does eczema
    stop me?" or "is it ok with a cold sore tomorrow?" do not.
    """
    if any(_is_personal(token, words) for token in doc):
        return False
    clause_start = span.sent.start
    for token in doc[span.sent.start : span.start]:
        if token.is_punct:
            clause_start = token.i + 1
    opening = next((t for t in doc[clause_start : span.start] if not t.is_punct), None)
    return opening is not None and opening.lower_ in words.question_words


def _is_personal(token: Token, words: GeneralQuestions) -> bool:
    """Whether a word speaks of the writer or of now ("main" in "the main risk" does not)."""
    if token.lower_ in words.present_time:
        return True
    after = token.i > 0 and token.nbor(-1).lower_ in words.not_personal_after
    postposition = token.text == "میں" and not is_urdu_i(token.doc.text, token.idx)
    return token.lower_ in words.first_person and not (after or postposition)


def _term_patterns(
    nlp: Language, phrases: Iterable[str], patterns: Iterable[TokenPattern]
) -> list[tuple[str, TokenPattern]]:
    """Every phrase as a token pattern over NORM (as the phrase matcher would read it),
    then the patterns, each with a name."""
    return [
        *(
            (phrase, [{_MATCH_ATTR: token.norm_} for token in nlp.make_doc(phrase)])
            for phrase in phrases
        ),
        *((f"pattern {i}", pattern) for i, pattern in enumerate(patterns)),
    ]


def _with_particles(pattern: TokenPattern, particles: frozenset[str]) -> TokenPattern:
    """The pattern with an optional emphatic particle between any two of its words."""
    if not particles:
        return pattern
    optional = {"LOWER": {"IN": sorted(particles)}, "OP": "?"}
    spaced: TokenPattern = []
    for token in pattern:
        if spaced:
            spaced.append(optional)
        spaced.append(token)
    return spaced


def _build_pipeline(vocabulary: Vocabulary) -> Language:
    import medspacy  # noqa: F401 - registers the medspacy_* pipeline factories
    import spacy
    from medspacy.context import ConTextRule
    from medspacy.target_matcher import TargetRule
    from spacy.pipeline import Sentencizer

    nlp = spacy.blank("en")
    # spaCy's rule-based sentencizer, not medspaCy's PyRuSH: PyRuSH is tuned to
    # clinical notes and leaves chat like "no. i have eczema" or "nope! I get
    # cold sores" as one sentence, so "no" would negate what follows.
    # Line breaks end sentences too (WhatsApp answers are often one per line).
    nlp.add_pipe(
        "sentencizer",
        config={"punct_chars": [*Sentencizer.default_punct_chars, "\n"]},
    )

    target_matcher = nlp.add_pipe(
        "medspacy_target_matcher", config={"phrase_matcher_attr": _MATCH_ATTR}
    )
    particles = vocabulary.emphatic_particles
    labels = {entry.code for entry in vocabulary.codes}
    for label, phrases, patterns in [
        *((entry.code, entry.phrases, entry.patterns) for entry in vocabulary.codes),
        (
            _NOT_A_CONTRAINDICATION,
            vocabulary.not_contraindications,
            vocabulary.not_contraindication_patterns,
        ),
    ]:
        target_matcher.add(
            [
                TargetRule(f"{label}: {name}", label, pattern=_with_particles(pattern, particles))
                for name, pattern in _term_patterns(nlp, phrases, patterns)
            ]
        )

    context = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "phrase_matcher_attr": _MATCH_ATTR,
            # A modifier word inside a mention ("my blood doesn't clot") is part
            # of the mention, not a negation of it or of what follows.
            "prune_on_target_overlap": True,
        },
    )
    default_rules = ConTextRule.from_json(context.DEFAULT_RULES_FILEPATH)
    unknown = vocabulary.dropped_default_rules - {rule.literal for rule in default_rules}
    if unknown:
        raise VocabularyError(f"drop_default_rules names no medspaCy rule: {sorted(unknown)}")
    context.add(
        [rule for rule in default_rules if rule.literal not in vocabulary.dropped_default_rules]
    )
    context.add(
        [
            ConTextRule(
                literal=spec.literal,
                category=spec.category,
                direction=spec.direction,
                pattern=spec.pattern,
                max_scope=spec.max_scope,
                allowed_types=set(spec.allowed_types) if spec.allowed_types else None,
                terminated_by=set(spec.terminated_by) or None,
            )
            for spec in vocabulary.context_rules
            if _applies_to_some_term(spec, labels)
        ]
    )
    return nlp


def _applies_to_some_term(spec: ContextRuleSpec, labels: set[str]) -> bool:
    # A rule kept for other terms (the contraindications' "how do I avoid", in the
    # triage's pipeline) would still win over the shorter rules it overlaps and
    # then modify nothing: "how do I avoid getting infected" was read as a report.
    return spec.allowed_types is None or bool(spec.allowed_types & labels)
