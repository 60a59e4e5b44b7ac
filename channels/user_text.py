"""What every channel does to a person's message before the bot reads it.

Messages are cut to MAX_MESSAGE_CHARS (a question about the treatment fits in
far less; a 10,000-character paste would only slow the bot down), and an empty
or whitespace-only message becomes the `empty_message` intent, which the bot
answers by asking what the person would like to know.
"""

MAX_MESSAGE_CHARS = 1000
EMPTY_MESSAGE = "/empty_message"


def clean_user_text(text: object) -> str:
    """The message as the bot should read it."""
    if not isinstance(text, str) or not text.strip():
        return EMPTY_MESSAGE
    return text.strip()[:MAX_MESSAGE_CHARS]
