"""Staff see a consultation request's booking details and confirm a slot: the console, the API.

Against a real console (conftest.py); the confirmation reaching the patient through
the trained bot is tested end to end in tests/e2e/test_booking.py.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from clinic_store.settings import get_settings
from tests.staff_console.conftest import Console, csrf_token
from tests.staff_console.test_api import api

BOOKING = {
    "area": {"choice": ["face"], "label": "Face", "text": "my cheeks"},
    "concern": {"choice": ["other"], "label": "my <b>freckles</b>", "text": "my <b>freckles</b>"},
    "times": {
        "choice": ["preferred"],
        "label": "Saturday · after 16:00",
        "text": "Saturday after 4",
        "parsed": {
            "days": ["saturday"],
            "parts": [],
            "dates": [],
            "after": "16:00",
            "before": None,
        },
    },
}


def zone() -> ZoneInfo:
    return get_settings().clinic_zone


def slot(days: int = 7, clock: str = "11:00") -> tuple[datetime, dict[str, str]]:
    """A slot `days` from today in the clinic's zone, and the fields that book it."""
    day = (datetime.now(zone()) + timedelta(days=days)).date()
    moment = datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), zone())
    return moment, {"date": day.isoformat(), "time": clock}


def confirmation(moment: datetime, reference: str, note: str = "") -> str:
    text = (
        f"Your consultation is booked for {moment:%A} {moment.day} {moment:%B} at "
        f"{moment:%H:%M} at The Face Clinic. If you need to change it, just reply here or "
        f"contact the clinic, quoting your reference {reference}."
    )
    return f"{text} A note from the clinic: {note}" if note else text


def messages(console: Console, conversation_id: str) -> list[tuple]:
    listed = api(console, "GET", f"/conversations/{conversation_id}/messages").json()["messages"]
    return [(m["author"], m["staff_name"], m["text"]) for m in listed]


def test_the_api_books_a_slot_and_queues_the_confirmation_from_the_member_of_staff(
    console: Console,
):
    handoff = console.raise_handoff(["consultation_request"], booking=BOOKING)
    listed = api(console, "GET", f"/handoffs/{handoff.id}").json()["booking"]
    assert listed["status"] == "requested" and listed["details"] == BOOKING

    moment, fields = slot()
    body = {**fields, "note": "Bring your skincare products.", "staff": "Nurse Kim"}
    booked = api(console, "POST", f"/handoffs/{handoff.id}/confirm_slot", json=body)
    assert booked.status_code == 200, booked.text
    booking = booked.json()["booking"]
    assert (booking["status"], booking["booked_by"]) == ("booked", "Nurse Kim")
    assert datetime.fromisoformat(booking["slot"]) == moment
    assert booking["note"] == "Bring your skincare products."
    expected = confirmation(moment, handoff.reference, "Bring your skincare products.")
    assert booked.json()["message"]["text"] == expected
    assert booked.json()["message"]["status"] == "pending"  # delivered by the patient's channel
    assert messages(console, handoff.conversation_id) == [("staff", "Nurse Kim", expected)]
    # The status is unchanged: staff still resolve the case themselves.
    assert console.store.get(handoff.id).status == "open"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (slot(days=-1)[1], 400, "past"),
        ({"date": datetime.now(ZoneInfo("UTC")).date().isoformat(), "time": "00:00"}, 400, "past"),
        ({"date": "10/12/2026", "time": "11:00"}, 400, "YYYY-MM-DD"),
        ({"date": slot()[1]["date"], "time": "25:00"}, 400, "HH:MM"),
        ({"date": slot()[1]["date"]}, 400, "the body must be like"),
        ({**slot()[1], "note": "x" * 501}, 400, "note"),
    ],
)
def test_a_past_or_malformed_slot_is_refused_and_nothing_is_sent(console, body, status, error):
    handoff = console.raise_handoff(["consultation_request"], booking=BOOKING)
    refused = api(console, "POST", f"/handoffs/{handoff.id}/confirm_slot", json=body)
    assert refused.status_code == status and error in refused.json()["error"]
    assert console.store.get(handoff.id).booked_slot is None
    assert messages(console, handoff.conversation_id) == []


def test_unknown_resolved_and_unauthorised_confirmations_are_refused(console: Console):
    fields = slot()[1]
    assert api(console, "POST", "/handoffs/999999/confirm_slot", json=fields).status_code == 404
    handoff = console.raise_handoff(["consultation_request"])
    path = f"/handoffs/{handoff.id}/confirm_slot"
    assert api(console, "POST", path, json=fields, headers={}).status_code == 401
    console.store.resolve(handoff.id, "Kim")
    refused = api(console, "POST", path, json=fields)
    assert refused.status_code == 409 and "resolved" in refused.json()["error"]


def test_whatsapp_outside_the_24_hour_window_is_refused_with_the_window(console: Console):
    handoff = console.raise_handoff(["consultation_request"], channel="whatsapp")
    refused = api(console, "POST", f"/handoffs/{handoff.id}/confirm_slot", json=slot()[1])
    assert refused.status_code == 409 and refused.json()["window"]["open"] is False
    console.add_messages(handoff.conversation_id, ("user", "Can I book?"))
    assert api(console, "POST", f"/handoffs/{handoff.id}/confirm_slot", json=slot()[1]).ok


def test_the_console_shows_the_details_and_books_a_slot_with_its_form(
    console: Console, staff: requests.Session
):
    handoff = console.raise_handoff(["consultation_request"], booking=BOOKING)
    detail = f"{console.url}/handoffs/{handoff.id}"
    page = staff.get(detail, timeout=10).text
    assert "booking requested" in page and "Consultation booking" in page
    assert "Saturday · after 16:00" in page and "as typed: “Saturday after 4”" in page
    assert "my &lt;b&gt;freckles&lt;/b&gt;" in page and "<b>freckles" not in page
    assert "booking requested" in staff.get(f"{console.url}/", timeout=10).text

    moment, fields = slot(days=3, clock="15:30")
    reply = staff.post(
        f"{detail}/confirm_slot",
        data={"csrf_token": csrf_token(page), **fields, "note": ""},
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 303 and reply.headers["Location"] == f"/handoffs/{handoff.id}"
    shown = f"{moment:%A} {moment.day} {moment:%B %Y}, 15:30 ({zone().key})"
    page = staff.get(detail, timeout=10).text
    assert f"Booked for {shown}</strong> by nurse.kim" in page
    assert f"booked · {shown}" in staff.get(f"{console.url}/", timeout=10).text
    assert messages(console, handoff.conversation_id) == [
        ("staff", "nurse.kim", confirmation(moment, handoff.reference))
    ]

    past = staff.post(
        f"{detail}/confirm_slot",
        data={"csrf_token": csrf_token(page), **slot(days=-2)[1]},
        timeout=10,
    )
    assert past.status_code == 400 and "the slot is in the past" in past.text


def test_a_handoff_without_booking_details_shows_no_booking(console, staff):
    handoff = console.raise_handoff(["human_requested"])
    assert "Consultation booking" not in staff.get(f"{console.url}/handoffs/{handoff.id}").text
    assert api(console, "GET", f"/handoffs/{handoff.id}").json()["booking"] is None


def test_a_consultation_request_without_details_can_still_be_booked_from_its_page(console, staff):
    handoff = console.raise_handoff(["consultation_request", "eczema"])
    page = staff.get(f"{console.url}/handoffs/{handoff.id}", timeout=10).text
    assert "No booking details given." in page
    assert f'action="/handoffs/{handoff.id}/confirm_slot"' in page
