"""The staff console's web app: HTML pages for staff and the JSON API."""

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request

from actions.notifications import NotificationWorker
from actions.persistence import HandoffStore, InvalidTransition, NotFound
from actions.settings import Settings
from staff_console.auth import SESSION_COOKIE, LoginThrottle, Signer, bearer_token_valid
from staff_console.transcripts import transcript

TEMPLATES = Path(__file__).resolve().parent / "templates"
REASON_LABELS = Path(__file__).resolve().parent.parent / "content" / "reason_labels.yml"


@lru_cache(maxsize=1)
def reason_labels() -> dict[str, str]:
    return yaml.safe_load(REASON_LABELS.read_text(encoding="utf-8"))["labels"]


def _templates() -> Environment:
    # Autoescaping: everything a patient wrote is shown as text, never as markup.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    env.filters["label"] = lambda code: reason_labels().get(code, code)
    return env


def create_app(settings: Settings, store: Optional[HandoffStore] = None) -> Sanic:
    """The console app; `store` defaults to the one at settings.database_url."""
    app = Sanic("staff_console")
    app.ctx.settings = settings
    app.ctx.store = store or HandoffStore(settings.database_url)
    app.ctx.signer = Signer(settings.staff_session_secret)
    app.ctx.throttle = LoginThrottle()
    app.ctx.templates = _templates()
    _add_lifecycle(app)
    _add_pages(app)
    _add_api(app)
    return app


def _add_lifecycle(app: Sanic) -> None:
    @app.before_server_start
    async def start(app: Sanic, _loop: Any) -> None:
        # The schema is migrated once at launch (`make run`), not by every process.
        app.ctx.worker = NotificationWorker(app.ctx.store, app.ctx.settings)
        app.ctx.worker.start()

    @app.after_server_stop
    async def stop(app: Sanic, _loop: Any) -> None:
        await app.ctx.worker.stop()


def _render(request: Request, template: str, **values: Any) -> response.HTTPResponse:
    cookie = request.cookies.get(SESSION_COOKIE)
    csrf = request.app.ctx.signer.csrf_token(cookie) if cookie else ""
    html = request.app.ctx.templates.get_template(template).render(csrf=csrf, **values)
    return response.html(html, headers={"Cache-Control": "no-store"})


def _staff(request: Request) -> Optional[str]:
    return request.app.ctx.signer.username_from_cookie(request.cookies.get(SESSION_COOKIE))


def _client(request: Request) -> str:
    return request.ip or "unknown"


def _add_pages(app: Sanic) -> None:
    @app.get("/login")
    async def login_page(request: Request) -> response.HTTPResponse:
        return _render(request, "login.html", error=None)

    @app.post("/login")
    async def login(request: Request) -> response.HTTPResponse:
        if app.ctx.throttle.blocked(_client(request)):
            return _render(request, "login.html", error="Too many attempts. Wait a minute.")
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if not await asyncio.to_thread(app.ctx.store.verify_staff_user, username, password):
            app.ctx.throttle.failed(_client(request))
            return _render(request, "login.html", error="Wrong username or password.")
        redirect = response.redirect("/")
        redirect.cookies[SESSION_COOKIE] = app.ctx.signer.session_cookie(username)
        redirect.cookies[SESSION_COOKIE]["httponly"] = True
        redirect.cookies[SESSION_COOKIE]["samesite"] = "Strict"
        redirect.cookies[SESSION_COOKIE]["path"] = "/"
        redirect.cookies[SESSION_COOKIE]["secure"] = app.ctx.settings.secure_cookies
        return redirect

    @app.post("/logout")
    async def logout(request: Request) -> response.HTTPResponse:
        redirect = response.redirect("/login")
        del redirect.cookies[SESSION_COOKIE]
        return redirect

    @app.get("/")
    async def handoff_list(request: Request) -> response.HTTPResponse:
        if not (staff := _staff(request)):
            return response.redirect("/login")
        status = request.args.get("status") or None
        handoffs = await asyncio.to_thread(app.ctx.store.list_handoffs, status)
        return _render(request, "list.html", staff=staff, handoffs=handoffs, status=status)

    @app.get("/handoffs/<handoff_id:int>")
    async def handoff_detail(request: Request, handoff_id: int) -> response.HTTPResponse:
        if not (staff := _staff(request)):
            return response.redirect("/login")
        handoff = await asyncio.to_thread(app.ctx.store.get, handoff_id)
        if handoff is None:
            return response.text("Not found", status=404)
        lines = await asyncio.to_thread(
            transcript, app.ctx.settings.tracker_store_url, handoff.conversation_id
        )
        return _render(request, "detail.html", staff=staff, handoff=handoff, transcript=lines)

    @app.post("/handoffs/<handoff_id:int>/<action:claim|resolve>")
    async def handoff_action(request: Request, handoff_id: int, action: str) -> response.HTTPResponse:
        if not (staff := _staff(request)):
            return response.redirect("/login")
        if not app.ctx.signer.csrf_valid(request.cookies.get(SESSION_COOKIE), request.form.get("csrf")):
            return response.text("Invalid form token; reload the page.", status=403)
        try:
            await asyncio.to_thread(getattr(app.ctx.store, action), handoff_id, staff)
        except NotFound:
            return response.text("Not found", status=404)
        except InvalidTransition as error:
            return response.text(f"Not allowed: {error}", status=409)
        return response.redirect(f"/handoffs/{handoff_id}")


def _add_api(app: Sanic) -> None:
    @app.on_request
    async def require_token(request: Request) -> Optional[response.HTTPResponse]:
        if request.path.startswith("/api/") and not bearer_token_valid(
            request.headers.get("authorization"), app.ctx.settings.staff_api_token
        ):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.get("/api/handoffs")
    async def api_list(request: Request) -> response.HTTPResponse:
        handoffs = await asyncio.to_thread(app.ctx.store.list_handoffs, request.args.get("status"))
        return response.json([h.to_json() for h in handoffs])

    @app.get("/api/handoffs/<handoff_id:int>")
    async def api_get(request: Request, handoff_id: int) -> response.HTTPResponse:
        handoff = await asyncio.to_thread(app.ctx.store.get, handoff_id)
        if handoff is None:
            return response.json({"error": "not found"}, status=404)
        return response.json(handoff.to_json())

    @app.post("/api/handoffs/<handoff_id:int>/<action:claim|resolve>")
    async def api_action(request: Request, handoff_id: int, action: str) -> response.HTTPResponse:
        staff = str(((request.json if request.body else None) or {}).get("staff") or "api")[:100]
        try:
            handoff = await asyncio.to_thread(getattr(app.ctx.store, action), handoff_id, staff)
        except NotFound:
            return response.json({"error": "not found"}, status=404)
        except InvalidTransition as error:
            return response.json({"error": f"not allowed: {error}"}, status=409)
        return response.json(handoff.to_json())
