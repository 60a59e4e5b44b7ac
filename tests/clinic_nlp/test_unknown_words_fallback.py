"""UnknownWordsFallbackClassifier: messages of unknown words fall back unless confident."""

import numpy as np
import pytest
import scipy.sparse
import yaml
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.unknown_words_fallback import UnknownWordsFallbackClassifier
from tests.servers import REPO_ROOT

FALLBACK = UnknownWordsFallbackClassifier.get_default_config()


def parsed(confidence: float, known_words: int, second: float = 0.0) -> Message:
    """A classified message whose word featurizer counted `known_words` words."""
    message = Message.build(text="qwxz plonk vrrrm")
    counts = scipy.sparse.coo_matrix(np.array([[known_words, 0, 0]]))
    for featurizer, features in (
        ("words", counts),
        ("chars", scipy.sparse.coo_matrix(np.ones((1, 3)))),
    ):
        message.add_features(Features(features, "sentence", "text", featurizer))
    intent = {"name": "goodbye", "confidence": confidence}
    message.set("intent", intent)
    message.set("intent_ranking", [intent, {"name": "thank", "confidence": second}])
    UnknownWordsFallbackClassifier(FALLBACK).process([message])
    return message


def test_an_unsure_message_of_unknown_words_falls_back():
    message = parsed(confidence=0.56, known_words=0)
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": FALLBACK["threshold"]}
    assert [i["name"] for i in message.get("intent_ranking")] == [
        "nlu_fallback",
        "goodbye",
        "thank",
    ]


@pytest.mark.parametrize(
    ("confidence", "known_words"),
    [
        (0.56, 1),  # one known word: the classifiers' choice stands
        (0.95, 0),  # confident although no word is known (a misspelt "thankss")
    ],
)
def test_other_messages_keep_their_intent(confidence, known_words):
    assert parsed(confidence, known_words).get("intent")["name"] == "goodbye"


@pytest.mark.parametrize(
    ("confidence", "second"),
    [(0.2, 0.1), (0.5, 0.48)],  # below the threshold; too close to the next intent
)
def test_rasa_fallback_rules_still_apply_with_known_words(confidence, second):
    assert parsed(confidence, known_words=2, second=second).get("intent")["name"] == "nlu_fallback"


def test_the_pipeline_names_the_word_featurizer_it_reads():
    pipeline = yaml.safe_load((REPO_ROOT / "config.yml").read_text())["pipeline"]
    (fallback,) = [c for c in pipeline if c["name"].endswith("UnknownWordsFallbackClassifier")]
    alias = fallback.get("word_featurizer", FALLBACK["word_featurizer"])
    words = [
        c for c in pipeline if c["name"] == "CountVectorsFeaturizer" and c.get("alias") == alias
    ]
    assert words and words[0].get("analyzer", "word") == "word"
