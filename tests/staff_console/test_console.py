"""The console's pages, through a real server (see conftest.py), as a browser would use them."""

import io
import re
import subprocess
import sys
from pathlib import Path

import requests
import yaml

from clinic_store import staff_users
from clinic_store.staff_users import StaffUsers
from staff_console.__main__ import main as staff_console_main
from staff_console.auth import LoginRateLimiter, SessionSigner, StaffSession
from staff_console.transcripts import read_transcript
from tests.servers import REPO_ROOT
from tests.staff_console.conftest import Console, csrf_token, log_in

ATTACK = "<script>alert(1)</script>"
ESCAPED_ATTACK = "&lt;script&gt;alert(1)&lt;/script&gt;"
SPEC = REPO_ROOT.parent / "shared" / "spec" / "contraindications.md"
OTHER_REASONS = {
    "post_treatment_concern",
    "post_treatment_review",
    "human_requested",
    "repeated_fallback",
    "consultation_request",
    "post_treatment_media",
}


def test_the_login_page_sets_a_strict_http_only_session_cookie(console: Console):
    reply = requests.get(f"{console.url}/login", timeout=10)
    cookie = reply.headers["Set-Cookie"]
    assert cookie.startswith("staff_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain HTTP on loopback here
    assert reply.headers["Cache-Control"] == "no-store"
    # Only the console's own script file runs: nothing inline, nothing from elsewhere.
    policy = dict(
        part.strip().split(" ", 1) for part in reply.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'none'"


def test_pages_need_a_login_and_return_to_where_staff_were_going(console: Console):
    handoff = console.raise_handoff(["pregnancy"])
    path = f"/handoffs/{handoff.id}"
    reply = requests.get(f"{console.url}{path}", allow_redirects=False, timeout=10)
    assert reply.status_code == 303 and reply.headers["Location"] == f"/login?next={path}"

    _, reply = log_in(console, next_path=path)
    assert reply.status_code == 303 and reply.headers["Location"] == path
    # Never off to another site, whatever the link said.
    _, reply = log_in(console, next_path="//evil.example/phish")
    assert reply.headers["Location"] == "/"


def test_a_wrong_password_or_a_login_without_csrf_token_is_refused(console: Console):
    _, reply = log_in(console, password="wrong", **{"X-Real-IP": "192.0.2.1"})
    assert reply.status_code == 401 and "Wrong username or password" in reply.text

    reply = requests.post(
        f"{console.url}/login",
        data={"username": "nurse.kim", "password": "correct horse battery"},
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 403


def test_five_failed_logins_in_a_minute_block_that_client(console: Console):
    client = {"X-Real-IP": "198.51.100.7"}
    for _ in range(5):
        assert log_in(console, password="guess", **client)[1].status_code == 401
    assert log_in(console, **client)[1].status_code == 429
    assert log_in(console, **{"X-Real-IP": "198.51.100.8"})[1].status_code == 303


def test_the_list_shows_urgent_handoffs_first(console: Console, staff: requests.Session):
    normal = console.raise_handoff(["eczema"])
    urgent = console.raise_handoff(["post_treatment_concern"])
    page = staff.get(f"{console.url}/", timeout=10).text

    assert page.index(urgent.reference) < page.index(normal.reference)
    assert "Urgent sign after treatment" in page and "Eczema" in page
    assert "Resolved" in page  # the filter links


def test_the_detail_page_escapes_what_the_patient_wrote(console: Console, staff: requests.Session):
    handoff = console.raise_handoff(
        ["pregnancy", "acne_medication"],
        contact_name=ATTACK,
        contact_email="ann@example.org",
        answers={"pregnancy": "unsure", "skin_condition_type": ["eczema"]},
        summary=f"Last message: {ATTACK}",
    )
    console.add_messages(
        handoff.conversation_id,
        ("user", f"I might be pregnant {ATTACK}"),
        ("bot", "Thank you. A member of staff will contact you."),
    )
    page = staff.get(f"{console.url}/handoffs/{handoff.id}", timeout=10).text

    assert ATTACK not in page
    assert page.count(ESCAPED_ATTACK) == 4  # the name (shown, and in its form), summary, message
    assert "Pregnant or may be pregnant" in page and "<code>acne_medication</code>" in page
    assert "mailto:ann@example.org" in page and "Eczema" in page
    transcript = re.findall(r'<li class="(user|bot)" dir="auto">', page)
    assert transcript == ["user", "bot"]
    assert page.index("I might be pregnant") < page.index("A member of staff will contact you")


def test_staff_claim_then_resolve_with_the_forms(console: Console, staff: requests.Session):
    handoff = console.raise_handoff(["human_requested"])
    detail = f"{console.url}/handoffs/{handoff.id}"

    token = csrf_token(staff.get(detail, timeout=10).text)
    reply = staff.post(f"{detail}/claim", data={"csrf_token": token}, allow_redirects=False)
    assert reply.status_code == 303 and reply.headers["Location"] == f"/handoffs/{handoff.id}"
    claimed = console.store.get(handoff.id)
    assert (claimed.status, claimed.claimed_by) == ("claimed", "nurse.kim")
    assert "Claimed by nurse.kim" in staff.get(detail, timeout=10).text

    staff.post(f"{detail}/resolve", data={"csrf_token": token}, timeout=10)
    assert console.store.get(handoff.id).status == "resolved"

    reply = staff.post(f"{detail}/claim", data={"csrf_token": token}, timeout=10)
    assert reply.status_code == 409 and "cannot become claimed" in reply.text


def test_a_form_without_the_csrf_token_changes_nothing(console: Console, staff: requests.Session):
    handoff = console.raise_handoff(["human_requested"])
    detail = f"{console.url}/handoffs/{handoff.id}"
    for data in ({}, {"csrf_token": "forged"}):
        reply = staff.post(f"{detail}/claim", data=data, allow_redirects=False, timeout=10)
        assert reply.status_code == 403
    assert console.store.get(handoff.id).status == "open"


def test_an_unknown_handoff_is_not_found(console: Console, staff: requests.Session):
    assert staff.get(f"{console.url}/handoffs/999999", timeout=10).status_code == 404


def test_logging_out_ends_the_session(console: Console, staff: requests.Session):
    token = csrf_token(staff.get(f"{console.url}/", timeout=10).text)
    staff.post(f"{console.url}/logout", data={"csrf_token": token}, timeout=10)
    assert staff.get(f"{console.url}/", allow_redirects=False, timeout=10).status_code == 303


def test_create_user_reads_the_password_from_stdin(tmp_path: Path):
    database_url = f"sqlite:///{tmp_path / 'users.db'}"
    created = subprocess.run(
        [sys.executable, "-m", "staff_console", "create-user", "dr.lee"],
        input="s3cret words\n",
        env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    assert StaffUsers(database_url).verify("dr.lee", "s3cret words")


def test_create_user_refuses_an_empty_password_and_a_taken_name(
    tmp_path: Path, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'users.db'}")
    monkeypatch.setattr(staff_users, "BCRYPT_ROUNDS", 4)

    def create(password_line: str) -> int:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password_line))
        return staff_console_main(["create-user", "dr.lee"])

    assert create("\n") == 1 and "empty password" in capsys.readouterr().err
    assert create("first\n") == 0
    assert create("second\n") == 1 and "already" in capsys.readouterr().err


def test_sessions_cannot_be_forged_or_outlive_their_expiry():
    signer = SessionSigner("secret")
    session = StaffSession.start("kim", now=1000.0)
    cookie = signer.dumps(session)
    assert signer.loads(cookie, now=1001.0) == session
    assert signer.loads(cookie, now=session.expires_at + 1) is None
    assert SessionSigner("other secret").loads(cookie, now=1001.0) is None
    payload, signature = cookie.split(".")
    assert signer.loads(f"{payload}x.{signature}", now=1001.0) is None
    assert signer.loads(None) is None and signer.loads("garbage") is None


def test_the_login_limit_forgets_failures_after_a_minute():
    clock = [0.0]
    limiter = LoginRateLimiter(max_failures=5, window_s=60, clock=lambda: clock[0])
    for _ in range(5):
        limiter.record_failure("203.0.113.9")
    assert limiter.blocked("203.0.113.9") and not limiter.blocked("203.0.113.10")
    clock[0] = 60.5
    assert not limiter.blocked("203.0.113.9")


def test_a_tracker_store_without_conversations_gives_an_empty_transcript(tmp_path: Path):
    assert read_transcript(f"sqlite:///{tmp_path / 'empty.db'}", "anyone") == []


def test_every_handoff_reason_has_a_label():
    labels = yaml.safe_load((REPO_ROOT / "content" / "reason_labels.yml").read_text())
    spec_codes = set(re.findall(r"^\| `(\w+)` \|", SPEC.read_text(), flags=re.MULTILINE))
    assert len(spec_codes) == 17
    assert set(labels) == spec_codes | OTHER_REASONS
    assert all(isinstance(label, str) and label for label in labels.values())


def list_card(listing: str, reference: str) -> str:
    """The list item of one hand-off on the list page."""
    return next(card for card in listing.split("</li>") if reference in card)


def test_a_handoff_without_contact_details_says_so_with_its_conversation_and_channel(
    console: Console, staff: requests.Session
):
    silent = console.raise_handoff(["human_requested"], contact_name="Ann")
    reachable = console.raise_handoff(["human_requested"], contact_phone="+923001234567")
    listing = staff.get(f"{console.url}/", timeout=10).text
    silent_card = list_card(listing, silent.reference)
    assert "No contact details given" in silent_card
    assert silent.conversation_id in silent_card and "rest" in silent_card
    assert "No contact details given" not in list_card(listing, reachable.reference)

    detail = staff.get(f"{console.url}/handoffs/{silent.id}", timeout=10).text
    assert "No contact details given" in detail
    assert f"{silent.conversation_id} on rest" in detail
    reachable_detail = staff.get(f"{console.url}/handoffs/{reachable.id}", timeout=10).text
    assert "No contact details given" not in reachable_detail


def test_staff_see_the_language_the_patient_writes_and_their_message_as_written(
    console: Console, staff: requests.Session
):
    urdu = console.raise_handoff(["human_requested"], language="ur")
    unknown = console.raise_handoff(["human_requested"])
    console.add_messages(urdu.conversation_id, ("user", "کیا اس میں درد ہوتا ہے؟"))
    listing = staff.get(f"{console.url}/", timeout=10).text
    assert "writes Urdu (Urdu script)" in list_card(listing, urdu.reference)
    assert "writes not known" in list_card(listing, unknown.reference)

    detail = staff.get(f"{console.url}/handoffs/{urdu.id}", timeout=10).text
    assert "The patient writes Urdu (Urdu script)." in detail
    assert '<li class="user" dir="auto">' in detail and "کیا اس میں درد ہوتا ہے؟" in detail
