"""Rasa's REST channel, answering bad requests with a clear 4xx instead of a 500.

Rasa's own `rest` channel reads `request.json` without checks: invalid JSON, a
wrong content type or a missing sender end in a server error. This one checks
the request first and cleans the message text (see user_text.py). Same name,
URL and response format as Rasa's; configured in credentials.yml as `rest`.
Messages staff wrote in the console come back with the answer
(staff_messages.py), marked by `custom.author` "staff" and the staff member's name.
"""

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from channels.staff_messages import hand_over
from channels.user_text import clean_user_text

MAX_SENDER_CHARS = 255


def valid_sender(value: object) -> str | None:
    """`value` if it can name a conversation (any channel's sender or session id), else None."""
    if isinstance(value, str) and value.strip() and len(value) <= MAX_SENDER_CHARS:
        return value
    return None


def request_problem(request: Request) -> str | None:
    """Why a webhook request cannot be processed, or None if it can."""
    if request.content_type.split(";")[0].strip() != "application/json":
        return "expected Content-Type: application/json"
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "the body is not valid UTF-8 JSON"
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if valid_sender(body.get("sender")) is None:
        return f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
    if body.get("message") is not None and not isinstance(body["message"], str):
        return "'message' must be a string"
    return None


class ClinicRestInput(RestInput):
    """The `rest` channel with request checks and cleaned message text."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str:
        return clean_user_text(req.json.get("message"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_staff_messages(message: UserMessage) -> None:
            """Staff messages written before the patient's, the bot's answer, then any since."""
            collecting = isinstance(message.output_channel, CollectingOutputChannel)
            if collecting:
                await hand_over(message.output_channel, message.sender_id)
            await on_new_message(message)
            if collecting:
                await hand_over(message.output_channel, message.sender_id)

        webhook = super().blueprint(with_staff_messages)

        @webhook.middleware("request")
        async def reject_bad_requests(request: Request) -> response.HTTPResponse | None:
            if request.method != "POST":
                return None
            problem = request_problem(request)
            status = 415 if problem and problem.startswith("expected Content-Type") else 400
            return response.json({"error": problem}, status=status) if problem else None

        return webhook
