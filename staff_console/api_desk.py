"""The desk in the JSON API (same bearer token as staff_console/api.py).

POST  /api/handoffs/<id>/reopen   a resolved case back on the open list; body {"staff": ...}
GET   /api/handoffs/<id>/notes    its internal notes (each "internal": true)
POST  /api/handoffs/<id>/notes    body {"text": "...", "staff": "..."}: a note (201)
POST  /api/handoffs/<id>/assign   body {"assignee": "username" or null, "staff": "..."}
PATCH /api/handoffs/<id>/contact  body with any of "name", "phone", "email" (null or "" clears
                                  it) and "staff": the phone is read as the bot reads it
                                  (E.164), the e-mail checked; the others are kept

"staff" defaults to "api". 404 for an unknown case, 409 for a reopen its state does
not allow, 400 for a body or value that is not valid.
"""

import asyncio
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.desk import CaseDesk
from staff_console.api import attempt, error, staff_of, token_required
from staff_console.desk import contact_edit

api_desk = Blueprint("api_desk", url_prefix="/api")
CONTACT_KEYS = {"name": "contact_name", "phone": "contact_phone", "email": "contact_email"}


def _desk(request: Request) -> CaseDesk:
    return request.app.ctx.desk


def _body(request: Request) -> dict[str, Any] | None:
    body = request.json if request.body else {}
    return body if isinstance(body, dict) else None


def _bad_body(example: str) -> HTTPResponse:
    return error(400, f"the body must be like {example}")


@api_desk.post("/handoffs/<handoff_id:int>/reopen")
@token_required
async def reopen(request: Request, handoff_id: int) -> HTTPResponse:
    staff = staff_of(request)
    if staff is None:
        return _bad_body('{"staff": "name"}')
    return await attempt(lambda: _desk(request).reopen(handoff_id, staff))


@api_desk.get("/handoffs/<handoff_id:int>/notes")
@token_required
async def notes(request: Request, handoff_id: int) -> HTTPResponse:
    if await asyncio.to_thread(request.app.ctx.store.get, handoff_id) is None:
        return error(404, "no such hand-off")
    found = await asyncio.to_thread(_desk(request).notes, handoff_id)
    return response.json({"notes": [note.to_json() for note in found]})


@api_desk.post("/handoffs/<handoff_id:int>/notes")
@token_required
async def add_note(request: Request, handoff_id: int) -> HTTPResponse:
    staff, body = staff_of(request), _body(request)
    if staff is None or body is None or not isinstance(body.get("text"), str):
        return _bad_body('{"text": "...", "staff": "name"}')
    return await attempt(lambda: _desk(request).add_note(handoff_id, staff, body["text"]), 201)


@api_desk.post("/handoffs/<handoff_id:int>/assign")
@token_required
async def assign(request: Request, handoff_id: int) -> HTTPResponse:
    staff, body = staff_of(request), _body(request)
    assignee = (body or {}).get("assignee", "")
    if staff is None or not (assignee is None or (isinstance(assignee, str) and assignee)):
        return _bad_body('{"assignee": "username" (or null), "staff": "name"}')
    return await attempt(lambda: _desk(request).assign(handoff_id, assignee, staff))


@api_desk.patch("/handoffs/<handoff_id:int>/contact")
@token_required
async def edit_contact(request: Request, handoff_id: int) -> HTTPResponse:
    staff, body = staff_of(request), _body(request)
    if staff is None or body is None or not CONTACT_KEYS.keys() & body.keys():
        return _bad_body('{"name": "...", "phone": "...", "email": "...", "staff": "name"}')
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    if handoff is None:
        return error(404, "no such hand-off")
    current = {key: getattr(handoff, column) for key, column in CONTACT_KEYS.items()}
    settings = request.app.ctx.settings
    return await attempt(
        lambda: _desk(request).edit_contact(
            handoff_id, contact_edit(settings, {**current, **body}), staff
        )
    )
