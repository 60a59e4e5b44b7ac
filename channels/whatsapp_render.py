"""Graph API message bodies for the bot's responses, within WhatsApp's limits.

Limits from https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
and .../interactive-list-messages.
"""

from typing import Any

from channels.messages import (
    Button,
    button_payload,
    button_title,
    split_ending,
    split_text,
    truncate,
    with_numbered_options,
)

TEXT_LIMIT = 4096
BODY_LIMIT = 1024  # body text of an interactive message
MAX_REPLY_BUTTONS = 3
REPLY_TITLE_LIMIT = 20
REPLY_ID_LIMIT = 256
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200
LIST_BUTTON_LIMIT = 20

GraphMessage = dict[str, Any]


def _message(to: str, kind: str, content: dict[str, Any]) -> GraphMessage:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: content,
    }


def text_messages(to: str, text: str) -> list[GraphMessage]:
    """Text in as many messages as its length needs, cut between paragraphs or sentences."""
    return [_message(to, "text", {"body": part}) for part in split_text(text, TEXT_LIMIT)]


def button_messages(
    to: str, text: str, buttons: list[Button], list_button: str
) -> list[GraphMessage]:
    """Text with options: reply buttons (up to 3), a list (up to 10) or else numbered text.

    An interactive body holds only 1,024 characters, so a longer text goes first as
    text and its last paragraph or sentence (usually the question) carries the options.
    """
    if len(buttons) <= MAX_REPLY_BUTTONS:
        action = _reply_buttons(buttons)
    elif len(buttons) <= MAX_LIST_ROWS:
        action = _list(buttons, list_button)
    else:
        action = None
    before, body = split_ending(text, BODY_LIMIT)
    if action is None or not body:
        return text_messages(to, with_numbered_options(text, buttons))
    return [
        *text_messages(to, before),
        _message(to, "interactive", {**action, "body": {"text": body}}),
    ]


def _reply_buttons(buttons: list[Button]) -> dict[str, Any] | None:
    ids = [button_payload(button) for button in buttons]
    titles = [truncate(button_title(button), REPLY_TITLE_LIMIT) for button in buttons]
    if not (_usable(ids, REPLY_ID_LIMIT) and _usable(titles, REPLY_TITLE_LIMIT)):
        return None
    replies = [
        {"type": "reply", "reply": {"id": i, "title": t}} for i, t in zip(ids, titles, strict=True)
    ]
    return {"type": "button", "action": {"buttons": replies}}


def _list(buttons: list[Button], list_button: str) -> dict[str, Any] | None:
    rows = []
    for button in buttons:
        title = button_title(button)
        row = {"id": button_payload(button), "title": truncate(title, ROW_TITLE_LIMIT)}
        if len(title) > ROW_TITLE_LIMIT:  # the description shows more of a long title
            row["description"] = truncate(title, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    if not _usable([row["id"] for row in rows], ROW_ID_LIMIT):
        return None
    label = truncate(list_button, LIST_BUTTON_LIMIT)
    return {"type": "list", "action": {"button": label, "sections": [{"rows": rows}]}}


def _usable(values: list[str], limit: int) -> bool:
    """WhatsApp refuses empty, over-long or repeated ids and titles; a payload cannot be cut."""
    return all(0 < len(value) <= limit for value in values) and len(set(values)) == len(values)
