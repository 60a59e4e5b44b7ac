"""Rasa NLU components: the language of each message, and a reply language asked for.

`LanguageExtractor` adds a `language` entity (`en`, `roman_ur`, `ur`; none for a
message too short to tell, such as "Yes" or a phone number) and, for "urdu mein"
or "English please", a `reply_language` entity; the domain's slots of the same
names keep them (domain/language.yml). `LanguageSwitchOverride` makes such a
message the intent `switch_language`. The decisions are clinic_nlp/language.py's.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.language import (
    LANGUAGE_ENTITY,
    REPLY_LANGUAGE_ENTITY,
    SWITCH_INTENT,
    detect_language,
    get_language_words,
    requested_reply_language,
)
from clinic_nlp.rule_entities import RuleEntityExtractor, entity


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageExtractor(RuleEntityExtractor):
    """Adds the `language` of each message and, when asked for, its `reply_language`."""

    @staticmethod
    def warm_up() -> None:
        get_language_words()

    def _entities(self, text: str) -> List[Dict[str, Any]]:
        found = [
            (LANGUAGE_ENTITY, detect_language(text)),
            (REPLY_LANGUAGE_ENTITY, requested_reply_language(text)),
        ]
        return [entity(kind, value, 0, len(text)) for kind, value in found if value]


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
