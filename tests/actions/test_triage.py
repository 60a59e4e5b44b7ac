"""Post-treatment triage: the tier of each message, and what the bot says for it."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import reasons_for_request
from actions.triage import (
    ActionTriagePostTreatment,
    Decision,
    Finding,
    Tier,
    days_since_treatment,
    decide,
    findings_in,
    responses_for,
    triage,
)
from clinic_nlp.mentions import MentionDetector, Status, get_triage_detector
from clinic_nlp.treatment_time import TreatmentTime
from clinic_nlp.triage_content import Kind, get_triage
from clinic_store.handoffs import priority_for
from tests.actions.trackers import domain_dict, make_tracker, slot_events

DATA = Path(__file__).resolve().parents[1] / "data"
# English, and Roman Urdu / Urdu script.
TABLES = {"english": "triage_statements.yml", "urdu": "urdu_triage_statements.yml"}
TABLE_ROWS: dict[str, list[dict[str, Any]]] = {
    name: yaml.safe_load((DATA / file).read_text(encoding="utf-8"))["statements"]
    for name, file in TABLES.items()
}
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=ZoneInfo("Asia/Karachi"))
CONTENT = get_triage()
EFFECTS = sorted(CONTENT.effects)
OF_KIND = {kind: [n for n, e in CONTENT.effects.items() if e.kind is kind] for kind in Kind}


@pytest.fixture(scope="module")
def detector() -> MentionDetector:
    return get_triage_detector()


def decision_for(detector: MentionDetector, text: str) -> Decision:
    findings = [Finding(m.code, m.status) for m in detector.detect(text)]
    return triage(text, findings, NOW, CONTENT)


@pytest.mark.parametrize(("table", "least"), [("english", 60), ("urdu", 30)])
def test_table_covers_every_tier(table: str, least: int):
    rows = TABLE_ROWS[table]
    assert len(rows) >= least
    assert {row["tier"] for row in rows} == {tier.value for tier in Tier}
    for row in rows:
        assert set(row) <= {"text", "tier", "effects", "days"}, row
        assert set(row.get("effects", [])) <= set(EFFECTS), row


ALL_ROWS = [row for rows in TABLE_ROWS.values() for row in rows]


@pytest.mark.parametrize("row", ALL_ROWS, ids=[row["text"][:50] for row in ALL_ROWS])
def test_statement(detector: MentionDetector, row: dict[str, Any]):
    decision = decision_for(detector, row["text"])
    found = [(m.code, m.text, m.status.value) for m in detector.detect(row["text"])]
    assert decision.tier.value == row["tier"], found
    if "effects" in row:
        decided = {
            Tier.EXPECTED: decision.expected,
            Tier.URGENT: decision.urgent,
            Tier.REVIEW: decision.overdue,
        }[decision.tier]
        assert set(decided) == set(row["effects"]), found
    if "days" in row:
        assert days_since_treatment(row["text"], NOW) == row["days"]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("I had it yesterday", 1),
        ("3 days after microneedling", 3),
        ("10 days ago", 10),
        ("it has been two weeks", 14),
        ("had it done last week", 7),
        ("a few days ago", 3),
        ("had it this morning", 0),
        ("this morning", None),  # no word of the past: not the treatment's time
        ("it may be infected", None),  # "may" is not the month
        ("my face is red", None),
        ("5 days ago, or was it 2 days ago", 5),  # the longer counts
        # Roman Urdu and Urdu script
        ("do hafte ho gaye", 14),
        ("تین ہفتے ہو گئے ہیں", 21),
        ("نو دن پہلے", 9),
        ("parson karwaya tha", 2),
        ("پرسوں کروایا تھا", 2),
        ("کل علاج ہوا تھا", 1),
        ("کل کروانا ہے", None),  # tomorrow: still to come
        # half units, rounded down
        ("it's been a week and a half", 10),
        ("a week and a half after the treatment", 10),
        ("dedh hafta ho gaya", 10),
        ("ڈیڑھ مہینہ ہو گیا", 45),
    ],
)
def test_days_since_treatment(text: str, days: int | None):
    assert days_since_treatment(text, NOW) == days


def test_an_expected_effect_within_its_days_is_expected_and_one_day_more_is_review():
    redness = CONTENT.effects["redness"].days
    assert redness == 7
    finding = [Finding("redness", Status.POSITIVE)]
    assert decide(finding, redness, CONTENT).tier is Tier.EXPECTED
    assert decide(finding, redness + 1, CONTENT) == Decision(
        Tier.REVIEW, expected=("redness",), overdue=("redness",)
    )
    assert decide(finding, None, CONTENT).tier is Tier.EXPECTED


def test_a_report_with_nothing_recognised_is_reviewed_never_expected():
    assert decide([], None, CONTENT).tier is Tier.REVIEW
    assert decide([Finding("infection", Status.NEGATED)], None, CONTENT).tier is Tier.REVIEW


def test_effects_not_in_the_content_are_ignored():
    assert decide([Finding("unknown_effect", Status.POSITIVE)], 1, CONTENT).tier is Tier.REVIEW


def test_expected_responses_name_each_effect_then_the_urgent_signs_and_the_contact_offer():
    decision = Decision(Tier.EXPECTED, expected=("redness", "swelling"))
    assert responses_for(decision, {}, CONTENT) == [
        "utter_triage_expected_redness",
        "utter_triage_expected_swelling",
        "utter_triage_urgent_signs",
        "utter_triage_offer_contact",
    ]


def test_review_responses_say_why_and_offer_a_review():
    overdue = Decision(Tier.REVIEW, expected=("redness",), overdue=("redness",))
    assert responses_for(overdue, {}, CONTENT) == [
        "utter_triage_review_overdue",
        "utter_triage_urgent_signs",
        "utter_triage_offer_review",
    ]
    assert responses_for(Decision(Tier.REVIEW), {}, CONTENT)[0] == "utter_triage_review_undescribed"


def selected(topic: str, confidence: float) -> dict:
    """A parsed message whose response selector chose `faq/<topic>`."""
    response = {"intent_response_key": f"faq/{topic}", "confidence": confidence}
    return {"response_selector": {"faq": {"response": response}}}


def test_a_question_gets_the_selected_faq_answer_or_the_side_effects_answer():
    question = Decision(Tier.QUESTION)
    assert responses_for(question, selected("aftercare", 0.8), CONTENT) == ["utter_faq/aftercare"]
    assert responses_for(question, selected("aftercare", 0.2), CONTENT) == [
        "utter_faq/side_effects"
    ]


def test_an_urgent_decision_says_nothing_itself_the_hand_off_does():
    assert responses_for(Decision(Tier.URGENT, urgent=("infection",)), {}, CONTENT) == []


def effect(name: str, role: str) -> dict:
    return {"entity": "treatment_effect", "value": name, "role": role, "start": 0, "end": 1}


def test_findings_come_from_the_treatment_effect_entities_only():
    message = {
        "entities": [
            effect("redness", "positive"),
            {"entity": "contraindication", "value": "herpes", "role": "positive"},
            effect("infection", "negated"),
        ]
    }
    assert findings_in(message) == [
        Finding("redness", Status.POSITIVE),
        Finding("infection", Status.NEGATED),
    ]


async def test_the_action_says_the_expected_answer_and_sets_the_tier():
    tracker = make_tracker(
        "my face is red since yesterday",
        intent="post_treatment_concern",
        entities=[effect("redness", "positive")],
    )
    dispatcher = CollectingDispatcher()
    events = await ActionTriagePostTreatment().run(dispatcher, tracker, domain_dict())
    slots = slot_events(events)
    assert slots["triage_tier"] == "expected"
    # "since yesterday" is remembered for later questions, as the clinic's day before today.
    zone = ZoneInfo("Asia/Karachi")
    treated = TreatmentTime.from_slot(slots["treatment_time"], zone)
    assert treated is not None and treated.days_ago(datetime.now(zone)) == 1
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_triage_expected_redness",
        "utter_triage_urgent_signs",
        "utter_triage_offer_contact",
    ]


async def test_a_remembered_treatment_time_makes_redness_past_its_week_a_review():
    zone = ZoneInfo("Asia/Karachi")
    midnight = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight - timedelta(days=10)
    remembered = TreatmentTime(start, start + timedelta(days=1)).to_slot()
    tracker = make_tracker(
        "my face is still red",
        intent="post_treatment_concern",
        entities=[effect("redness", "positive")],
        slots={"treatment_time": remembered},
    )
    dispatcher = CollectingDispatcher()
    events = await ActionTriagePostTreatment().run(dispatcher, tracker, domain_dict())
    assert slot_events(events) == {"triage_tier": "review"}
    assert dispatcher.messages[0]["response"] == "utter_triage_review_overdue"
    # The same report with nothing remembered is an expected effect.
    fresh = make_tracker(
        "my face is still red",
        intent="post_treatment_concern",
        entities=[effect("redness", "positive")],
    )
    events = await ActionTriagePostTreatment().run(CollectingDispatcher(), fresh, domain_dict())
    assert slot_events(events) == {"triage_tier": "expected"}


async def test_the_action_leaves_an_urgent_report_to_the_hand_off():
    tracker = make_tracker(
        "pus since the treatment",
        intent="post_treatment_concern",
        entities=[effect("infection", "positive"), effect("redness", "positive")],
    )
    dispatcher = CollectingDispatcher()
    events = await ActionTriagePostTreatment().run(dispatcher, tracker, domain_dict())
    assert slot_events(events) == {"triage_tier": "urgent"}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("offer", "intent"),
    [
        ("utter_triage_offer_review", "request_human"),
        ("utter_triage_offer_review", "affirm"),
        ("utter_triage_offer_contact", "request_human"),  # after an expected effect
    ],
)
def test_accepting_staff_contact_after_triage_is_a_normal_priority_review(offer, intent):
    offered = [{"event": "bot", "text": "...", "metadata": {"utter_action": offer}}]
    tracker = make_tracker("yes", intent=intent, earlier_events=offered)
    reasons, response = reasons_for_request(tracker)
    assert (reasons, response) == (["post_treatment_review"], "utter_handoff_post_treatment_review")
    assert priority_for(reasons) == "normal"


# --- properties ----------------------------------------------------------------------

FINDINGS = st.lists(
    st.builds(Finding, st.sampled_from(EFFECTS), st.sampled_from(list(Status))), max_size=6
)
DAYS = st.one_of(st.none(), st.integers(min_value=0, max_value=400))
URGENT_SIGN = st.builds(
    Finding,
    # A sign that only says how an effect is going counts beside an effect (tested below).
    st.sampled_from(
        [n for n in OF_KIND[Kind.URGENT] if not CONTENT.effects[n].only_with_an_effect]
    ),
    st.sampled_from([Status.POSITIVE, Status.UNCERTAIN]),
)
ORDER = [Tier.QUESTION, Tier.EXPECTED, Tier.REVIEW, Tier.URGENT]
PROPERTIES = settings(max_examples=300, deadline=None)


@PROPERTIES
@given(FINDINGS, DAYS)
def test_the_decision_is_one_of_the_tiers_and_names_only_known_effects(findings, days):
    decision = decide(findings, days, CONTENT)
    assert decision.tier in Tier
    named = {*decision.expected, *decision.urgent, *decision.overdue, *decision.undescribed}
    assert named <= {f.effect for f in findings}


@PROPERTIES
@given(FINDINGS, DAYS, URGENT_SIGN, st.integers(min_value=0, max_value=6))
def test_adding_an_urgent_sign_never_lowers_the_tier_it_makes_it_urgent(
    findings, days, sign, where
):
    before = decide(findings, days, CONTENT).tier
    after = decide([*findings[:where], sign, *findings[where:]], days, CONTENT).tier
    assert after is Tier.URGENT and ORDER.index(after) >= ORDER.index(before)


@PROPERTIES
@given(FINDINGS, DAYS)
def test_only_asked_about_denied_or_past_effects_are_never_urgent(findings, days):
    not_reported = [
        Finding(f.effect, s)
        for f in findings
        for s in (Status.HYPOTHETICAL, Status.NEGATED, Status.HISTORICAL)
        if f.status is s or s is Status.HYPOTHETICAL
    ]
    assert decide(not_reported, days, CONTENT).tier is not Tier.URGENT


@PROPERTIES
@given(FINDINGS, DAYS)
def test_someone_elses_effects_are_never_expected_and_urgent_only_for_an_urgent_sign(
    findings, days
):
    # A parent writing for a treated child: their urgent sign is urgent, the rest reviewed.
    theirs = [Finding(f.effect, Status.OTHER_PERSON) for f in findings]
    tier = decide(theirs, days, CONTENT).tier
    signs = {f.effect for f in theirs} & set(OF_KIND[Kind.URGENT])
    # Cues of how an effect is going ("worse", "not going away") describe nothing alone.
    described = {f.effect for f in theirs if not CONTENT.effects[f.effect].only_with_an_effect}
    described -= signs
    urgent = any(not CONTENT.effects[s].only_with_an_effect for s in signs) or (
        bool(signs) and bool(described)
    )
    assert tier in ((Tier.URGENT,) if urgent else (Tier.QUESTION, Tier.REVIEW))


@PROPERTIES
@given(
    st.sampled_from(OF_KIND[Kind.EXPECTED]), st.sampled_from([Status.POSITIVE, Status.UNCERTAIN])
)
def test_a_sign_of_how_an_effect_is_going_makes_an_effect_urgent_and_alone_says_nothing(
    effect, status
):
    cue = Finding("getting_worse", status)
    assert decide([Finding(effect, status), cue], 1, CONTENT).tier is Tier.URGENT
    assert decide([cue], 1, CONTENT).tier is Tier.REVIEW  # nothing recognised: reviewed


@PROPERTIES
@given(FINDINGS, DAYS)
def test_expected_is_only_ever_said_of_documented_effects_within_their_days(findings, days):
    decision = decide(findings, days, CONTENT)
    if decision.tier is Tier.EXPECTED:
        assert decision.expected
        for name in decision.expected:
            assert CONTENT.effects[name].kind is Kind.EXPECTED
            assert days is None or days <= CONTENT.effects[name].days


@PROPERTIES
@given(FINDINGS, st.integers(min_value=0, max_value=60))
def test_more_days_never_make_a_report_less_cautious(findings, days):
    sooner = decide(findings, days, CONTENT).tier
    later = decide(findings, days + 1, CONTENT).tier
    assert ORDER.index(later) >= ORDER.index(sooner)


WORDS = sorted(
    {p for code in CONTENT.vocabulary.codes for p in code.phrases}
    | {"I", "my", "no", "not", "could", "what if", "sister", "yesterday", "days ago", "?", "."}
)
TEXTS = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=20).map(" ".join),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(TEXTS)
def test_any_text_is_triaged_without_error(detector: MentionDetector, text: str):
    decision = decision_for(detector, text)
    assert decision.tier in Tier
    days = days_since_treatment(text, NOW)
    assert days is None or days >= 0


def test_a_time_with_a_zone_is_read_against_the_clinics_clock():
    # Found by the property test: dateparser returns "00Z" zone-aware.
    days = days_since_treatment("00Z", NOW)
    assert days is None or days >= 0
