"""Fitting the bot's responses to a messaging service: length limits, options as text."""

import re
from typing import Any

# Where a long text may be cut, best first: between paragraphs, lines, sentences, words.
_BREAKS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?])\s"),
    re.compile(r"\s"),
)
ELLIPSIS = "…"

Button = dict[str, Any]


def split_text(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` characters, without leading or trailing whitespace.

    Each part ends at the last paragraph break that fits, else the last line break,
    sentence end or space; only a word longer than `limit` is cut where it must be.
    """
    parts = []
    text = text.strip()
    while len(text) > limit:
        cut = _cut_position(text, limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _cut_position(text: str, limit: int) -> int:
    # One character more than the limit, so a break right after a full part counts.
    window = text[: limit + 1]
    for pattern in _BREAKS:
        cuts = [match.start() for match in pattern.finditer(window) if match.start() > 0]
        if cuts:
            return cuts[-1]
    return limit


def split_ending(text: str, limit: int) -> tuple[str, str]:
    """`text` as (beginning, ending), the ending at most `limit` characters.

    The ending is the last paragraph, else the last line or sentence, that fits
    (usually the question a message ends with); else the last part `split_text` gives.
    """
    text = text.strip()
    if len(text) <= limit:
        return "", text
    for pattern in _BREAKS[:-1]:
        starts = [match.end() for match in pattern.finditer(text)]
        if starts and len(text) - starts[-1] <= limit:
            return text[: starts[-1]].rstrip(), text[starts[-1] :]
    ending = split_text(text, limit)[-1]
    return text[: len(text) - len(ending)].rstrip(), ending


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis if anything was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def button_title(button: Button) -> str:
    """What the person sees for a button (the payload if a response gave no title)."""
    return str(button.get("title") or button.get("payload") or "").strip()


def button_payload(button: Button) -> str:
    """What the bot receives when the button is chosen (the title if there is no payload)."""
    return str(button.get("payload") or button.get("title") or "").strip()


def numbered_options(buttons: list[Button]) -> str:
    """The buttons as lines "1. Yes", "2. No", ... for channels without buttons."""
    return "\n".join(
        f"{number}. {button_title(button)}" for number, button in enumerate(buttons, 1)
    )


def with_numbered_options(text: str, buttons: list[Button]) -> str:
    """The message text followed by its options as a numbered list."""
    return f"{text.strip()}\n\n{numbered_options(buttons)}".strip()
