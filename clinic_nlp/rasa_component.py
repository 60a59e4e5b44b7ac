"""Rasa 3.6 NLU component: contraindication mentions as `contraindication` entities.

Each mention becomes one entity whose value is the code and whose role is its
status, e.g. {"entity": "contraindication", "value": "pregnancy",
"role": "negated", ...}. Every mention is reported, flagged or not, so that the
dialogue can tell "I'm not pregnant" from saying nothing about pregnancy.

Add it to the pipeline in config.yml:

    - name: clinic_nlp.rasa_component.ContraindicationMentionExtractor

It needs no training: the vocabulary is read from content/clinical_terms.yml
(or `vocabulary_path`) when the component is created.

`TreatmentEffectExtractor` does the same for the effects people report after
treatment (content/triage.yml), as `treatment_effect` entities whose value is
the effect's name.
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

from clinic_nlp.mentions import (
    ENTITY_NAME,
    TREATMENT_EFFECT_ENTITY,
    MentionDetector,
    get_detector,
    get_triage_detector,
)
from clinic_nlp.triage_content import load_triage
from clinic_nlp.vocabulary import Vocabulary, load_vocabulary


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ContraindicationMentionExtractor(GraphComponent, EntityExtractorMixin):
    """Adds one `contraindication` entity (role = status) per mention found."""

    entity_name = ENTITY_NAME

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
            self._detector = MentionDetector(self._load(self._config["vocabulary_path"]))
        else:
            self._detector = self._shared_detector()

    @staticmethod
    def _load(path: str) -> Vocabulary:
        return load_vocabulary(path)

    @staticmethod
    def _shared_detector() -> MentionDetector:
        return get_detector()

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
                ENTITY_ATTRIBUTE_TYPE: self.entity_name,
                ENTITY_ATTRIBUTE_VALUE: mention.code,
                ENTITY_ATTRIBUTE_ROLE: mention.status.value,
                ENTITY_ATTRIBUTE_START: mention.start,
                ENTITY_ATTRIBUTE_END: mention.end,
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            }
            for mention in self._detector.detect(text)
        ]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class TreatmentEffectExtractor(ContraindicationMentionExtractor):
    """Adds one `treatment_effect` entity (role = status) per effect mentioned (triage.yml)."""

    entity_name = TREATMENT_EFFECT_ENTITY

    @staticmethod
    def _load(path: str) -> Vocabulary:
        return load_triage(path).vocabulary

    @staticmethod
    def _shared_detector() -> MentionDetector:
        return get_triage_detector()
