"""FAQ answers outside the FAQ rule: lets a form, or the triage, answer a question asked mid-way."""

from typing import Any

FAQ_RETRIEVAL_INTENT = "faq"
MIN_FAQ_CONFIDENCE = 0.5


def faq_response_name(latest_message: dict[str, Any]) -> str | None:
    """The `utter_faq/<topic>` response for a message that was a confident FAQ question."""
    intent = latest_message.get("intent") or {}
    if (
        intent.get("name") != FAQ_RETRIEVAL_INTENT
        or intent.get("confidence", 0) < MIN_FAQ_CONFIDENCE
    ):
        return None
    return selected_faq_response(latest_message, min_confidence=0)


def selected_faq_response(
    latest_message: dict[str, Any], min_confidence: float = MIN_FAQ_CONFIDENCE
) -> str | None:
    """The response selector's `utter_faq/<topic>`, whatever the intent, if confident enough.

    The selector runs on every message, so a question classified as another
    intent (a question about effects after treatment) still has its FAQ topic.
    """
    selected = (latest_message.get("response_selector") or {}).get(FAQ_RETRIEVAL_INTENT) or {}
    response = selected.get("response") or {}
    key = response.get("intent_response_key")
    if not key or response.get("confidence", 1.0) < min_confidence:
        return None
    return f"utter_{key}"
