"""BinaryCountVectorsFeaturizer: a repeated message says no more than the message once."""

from pathlib import Path

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_nlp.binary_count_vectors import BinaryCountVectorsFeaturizer

CONFIG = {
    **BinaryCountVectorsFeaturizer.get_default_config(),
    "analyzer": "char_wb",
    "min_ngram": 4,
    "max_ngram": 5,
    "alias": "chars",
}
TRAINING = ["kya dard hota hai", "appointment chahiye", "kitne din laal rahega"]


def sentence_row(featurizer: BinaryCountVectorsFeaturizer, text: str) -> np.ndarray:
    message = Message.build(text=text)
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    _, sentence = message.get_sparse_features("text", ["chars"])
    return sentence.features.toarray()


def test_repeating_a_message_does_not_change_its_features_once_trained_and_loaded(tmp_path: Path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("chars")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = BinaryCountVectorsFeaturizer.create(CONFIG, storage, resource, context)
    data = TrainingData([Message.build(text=t, intent="x") for t in TRAINING])
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    trained.train(data)
    loaded = BinaryCountVectorsFeaturizer.load(CONFIG, storage, resource, context)

    for featurizer in (trained, loaded):
        once = sentence_row(featurizer, "dard hota hai")
        assert once.max() == 1 and once.sum() > 1
        assert (sentence_row(featurizer, "dard hota hai " * 17) == once).all()
