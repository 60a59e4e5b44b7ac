"""The console as a desk: find cases, reopen them, assign them, correct contact details,
write internal notes (clinic_store/desk.py keeps them; case_search.py finds cases).

Each form posts here and comes back to the case's page; what the store refuses is
shown on the error page with the reason (409 for a state that does not allow it,
400 for a value that is not valid).
"""

import asyncio
from collections.abc import Callable
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.desk import CaseDesk, ContactEdit
from clinic_store.errors import HandoffNotFound, InvalidTransition
from clinic_store.priorities import PRIORITY_LABELS
from clinic_store.settings import Settings
from clinic_store.views import HandoffView
from staff_console.auth import staff_only
from staff_console.case_search import STATUS_FILTERS, CaseQuery, find_cases, known_channels
from staff_console.rendering import not_found, problem

desk = Blueprint("desk")


def contact_edit(settings: Settings, values: dict[str, Any]) -> ContactEdit:
    """The `name`, `phone` and `email` staff typed, checked as the bot checks patients'."""
    fields = {key: values.get(key) for key in ("name", "phone", "email")}
    if not all(value is None or isinstance(value, str) for value in fields.values()):
        raise ValueError("name, phone and email must be text")
    return ContactEdit.parse(**fields, regions=settings.phone_regions)


async def list_context(request: Request, query: CaseQuery) -> dict[str, Any]:
    """What the list page shows for `query`: the cases, and the filters to change it."""
    ctx = request.app.ctx
    handoffs = await asyncio.to_thread(
        find_cases, ctx.store, ctx.settings.tracker_store_url, query, ctx.settings.phone_regions
    )
    return {
        "handoffs": handoffs,
        "query": query,
        "statuses": STATUS_FILTERS,
        "priorities": PRIORITY_LABELS,
        "channels": await asyncio.to_thread(known_channels, ctx.store),
        "colleagues": await asyncio.to_thread(ctx.staff_users.usernames),
    }


async def case_context(request: Request, handoff: HandoffView) -> dict[str, Any]:
    """What the case's page shows besides the hand-off: notes, history, colleagues."""
    ctx = request.app.ctx
    return {
        "notes": await asyncio.to_thread(ctx.desk.notes, handoff.id),
        "history": await asyncio.to_thread(ctx.desk.history, handoff.id),
        "colleagues": await asyncio.to_thread(ctx.staff_users.usernames),
        "phone_region": ctx.settings.phone_default_region,
    }


async def attempt(request: Request, handoff_id: int, change: Callable[[], Any]) -> HTTPResponse:
    """Make the change, then show the case again, or say why it was refused."""
    back = f"/handoffs/{handoff_id}"
    try:
        await asyncio.to_thread(change)
    except HandoffNotFound:
        return not_found(request)
    except InvalidTransition as invalid:
        return problem(
            request, 409, f"That did not work: {invalid}. Someone may have been quicker.", back
        )
    except ValueError as invalid:
        return problem(request, 400, f"Not saved: {invalid}.", back)
    return response.redirect(back, status=303)


def _desk(request: Request) -> CaseDesk:
    return request.app.ctx.desk


@desk.post("/handoffs/<handoff_id:int>/reopen")
@staff_only
async def reopen(request: Request, handoff_id: int) -> HTTPResponse:
    staff = request.ctx.session.username
    return await attempt(request, handoff_id, lambda: _desk(request).reopen(handoff_id, staff))


@desk.post("/handoffs/<handoff_id:int>/notes")
@staff_only
async def add_note(request: Request, handoff_id: int) -> HTTPResponse:
    staff, text = request.ctx.session.username, request.form.get("note", "")
    return await attempt(
        request, handoff_id, lambda: _desk(request).add_note(handoff_id, staff, text)
    )


@desk.post("/handoffs/<handoff_id:int>/assign")
@staff_only
async def assign(request: Request, handoff_id: int) -> HTTPResponse:
    staff, assignee = request.ctx.session.username, request.form.get("assignee") or None
    return await attempt(
        request, handoff_id, lambda: _desk(request).assign(handoff_id, assignee, staff)
    )


@desk.post("/handoffs/<handoff_id:int>/contact")
@staff_only
async def edit_contact(request: Request, handoff_id: int) -> HTTPResponse:
    staff = request.ctx.session.username
    values = {key: request.form.get(key, "") for key in ("name", "phone", "email")}

    def change() -> HandoffView:
        return _desk(request).edit_contact(
            handoff_id, contact_edit(request.app.ctx.settings, values), staff
        )

    return await attempt(request, handoff_id, change)
