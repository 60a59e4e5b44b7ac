"""FAQ answers outside the FAQ rule: lets a form answer a question asked mid-way."""

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
    selected = (latest_message.get("response_selector") or {}).get(FAQ_RETRIEVAL_INTENT) or {}
    key = (selected.get("response") or {}).get("intent_response_key")
    return f"utter_{key}" if key else None
