"""ConfidentFaqOverride: an unsure intent gives way to a confident FAQ topic, on Message objects."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.faq_intent import ConfidentFaqOverride


def parsed(intent: str, confidence: float, topic_confidence: float, entities=()) -> Message:
    message = Message.build(text="anything i need to do before coming in")
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set(
        "response_selector",
        {
            "faq": {
                "response": {
                    "intent_response_key": "faq/preparation",
                    "confidence": topic_confidence,
                }
            }
        },
    )
    message.set("entities", list(entities))
    ConfidentFaqOverride(ConfidentFaqOverride.get_default_config()).process([message])
    return message


def test_an_unsure_intent_becomes_the_confident_faq_topic():
    message = parsed("book_consultation", 0.53, 0.97)
    assert message.get("intent") == {
        "name": "faq",
        "confidence": 0.97,
        "full_retrieval_intent_name": "faq/preparation",
    }
    assert message.get("classified_intent")["name"] == "book_consultation"


@pytest.mark.parametrize(
    ("intent", "confidence", "topic_confidence"),
    [
        ("book_consultation", 0.8, 0.97),  # the classifier is sure enough
        ("start_screening", 0.5, 0.6),  # the FAQ topic is not
        ("request_human", 0.45, 0.99),  # hand-offs and answers to an offer keep theirs
        ("affirm", 0.5, 0.99),
        ("deny", 0.5, 0.99),
    ],
)
def test_other_messages_keep_their_intent(intent, confidence, topic_confidence):
    assert parsed(intent, confidence, topic_confidence).get("intent")["name"] == intent


def test_a_report_naming_an_effect_stays_a_report():
    effect = {"entity": "treatment_effect", "value": "redness", "role": "positive"}
    assert parsed("post_treatment_concern", 0.55, 0.95, [effect]).get("intent")["name"] == (
        "post_treatment_concern"
    )
    assert parsed("post_treatment_concern", 0.55, 0.95).get("intent")["name"] == "faq"
