"""Pages in the logged-in member of staff's session: every page route renders through here."""

from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.database import utcnow
from staff_console.auth import StaffSession


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
    session: StaffSession | None = request.ctx.session
    page = request.app.ctx.templates.get_template(template).render(
        staff=session.username if session else None,
        csrf_token=session.csrf_token if session else "",
        now=utcnow(),
        **context,
    )
    return response.html(page, status=status)


def not_found(request: Request) -> HTTPResponse:
    return render(request, "error.html", 404, message="There is no such hand-off.")


def problem(request: Request, status: int, message: str, back: str = "/") -> HTTPResponse:
    """The error page, with a link back to where staff were."""
    return render(request, "error.html", status, message=message, back=back)
