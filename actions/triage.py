"""Post-treatment triage: the tier of a report after treatment, and what the bot says for it.

`decide` is a pure function over content/triage.yml: the effects a message
mentions (the clinic_nlp `treatment_effect` entities, each with its ConText
status) and the days since treatment when the person says them. Any urgent sign
of the person's own wins; then an effect past its usual time or one the
documents do not describe is reviewed; only effects the documents call normal
are expected; effects only asked about (or someone else's) make a question.
Nothing recognised in a report is reviewed: when unsure, never "expected".
The slot `triage_tier` is what data/rules/triage.yml branches on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import selected_faq_response
from clinic_nlp.mentions import TREATMENT_EFFECT_ENTITY, Status
from clinic_nlp.treatment_time import SLOT as TREATMENT_TIME_SLOT
from clinic_nlp.treatment_time import TreatmentTime, elapsed_days, read_treatment_time
from clinic_nlp.triage_content import REPORTED_STATUSES, Kind, TriageContent, get_triage
from clinic_store.settings import get_settings

TIER_SLOT = "triage_tier"
URGENT_SIGNS_RESPONSE = "utter_triage_urgent_signs"
CONTACT_OFFER_RESPONSE = "utter_triage_offer_contact"
REVIEW_OFFER_RESPONSE = "utter_triage_offer_review"
REVIEW_OVERDUE_RESPONSE = "utter_triage_review_overdue"
REVIEW_UNDESCRIBED_RESPONSE = "utter_triage_review_undescribed"


class Tier(StrEnum):
    """What happens next; the values of the `triage_tier` slot."""

    EXPECTED = "expected"
    REVIEW = "review"
    URGENT = "urgent"
    QUESTION = "question"


@dataclass(frozen=True)
class Finding:
    """One effect a message mentions (a name in triage.yml) and how it is meant."""

    effect: str
    status: Status


@dataclass(frozen=True)
class Decision:
    """The tier, and the effects that decided it, each once, in the order mentioned."""

    tier: Tier
    expected: tuple[str, ...] = ()
    urgent: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()
    undescribed: tuple[str, ...] = ()


def findings_in(latest_message: dict[str, Any]) -> list[Finding]:
    """The effects in a parsed message, from its `treatment_effect` entities."""
    return [
        Finding(entity["value"], Status(entity.get("role", Status.POSITIVE.value)))
        for entity in latest_message.get("entities") or []
        if entity.get("entity") == TREATMENT_EFFECT_ENTITY
    ]


def decide(findings: Iterable[Finding], days: int | None, content: TriageContent) -> Decision:
    """The tier for these findings, `days` after treatment (None: not said)."""
    findings = _without_lone_cues([f for f in findings if f.effect in content.effects], content)
    own = [f for f in findings if f.status in REPORTED_STATUSES]
    others = [f for f in findings if f.status is Status.OTHER_PERSON]
    # Someone else's urgent sign is urgent too when the message is about them
    # alone: a parent writes for a treated child.
    urgent = _names(own, Kind.URGENT, content) or (
        () if own else _names(others, Kind.URGENT, content)
    )
    if urgent:
        return Decision(Tier.URGENT, urgent=urgent)
    expected = _names(own, Kind.EXPECTED, content)
    overdue = tuple(n for n in expected if days is not None and days > content.effects[n].days)
    undescribed = _names(own, Kind.REVIEW, content)
    if expected and not (overdue or undescribed):
        return Decision(Tier.EXPECTED, expected=expected)
    if own:
        return Decision(Tier.REVIEW, expected, overdue=overdue, undescribed=undescribed)
    if any(f.status in (Status.HYPOTHETICAL, Status.OTHER_PERSON) for f in findings):
        return Decision(Tier.QUESTION)
    return Decision(Tier.REVIEW)


def days_since_treatment(text: str, now: datetime) -> int | None:
    """Days since the treatment as the text says them ("yesterday", "2 weeks later"), if it does.

    Read by clinic_nlp/treatment_time.py in the clinic's zone (`now` is its aware
    clock). When the text gives several times, the longest counts: an effect is
    reviewed rather than called expected when in doubt.
    """
    return _days(text, now, read_treatment_time(text, now).time)


def _days(text: str, now: datetime, treated: TreatmentTime | None) -> int | None:
    dated = None if treated is None else treated.days_ago(now)
    return max((d for d in (dated, elapsed_days(text, now)) if d is not None), default=None)


def triage(
    text: str,
    findings: Iterable[Finding],
    now: datetime,
    content: TriageContent,
    remembered: TreatmentTime | None = None,
) -> Decision:
    """The decision for a message, with the days since treatment from its text or, when it
    gives none, from the treatment time remembered in the conversation."""
    return _triage(text, read_treatment_time(text, now).time, findings, now, content, remembered)


def _triage(
    text: str,
    treated: TreatmentTime | None,
    findings: Iterable[Finding],
    now: datetime,
    content: TriageContent,
    remembered: TreatmentTime | None,
) -> Decision:
    days = _days(text, now, treated)
    if days is None and remembered is not None:
        days = remembered.days_ago(now)
    return decide(findings, days, content)


def responses_for(
    decision: Decision, latest_message: dict[str, Any], content: TriageContent
) -> list[str]:
    """What the bot says for a decision; an urgent one is said by the hand-off that follows."""
    if decision.tier is Tier.EXPECTED:
        effects = [content.effects[name].response for name in decision.expected]
        return [*effects, URGENT_SIGNS_RESPONSE, CONTACT_OFFER_RESPONSE]
    if decision.tier is Tier.REVIEW:
        why = REVIEW_OVERDUE_RESPONSE if decision.overdue else REVIEW_UNDESCRIBED_RESPONSE
        return [why, URGENT_SIGNS_RESPONSE, REVIEW_OFFER_RESPONSE]
    if decision.tier is Tier.QUESTION:
        return [selected_faq_response(latest_message) or content.question_fallback_response]
    return []


class ActionTriagePostTreatment(Action):
    """Decides the tier of a post-treatment message, says what it needs and sets `triage_tier`."""

    def name(self) -> str:
        return "action_triage_post_treatment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        content = get_triage()
        message = tracker.latest_message
        text = message.get("text") or ""
        zone = get_settings().clinic_zone
        now = datetime.now(zone)
        remembered = TreatmentTime.from_slot(tracker.get_slot(TREATMENT_TIME_SLOT), zone)
        # Read once: the decision and the remembered slot use the same reading.
        treated = read_treatment_time(text, now).time
        decision = _triage(text, treated, findings_in(message), now, content, remembered)
        for response in responses_for(decision, message, content):
            dispatcher.utter_message(response=response)
        events: list[EventType] = [SlotSet(TIER_SLOT, decision.tier.value)]
        if treated is not None:
            # Remembered for later questions ("and can I wear makeup now?").
            events.append(SlotSet(TREATMENT_TIME_SLOT, treated.to_slot()))
        return events


def _without_lone_cues(findings: list[Finding], content: TriageContent) -> list[Finding]:
    """The findings, less signs that only say how an effect is going ("more and more",
    "won't stop") when no effect of the person's own or someone else's goes with them."""
    cue = {f.effect for f in findings if content.effects[f.effect].only_with_an_effect}
    described = [f for f in findings if f.effect not in cue]
    if any(f.status in REPORTED_STATUSES or f.status is Status.OTHER_PERSON for f in described):
        return findings
    return described


def _names(findings: Iterable[Finding], kind: Kind, content: TriageContent) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(f.effect for f in findings if content.effects[f.effect].kind is kind)
    )
