"""The JSON API for other clinic systems, behind `Authorization: Bearer <STAFF_API_TOKEN>`.

GET  /api/handoffs[?status=open]      hand-offs, urgent first, then screening flags, then the
                                      rest, oldest first; also ?q= (name, phone, reference or
                                      message text), ?priority=, ?channel= (both repeatable),
                                      ?assigned=username; status also "active" or "all" (default)
GET  /api/handoffs/<id>               one hand-off, with its transcript, internal notes and history
POST /api/handoffs/<id>/claim         take the conversation over (the bot stops answering);
                                      body {"staff": "..."} (optional; default "api")
POST /api/handoffs/<id>/reply         body {"text": "...", "staff": "..."}: a message to the
                                      patient, through their channel (201, the stored message);
                                      on WhatsApp after 24 hours without a patient message, 409
                                      with "window": send {"template": true} for the template
POST /api/handoffs/<id>/release       hand the conversation back to the assistant; the
                                      hand-off stays claimed. Body as for claim
POST /api/handoffs/<id>/resolve       close it (a held conversation is handed back too)
GET  /api/conversations/<id>/messages the transcript: who wrote each message (patient, bot
                                      or staff, with the staff member's name) and when; a
                                      photo, voice note or file the patient sent has `media`
GET  /api/media/<id>                  the bytes of one such item
GET  /api/conversations/<id>/export   everything stored about a conversation
DELETE /api/conversations/<id>        delete everything stored about it

Reopening, assigning, notes and contact edits: staff_console/api_desk.py.

401 without the token (or when no token is configured), 404 for an unknown id,
409 for a claim, reply, release, resolve or reopen the hand-off's state does not allow,
400 for a value that is not valid.
"""

import asyncio
from collections.abc import Callable
from functools import wraps
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.views import HandoffView
from staff_console.auth import Handler, bearer_token_valid
from staff_console.case_search import CaseQuery, InvalidQuery, find_cases
from staff_console.media_files import media_response
from staff_console.privacy import delete_conversation, export_conversation
from staff_console.replies import Reply, ReplyRefused, send_reply
from staff_console.transcripts import conversation_transcript

DEFAULT_STAFF = "api"
# The state changes of a hand-off, each a `HandoffStore` method and a URL (a route pattern).
MOVES = "claim|release|resolve"

api = Blueprint("api", url_prefix="/api")


def error(status: int, message: str, **headers: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers)


def token_required(handler: Handler) -> Handler:
    @wraps(handler)
    async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        expected = request.app.ctx.settings.staff_api_token
        if not bearer_token_valid(request.headers.get("authorization"), expected):
            return error(401, "a valid API token is required", **{"WWW-Authenticate": "Bearer"})
        return await handler(request, *args, **kwargs)

    return checked


@api.get("/handoffs")
@token_required
async def list_handoffs(request: Request) -> HTTPResponse:
    """The hand-offs the query string's search and filters find (case_search.py)."""
    try:
        query = CaseQuery.from_args({"status": ["all"], **request.args}, status_key="status")
    except InvalidQuery as invalid:
        return error(400, str(invalid))
    ctx = request.app.ctx
    handoffs = await asyncio.to_thread(
        find_cases, ctx.store, ctx.settings.tracker_store_url, query, ctx.settings.phone_regions
    )
    return response.json({"handoffs": [handoff.to_json() for handoff in handoffs]})


@api.get("/handoffs/<handoff_id:int>")
@token_required
async def get_handoff(request: Request, handoff_id: int) -> HTTPResponse:
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    if handoff is None:
        return error(404, "no such hand-off")
    transcript = await asyncio.to_thread(transcript_of, request, handoff.conversation_id)
    desk = request.app.ctx.desk
    notes = await asyncio.to_thread(desk.notes, handoff.id)
    history = await asyncio.to_thread(desk.history, handoff.id)
    return response.json(
        {
            **handoff.to_json(),
            "transcript": [m.to_json() for m in transcript],
            "notes": [note.to_json() for note in notes],
            "history": [entry.to_json() for entry in history],
        }
    )


def transcript_of(request: Request, conversation_id: str) -> list:
    settings = request.app.ctx.settings
    return conversation_transcript(
        settings.tracker_store_url, settings.database_url, conversation_id
    )


def staff_of(request: Request) -> str | None:
    """The body's `staff` (default "api"), or None when the body is not like that."""
    body = request.json or {}
    staff = body.get("staff", DEFAULT_STAFF) if isinstance(body, dict) else None
    return staff if isinstance(staff, str) and staff.strip() else None


async def attempt(change: Callable[[], Any], status: int = 200) -> HTTPResponse:
    """The change's result as JSON (a view with `to_json`), or why it was refused."""
    try:
        result = await asyncio.to_thread(change)
    except HandoffNotFound:
        return error(404, "no such hand-off")
    except InvalidTransition as invalid:
        return error(409, str(invalid))
    except ValueError as invalid:
        return error(400, str(invalid))
    return response.json(result.to_json(), status=status)


async def _move(
    request: Request, handoff_id: int, move: Callable[[int, str], HandoffView]
) -> HTTPResponse:
    """Claim, release or resolve, in the name of the body's `staff` (default "api")."""
    staff = staff_of(request)
    if staff is None:
        return error(400, 'the body must be like {"staff": "name"}')
    return await attempt(lambda: move(handoff_id, staff))


@api.post(f"/handoffs/<handoff_id:int>/<change:{MOVES}>")
@token_required
async def change_state(request: Request, handoff_id: int, change: str) -> HTTPResponse:
    """claim, release or resolve: the `HandoffStore` method of that name."""
    return await _move(request, handoff_id, getattr(request.app.ctx.store, change))


@api.post("/handoffs/<handoff_id:int>/reply")
@token_required
async def reply(request: Request, handoff_id: int) -> HTTPResponse:
    """{"text": ...}, or {"template": true} for the clinic's WhatsApp template."""
    staff, body = staff_of(request), request.json
    text = body.get("text") if isinstance(body, dict) else None
    template = isinstance(body, dict) and body.get("template") is True
    if staff is None or not (isinstance(text, str) or template):
        return error(400, 'the body must be like {"text": "...", "staff": "name"}')
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    try:
        message = await send_reply(
            request.app.ctx.settings, handoff, staff, Reply(text=text, template=template)
        )
    except ReplyRefused as refused:
        details = {"window": refused.window.to_json()} if refused.window else {}
        return response.json({"error": str(refused), **details}, status=refused.status)
    return response.json(message.to_json(), status=201)


@api.get("/conversations/<conversation_id:str>/messages")
@token_required
async def messages(request: Request, conversation_id: str) -> HTTPResponse:
    transcript = await asyncio.to_thread(transcript_of, request, conversation_id)
    return response.json(
        {"conversation_id": conversation_id, "messages": [m.to_json() for m in transcript]}
    )


@api.get("/media/<media_id:int>")
@token_required
async def media_file(request: Request, media_id: int) -> HTTPResponse:
    return await media_response(request, media_id)


@api.get("/conversations/<conversation_id:str>/export")
@token_required
async def export(request: Request, conversation_id: str) -> HTTPResponse:
    ctx = request.app.ctx
    data = await asyncio.to_thread(export_conversation, ctx.settings, ctx.store, conversation_id)
    return response.json(data)


@api.delete("/conversations/<conversation_id:str>")
@token_required
async def delete(request: Request, conversation_id: str) -> HTTPResponse:
    ctx = request.app.ctx
    counts = await asyncio.to_thread(delete_conversation, ctx.settings, ctx.store, conversation_id)
    return response.json({"deleted": counts})
