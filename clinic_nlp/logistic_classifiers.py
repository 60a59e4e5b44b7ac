"""Rasa NLU components: Rasa's logistic regression classifier, trained as it is, predicting cheaper.

Rasa's `LogisticRegressionClassifier` trains scikit-learn's `LogisticRegression`
on each message's sentence features (word counts, then sentence embedding).
To predict, it builds that row per message through `Message.get_sparse_features`
and `get_dense_features` (which also copy and combine the sequence features it
does not use), scipy sparse matrices and their stacking, then sklearn's
`predict_proba` with its input checks: about 0.9 ms per message and classifier,
nearly all of it overhead. Here training is Rasa's (the same model), and
prediction takes the sentence features straight from the message as one dense
row (the vocabulary is small) and, for a multinomial model, computes the same
softmax of linear scores without sklearn's checks: under 0.1 ms per message
and classifier. The probabilities are equal to Rasa's up to float rounding.
The two classifiers each build the row (about 10 us): sharing it between them
would need a cache tied to the message for little gain.
"""

from abc import abstractmethod
from typing import Any, List, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax
from threadpoolctl import threadpool_limits


def sentence_features(message: Message) -> np.ndarray:
    """The row Rasa's `_create_X` builds for a message: sparse sentence features, then dense."""
    sentence = [
        f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE
    ]
    sparse = [f.features.toarray() for f in sentence if f.is_sparse()]
    dense = [f.features for f in sentence if f.is_dense()]
    # float64 is what scipy's stacking of integer counts and float32 embeddings gives.
    return np.concatenate(sparse + dense, axis=1, dtype=np.float64)


def is_softmax_of_linear_scores(clf: LogisticRegression) -> bool:
    """Whether `clf.predict_proba(X)` is `softmax(X @ clf.coef_.T + clf.intercept_)`.

    That is scikit-learn's multinomial case; it uses one-vs-rest for "ovr", and
    for "auto" with liblinear or two classes. A binary multinomial model has one
    row of coefficients and a different formula: left to sklearn too, as is an
    unfitted model (sklearn's error).
    """
    return (
        hasattr(clf, "coef_")
        and clf.multi_class in ("multinomial", "auto")
        and clf.solver != "liblinear"
        and clf.coef_.shape[0] == clf.classes_.size > 2
    )


class LogisticSentenceClassifier(LogisticRegressionClassifier):
    """Rasa's classifier with the cheaper prediction; subclasses say what a ranking sets."""

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> "LogisticSentenceClassifier":
        # The dense one-row products go through OpenBLAS, which spreads them over a
        # thread per core that then spins for more work: measured under load, 10 ms of
        # CPU per message taken from the event loop and TensorFlow. One thread is enough.
        threadpool_limits(limits=1, user_api="blas")
        return super().load(*args, **kwargs)

    def process(self, messages: List[Message]) -> List[Message]:
        if not messages:
            return messages
        probabilities = self.predict_proba(messages)
        for message, row in zip(messages, probabilities, strict=True):
            self._set_prediction(message, self._ranked(row))
        return messages

    def predict_proba(self, messages: List[Message]) -> np.ndarray:
        """Rasa's `self.clf.predict_proba(self._create_X(messages))`, one row per message."""
        X = np.concatenate([sentence_features(message) for message in messages])
        if is_softmax_of_linear_scores(self.clf):
            return softmax(X @ self.clf.coef_.T + self.clf.intercept_, copy=False)
        return self.clf.predict_proba(X)

    def _ranked(self, probabilities: np.ndarray) -> List[Tuple[Any, Any]]:
        """(class, probability), most probable first as Rasa sorts them, cut to `ranking_length`."""
        ranking = sorted(
            zip(self.clf.classes_, probabilities, strict=True), key=lambda pair: -pair[1]
        )
        length = self.config[RANKING_LENGTH]
        return ranking[:length] if length > 0 else ranking

    @abstractmethod
    def _set_prediction(self, message: Message, ranking: List[Tuple[Any, Any]]) -> None:
        """Writes the ranking (never empty) into the message's output."""


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LogisticIntentClassifier(LogisticSentenceClassifier):
    """Rasa's `LogisticRegressionClassifier`: same training, model and output, cheaper to run."""

    def _set_prediction(self, message: Message, ranking: List[Tuple[Any, Any]]) -> None:
        # Rasa's values as they are (numpy string and float), so the output is unchanged.
        intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
        message.set(INTENT, intents[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, intents, add_to_output=True)
