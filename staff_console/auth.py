"""Staff sign-in: signed session cookies, CSRF tokens, login rate limiting, API bearer tokens."""

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from typing import Optional

SESSION_COOKIE = "staff_session"
SESSION_MAX_AGE_S = 8 * 3600
MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW_S = 60


class Signer:
    """Signs and checks values with HMAC-SHA256 under the console's secret."""

    def __init__(self, secret: str | None) -> None:
        # Without a configured secret, sessions last only as long as the process.
        self._key = (secret or secrets.token_hex(32)).encode()

    def _mac(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    def session_cookie(self, username: str, now: Optional[float] = None) -> str:
        issued = int(now if now is not None else time.time())
        value = f"{username}|{issued}"
        return f"{value}|{self._mac(value)}"

    def username_from_cookie(self, cookie: Optional[str], now: Optional[float] = None) -> Optional[str]:
        """The signed-in user, or None for a missing, forged or expired cookie."""
        if not cookie or cookie.count("|") != 2:
            return None
        username, issued, mac = cookie.split("|")
        if not hmac.compare_digest(mac, self._mac(f"{username}|{issued}")):
            return None
        current = now if now is not None else time.time()
        if not issued.isdigit() or current - int(issued) > SESSION_MAX_AGE_S:
            return None
        return username

    def csrf_token(self, cookie: str) -> str:
        """A form token bound to the session, so another site cannot post for it."""
        return self._mac(f"csrf|{cookie}")

    def csrf_valid(self, cookie: Optional[str], token: Optional[str]) -> bool:
        return bool(cookie and token) and hmac.compare_digest(token, self.csrf_token(cookie))


class LoginThrottle:
    """At most MAX_FAILED_LOGINS failures per client address per minute."""

    def __init__(self) -> None:
        self._failures: dict[str, deque] = defaultdict(deque)

    def _recent(self, client: str, now: float) -> deque:
        failures = self._failures[client]
        while failures and now - failures[0] > FAILED_LOGIN_WINDOW_S:
            failures.popleft()
        return failures

    def blocked(self, client: str, now: Optional[float] = None) -> bool:
        return len(self._recent(client, now or time.time())) >= MAX_FAILED_LOGINS

    def failed(self, client: str, now: Optional[float] = None) -> None:
        self._recent(client, now or time.time()).append(now or time.time())


def bearer_token_valid(header: Optional[str], expected: str) -> bool:
    """An `Authorization: Bearer <token>` header matching the configured token."""
    if not expected or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").encode(), expected.encode())
