"""The classifiers' cheaper prediction gives what Rasa's LogisticRegressionClassifier gives.

Trained here on made-up features shaped like this pipeline's (word counts as
sparse features, float32 sentence embeddings as dense ones, each as sequence
and sentence features, and features of the intent in training examples), so
that the tests take a second instead of loading the language model.
"""

from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    FEATURE_TYPE_SEQUENCE,
    INTENT,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import coo_matrix
from threadpoolctl import threadpool_info, threadpool_limits

from clinic_nlp.logistic_classifiers import LogisticIntentClassifier, is_softmax_of_linear_scores
from clinic_nlp.response_classifier import RESPONSE_SELECTOR, LogisticResponseSelector

INTENTS = ("greet", "ask_price", "goodbye", "request_human")
ANSWERS = ("faq/price", "faq/pain", "faq/downtime")
WORDS, CHARACTERS, EMBEDDING = 12, 8, 6
TOKENS = 3
# As in config.yml: lbfgs converges on these data.
MAX_ITER = {"max_iter": 1000}

Ranking = List[Tuple[str, float]]


def featurized(rng: np.random.Generator, label: int, **data: Any) -> Message:
    """A message whose features lean towards the `label`-th class."""
    message = Message(data={TEXT: f"message about {label}", **data})
    words = rng.poisson(0.3, size=(TOKENS, WORDS))
    words[:, label] += 1
    characters = rng.poisson(1.0, size=(TOKENS, CHARACTERS))
    embedding = (rng.normal(size=(TOKENS, EMBEDDING)) + label).astype(np.float32)
    # In pipeline order, a dense featurizer between two sparse ones: Rasa puts
    # all sparse sentence features first, then the dense ones.
    for origin, tokens in (("words", words), ("embedding", embedding), ("characters", characters)):
        if origin == "embedding":
            sequence, sentence = tokens, tokens.mean(axis=0, keepdims=True)
        else:
            sequence, sentence = coo_matrix(tokens), coo_matrix(tokens.sum(axis=0, keepdims=True))
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, TEXT, origin))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, origin))
    if INTENT in data:
        # Rasa's CountVectorsFeaturizer featurizes training examples' intents too.
        intent = coo_matrix(np.eye(1, len(INTENTS), label))
        message.add_features(Features(intent, FEATURE_TYPE_SENTENCE, INTENT, "words"))
    return message


def intent_examples(labels: Tuple[str, ...], count: int = 15) -> TrainingData:
    rng = np.random.default_rng(1)
    return TrainingData(
        [featurized(rng, i, intent=label) for i, label in enumerate(labels) for _ in range(count)]
    )


def new_messages(classes: int) -> List[Message]:
    """The same unseen messages at each call (Rasa's path and ours each get their copy)."""
    rng = np.random.default_rng(2)
    return [featurized(rng, i % classes) for i in range(12)]


def trained(cls: type, config: Dict[str, Any], data: TrainingData, tmp_path: Path) -> Any:
    storage = LocalModelStorage(tmp_path)
    classifier = cls({**MAX_ITER, **config}, cls.__name__, storage, Resource(cls.__name__))
    classifier.train(data)
    return classifier


def intent_ranking(message: Message) -> Ranking:
    return [(intent["name"], intent["confidence"]) for intent in message.get(INTENT_RANKING_KEY)]


def assert_same_ranking(ours: Ranking, rasas: Ranking) -> None:
    assert [label for label, _ in ours] == [label for label, _ in rasas]
    assert np.allclose([p for _, p in ours], [p for _, p in rasas], rtol=1e-9, atol=0)


@pytest.mark.parametrize(
    "config, labels",
    [
        ({}, INTENTS),
        ({"ranking_length": 2}, INTENTS),
        ({"ranking_length": 0}, INTENTS),
        # Models whose probabilities sklearn does not compute as a softmax.
        ({}, INTENTS[:2]),
        ({"solver": "liblinear"}, INTENTS),
    ],
)
def test_intent_classifier_trains_rasas_model_and_predicts_its_rankings(
    config: Dict[str, Any], labels: Tuple[str, ...], tmp_path: Path
) -> None:
    data = intent_examples(labels)
    ours = trained(LogisticIntentClassifier, config, data, tmp_path)
    rasas = trained(LogisticRegressionClassifier, config, data, tmp_path)
    assert np.array_equal(ours.clf.coef_, rasas.clf.coef_)
    assert np.array_equal(ours.clf.intercept_, rasas.clf.intercept_)

    # Training examples also carry features of their intent, which are not the text's.
    predicted = ours.process(new_messages(len(labels)) + intent_examples(labels).training_examples)
    expected = rasas.process(new_messages(len(labels)) + intent_examples(labels).training_examples)
    for message, reference in zip(predicted, expected, strict=True):
        assert_same_ranking(intent_ranking(message), intent_ranking(reference))
        assert message.get(INTENT) == message.get(INTENT_RANKING_KEY)[0]
        assert message.get(INTENT)["name"] == reference.get(INTENT)["name"]
        assert (
            message.as_dict(only_output_properties=True).keys()
            == reference.as_dict(only_output_properties=True).keys()
        )


def test_only_multinomial_models_with_several_classes_are_scored_without_sklearn(
    tmp_path: Path,
) -> None:
    def fast(config: Dict[str, Any], labels: Tuple[str, ...]) -> bool:
        classifier = trained(LogisticIntentClassifier, config, intent_examples(labels), tmp_path)
        return is_softmax_of_linear_scores(classifier.clf)

    assert fast({}, INTENTS)
    assert not fast({}, INTENTS[:2])
    assert not fast({"solver": "liblinear"}, INTENTS)
    untrained = LogisticIntentClassifier({}, "untrained", None, None)
    assert not is_softmax_of_linear_scores(untrained.clf)


def test_response_selector_ranks_answers_as_rasas_path(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    examples = [
        featurized(rng, i, intent="faq", intent_response_key=answer)
        for i, answer in enumerate(ANSWERS)
        for _ in range(15)
    ]
    other = [featurized(rng, 3, intent="greet") for _ in range(15)]
    selector = trained(LogisticResponseSelector, {}, TrainingData(examples + other), tmp_path)
    assert sorted(selector.clf.classes_) == sorted(ANSWERS)

    messages = selector.process(new_messages(len(ANSWERS)))
    # Rasa's prediction path, as the selector predicted before.
    probabilities = selector.clf.predict_proba(
        LogisticRegressionClassifier._create_X(selector, new_messages(len(ANSWERS)))
    )
    for message, row in zip(messages, probabilities, strict=True):
        selection = message.get(RESPONSE_SELECTOR)["faq"]
        ranking = [(a[INTENT_RESPONSE_KEY], a["confidence"]) for a in selection["ranking"]]
        expected = sorted(zip(selector.clf.classes_, row, strict=True), key=lambda pair: -pair[1])
        assert_same_ranking(ranking, expected)
        assert selection["response"][INTENT_RESPONSE_KEY] == expected[0][0]
        assert selection["response"]["utter_action"] == f"utter_{expected[0][0]}"
        assert type(selection["response"]["confidence"]) is float


def test_no_messages_no_predictions(tmp_path: Path) -> None:
    classifier = trained(LogisticIntentClassifier, {}, intent_examples(INTENTS), tmp_path)
    assert classifier.process([]) == []


def test_a_loaded_classifier_keeps_numpy_to_one_blas_thread(tmp_path: Path) -> None:
    classifier = trained(LogisticIntentClassifier, {}, intent_examples(INTENTS), tmp_path)
    classifier.persist()
    threadpool_limits(limits=2, user_api="blas")
    loaded = LogisticIntentClassifier.load(
        {**MAX_ITER},
        classifier._model_storage,
        classifier._resource,
        ExecutionContext(GraphSchema({}), node_name="intents"),
    )
    assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}
    messages = new_messages(len(INTENTS))
    loaded.process(messages)
    assert intent_ranking(messages[0])[0][0] in INTENTS
