"""The packaged sentence-embedding featurizer: real embeddings, the same from the cache."""

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_nlp.sentence_embeddings import PackagedSentenceEmbeddingFeaturizer


def featurize(featurizer, tokenizer, *texts: str) -> list[np.ndarray]:
    messages = [Message(data={"text": text}) for text in texts]
    tokenizer.process(messages)
    featurizer.process(messages)
    return [m.get_dense_features("text")[1].features[0] for m in messages]


def test_paraphrases_are_closer_than_other_questions_and_the_cache_changes_nothing():
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    featurizer = PackagedSentenceEmbeddingFeaturizer.create(
        PackagedSentenceEmbeddingFeaturizer.get_default_config(), None, None, context
    )
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    pain, hurt, price = featurize(
        featurizer, tokenizer, "does it hurt much?", "how painful is it", "how much is it"
    )
    cosine = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))  # noqa: E731
    assert cosine(pain, hurt) > cosine(pain, price)
    (again,) = featurize(featurizer, tokenizer, "does it hurt much?")
    (batched, _) = [
        m.get_dense_features("text")[1].features[0]
        for m in featurizer.process_training_data(
            tokenizer.process_training_data(
                TrainingData([Message(data={"text": t}) for t in ("does it hurt much?", "hi")])
            )
        ).training_examples
    ]
    np.testing.assert_allclose(again, pain)
    np.testing.assert_allclose(batched, pain, atol=1e-4)


def test_only_short_messages_are_remembered():
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    featurizer = PackagedSentenceEmbeddingFeaturizer.create(
        PackagedSentenceEmbeddingFeaturizer.get_default_config(), None, None, context
    )
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    long_question = "I have a question about the treatment and my skin. " * 8
    cache = featurizer._embed_one  # shared by every featurizer of this process
    before = cache.cache_info()
    for text in (long_question, long_question):
        featurize(featurizer, tokenizer, text)
    assert cache.cache_info() == before
    for text in ("No thanks", "No thanks"):
        featurize(featurizer, tokenizer, text)
    assert cache.cache_info().hits == before.hits + 1


def test_remembered_word_pieces_are_the_tokenizers_own():
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    featurizer = PackagedSentenceEmbeddingFeaturizer.create(
        PackagedSentenceEmbeddingFeaturizer.get_default_config(), None, None, context
    )
    for word in ["microneedling", "isotretinoin?", "Roaccutane", "é", "don't"] * 2:
        token_ids, token_strings = featurizer._lm_tokenize(word)
        assert (token_ids, token_strings) == LanguageModelFeaturizer._lm_tokenize(featurizer, word)
        # Rasa extends these lists; what is remembered must not change with them.
        token_ids.append(0)
        token_strings.append("[UNK]")
