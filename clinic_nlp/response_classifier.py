"""Rasa NLU component: picks the FAQ answer (`faq/<topic>`) with logistic regression.

A drop-in for Rasa's ResponseSelector on a retrieval intent: it is trained on the
same `faq/<topic>` examples and writes the same `response_selector` output, so
the rule `faq -> utter_faq` and `rasa test` work unchanged. On sentence
embeddings plus word counts, a linear model answered the held-out paraphrases
better than the ResponseSelector's neural network did, trains in seconds instead
of minutes, and predicts in well under a millisecond (docs/benchmarks.md),
through the intent classifier's cheaper prediction (`logistic_classifiers.py`).
"""

from typing import Any, Dict, List, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from clinic_nlp.logistic_classifiers import LogisticSentenceClassifier

RESPONSE_SELECTOR = "response_selector"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LogisticResponseSelector(LogisticSentenceClassifier):
    """Chooses among the answers of one retrieval intent."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LogisticSentenceClassifier.get_default_config(), "retrieval_intent": "faq"}

    def _create_training_matrix(self, training_data: TrainingData) -> Tuple[csr_matrix, List[str]]:
        examples = [
            example
            for example in training_data.intent_examples
            if example.get(INTENT) == self.config["retrieval_intent"]
            and example.get(INTENT_RESPONSE_KEY)
            and example.get(TEXT)
        ]
        return self._create_X(examples), [e.get(INTENT_RESPONSE_KEY) for e in examples]

    def _set_prediction(self, message: Message, ranking: List[Tuple[Any, Any]]) -> None:
        answers = [{"confidence": float(p), INTENT_RESPONSE_KEY: key} for key, p in ranking]
        best = answers[0]
        retrieval_intent = self.config["retrieval_intent"]
        selections = message.get(RESPONSE_SELECTOR, {})
        selections["all_retrieval_intents"] = [retrieval_intent]
        selections[retrieval_intent] = {
            "response": {
                "responses": [],
                "confidence": best["confidence"],
                INTENT_RESPONSE_KEY: best[INTENT_RESPONSE_KEY],
                "utter_action": f"utter_{best[INTENT_RESPONSE_KEY]}",
            },
            "ranking": answers,
        }
        message.set(RESPONSE_SELECTOR, selections, add_to_output=True)
