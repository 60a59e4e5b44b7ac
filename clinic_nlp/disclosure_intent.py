"""Rasa NLU component: a message that discloses a contraindication gets its own intent.

"I'm 12 weeks pregnant, can I do this?" may be classified as a FAQ question, but
what matters is the disclosure: it must reach staff whatever else was asked.
Placed after the mention extractor and the FallbackClassifier, this component
sets the intent `disclose_contraindication` (keeping the classifier's intent as
`classified_intent`) when a mention raises a flag. Intents that already lead to
staff keep theirs; the hand-off action adds the disclosed codes to them.
"""

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_nlp.mentions import FLAGGING_STATUSES

DISCLOSURE_INTENT = "disclose_contraindication"
MENTION_ENTITY = "contraindication"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DisclosureIntentOverride(GraphComponent):
    """Replaces the intent of messages that disclose a contraindication."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"keep_intents": ["post_treatment_concern", "request_human"]}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._keep_intents = frozenset(config["keep_intents"])
        self._flag_roles = frozenset(status.value for status in FLAGGING_STATUSES)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DisclosureIntentOverride":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self._discloses(message):
                message.set("classified_intent", message.get(INTENT), add_to_output=True)
                message.set(INTENT, {INTENT_NAME_KEY: DISCLOSURE_INTENT, "confidence": 1.0})
        return messages

    def _discloses(self, message: Message) -> bool:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent in self._keep_intents:
            return False
        return any(
            entity.get("entity") == MENTION_ENTITY and entity.get("role") in self._flag_roles
            for entity in message.get(ENTITIES) or []
        )
