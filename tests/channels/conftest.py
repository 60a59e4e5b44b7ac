"""The WhatsApp patients the channel tests talk as: one per test, on the running bot."""

import pytest

from tests.channels.fakes import FakeGraphApi, FakeTwilioApi
from tests.channels.test_conversations import TwilioPatient, WhatsAppPatient
from tests.channels.webhooks import new_twilio_sender, new_wa_id
from tests.servers import RunningBot


@pytest.fixture
def patient(bot: RunningBot, fake_graph_api: FakeGraphApi) -> WhatsAppPatient:
    """A new patient on the WhatsApp Cloud API channel."""
    return WhatsAppPatient(bot, fake_graph_api, new_wa_id())


@pytest.fixture
def twilio_patient(bot: RunningBot, fake_twilio_api: FakeTwilioApi) -> TwilioPatient:
    """A new patient on the Twilio WhatsApp channel."""
    return TwilioPatient(bot, fake_twilio_api, new_twilio_sender())
