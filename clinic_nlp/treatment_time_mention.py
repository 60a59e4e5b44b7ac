"""Rasa NLU component: marks a message that may say when, or that, the person was treated.

The dated aftercare answer (actions/dated_aftercare.py) needs the action server;
an ordinary FAQ question must not wait for it. This component adds one
`treatment_time_mention` entity (value `time` on the first time it sees, or
`own_treatment` on "I had it done" when there is no time), found by
clinic_nlp/treatment_time.py's cheap checks, and the rules (data/rules/aftercare.yml)
send only those FAQ questions to the action.
It never reads the date itself: that depends on the clock, and short messages'
NLU results are remembered by their text. `TreatmentTimeReplyOverride` makes a
message that only says when ("3 days ago") the intent `tell_treatment_time`.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.rule_entities import RuleEntityExtractor, entity
from clinic_nlp.treatment_time import (
    get_time_words,
    only_says_when,
    own_treatment_mention,
    time_mention,
)

TREATMENT_TIME_ENTITY = "treatment_time_mention"
TELL_TIME_INTENT = "tell_treatment_time"


def mention(text: str) -> tuple[str, int, int] | None:
    """(`time` or `own_treatment`, start, end) of the entity for `text`, or None."""
    words = get_time_words()
    if span := time_mention(text, words):
        return ("time", *span)
    if span := own_treatment_mention(text, words):
        return ("own_treatment", *span)
    return None


def mention_value(text: str) -> str | None:
    """`time`, `own_treatment` or None: what the entity says of `text`."""
    found = mention(text)
    return found[0] if found else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class TreatmentTimeMentionExtractor(RuleEntityExtractor):
    """Adds a `treatment_time_mention` entity to messages that may date the treatment."""

    @staticmethod
    def warm_up() -> None:
        get_time_words()

    def _entities(self, text: str) -> List[Dict[str, Any]]:
        found = mention(text)
        return [entity(TREATMENT_TIME_ENTITY, *found)] if found else []


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TreatmentTimeReplyOverride(IntentOverride):
    """A message that only says when ("3 days ago", "kal karwaya tha") is `tell_treatment_time`.

    Decided from the words, with no training examples: examples of bare dates made
    the classifier take "is the session under an hour" for a question of opening hours.
    """

    intent = TELL_TIME_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"keep_intents": [TELL_TIME_INTENT, "request_human", "post_treatment_concern"]}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__({**self.get_default_config(), **config})

    def _overrides(self, message: Message) -> bool:
        return only_says_when(message.get(TEXT) or "")
