"""Runs a frozen blind set through the running bot and scores what a patient would get.

Each set (`round*.yml` beside this file) was written by someone who had seen only
the clinic's documents and the list of topics: never `data/`, the tests or the
answers. Every message starts a conversation of its own over the REST channel;
what the bot did is read back from the stored conversation as staff see it (the
export API): the responses it sent, the slots it set and the hand-offs stored.
"""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from actions.questionnaire import load_questionnaire
from tests.e2e.stored import exported_conversation, handoffs_of
from tests.servers import RunningBot

BLIND_DIR = Path(__file__).resolve().parent
ROUNDS = sorted(BLIND_DIR.glob("round*.yml"))
URDU_ROUNDS = sorted((BLIND_DIR / "urdu").glob("round*.yml"))
START_SCREENING = "/start_screening"
ASK_FOR_STAFF = "I'd like to talk to a member of staff please"
NAME_GIVEN = "Sam Taylor"
PHONE_GIVEN = "07700 900123"
URGENT_REASON = "post_treatment_concern"
TRIAGE_SLOT = "triage_tier"
REASONS_SLOT = "handoff_reasons"
# FAQ topics answered by a response of their own rather than `utter_faq/<topic>`
# (cost comes with the clinic's price notes: actions/clinic.py).
TOPIC_RESPONSES = {"utter_clinic_cost": "cost"}
# FAQ topics split off one that covered them when older rounds were written: there,
# the finer answer is right where the old topic is expected. "Who performs it"
# was part of safety up to English round 13 and Urdu round 4 (topics.md).
SPLIT_TOPICS = {"practitioner": ("safety", {"": 13, "urdu": 4})}
NOT_CONTRAINDICATIONS = frozenset(
    {URGENT_REASON, "post_treatment_review", "human_requested", "repeated_fallback"}
    | {"consultation_request"}
)


@dataclass
class Outcome:
    """What one message of a blind set got, and whether that was right."""

    text: str
    kind: str
    expected: Any
    got: Any
    right: bool
    category: str = ""


@dataclass
class RoundResult:
    """The scored outcomes of one blind set."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind in kinds]

    def count(self, kind: str, category: str) -> int:
        return sum(o.category == category for o in self.of_kind(kind))

    def accuracy(self, *kinds: str) -> tuple[int, int]:
        chosen = self.of_kind(*kinds)
        return sum(o.right for o in chosen), len(chosen)

    def categories(self, kind: str) -> Counter:
        return Counter(o.category for o in self.of_kind(kind))


def load_round(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def _topic_as_expected(topic: str, path: Path) -> str:
    """The topic an answer counts as in the round at `path` (see SPLIT_TOPICS)."""
    if topic not in SPLIT_TOPICS:
        return topic
    parent, last_rounds = SPLIT_TOPICS[topic]
    return parent if round_number(path) <= last_rounds.get(_series(path), 0) else topic


def _events(bot: RunningBot, sender: str) -> list[dict[str, Any]]:
    return exported_conversation(bot, sender)["events"]


def _responses(events: list[dict[str, Any]]) -> list[str]:
    """The responses the bot sent; a dated aftercare answer counts as its FAQ topic's."""
    return [
        _response(event.get("metadata") or {}) for event in events if event.get("event") == "bot"
    ]


def _response(metadata: dict[str, Any]) -> str:
    if metadata.get("faq_topic"):
        return f"utter_faq/{metadata['faq_topic']}"  # actions/dated_aftercare.py
    return metadata.get("utter_action", "")


def _slot_values(events: list[dict[str, Any]], slot: str) -> list[Any]:
    return [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == slot]


def _first_intent(events: list[dict[str, Any]]) -> str | None:
    for event in events:
        if event.get("event") == "user":
            return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return None


def _raised_reasons(events: list[dict[str, Any]]) -> set[str]:
    return {reason for value in _slot_values(events, REASONS_SLOT) for reason in value or []}


def _faq(bot: RunningBot, message: dict[str, Any], path: Path) -> Outcome:
    sender = _new_sender()
    bot.send(sender, message["text"])
    events = _events(bot, sender)
    topics = [
        TOPIC_RESPONSES.get(r) or r.removeprefix("utter_faq/")
        for r in _responses(events)
        if r.startswith("utter_faq/") or r in TOPIC_RESPONSES
    ]
    wanted = {message["expect"], *(message.get("also") or [])}
    right = bool(topics) and _topic_as_expected(topics[0], path) in wanted
    got = topics[0] if topics else ",".join(_responses(events)) or "(nothing)"
    return Outcome(message["text"], "faq", message["expect"], got, right)


def _intent(bot: RunningBot, message: dict[str, Any]) -> Outcome:
    """Clinic questions and small talk: the intent recognised, with a reply sent."""
    sender = _new_sender()
    replies = bot.send(sender, message["text"])
    intent = _first_intent(_events(bot, sender))
    right = intent == message["expect"] and bool(replies)
    return Outcome(message["text"], message["kind"], message["expect"], intent, right)


def _tier(events: list[dict[str, Any]]) -> str:
    if URGENT_REASON in _raised_reasons(events):
        return "urgent"
    tiers = [value for value in _slot_values(events, TRIAGE_SLOT) if value]
    if tiers:
        return tiers[-1]
    responses = _responses(events)
    return "question" if any(r.startswith("utter_faq/") for r in responses) else "none"


def _report(bot: RunningBot, message: dict[str, Any]) -> Outcome:
    sender = _new_sender()
    bot.send(sender, message["text"])
    tier, expected = _tier(_events(bot, sender)), message["expect"]
    if expected == "urgent":
        category = "urgent caught" if tier == "urgent" else "URGENT MISSED"
    elif tier == "urgent":
        category = "expected called urgent" if expected == "expected" else "review called urgent"
    elif expected == "review" and tier in ("expected", "question", "none"):
        category = "review called expected"
    else:
        category = "right" if tier == expected else f"{expected} got {tier}"
    right = tier == expected or (expected == "expected" and tier == "question")
    return Outcome(message["text"], "report", expected, tier, right, category)


def _disclosure(bot: RunningBot, message: dict[str, Any]) -> Outcome:
    sender = _new_sender()
    bot.send(sender, message["text"])
    raised = _raised_reasons(_events(bot, sender)) - NOT_CONTRAINDICATIONS
    expected = set(message["expect"])
    if expected - raised:
        category = "FLAG MISSED"
    elif not expected and raised:
        category = "flagged though not the person's"
    elif raised - expected:
        category = "extra code"
    else:
        category = "right"
    return Outcome(
        message["text"],
        "disclosure",
        sorted(expected),
        sorted(raised),
        category == "right",
        category,
    )


def _stored_handoff(bot: RunningBot, sender: str) -> dict[str, Any] | None:
    handoffs = handoffs_of(bot, sender)
    return handoffs[0] if handoffs else None


def _give_until_stored(bot: RunningBot, sender: str, text: str) -> dict[str, Any] | None:
    """Send `text`, and once more if the bot asked again: it must then move on."""
    for _ in range(2):
        bot.send(sender, text)
        if handoff := _stored_handoff(bot, sender):
            return handoff
    return _stored_handoff(bot, sender)


def _same_phone(stored: str | None, expected: str | None) -> bool:
    if not expected:
        return not stored
    try:
        wanted = phonenumbers.format_number(
            phonenumbers.parse(expected), phonenumbers.PhoneNumberFormat.E164
        )
    except phonenumbers.NumberParseException:
        wanted = expected
    return stored == wanted


def _contact(bot: RunningBot, message: dict[str, Any]) -> Outcome:
    sender = _new_sender()
    bot.send(sender, ASK_FOR_STAFF)
    bot.send(sender, NAME_GIVEN)
    handoff = _give_until_stored(bot, sender, message["text"])
    expected = message["expect"] or {}
    contact = (handoff or {}).get("contact") or {}
    got = {k: v for k, v in (("phone", contact.get("phone")), ("email", contact.get("email"))) if v}
    right = (
        handoff is not None
        and _same_phone(contact.get("phone"), expected.get("phone"))
        and (contact.get("email") or "").lower() == (expected.get("email") or "").lower()
    )
    category = "right" if right else ("HAND-OFF LOST" if handoff is None else "wrong details")
    return Outcome(message["text"], "contact", expected, got, right, category)


def _name(bot: RunningBot, message: dict[str, Any]) -> Outcome:
    sender = _new_sender()
    bot.send(sender, ASK_FOR_STAFF)
    bot.send(sender, message["text"])
    handoff = _give_until_stored(bot, sender, PHONE_GIVEN)
    got = ((handoff or {}).get("contact") or {}).get("name")
    right = " ".join(str(got or "").split()).casefold() == message["expect"].casefold()
    category = "right" if right else ("HAND-OFF LOST" if handoff is None else "wrong name")
    return Outcome(message["text"], "name", message["expect"], got, right, category)


def _answer(bot: RunningBot, message: dict[str, Any]) -> Outcome:
    """An answer to the questionnaire's first yes/no question, as the form read it."""
    sender = _new_sender()
    bot.send(sender, START_SCREENING)
    bot.send(sender, message["text"])
    first_slot = load_questionnaire().items[0].slot
    values = [value for value in _slot_values(_events(bot, sender), first_slot) if value]
    got = values[-1] if values else "asked again"
    return Outcome(message["text"], "answer", message["expect"], got, got == message["expect"])


# FAQ questions are scored by _faq, which also needs the round (SPLIT_TOPICS).
SCORERS = {
    "answer": _answer,
    "clinic": _intent,
    "report": _report,
    "disclosure": _disclosure,
    "contact": _contact,
    "name": _name,
    "other": _intent,
}


def _new_sender() -> str:
    return f"blind-{uuid.uuid4().hex[:12]}"


def evaluate_round(
    bot: RunningBot, path: Path, workers: int = 4, kinds: frozenset[str] | None = None
) -> RoundResult:
    """Every message of one blind set (or those of `kinds`), each in a conversation of its own."""
    messages = [m for m in load_round(path) if kinds is None or m["kind"] in kinds]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        scorers = {**SCORERS, "faq": partial(_faq, path=path)}
        outcomes = list(pool.map(lambda m: scorers[m["kind"]](bot, m), messages))
    return RoundResult(round_name(path), outcomes)


def _series(path: Path) -> str:
    """ "" for the English rounds beside this file, else the folder's name ("urdu")."""
    return "" if path.resolve().parent == BLIND_DIR else path.parent.name


def round_name(path: Path) -> str:
    """`round7`, or `urdu-round1` for a set in a folder of its own."""
    return f"{_series(path)}-{path.stem}" if _series(path) else path.stem


def round_number(path: Path) -> int:
    """7 for `round7.yml`."""
    return int(path.stem.removeprefix("round"))


def summary_rows(result: RoundResult) -> list[tuple[str, str]]:
    """The figures of one round, as (what, figure) rows for the README."""

    def ratio(right: int, total: int) -> str:
        return f"{right}/{total} ({100 * right / total:.1f} %)" if total else "-"

    reports, disclosures = result.categories("report"), result.categories("disclosure")
    urgent_total = sum(1 for o in result.of_kind("report") if o.expected == "urgent")
    return [
        ("FAQ questions answered with a right topic", ratio(*result.accuracy("faq"))),
        ("clinic-detail questions", ratio(*result.accuracy("clinic"))),
        ("urgent reports escalated as urgent", ratio(reports["urgent caught"], urgent_total)),
        ("expected effects escalated as urgent", str(reports["expected called urgent"])),
        ("review reports called expected (under-triage)", str(reports["review called expected"])),
        ("reports in exactly the expected tier", ratio(*result.accuracy("report"))),
        ("volunteered conditions: flags missed", str(disclosures["FLAG MISSED"])),
        (
            "negated / other person / general: flagged",
            str(disclosures["flagged though not the person's"]),
        ),
        ("volunteered conditions exactly right", ratio(*result.accuracy("disclosure"))),
        ("contact replies stored right", ratio(*result.accuracy("contact"))),
        ("names stored right", ratio(*result.accuracy("name"))),
        (
            "hand-offs lost (contact and name steps)",
            str(result.count("contact", "HAND-OFF LOST") + result.count("name", "HAND-OFF LOST")),
        ),
        ("greetings, requests for a human, out of scope", ratio(*result.accuracy("other"))),
        ("questionnaire answers read right", ratio(*result.accuracy("answer"))),
    ]


def markdown_report(result: RoundResult) -> str:
    """The figures and every miss of one round."""
    lines = [f"# Blind set {result.name}", "", "| what | figure |", "|---|---|"]
    lines += [f"| {what} | {figure} |" for what, figure in summary_rows(result)]
    lines += ["", "## Misses", ""]
    lines += [
        f"- [{o.kind}] {o.text!r}: expected {o.expected!r}, got {o.got!r} {o.category}".rstrip()
        for o in result.outcomes
        if not o.right
    ]
    return "\n".join(lines) + "\n"
