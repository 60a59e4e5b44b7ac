"""Rasa NLU component: an unsure intent gives way to a confident FAQ answer.

The FAQ answer picker (the response selector) is trained on every FAQ question,
the intent classifier on all intents at once; where the classifier is unsure
between small talk, booking or the questionnaire ("anything I need to do before
coming in" read as booking at 0.53) and the answer picker is sure of one topic
(preparation at 0.97), the person asked that question. Placed after the
mention extractors and before the intent overrides, this component then sets
the intent `faq`. Intents that start a hand-off or answer the bot's offer
(`keep_intents`) always keep theirs; a report after treatment keeps its intent
when it names an effect, and the overrides after this one still turn a report
or a disclosure into its own intent.
"""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.mentions import TREATMENT_EFFECT_ENTITY
from clinic_nlp.post_treatment_intent import POST_TREATMENT_INTENT

FAQ_INTENT = "faq"


def _names_an_effect(message: Message) -> bool:
    return any(e.get("entity") == TREATMENT_EFFECT_ENTITY for e in message.get(ENTITIES) or [])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ConfidentFaqOverride(IntentOverride):
    """Replaces an unsure intent by `faq` when one FAQ topic is clearly the answer."""

    intent = FAQ_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "keep_intents": [
                FAQ_INTENT,
                "request_human",
                "disclose_contraindication",
                "tell_treatment_time",
                "affirm",
                "deny",
            ],
            "max_intent_confidence": 0.7,
            "min_faq_confidence": 0.85,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self._max_intent = float(config["max_intent_confidence"])
        self._min_faq = float(config["min_faq_confidence"])

    def _overrides(self, message: Message) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) == POST_TREATMENT_INTENT and _names_an_effect(message):
            return False
        topic = self._selected(message)
        return (
            intent.get("confidence", 0.0) < self._max_intent
            and topic.get("confidence", 0.0) >= self._min_faq
        )

    def _new_intent(self, message: Message) -> Dict[str, Any]:
        topic = self._selected(message)
        return {
            INTENT_NAME_KEY: FAQ_INTENT,
            "confidence": topic["confidence"],
            "full_retrieval_intent_name": topic.get("intent_response_key"),
        }

    @staticmethod
    def _selected(message: Message) -> Dict[str, Any]:
        selector = message.get("response_selector") or {}
        return (selector.get(FAQ_INTENT) or {}).get("response") or {}
