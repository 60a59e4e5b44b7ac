"""Rasa 3.6 NLU component: contraindication mentions as `contraindication` entities.

Each mention becomes one entity whose value is the code and whose role is its
status, e.g. {"entity": "contraindication", "value": "pregnancy",
"role": "negated", ...}. Every mention is reported, flagged or not, so that the
dialogue can tell "I'm not pregnant" from saying nothing about pregnancy.

Add it to the pipeline in config.yml:

    - name: clinic_nlp.rasa_component.ContraindicationMentionExtractor

It needs no training: the vocabulary is read from content/clinical_terms.yml
(or `vocabulary_path`) when the component is created.
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
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_nlp.mentions import MentionDetector, get_detector
from clinic_nlp.vocabulary import load_vocabulary

ENTITY_NAME = "contraindication"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ContraindicationMentionExtractor(GraphComponent, EntityExtractorMixin):
    """Adds one `contraindication` entity (role = status) per mention found."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        # None: the project's content/clinical_terms.yml, with the shared detector.
        return {"vocabulary_path": None}

    @staticmethod
    def required_packages() -> List[str]:
        """Any extra python dependencies required for this component to run."""
        return ["spacy", "medspacy"]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ContraindicationMentionExtractor:
        """Creates the component (see parent class for full docstring)."""
        return cls(config)

    def __init__(self, config: Dict[str, Any], detector: MentionDetector | None = None) -> None:
        """Builds the detector now, so the first message is not slow."""
        self._config = {**self.get_default_config(), **config}
        if detector is not None:
            self._detector = detector
        elif self._config["vocabulary_path"]:
            self._detector = MentionDetector(load_vocabulary(self._config["vocabulary_path"]))
        else:
            self._detector = get_detector()

    def process(self, messages: List[Message]) -> List[Message]:
        """Appends the mentions of each message's text to its entities."""
        for message in messages:
            entities = self.add_extractor_name(self._entities(message.get(TEXT) or ""))
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves the training data as it is: nothing here is learnt."""
        return training_data

    def _entities(self, text: str) -> List[Dict[str, Any]]:
        return [
            {
                ENTITY_ATTRIBUTE_TYPE: ENTITY_NAME,
                ENTITY_ATTRIBUTE_VALUE: mention.code,
                ENTITY_ATTRIBUTE_ROLE: mention.status.value,
                ENTITY_ATTRIBUTE_START: mention.start,
                ENTITY_ATTRIBUTE_END: mention.end,
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            }
            for mention in self._detector.detect(text)
        ]
