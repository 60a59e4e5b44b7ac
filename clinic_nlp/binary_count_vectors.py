"""Rasa NLU featurizer: Rasa's CountVectorsFeaturizer marking which n-grams occur, not how often.

The character n-grams that let the classifiers read Roman Urdu's many spellings
("nahi", "nai", "nahin") also occur in text that is no language the bot knows.
Counted, they grow with the length of a message: "Lorem ipsum dolor sit amet"
pasted to 1,000 characters repeats each of its n-grams seventeen times, and a
few that training examples share added up to book_consultation at 0.998. Marked
as present or absent (scikit-learn's `binary` counts), a message says as much
about its intent however often it repeats itself.
"""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from sklearn.feature_extraction.text import CountVectorizer


def _binary(vectorizers: Dict[str, CountVectorizer | None]) -> Dict[str, CountVectorizer | None]:
    for vectorizer in vectorizers.values():
        if vectorizer is not None:
            vectorizer.set_params(binary=True)
    return vectorizers


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class BinaryCountVectorsFeaturizer(CountVectorsFeaturizer):
    """CountVectorsFeaturizer whose vectorizers mark presence (0 or 1), when trained and loaded."""

    @classmethod
    def _create_shared_vocab_vectorizers(
        cls, parameters: Dict[str, Any], vocabulary: Any | None = None
    ) -> Dict[str, CountVectorizer]:
        return _binary(super()._create_shared_vocab_vectorizers(parameters, vocabulary))

    @classmethod
    def _create_independent_vocab_vectorizers(
        cls, parameters: Dict[str, Any], vocabulary: Any | None = None
    ) -> Dict[str, CountVectorizer]:
        return _binary(super()._create_independent_vocab_vectorizers(parameters, vocabulary))
