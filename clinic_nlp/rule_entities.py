"""Base of the NLU components that add entities found by rules over data files, never learnt.

A subclass says which entities a message's text has (`_entities`) and may read its
data files when the model loads (`warm_up`), so the first message is not slow.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
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


def entity(kind: str, value: str, start: int, end: int) -> Dict[str, Any]:
    """One entity as Rasa stores it, found for certain."""
    return {
        ENTITY_ATTRIBUTE_TYPE: kind,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
    }


class RuleEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Appends `_entities(text)` to each message's entities; not registered itself."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleEntityExtractor:
        cls.warm_up()
        return cls()

    @staticmethod
    def warm_up() -> None:
        """Reads the data files the rules need."""

    def _entities(self, text: str) -> List[Dict[str, Any]]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self._entities(message.get(TEXT) or "")
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves the training data as it is: nothing here is learnt."""
        return training_data
