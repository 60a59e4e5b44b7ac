"""Rasa NLU component: a message that discloses a contraindication gets its own intent.

"I'm 12 weeks pregnant, can I do this?" may be classified as a FAQ question, but
what matters is the disclosure: it must reach staff whatever else was asked.
Placed after the mention extractors and PostTreatmentReportOverride, this
component sets the intent `disclose_contraindication` (keeping the classifier's
intent as `classified_intent`) when a mention raises a flag. A request for a
person keeps its intent; the hand-off action adds the disclosed codes to it.

A report after treatment (`post_treatment_concern`) stays one only where the
triage accounts for every condition it names: with an urgent sign (the urgent
hand-off carries the codes too), or when the condition is one the treatment
itself may cause ("it looks sunburnt since my treatment"). Otherwise "I have
psoriasis and rosacea on my nose", read by the classifier as a report, would be
triaged and its flags never raised.
"""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.mentions import FLAGGING_STATUSES, TREATMENT_EFFECT_ENTITY
from clinic_nlp.triage_content import REPORTED_STATUSES, Kind, TriageContent, get_triage

DISCLOSURE_INTENT = "disclose_contraindication"
MENTION_ENTITY = "contraindication"
POST_TREATMENT_INTENT = "post_treatment_concern"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DisclosureIntentOverride(IntentOverride):
    """Replaces the intent of messages that disclose a contraindication."""

    intent = DISCLOSURE_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"keep_intents": ["request_human"]}

    def __init__(self, config: Dict[str, Any], content: TriageContent | None = None) -> None:
        super().__init__(config)
        content = content or get_triage()
        self._flag_roles = frozenset(status.value for status in FLAGGING_STATUSES)
        self._urgent = frozenset(n for n, e in content.effects.items() if e.kind is Kind.URGENT)
        self._explained = content.codes_treatment_explains
        self._cues = content.after_treatment
        self._reported = frozenset(status.value for status in REPORTED_STATUSES)

    def _overrides(self, message: Message) -> bool:
        entities = message.get(ENTITIES) or []
        flagged = {
            entity.get("value")
            for entity in entities
            if entity.get("entity") == MENTION_ENTITY and entity.get("role") in self._flag_roles
        }
        if not flagged:
            return False
        if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != POST_TREATMENT_INTENT:
            return True
        return not (self._urgent_sign(entities) or self._explained_by_treatment(message, flagged))

    def _urgent_sign(self, entities: list[dict[str, Any]]) -> bool:
        return any(
            e.get("entity") == TREATMENT_EFFECT_ENTITY
            and e.get("value") in self._urgent
            and e.get("role") in self._reported
            for e in entities
        )

    def _explained_by_treatment(self, message: Message, flagged: set[str]) -> bool:
        return flagged <= self._explained and bool(self._cues.search(message.get(TEXT) or ""))
