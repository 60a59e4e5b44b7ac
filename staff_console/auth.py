"""Who may use the console: signed session cookies, CSRF tokens, a login rate limit, API tokens.

Passwords are checked by `HandoffStore.verify_staff_user` (bcrypt, next to the
stored hashes). The session is a cookie signed with HMAC-SHA256 under
STAFF_SESSION_SECRET: it holds the username, the session's CSRF token and its
expiry, so the server keeps no session state. A visitor who has not logged in
gets a session without a username, which carries the login form's CSRF token.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

SESSION_COOKIE = "staff_session"
SESSION_LIFETIME_S = 12 * 60 * 60  # one working day
CSRF_FIELD = "csrf_token"

Handler = Callable[..., Awaitable[HTTPResponse]]


@dataclass(frozen=True)
class StaffSession:
    """What the session cookie says; `username` is None until the person logs in."""

    csrf_token: str
    expires_at: float
    username: str | None = None

    @classmethod
    def start(cls, username: str | None = None, now: float | None = None) -> "StaffSession":
        """A new session with a fresh CSRF token (a new one at login: no session fixation)."""
        now = time.time() if now is None else now
        return cls(secrets.token_urlsafe(32), now + SESSION_LIFETIME_S, username)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Turns sessions into tamper-proof cookie values and back."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(secret.encode()).digest()

    def _signature(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def dumps(self, session: StaffSession) -> str:
        payload = _b64(json.dumps(asdict(session), separators=(",", ":")).encode())
        return f"{payload}.{self._signature(payload)}"

    def loads(self, cookie: str | None, now: float | None = None) -> StaffSession | None:
        """The session in a cookie value, or None if it is missing, forged or expired."""
        payload, _, signature = (cookie or "").partition(".")
        if not signature or not hmac.compare_digest(signature, self._signature(payload)):
            return None
        try:
            session = StaffSession(**json.loads(_unb64(payload)))
        except (ValueError, TypeError):
            return None
        return session if session.expires_at > (time.time() if now is None else now) else None


def set_session_cookie(
    reply: HTTPResponse, signer: SessionSigner, session: StaffSession, secure: bool
) -> None:
    """HttpOnly (no script can read it) and SameSite=Strict (no other site can send it)."""
    reply.cookies[SESSION_COOKIE] = signer.dumps(session)
    cookie = reply.cookies[SESSION_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = SESSION_LIFETIME_S
    cookie["secure"] = secure


def csrf_valid(session: StaffSession | None, submitted: str | None) -> bool:
    return bool(session and submitted) and hmac.compare_digest(
        session.csrf_token.encode(), str(submitted).encode()
    )


def bearer_token_valid(authorization: str | None, expected: str | None) -> bool:
    """Whether an `Authorization: Bearer …` header carries the API token (none is set: never)."""
    scheme, _, token = (authorization or "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def staff_only(handler: Handler) -> Handler:
    """Pages for logged-in staff; their POST forms must carry the session's CSRF token.

    Relies on the app's request middleware having put the session in `request.ctx.session`.
    """

    @wraps(handler)
    async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        session: StaffSession | None = request.ctx.session
        if session is None or session.username is None:
            return response.redirect(f"/login?next={quote(request.path)}", status=303)
        if request.method == "POST" and not csrf_valid(session, request.form.get(CSRF_FIELD)):
            return response.text("The form has expired: go back, reload and try again.", 403)
        return await handler(request, *args, **kwargs)

    return checked


class LoginRateLimiter:
    """At most `max_failures` failed logins per client per `window_s` seconds, in memory."""

    def __init__(
        self,
        max_failures: int = 5,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.window_s, self.clock = max_failures, window_s, clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= self.clock() - self.window_s:
            failures.popleft()
        if not failures:
            del self._failures[client]  # keeps memory bounded by the clients failing right now
        return failures

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.max_failures

    def record_failure(self, client: str) -> None:
        self._failures[client].append(self.clock())

    def reset(self, client: str) -> None:
        self._failures.pop(client, None)
