"""Rasa NLU components: the language of each message, and a reply language asked for.

`LanguageExtractor` adds a `language` entity (`en`, `roman_ur`, `ur`; none for a
message too short to tell, such as "Yes" or a phone number) and, for "urdu mein"
or "English please", a `reply_language` entity; the domain's slots of the same
names keep them (domain/language.yml). `LanguageSwitchOverride` makes such a
message the intent `switch_language`. The decisions are clinic_nlp/language.py's.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.language import (
    LANGUAGE_ENTITY,
    REPLY_LANGUAGE_ENTITY,
    SWITCH_INTENT,
    detect_language,
    get_language_words,
    requested_reply_language,
)


def _entity(kind: str, value: str, text: str) -> dict[str, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: kind,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: len(text),
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
    }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageExtractor(GraphComponent, EntityExtractorMixin):
    """Adds the `language` of each message and, when asked for, its `reply_language`."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageExtractor:
        get_language_words()  # read the data file now, so the first message is not slow
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                (LANGUAGE_ENTITY, detect_language(text)),
                (REPLY_LANGUAGE_ENTITY, requested_reply_language(text)),
            ]
            entities = [_entity(kind, value, text) for kind, value in found if value]
            if entities:
                entities = self.add_extractor_name(entities)
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves the training data as it is: nothing here is learnt."""
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageSwitchOverride(IntentOverride):
    """ "urdu mein", "English please": the intent `switch_language`, whatever was classified."""

    intent = SWITCH_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"keep_intents": [SWITCH_INTENT]}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__({**self.get_default_config(), **config})

    def _overrides(self, message: Message) -> bool:
        return requested_reply_language(message.get(TEXT) or "") is not None
