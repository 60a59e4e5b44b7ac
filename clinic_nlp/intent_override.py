"""Base of the NLU components that replace the classifier's intent after the mention layer.

Placed after the classifiers and the mention extractors, a subclass names the
intent it sets and when (`_overrides`); intents in `keep_intents` always keep
theirs. The classifier's intent is kept as `classified_intent`, so evaluation
and staff can still see what the classifier chose.
"""

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class IntentOverride(GraphComponent):
    """Sets `intent` on the messages `_overrides` picks; not registered itself."""

    intent: str

    def __init__(self, config: Dict[str, Any]) -> None:
        self._keep_intents = frozenset(config["keep_intents"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentOverride":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent not in self._keep_intents and self._overrides(message):
                message.set("classified_intent", message.get(INTENT), add_to_output=True)
                message.set(INTENT, self._new_intent(message))
        return messages

    def _overrides(self, message: Message) -> bool:
        raise NotImplementedError

    def _new_intent(self, message: Message) -> Dict[str, Any]:
        return {INTENT_NAME_KEY: self.intent, "confidence": 1.0}
