"""Rasa NLU component: a report of effects after treatment gets the post-treatment intent.

"my skin is peeling 3 days after microneedling, is that normal?" reads like a FAQ
question, but the person is describing their own skin after treatment: the triage
(actions/triage.py) must see it. Placed after the effect extractor and before
DisclosureIntentOverride, this component sets `post_treatment_concern` (keeping
the classifier's intent as `classified_intent`) when the message reports an
effect of the person's own (not denied, not someone else's, not asked about)
together with a word placing it after the treatment (triage.yml's
`after_treatment_cues`). DisclosureIntentOverride keeps that intent, so "I have a
cold sore since the treatment" is triaged (urgent, with the herpes code), not
handled as a disclosure before treatment.
"""

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.rasa_component import TREATMENT_EFFECT_ENTITY
from clinic_nlp.triage_content import REPORTED_STATUSES, get_triage

POST_TREATMENT_INTENT = "post_treatment_concern"


def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any cue as whole words."""
    alternatives = "|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def reports_effect(entities: List[Dict[str, Any]]) -> bool:
    """Whether the entities include an effect the person says they have."""
    roles = {status.value for status in REPORTED_STATUSES}
    return any(
        entity.get("entity") == TREATMENT_EFFECT_ENTITY and entity.get("role") in roles
        for entity in entities
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PostTreatmentReportOverride(IntentOverride):
    """Replaces the intent of messages that report an effect after treatment."""

    intent = POST_TREATMENT_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # Intents that lead somewhere more specific keep theirs.
        return {"keep_intents": [POST_TREATMENT_INTENT, "request_human", "book_consultation"]}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self._cues = cue_pattern(get_triage().after_treatment_cues)

    def _overrides(self, message: Message) -> bool:
        return reports_effect(message.get(ENTITIES) or []) and bool(
            self._cues.search(message.get(TEXT) or "")
        )
