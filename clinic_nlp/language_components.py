"""Rasa NLU components: the language of each message, and a reply language asked for.

`LanguageExtractor` adds, for "urdu mein" or "English please", a `reply_language`
entity; the domain's slot of the same name keeps it (domain/language.yml).
`LanguageSwitchOverride` makes such a message the intent `switch_language`. How
the person writes is read from the conversation where it is needed
(clinic_nlp/language.py's `conversation_languages()`).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.language import (
    REPLY_LANGUAGE_ENTITY,
    SWITCH_INTENT,
    get_language_words,
    requested_reply_language,
)
from clinic_nlp.rule_entities import RuleEntityExtractor, entity


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageExtractor(RuleEntityExtractor):
    """Adds the `reply_language` a message asks for ("urdu mein", "English please")."""

    @staticmethod
    def warm_up() -> None:
        get_language_words()

    def _entities(self, text: str) -> List[Dict[str, Any]]:
        asked = requested_reply_language(text)
        return [entity(REPLY_LANGUAGE_ENTITY, asked, 0, len(text))] if asked else []


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
