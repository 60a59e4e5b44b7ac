"""Rasa NLU component: Rasa's FallbackClassifier, also for messages of words never seen in training.

The English sentence-embedding model does not know Urdu: to it Roman Urdu looks
like gibberish, so once the classifiers learnt Roman Urdu from its words and
character n-grams, gibberish ("qwxz plonk vrrrm") and Latin filler text were
read as an intent with middling confidence (goodbye at 0.40 to 0.56) instead of
falling back. What tells them apart is whether any word of the message is in
the word-level vocabulary of the training data: a message with none is known
only through the embedding and the character n-grams, which guess. Such a
message falls back unless its intent is confident (`unknown_words_threshold`),
as a misspelt but recognisable word can make it; every other message falls
back as with Rasa's FallbackClassifier (`threshold`, `ambiguity_threshold`).

Whether a word is known is read from the sparse sentence features of the word
CountVectorsFeaturizer named by `word_featurizer` (its `alias`): they are all
zero exactly when no token of the message is in its vocabulary (a message it
gave no features counts as one without a known word).
"""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

WORD_FEATURIZER_KEY = "word_featurizer"
UNKNOWN_WORDS_THRESHOLD_KEY = "unknown_words_threshold"


def has_known_word(message: Message, word_featurizer: str) -> bool:
    """Whether the featurizer `word_featurizer` counted any word of the message."""
    _, sentence = message.get_sparse_features(TEXT, [word_featurizer])
    return sentence is not None and sentence.features.nnz > 0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnknownWordsFallbackClassifier(FallbackClassifier):
    """Predicts `nlu_fallback` as Rasa's does, and for unsure messages with no known word."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **FallbackClassifier.get_default_config(),
            WORD_FEATURIZER_KEY: "words",
            UNKNOWN_WORDS_THRESHOLD_KEY: 0.9,
        }

    def _should_fallback(self, message: Message) -> bool:
        if super()._should_fallback(message):
            return True
        confidence = message.get(INTENT, {}).get(PREDICTED_CONFIDENCE_KEY, 0.0)
        return confidence < self.component_config[
            UNKNOWN_WORDS_THRESHOLD_KEY
        ] and not has_known_word(message, self.component_config[WORD_FEATURIZER_KEY])
