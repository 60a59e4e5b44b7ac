"""What every channel does to a person's message before the bot reads it.

Messages are cut to MAX_MESSAGE_CHARS (a question about the treatment fits in
far less; a 10,000-character paste would only slow the bot down), and an empty
or whitespace-only message becomes the `empty_message` intent, which the bot
answers by asking what the person would like to know. Characters that are not
text are dropped: control characters other than line breaks and tabs
(PostgreSQL refuses NUL in text) and lone surrogates, which JSON can carry
(`"\\ud800"`) but UTF-8 cannot store. Everything else is kept as sent.
"""

import unicodedata

MAX_MESSAGE_CHARS = 1000
EMPTY_MESSAGE = "/empty_message"
# Unicode categories: Cc control characters, Cs surrogates.
_NOT_TEXT = frozenset({"Cc", "Cs"})
_KEPT_CONTROLS = frozenset("\n\r\t")


def _is_text(char: str) -> bool:
    return char in _KEPT_CONTROLS or unicodedata.category(char) not in _NOT_TEXT


def clean_user_text(text: object) -> str:
    """The message as the bot should read it."""
    if not isinstance(text, str):
        return EMPTY_MESSAGE
    text = "".join(filter(_is_text, text)).strip()
    return text[:MAX_MESSAGE_CHARS] if text else EMPTY_MESSAGE
