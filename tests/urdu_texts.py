"""The Urdu translations of the bot's responses, as the end-to-end tests read them."""

from functools import cache

from rasa_extensions.translated_responses import Responses, load_translations


@cache
def urdu_responses() -> Responses:
    return load_translations()


def urdu_text(name: str, **values: str) -> str:
    """The Urdu text of a response, with its {placeholders} filled in."""
    return urdu_responses()[name][0]["text"].format(**values)


def is_urdu_response(text: str) -> bool:
    """The text is one of the Urdu translations (one without placeholders)."""
    return any(v["text"] == text for variations in urdu_responses().values() for v in variations)
