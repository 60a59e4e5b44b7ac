"""A tiny Sanic app serving the clinic's page, its styles and the chat widget.

The visitor's browser talks to Rasa's socket.io channel directly; this app only
serves files, so it holds no conversation state and needs no access to Rasa.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
WIDGET_BUNDLE = STATIC_DIR / "vendor" / "rasa-webchat.js"


@dataclass(frozen=True)
class Settings:
    """Where to listen, and where the visitor's browser finds Rasa."""

    host: str
    port: int
    rasa_public_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        rasa_port = env.get("RASA_PORT", "5005")
        return cls(
            host=env.get("WEBCHAT_HOST", "127.0.0.1"),
            port=int(env.get("WEBCHAT_PORT", "8000")),
            rasa_public_url=env.get("RASA_PUBLIC_URL") or f"http://127.0.0.1:{rasa_port}",
        )

    @property
    def socket_url(self) -> str:
        """Rasa's origin: socket.io-client would read a path in the URL as a namespace."""
        parts = urlsplit(self.rasa_public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def socket_path(self) -> str:
        """The socket.io endpoint, under the public URL's path when Rasa sits behind a proxy."""
        return urlsplit(self.rasa_public_url).path.rstrip("/") + "/socket.io/"

    @property
    def content_security_policy(self) -> str:
        """Only this site and Rasa: the widget's stylesheet @imports a web font that
        this keeps from loading, so the page works offline and tells no one it was opened.
        """
        return "; ".join(
            [
                "default-src 'none'",
                "script-src 'self'",
                # The widget injects its styles as <style> elements at run time.
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                # The carousel styles bundled in the widget embed their icon font as data.
                "font-src data:",
                # HTTP long-polling only: the channel offers no WebSockets (socketio_channel.py).
                f"connect-src {self.socket_url}",
                "base-uri 'none'",
                "form-action 'none'",
                "frame-ancestors 'none'",
            ]
        )


def render_page(settings: Settings) -> str:
    """The page is the same for every visitor, so it is rendered once."""
    templates = Environment(
        loader=FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=select_autoescape()
    )
    return templates.get_template("index.html").render(
        socket_url=settings.socket_url, socket_path=settings.socket_path
    )


def create_app(settings: Settings) -> Sanic:
    """The web app; fails at start, not in the visitor's browser, if the widget is missing."""
    if not WIDGET_BUNDLE.is_file():
        raise FileNotFoundError(f"{WIDGET_BUNDLE} is missing: run `make webchat` first")
    app = Sanic("clinic_webchat")
    page = render_page(settings)
    security_headers = {
        "Content-Security-Policy": settings.content_security_policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }

    @app.get("/")
    async def index(_: Request) -> HTTPResponse:
        return response.html(page, headers=security_headers)

    app.static("/static", STATIC_DIR)
    return app
