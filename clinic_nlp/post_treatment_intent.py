"""Rasa NLU component: a report of effects after treatment gets the post-treatment intent.

"my skin is peeling 3 days after microneedling, is that normal?" reads like a FAQ
question, but the person is describing their own skin after treatment: the triage
(actions/triage.py) must see it. Placed after the effect extractor and before
DisclosureIntentOverride, this component sets `post_treatment_concern` (keeping
the classifier's intent as `classified_intent`) when

- the message reports an effect of the person's own (not denied, not someone
  else's, not asked about) with a wording placing it after the treatment
  (triage.yml's `after_treatment_cues` and `after_treatment_patterns`) or
  saying how long ago ("it's been a week": `time_gone_by_patterns`) when it
  discloses no condition;
- or it reports an urgent sign, the person's own or someone else's ("it won't
  stop bleeding"), and no contraindication: a cold sore or an infection with no
  word of the treatment is a disclosure before it. A sign that only names a
  change ("worse", "spreading": `needs_a_treatment_cue`) does not count here;
- or the classifier was unsure (`nlu_fallback`) and an effect is mentioned at
  all: the triage answers a question about it from the FAQ.

DisclosureIntentOverride keeps the intent, so "I have a cold sore since the
treatment" is triaged (urgent, with the herpes code), not handled as a
disclosure before treatment.
"""

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.intent_override import IntentOverride
from clinic_nlp.mentions import ENTITY_NAME, FLAGGING_STATUSES, TREATMENT_EFFECT_ENTITY, Status
from clinic_nlp.triage_content import REPORTED_STATUSES, Kind, TriageContent, get_triage
from clinic_nlp.urdu_script import standard_urdu_letters

POST_TREATMENT_INTENT = "post_treatment_concern"
UNSURE_INTENT = "nlu_fallback"
_REPORTED = frozenset(status.value for status in REPORTED_STATUSES)
_FLAGGED = frozenset(status.value for status in FLAGGING_STATUSES)
_SOMEONE_ELSES = frozenset({Status.OTHER_PERSON.value})


def _roles(entities: List[Dict[str, Any]], entity: str, names: frozenset[str] | None = None):
    return {
        e.get("role")
        for e in entities
        if e.get("entity") == entity and (names is None or e.get("value") in names)
    }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PostTreatmentReportOverride(IntentOverride):
    """Replaces the intent of messages that report an effect after treatment."""

    intent = POST_TREATMENT_INTENT

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # Intents that lead somewhere more specific keep theirs.
        return {"keep_intents": [POST_TREATMENT_INTENT, "request_human", "book_consultation"]}

    def __init__(self, config: Dict[str, Any], content: TriageContent | None = None) -> None:
        super().__init__(config)
        content = content or get_triage()
        self._cues = content.after_treatment
        self._time_gone_by = content.time_gone_by
        self._urgent = frozenset(
            name
            for name, effect in content.effects.items()
            if effect.kind is Kind.URGENT and not effect.needs_a_treatment_cue
        )

    def _overrides(self, message: Message) -> bool:
        entities = message.get(ENTITIES) or []
        effects = _roles(entities, TREATMENT_EFFECT_ENTITY)
        if not effects:
            return False
        text = standard_urdu_letters(message.get(TEXT) or "")
        disclosed = bool(_roles(entities, ENTITY_NAME) & _FLAGGED)
        if effects & _REPORTED and (self._cues.search(text) or self._gone_by(text, disclosed)):
            return True
        urgent = _roles(entities, TREATMENT_EFFECT_ENTITY, self._urgent)
        if urgent & (_REPORTED | _SOMEONE_ELSES) and not disclosed:
            return True
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        return intent == UNSURE_INTENT and effects != {Status.NEGATED.value}

    def _gone_by(self, text: str, disclosed: bool) -> bool:
        # Time gone by says nothing of the treatment: beside a condition it may be the
        # condition's time ("I had a cold sore, it's been a week"), a disclosure first.
        return not disclosed and self._time_gone_by.search(text) is not None
