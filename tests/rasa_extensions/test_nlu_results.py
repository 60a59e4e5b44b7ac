"""Short messages are parsed once per text and model; what callers get is always a fresh copy."""

from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from rasa_extensions import nlu_results


class CountingParse:
    """Stands in for Rasa's NLU graph: a new parse per call, counted per text."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, processor, message, tracker, only_output_properties=True) -> dict[str, Any]:
        self.calls.append(message.text)
        return {"text": message.text, "intent": {"name": "deny", "confidence": 0.97}}


@pytest.fixture
def graph(monkeypatch) -> CountingParse:
    counting = CountingParse()
    monkeypatch.setattr(nlu_results, "_rasa_parse", counting)
    return counting


def new_processor() -> MessageProcessor:
    return object.__new__(MessageProcessor)  # the graph is faked: nothing else is read


def parse(processor: MessageProcessor, text: str, only_output_properties: bool = True) -> dict:
    message = UserMessage(text, sender_id="sam")
    return nlu_results._parse_message_with_graph(processor, message, None, only_output_properties)


def test_a_short_reply_is_parsed_once_and_each_caller_gets_its_own_copy(graph):
    processor = new_processor()
    first = parse(processor, "No")
    first["intent"]["full_retrieval_intent_name"] = "changed by a caller"
    second = parse(processor, "No")
    assert second == {"text": "No", "intent": {"name": "deny", "confidence": 0.97}}
    assert graph.calls == ["No"]


def test_long_messages_and_full_parses_are_never_kept(graph):
    processor = new_processor()
    question = "is it safe to have microneedling while breastfeeding?"
    assert len(question) > nlu_results.KEPT_MAX_CHARS
    for _ in range(2):
        parse(processor, question)
        parse(processor, "No", only_output_properties=False)
    assert graph.calls == [question, "No"] * 2


def test_each_loaded_model_parses_for_itself(graph):
    parse(new_processor(), "Yes")
    parse(new_processor(), "Yes")
    assert graph.calls == ["Yes", "Yes"]


def test_the_oldest_text_is_forgotten_beyond_the_limit(graph, monkeypatch):
    monkeypatch.setattr(nlu_results, "KEPT_TEXTS", 3)
    processor = new_processor()
    for text in ["a", "b", "a", "c", "d", "a", "b"]:
        parse(processor, text)
    # "a" was used again before "c" and "d" came, so "b" was the one forgotten.
    assert graph.calls == ["a", "b", "c", "d", "b"]
