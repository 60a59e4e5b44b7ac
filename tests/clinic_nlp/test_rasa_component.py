"""The Rasa NLU component, called directly on Message objects (no training)."""

from pathlib import Path

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.recipes.recipe import Recipe
from rasa.engine.validation import validate
from rasa.shared.data import TrainingType
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_nlp import MentionDetector
from clinic_nlp.rasa_component import ContraindicationMentionExtractor

NAME = "ContraindicationMentionExtractor"


@pytest.fixture
def extractor(detector: MentionDetector) -> ContraindicationMentionExtractor:
    return ContraindicationMentionExtractor({}, detector=detector)


def test_one_entity_per_mention_with_its_status_as_role(
    extractor: ContraindicationMentionExtractor,
) -> None:
    text = "my sister is pregnant but I get cold sores"
    (message,) = extractor.process([Message.build(text=text)])
    assert message.get("entities") == [
        {
            "entity": "contraindication",
            "value": "pregnancy",
            "role": "other_person",
            "start": text.index("pregnant"),
            "end": text.index(" but"),
            "confidence": 1.0,
            "extractor": NAME,
        },
        {
            "entity": "contraindication",
            "value": "herpes",
            "role": "positive",
            "start": text.index("cold sores"),
            "end": len(text),
            "confidence": 1.0,
            "extractor": NAME,
        },
    ]


def test_entities_are_appended_to_other_extractors(
    extractor: ContraindicationMentionExtractor,
) -> None:
    earlier = {"entity": "date", "value": "tuesday", "start": 0, "end": 7}
    message = Message(data={"text": "tuesday, not pregnant", "entities": [earlier]})
    extractor.process([message])
    entities = message.get("entities")
    assert entities[0] == earlier
    assert [(e["value"], e["role"]) for e in entities[1:]] == [("pregnancy", "negated")]


def test_messages_without_mentions_or_text_get_no_entities(
    extractor: ContraindicationMentionExtractor,
) -> None:
    messages = extractor.process([Message.build(text="how much is it?"), Message(data={})])
    assert [m.get("entities") for m in messages] == [[], []]


def test_training_data_is_left_as_it_is(extractor: ContraindicationMentionExtractor) -> None:
    data = TrainingData([Message.build(text="I have eczema", intent="inform")])
    assert extractor.process_training_data(data) is data
    assert data.training_examples[0].get("entities") is None


def test_create_uses_the_shared_detector_or_a_configured_vocabulary(
    detector: MentionDetector, tmp_path: Path
) -> None:
    shared = ContraindicationMentionExtractor.create({}, None, None, None)
    assert shared._detector is detector

    path = tmp_path / "terms.yml"
    path.write_text(
        "codes:\n  freckles:\n    source: [s.txt]\n    phrases: [freckles]\n"
        "    patterns: [[{LOWER: freckly}]]\n",
        "utf-8",
    )
    custom = ContraindicationMentionExtractor.create(
        {"vocabulary_path": str(path)}, None, None, None
    )
    (message,) = custom.process([Message.build(text="freckles and eczema")])
    assert [e["value"] for e in message.get("entities")] == ["freckles"]


def test_a_pipeline_with_the_component_passes_rasas_graph_validation() -> None:
    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "clinic_nlp.rasa_component.ContraindicationMentionExtractor"},
        ],
        "policies": [],
    }
    recipe = Recipe.recipe_for_name(DefaultV1Recipe.name)
    model_config = recipe.graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)
    validate(model_config)
    assert any(
        node.uses is ContraindicationMentionExtractor
        for node in model_config.predict_schema.nodes.values()
    )
