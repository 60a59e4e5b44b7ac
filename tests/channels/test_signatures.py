"""Webhook signatures from Meta and Twilio (channels/signatures.py)."""

import hashlib
import hmac

import pytest

from channels.signatures import meta_signature, meta_signature_valid, twilio_signature_valid
from tests.channels.webhooks import twilio_form, twilio_headers

BODY = b'{"object": "whatsapp_business_account", "entry": []}'
SECRET = "app-secret"
GOOD = "sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
URL = "https://clinic.example/webhooks/twilio/webhook"
TOKEN = "twilio-token"


def test_meta_signature_is_the_hex_hmac_sha256_of_the_raw_body():
    assert meta_signature(BODY, SECRET) == GOOD


def test_a_good_meta_signature_is_accepted():
    assert meta_signature_valid(BODY, GOOD, SECRET)


@pytest.mark.parametrize(
    ("body", "header", "secret"),
    [
        (BODY + b" ", GOOD, SECRET),  # body changed after signing
        (BODY, GOOD, "another-secret"),
        (BODY, GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"), SECRET),
        (BODY, None, SECRET),  # unsigned
        (BODY, "", SECRET),
        (BODY, GOOD.removeprefix("sha256="), SECRET),  # no algorithm prefix
        (BODY, "sha1=" + GOOD.removeprefix("sha256="), SECRET),  # wrong algorithm prefix
        (BODY, "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(), SECRET),
        (BODY, "sha256=ünïcode", SECRET),
        (BODY, GOOD, ""),  # no app secret configured: nothing is trusted
        (BODY, GOOD, None),
        (BODY, meta_signature(BODY, ""), ""),
    ],
)
def test_anything_else_is_refused(body, header, secret):
    assert not meta_signature_valid(body, header, secret)


def test_a_good_twilio_signature_is_accepted():
    form = twilio_form("whatsapp:+447700900123", "hello")
    headers = twilio_headers(URL, form, TOKEN)
    assert twilio_signature_valid(URL, form, headers["X-Twilio-Signature"], TOKEN)


def test_twilio_signature_with_the_port_twilio_may_add():
    form = twilio_form("whatsapp:+447700900123", "hello")
    signature = twilio_headers("https://clinic.example:443/webhooks/twilio/webhook", form, TOKEN)
    assert twilio_signature_valid(URL, form, signature["X-Twilio-Signature"], TOKEN)


@pytest.mark.parametrize(
    ("url", "changed", "token"),
    [
        (URL, {"Body": "something else"}, TOKEN),  # form changed after signing
        ("https://elsewhere.example/webhooks/twilio/webhook", {}, TOKEN),
        (URL, {}, "another-token"),
        (URL, {}, ""),  # no auth token configured: nothing is trusted
    ],
)
def test_a_wrong_twilio_signature_is_refused(url, changed, token):
    form = twilio_form("whatsapp:+447700900123", "hello")
    signature = twilio_headers(URL, form, TOKEN)["X-Twilio-Signature"]
    assert not twilio_signature_valid(url, {**form, **changed}, signature, token)


@pytest.mark.parametrize("header", [None, ""])
def test_an_unsigned_twilio_request_is_refused(header):
    assert not twilio_signature_valid(URL, twilio_form("whatsapp:+1", "hi"), header, TOKEN)
