"""The staff console: hand-offs for clinic staff to take over, answer, hand back and resolve.

`create_app(settings)` migrates the database, then builds the Sanic app: the
pages below (login required), the JSON API (`staff_console.api`), a background
`NotificationWorker` that retries staff notifications, the daily retention
purge (`staff_console.retention`) and the return of idle taken-over hand-offs
(`staff_console.idle`). A hand-off's page polls its transcript
(static/console.js), so what the patient writes appears without a reload.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.database import migrate, utcnow
from clinic_store.desk import CaseDesk
from clinic_store.handoffs import HandoffStore
from clinic_store.languages import language_label
from clinic_store.media import MediaStore, MediaView
from clinic_store.messages import ConversationMessages
from clinic_store.notifications import NotificationWorker
from clinic_store.priorities import PRIORITY_LABELS
from clinic_store.settings import Settings, get_settings
from clinic_store.staff_users import StaffUsers
from clinic_store.views import HandoffView
from staff_console import booking
from staff_console.api import MOVES, api
from staff_console.api_desk import api_desk
from staff_console.auth import (
    CSRF_FIELD,
    SESSION_COOKIE,
    LoginRateLimiter,
    SessionSigner,
    StaffSession,
    csrf_valid,
    set_session_cookie,
    staff_only,
)
from staff_console.case_search import CaseQuery, InvalidQuery
from staff_console.desk import attempt, case_context, desk, list_context
from staff_console.idle import ReturnIdle
from staff_console.media_files import media_response
from staff_console.rendering import not_found, problem, render
from staff_console.replies import Reply, ReplyRefused, send_reply
from staff_console.retention import DailyPurge
from staff_console.transcripts import TranscriptLine, conversation_transcript
from staff_console.whatsapp_window import window

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
REASON_LABELS = PACKAGE_DIR.parent / "content" / "reason_labels.yml"
SECURITY_HEADERS = {
    # Only the console's own script (the transcript poll), and its own JSON;
    # the only style is the base template's inline <style>.
    # Photos and voice notes only from the console's own media route.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
    "img-src 'self'; media-src 'self'; "
    "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Pages hold health information: no browser or proxy may keep a copy.
    "Cache-Control": "no-store",
}

pages = Blueprint("pages")


@cache
def reason_labels() -> dict[str, str]:
    """Reason code -> a short plain-English label (content/reason_labels.yml)."""
    return yaml.safe_load(REASON_LABELS.read_text(encoding="utf-8"))


def age(moment: datetime, now: datetime) -> str:
    """How long ago, as staff glance at it: "under a minute", "12 min", "3 h", "2 d"."""
    seconds = (now - moment).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "under a minute"


def when(moment: datetime | str | None) -> str:
    """A stored time (or its ISO 8601 text, as in a case's history) as staff read it."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.strftime("%d %b %Y, %H:%M UTC") if moment else ""


def answer(value: Any) -> str:
    """A questionnaire answer as text: follow-up answers are lists of codes."""
    if isinstance(value, list):
        return ", ".join(reason_labels().get(str(code), str(code)) for code in value)
    return str(value)


DELIVERY_LABELS = {"pending": "not delivered yet", "failed": "could not be delivered"}


def author_label(line: TranscriptLine) -> str:
    """Who wrote a transcript line, as staff read it, and whether what staff sent arrived."""
    if line.speaker == "staff":
        who = f"{line.staff_name} (staff)"
    else:
        who = "Patient" if line.speaker == "user" else "Assistant"
    delivery = DELIVERY_LABELS.get(line.delivery or "")
    return f"{who}, {delivery}" if delivery else who


# As staff read a media item's kind and how fetching it stands (the poll's JS says the same).
MEDIA_LABELS = {
    "image": "Photo",
    "audio": "Voice note",
    "video": "Video",
    "document": "Document",
    "sticker": "Sticker",
}
MEDIA_STATUS_LABELS = {
    "pending": "being fetched from WhatsApp",
    "failed": "could not be fetched from WhatsApp",
    "too_large": "not kept: larger than the clinic's limit",
}


def media_label(media: MediaView) -> str:
    """ "Photo", or "Photo: not kept: larger than the clinic's limit", for staff."""
    label = MEDIA_LABELS.get(media.kind, media.kind)
    status = MEDIA_STATUS_LABELS.get(media.status)
    return f"{label}: {status}" if status else label


def templates() -> Environment:
    # Autoescape everywhere: the pages show what patients typed.
    environment = Environment(loader=FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True)
    environment.filters.update(
        age=age,
        when=when,
        answer=answer,
        author_label=author_label,
        priority_label=lambda priority: PRIORITY_LABELS.get(priority, priority),
        media_label=media_label,
        language=language_label,
    )
    environment.globals.update(reason_labels=reason_labels(), csrf_field=CSRF_FIELD)
    return environment


def client_address(request: Request) -> str:
    """The client behind the proxy when Sanic is told about it (SANIC_PROXIES_COUNT)."""
    return request.remote_addr or request.ip


def safe_next(path: str | None) -> str:
    """Where to go after login: only a path on this site, never another site."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/"


@pages.get("/health")
async def health(_: Request) -> HTTPResponse:
    return response.text("ok")


@pages.get("/login")
async def login_form(request: Request) -> HTTPResponse:
    session = request.ctx.session
    if session and session.username:
        return response.redirect("/", status=303)
    return login_page(request, session or StaffSession.start())


def login_page(
    request: Request, session: StaffSession, status: int = 200, error: str = ""
) -> HTTPResponse:
    """The login form, bound to a session without a user that carries its CSRF token."""
    request.ctx.session = session
    page = render(
        request, "login.html", status, error=error, next=safe_next(request.args.get("next"))
    )
    return with_session(request, page, session)


def with_session(request: Request, reply: HTTPResponse, session: StaffSession) -> HTTPResponse:
    secure = request.app.ctx.settings.secure_cookies
    set_session_cookie(reply, request.app.ctx.signer, session, secure)
    return reply


@pages.post("/login")
async def login(request: Request) -> HTTPResponse:
    client, limiter = client_address(request), request.app.ctx.login_limiter
    session = request.ctx.session
    if not csrf_valid(session, request.form.get(CSRF_FIELD)):
        return login_page(request, StaffSession.start(), 403, "The form had expired; try again.")
    if limiter.blocked(client):
        return login_page(request, session, 429, "Too many attempts. Wait a minute and try again.")
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    # bcrypt takes a while on purpose: off the event loop.
    if not await asyncio.to_thread(request.app.ctx.staff_users.verify, username, password):
        limiter.record_failure(client)
        return login_page(request, session, 401, "Wrong username or password.")
    limiter.reset(client)
    reply = response.redirect(safe_next(request.form.get("next")), status=303)
    return with_session(request, reply, StaffSession.start(username.strip()))


@pages.post("/logout")
@staff_only
async def logout(_: Request) -> HTTPResponse:
    reply = response.redirect("/login", status=303)
    del reply.cookies[SESSION_COOKIE]
    return reply


@pages.get("/")
@staff_only
async def handoff_list(request: Request) -> HTTPResponse:
    """The cases: search and filters from the query string (case_search.py), bookmarkable."""
    try:
        query = CaseQuery.from_args(dict(request.args))
    except InvalidQuery:
        return response.redirect("/", status=303)
    return render(request, "list.html", **await list_context(request, query))


@pages.get("/handoffs/<handoff_id:int>")
@staff_only
async def handoff_detail(request: Request, handoff_id: int) -> HTTPResponse:
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    if handoff is None:
        return not_found(request)
    transcript = await transcript_or_none(request, handoff)
    settings = request.app.ctx.settings
    whatsapp = window(handoff.channel, transcript or [], utcnow(), settings)
    return render(
        request,
        "detail.html",
        handoff=handoff,
        transcript=transcript,
        window=whatsapp,
        **await case_context(request, handoff),
    )


async def transcript_or_none(request: Request, handoff: HandoffView) -> list[TranscriptLine] | None:
    """The conversation, or None when it cannot be read (the hand-off is worth showing anyway)."""
    settings = request.app.ctx.settings
    try:
        return await asyncio.to_thread(
            conversation_transcript,
            settings.tracker_store_url,
            settings.database_url,
            handoff.conversation_id,
        )
    except Exception:
        logger.exception("Could not read the transcript of hand-off %s", handoff.reference)
        return None


@pages.get("/handoffs/<handoff_id:int>/transcript")
@staff_only
async def transcript_json(request: Request, handoff_id: int) -> HTTPResponse:
    """The page's poll: the transcript and whether staff hold the conversation, as JSON."""
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    if handoff is None:
        return response.json({"error": "no such hand-off"}, status=404)
    transcript = await transcript_or_none(request, handoff)
    lines = [] if transcript is None else [line.to_json() for line in transcript]
    return response.json({"status": handoff.status, "held": handoff.bot_paused, "lines": lines})


@pages.get("/media/<media_id:int>")
@staff_only
async def media_file(request: Request, media_id: int) -> HTTPResponse:
    """A photo, voice note or file a patient sent, for logged-in staff only."""
    return await media_response(request, media_id)


async def move(
    request: Request, handoff_id: int, change: Callable[[int, str], HandoffView]
) -> HTTPResponse:
    """Claim, hand back or resolve in the logged-in member of staff's name, then show it."""
    staff = request.ctx.session.username
    return await attempt(request, handoff_id, lambda: change(handoff_id, staff))


@pages.post(f"/handoffs/<handoff_id:int>/<change:{MOVES}>")
@staff_only
async def change_state(request: Request, handoff_id: int, change: str) -> HTTPResponse:
    """The claim, hand back and resolve buttons."""
    return await move(request, handoff_id, getattr(request.app.ctx.store, change))


@pages.post("/handoffs/<handoff_id:int>/reply")
@staff_only
async def reply(request: Request, handoff_id: int) -> HTTPResponse:
    """A message to the patient (or the WhatsApp template) in the logged-in member's name."""
    back = f"/handoffs/{handoff_id}"
    handoff = await asyncio.to_thread(request.app.ctx.store.get, handoff_id)
    wanted = Reply(
        text=request.form.get("text", ""), template=request.form.get("template") == "yes"
    )
    staff = request.ctx.session.username
    return await form_result(
        request, back, send_reply(request.app.ctx.settings, handoff, staff, wanted)
    )


async def form_result(request: Request, back: str, sending: Awaitable[Any]) -> HTTPResponse:
    """Back to the hand-off once `sending` is done, or the page saying why it was refused."""
    try:
        await sending
    except ReplyRefused as refused:
        if refused.status == 404:
            return not_found(request)
        return problem(request, refused.status, str(refused), back)
    return response.redirect(back, status=303)


def session_secret(settings: Settings) -> str:
    if settings.staff_session_secret:
        return settings.staff_session_secret
    logger.warning("STAFF_SESSION_SECRET is unset: a restart of the console logs everyone out")
    return secrets.token_urlsafe(32)


def create_app(settings: Settings | None = None) -> Sanic:
    """The console for `settings` (from the environment by default), its database migrated."""
    settings = settings or get_settings()
    migrate(settings.database_url)
    # Logging is the launcher's business (`python -m staff_console` sets it up).
    app = Sanic("staff_console", configure_logging=False)
    app.ctx.settings = settings
    app.ctx.store = HandoffStore(settings.database_url)
    app.ctx.staff_users = StaffUsers(settings.database_url)
    app.ctx.messages = ConversationMessages(settings.database_url)
    app.ctx.desk = CaseDesk(settings.database_url)
    app.ctx.media = MediaStore(settings.database_url)
    app.ctx.signer = SessionSigner(session_secret(settings))
    app.ctx.login_limiter = LoginRateLimiter()
    app.ctx.templates = templates()
    app.ctx.worker = NotificationWorker(app.ctx.store, spool_dir=settings.handoff_spool_dir)
    app.ctx.purge = DailyPurge(settings, app.ctx.store)
    app.ctx.idle = ReturnIdle(app.ctx.store, settings.handoff_idle_minutes)
    app.static("/static", PACKAGE_DIR / "static", name="static")
    app.blueprint(pages)
    app.blueprint(desk)
    app.blueprint(api)
    app.blueprint(api_desk)
    booking.install(app)

    @app.on_request
    async def load_session(request: Request) -> None:
        request.ctx.session = app.ctx.signer.loads(request.cookies.get(SESSION_COOKIE))

    @app.on_response
    async def add_security_headers(_: Request, reply: HTTPResponse) -> None:
        reply.headers.update(SECURITY_HEADERS)

    @app.after_server_start
    async def start_worker(*_: Any) -> None:
        app.ctx.worker.start()
        app.ctx.purge.start()
        if settings.handoff_idle_minutes:
            app.ctx.idle.start()

    @app.before_server_stop
    async def stop_worker(*_: Any) -> None:
        await app.ctx.worker.stop()
        await app.ctx.purge.stop()
        await app.ctx.idle.stop()

    return app
