"""A typed number or option title counts as that button (channels/options.py)."""

import pytest

from channels.options import OfferedOptions, chosen_payload
from channels.stores import MemoryStore

OPTIONS = [
    {"title": "Yes", "payload": "Yes"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "Not sure"},
]


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("1", "Yes"),
        ("2", "/deny"),
        (" 3. ", "Not sure"),
        ("3)", "Not sure"),
        ("no", "/deny"),
        ("NOT   SURE", "Not sure"),
        ("4", None),
        ("0", None),
        ("²", None),
        ("no thanks", None),
        ("1234", None),
    ],
)
def test_chosen_payload(reply, payload):
    assert chosen_payload(OPTIONS, reply) == payload


@pytest.fixture
def options() -> OfferedOptions:
    return OfferedOptions(MemoryStore(max_entries=10, ttl_s=60))


async def test_translates_for_the_person_the_options_were_offered_to(options):
    await options.remember("alice", OPTIONS)
    assert await options.translate("alice", "2") == "/deny"
    assert await options.translate("bob", "2") == "2"


async def test_text_that_names_no_option_is_unchanged(options):
    await options.remember("alice", OPTIONS)
    assert await options.translate("alice", "how long does a session take?") == (
        "how long does a session take?"
    )
    assert await options.translate("alice", None) is None


async def test_a_message_without_buttons_withdraws_the_options(options):
    await options.remember("alice", OPTIONS)
    await options.forget("alice")
    assert await options.translate("alice", "2") == "2"


async def test_only_the_latest_options_count(options):
    await options.remember("alice", OPTIONS)
    await options.remember("alice", [{"title": "Psoriasis"}, {"title": "Eczema"}])
    assert await options.translate("alice", "2") == "Eczema"
