"""Photos sent on WhatsApp to the running bot (Cloud API and Twilio fakes): acknowledged at
once, fetched into the clinic's storage, shown to staff behind the console's login,
exported and deleted with the conversation; after a report after treatment they reach
staff with a hand-off; while staff hold the conversation the bot stays silent."""

import base64
import hashlib
import re
import time

import pytest
import requests

from clinic_store.handoffs import HandoffStore
from clinic_store.media import MediaStore
from clinic_store.outbox import Outbox
from clinic_store.staff_users import StaffUsers
from tests.channels.test_conversations import (
    TOP_LEVEL,
    WhatsAppPatient,
    body_text,
)
from tests.channels.webhooks import (
    media_payload,
    twilio_headers,
    twilio_media_form,
)
from tests.content_files import faq_answer
from tests.e2e.conversation import response_text
from tests.servers import eventually
from tests.staff_api import AUTH, staff, staff_api, take_over, transcript

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
PHOTO = b"\xff\xd8\xff\xe0 a photo of a red cheek " * 100
SILENCE_S = 2.0
STAFF_LOGIN = ("media.nurse", "a long test password")


@pytest.fixture(scope="module")
def console_login(bot) -> requests.Session:
    """A member of staff logged in to the running bot's console."""
    users = StaffUsers(bot.database_url)
    if not users.verify(*STAFF_LOGIN):
        users.create(*STAFF_LOGIN)
    browser = requests.Session()
    form = browser.get(f"{bot.console_url}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = browser.post(
        f"{bot.console_url}/login",
        data={"csrf_token": token, "username": STAFF_LOGIN[0], "password": STAFF_LOGIN[1]},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303
    return browser


def send_photo(patient: WhatsAppPatient, caption: str | None = None, **kwargs) -> list[dict]:
    media_id = patient.graph.add_file(PHOTO)
    image = {
        "id": media_id,
        "mime_type": "image/jpeg",
        # Meta's webhooks give the checksum in base64.
        "sha256": base64.b64encode(hashlib.sha256(PHOTO).digest()).decode(),
        **({"caption": caption} if caption else {}),
    }
    return patient.turn(media_payload(patient.number, "image", image), **kwargs)


def stored_media(bot, conversation_id: str) -> list:
    """The conversation's media, once every one is stored."""
    media = MediaStore(bot.database_url).for_conversation(conversation_id)
    return media if media and all(m.status == "stored" for m in media) else []


def api_media(bot, conversation_id: str) -> list[dict]:
    return [m["media"] for m in transcript(bot, conversation_id) if m["media"]]


def test_a_photo_with_a_caption_is_answered_stored_shown_exported_and_deleted(
    bot, patient, console_login
):
    replies = send_photo(patient, "how long does a session take?", done=lambda r: len(r) >= 3)
    texts = [body_text(reply) for reply in replies]
    # The caption is the patient's question; the photo is acknowledged; staff are offered.
    assert texts == [
        faq_answer("duration"),
        response_text("utter_media_cannot_view"),
        response_text("utter_media_offer_staff"),
    ]
    assert replies[-1]["type"] == "interactive"

    (media,) = eventually(lambda: stored_media(bot, patient.number))
    assert (media.kind, media.mime_type, media.size, media.caption) == (
        "image",
        "image/jpeg",
        len(PHOTO),
        "how long does a session take?",
    )
    assert media.sha256 == hashlib.sha256(PHOTO).hexdigest()
    (listed,) = api_media(bot, patient.number)
    assert (listed["id"], listed["status"], listed["sha256"]) == (media.id, "stored", media.sha256)

    # Staff only: the console's route wants a login, the API's its token.
    url = f"{bot.console_url}/media/{media.id}"
    anonymous = requests.get(url, allow_redirects=False, timeout=10)
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/login")
    shown = console_login.get(url, timeout=10)
    assert (shown.status_code, shown.content) == (200, PHOTO)
    assert shown.headers["Content-Type"] == "image/jpeg"
    api_url = f"{bot.console_url}/api/media/{media.id}"
    assert requests.get(api_url, timeout=10).status_code == 401
    assert requests.get(api_url, headers=AUTH, timeout=10).content == PHOTO

    exported = staff(bot, "GET", f"/conversations/{patient.number}/export")
    (item,) = exported["media"]
    assert base64.b64decode(item["content_base64"]) == PHOTO

    deleted = staff(bot, "DELETE", f"/conversations/{patient.number}")["deleted"]
    assert deleted["media"] == 1
    assert MediaStore(bot.database_url).for_conversation(patient.number) == []
    assert requests.get(api_url, headers=AUTH, timeout=10).status_code == 404


def test_a_twilio_photo_after_a_report_after_treatment_reaches_staff_with_a_handoff(
    bot, twilio_patient, fake_twilio_api, console_login
):
    replies = twilio_patient.say("my face has been red for two weeks since the treatment")
    assert response_text("utter_triage_offer_review").split("?")[0] in replies[-1]

    media_url = fake_twilio_api.media_url(fake_twilio_api.add_file(PHOTO))
    form = twilio_media_form(twilio_patient.number, "", [(media_url, "image/jpeg")])
    url = twilio_patient.webhook_url
    before = len(fake_twilio_api.sent_to(twilio_patient.number))
    answer = requests.post(url, data=form, headers=twilio_headers(url, form), timeout=60)
    assert answer.status_code == 204
    replies = fake_twilio_api.sent_to(twilio_patient.number)[before:]
    assert replies[0] == response_text("utter_media_cannot_view")
    reference = REFERENCE.search(replies[1]).group(0)

    handoff = HandoffStore(bot.database_url).get_by_reference(reference)
    assert handoff.reasons == ("post_treatment_media",) and handoff.priority == "normal"
    assert handoff.contact["phone"] == twilio_patient.number.removeprefix("whatsapp:")
    (media,) = eventually(lambda: stored_media(bot, twilio_patient.number))
    assert media.handoff_id == handoff.id
    assert media.sha256 == hashlib.sha256(PHOTO).hexdigest()

    page = console_login.get(f"{bot.console_url}/handoffs/{handoff.id}", timeout=10).text
    assert f'<img class="media" src="/media/{media.id}"' in page


def test_a_photo_while_staff_hold_the_conversation_gets_no_reply_but_reaches_staff(bot, patient):
    replies = patient.say(
        "can I speak to a real person please",
        done=lambda sent: any(REFERENCE.search(body_text(m)) for m in sent),
    )
    reference = REFERENCE.search(body_text(replies[-1])).group(0)
    path = take_over(bot, reference)
    handoff_id = int(path.rsplit("/", 1)[1])

    before = len(patient.graph.sent_to(patient.number))
    media_id = patient.graph.add_file(PHOTO)
    image = {"id": media_id, "mime_type": "image/jpeg"}
    assert patient.post(media_payload(patient.number, "image", image)) == 200
    (media,) = eventually(lambda: stored_media(bot, patient.number))
    time.sleep(SILENCE_S)
    assert patient.graph.sent_to(patient.number)[before:] == []  # the bot is silent

    assert media.handoff_id == handoff_id
    assert [m["id"] for m in api_media(bot, patient.number)] == [media.id]
    kinds = eventually(
        lambda: {n.kind for n in Outbox(bot.database_url).notifications(handoff_id)} - {"handoff"}
    )
    assert kinds == {"media_received"}  # staff hear of the photo (and of nothing else)
    assert staff_api(bot, "GET", f"/media/{media.id}").content == PHOTO


def test_a_photo_during_the_questionnaire_is_acknowledged_and_the_question_comes_again(
    bot, twilio_patient, fake_twilio_api
):
    question = twilio_patient.say("can I have microneedling?")[-1]
    assert question.startswith(response_text("utter_ask_screening_form_pregnancy"))

    media_url = fake_twilio_api.media_url(fake_twilio_api.add_file(PHOTO))
    form = twilio_media_form(twilio_patient.number, "", [(media_url, "image/jpeg")])
    url = twilio_patient.webhook_url
    before = len(fake_twilio_api.sent_to(twilio_patient.number))
    assert requests.post(url, data=form, headers=twilio_headers(url, form), timeout=60).ok
    replies = fake_twilio_api.sent_to(twilio_patient.number)[before:]
    assert replies[0] == response_text("utter_media_cannot_view")
    assert replies[-1] == question  # the same question, with its numbered options
    # The photo was no answer: the questionnaire goes on from the same question.
    following = response_text(f"utter_ask_screening_form_{TOP_LEVEL[1]}")
    assert twilio_patient.say("2")[-1].startswith(following)
