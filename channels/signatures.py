"""Is a webhook request really from Meta or Twilio? Without a configured secret, nothing is."""

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from twilio.request_validator import RequestValidator

META_SIGNATURE_HEADER = "X-Hub-Signature-256"
TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"


def meta_signature(body: bytes, app_secret: str) -> str:
    """The `X-Hub-Signature-256` Meta sends with `body`: sha256=<hex HMAC-SHA256, app secret>."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def meta_signature_valid(body: bytes, header: str | None, app_secret: str | None) -> bool:
    """True only if `header` is the signature of the exact raw `body` (constant-time compare)."""
    if not app_secret or not header:
        return False
    # Bytes, because compare_digest refuses str with non-ASCII characters.
    return hmac.compare_digest(
        meta_signature(body, app_secret).encode(), header.strip().encode(errors="replace")
    )


def twilio_signature_valid(
    url: str, params: Mapping[str, Any], header: str | None, auth_token: str | None
) -> bool:
    """True only if `header` is Twilio's signature of `url` and the form `params`.

    `params` may be a plain dict or a multi-dict with `getlist` (Sanic's `request.form`).
    """
    if not auth_token or not header:
        return False
    return RequestValidator(auth_token).validate(url, params, header)
