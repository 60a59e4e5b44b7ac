"""Staff confirm a consultation slot: the detail page's form and the API's confirm_slot.

The date and time are the clinic's (CLINIC_TIMEZONE); a slot that is not later
than now is refused. The confirmation's wording is content/booking.yml's, with
the clinic's name and address from content/clinic.yml, and it reaches the patient
as the member of staff's message in the same chat, on their channel, like any
staff reply (replies.py: on WhatsApp only within 24 hours of the patient's last
message). The case then shows "booked" with the slot (templates/booking*.html).

`POST /api/handoffs/<id>/confirm_slot`, body {"date": "2026-12-10", "time": "11:00",
"note": "...", "staff": "name"} (note optional; staff defaults to "api"): 200 with
the hand-off and the message queued; 400 for a missing, malformed or past slot;
404; 409 for a resolved hand-off or a closed WhatsApp window (with "window").
"""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.booking_details import load_booking_content
from actions.clinic import load_clinic_details
from clinic_store.bookings import BookingStore
from clinic_store.messages import MessageView
from clinic_store.settings import Settings
from clinic_store.views import HandoffView
from staff_console.api import DEFAULT_STAFF, error, token_required
from staff_console.auth import staff_only
from staff_console.replies import ReplyRefused, current_window, refusing

MAX_NOTE_CHARS = 500

booking_pages = Blueprint("booking_pages")
booking_api = Blueprint("booking_api", url_prefix="/api")


@dataclass(frozen=True)
class SlotRequest:
    """What staff asked to book, as typed in the form or the API body."""

    date: str
    time: str
    note: str = ""


def slot_at(wanted: SlotRequest, settings: Settings) -> datetime:
    """The slot as a moment in the clinic's zone; ValueError when it is not a date and time."""
    try:
        day, clock = (
            date.fromisoformat(wanted.date.strip()),
            time.fromisoformat(wanted.time.strip()),
        )
    except (AttributeError, ValueError) as invalid:
        raise ValueError("give the date as YYYY-MM-DD and the time as HH:MM") from invalid
    return datetime.combine(day, clock.replace(second=0, microsecond=0), settings.clinic_zone)


def confirmation_text(slot: datetime, handoff: HandoffView, note: str) -> str:
    """The patient's confirmation, worded as content/booking.yml says."""
    content, clinic = load_booking_content(), load_clinic_details()
    text = content.confirmation.format(
        day=f"{slot:%A} {slot.day} {slot:%B}",
        time=f"{slot:%H:%M}",
        clinic=clinic.name,
        address=f", {clinic.address}" if clinic.address else "",
        reference=handoff.reference,
    )
    return f"{text} {content.confirmation_note.format(note=note)}" if note else text


def _confirm(
    settings: Settings, handoff: HandoffView, staff: str, wanted: SlotRequest
) -> tuple[HandoffView, MessageView]:
    note = " ".join(wanted.note.split())
    if len(note) > MAX_NOTE_CHARS:
        raise ValueError(f"the note must have at most {MAX_NOTE_CHARS} characters")
    slot = slot_at(wanted, settings)
    now_open = current_window(settings, handoff)
    if not now_open.open:
        raise ReplyRefused(
            409,
            "WhatsApp only delivers free-form messages within 24 hours of the patient's last "
            "message: send the clinic's approved template first, or phone the patient",
            now_open,
        )
    text = confirmation_text(slot, handoff, note)
    return BookingStore(settings.database_url).confirm_slot(handoff.id, staff, slot, text, note)


async def confirm_slot(
    settings: Settings, handoff: HandoffView | None, staff: str, wanted: SlotRequest
) -> tuple[HandoffView, MessageView]:
    """Book the slot and queue the confirmation; ReplyRefused (400, 404, 409) when it cannot be."""
    return await refusing(_confirm, settings, handoff, staff, wanted)


@booking_pages.post("/handoffs/<handoff_id:int>/confirm_slot")
@staff_only
async def confirm_in_console(request: Request, handoff_id: int) -> HTTPResponse:
    """The detail page's "Confirm slot" form, in the logged-in member of staff's name."""
    from staff_console.app import form_result  # the pages' helper; app imports this module

    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    form, staff = request.form, request.ctx.session.username
    wanted = SlotRequest(form.get("date", ""), form.get("time", ""), form.get("note", ""))
    sending = confirm_slot(request.app.ctx.settings, handoff, staff, wanted)
    return await form_result(request, f"/handoffs/{handoff_id}", sending)


@booking_api.post("/handoffs/<handoff_id:int>/confirm_slot")
@token_required
async def confirm_by_api(request: Request, handoff_id: int) -> HTTPResponse:
    body = request.json if isinstance(request.json, dict) else {}
    staff, note = body.get("staff", DEFAULT_STAFF), body.get("note") or ""
    fields = (body.get("date"), body.get("time"), note, staff)
    if not all(isinstance(value, str) for value in fields) or not staff.strip():
        return error(400, 'the body must be like {"date": "2026-12-10", "time": "11:00"}')
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    try:
        booked, message = await confirm_slot(
            request.app.ctx.settings, handoff, staff, SlotRequest(body["date"], body["time"], note)
        )
    except ReplyRefused as refused:
        details = {"window": refused.window.to_json()} if refused.window else {}
        return response.json({"error": str(refused), **details}, status=refused.status)
    return response.json({**booked.to_json(), "message": message.to_json()})


def booking_rows(handoff: HandoffView) -> list[dict[str, Any]]:
    """The details the person gave, in the order the bot asked them, for the page."""
    names = {"area": "Area", "concern": "Concern", "times": "Preferred times"}
    booking = handoff.booking or {}
    return [
        {"name": title, **booking[key]}
        for key, title in names.items()
        if isinstance(booking.get(key), dict)
    ]


def install(app: Sanic) -> None:
    """Add the booking routes, and the filter the booking templates show slots with."""
    zone = app.ctx.settings.clinic_zone

    def clinic_time(moment: datetime | None) -> str:
        local = moment.astimezone(zone) if moment else None
        return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone.key})" if local else ""

    app.ctx.templates.filters["clinic_time"] = clinic_time
    app.ctx.templates.globals["booking_rows"] = booking_rows
    app.blueprint(booking_pages)
    app.blueprint(booking_api)
