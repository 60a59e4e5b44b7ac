"""Rasa NLU component: a message that discloses a contraindication gets its own intent.

"I'm 12 weeks pregnant, can I do this?" may be classified as a FAQ question, but
what matters is the disclosure: it must reach staff whatever else was asked.
Placed after the mention extractor and the FallbackClassifier, this component
sets the intent `disclose_contraindication` (keeping the classifier's intent as
`classified_intent`) when a mention raises a flag. Intents that already lead to
staff keep theirs; the hand-off action adds the disclosed codes to them. A
report after treatment (`post_treatment_concern`, also set by
PostTreatmentReportOverride just before) stays one.
"""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.mentions import FLAGGING_STATUSES

DISCLOSURE_INTENT = "disclose_contraindication"
MENTION_ENTITY = "contraindication"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DisclosureIntentOverride(IntentOverride):
    """Replaces the intent of messages that disclose a contraindication."""

    intent = DISCLOSURE_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"keep_intents": ["post_treatment_concern", "request_human"]}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self._flag_roles = frozenset(status.value for status in FLAGGING_STATUSES)

    def _overrides(self, message: Message) -> bool:
        return any(
            entity.get("entity") == MENTION_ENTITY and entity.get("role") in self._flag_roles
            for entity in message.get(ENTITIES) or []
        )
