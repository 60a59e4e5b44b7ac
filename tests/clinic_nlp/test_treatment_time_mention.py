"""The treatment-time mention entity and the reply override, on Message objects."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.treatment_time_mention import (
    TreatmentTimeMentionExtractor,
    TreatmentTimeReplyOverride,
)


@pytest.fixture(scope="module")
def pipeline():
    """The two components in config.yml's order."""
    return [
        TreatmentTimeMentionExtractor(),
        TreatmentTimeReplyOverride(TreatmentTimeReplyOverride.get_default_config()),
    ]


def parsed(pipeline, text: str, intent: str = "faq") -> Message:
    message = Message.build(text=text)
    message.set("intent", {"name": intent, "confidence": 0.8})
    for component in pipeline:
        component.process([message])
    return message


def mentions(message: Message) -> list[tuple[str, str]]:
    text = message.get("text")
    return [
        (e["value"], text[e["start"] : e["end"]])
        for e in message.get("entities") or []
        if e["entity"] == "treatment_time_mention"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I had it done 3 days ago, can I wear makeup now?", [("time", "3 days ago")]),
        ("my session was on Monday, can I swim?", [("time", "on Monday")]),
        ("kal karwaya tha, makeup?", [("time", "kal")]),
        ("I had it done, can I wear makeup?", [("own_treatment", "had it done")]),
        ("can I wear makeup after microneedling?", []),
        ("how long does the redness last?", []),
        ("which one is better, and do I need to come back?", []),
    ],
)
def test_the_entity_marks_the_time_or_the_own_treatment_once(pipeline, text, expected):
    message = parsed(pipeline, text)
    assert mentions(message) == expected
    assert message.get("intent")["name"] == "faq"  # a question stays a question


@pytest.mark.parametrize("text", ["3 days ago", "it was last friday", "teen din pehle"])
def test_a_reply_that_only_says_when_becomes_tell_treatment_time(pipeline, text):
    message = parsed(pipeline, text, intent="nlu_fallback")
    assert message.get("intent")["name"] == "tell_treatment_time"
    assert message.get("classified_intent")["name"] == "nlu_fallback"


def test_a_request_for_a_human_keeps_its_intent(pipeline):
    message = parsed(pipeline, "yesterday", intent="request_human")
    assert message.get("intent")["name"] == "request_human"
