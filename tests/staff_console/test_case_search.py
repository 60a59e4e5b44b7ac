"""Finding cases: search and filters together, on SQLite and on PostgreSQL, with Rasa's
events in the same database as production mode has them."""

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest
import sqlalchemy as sa

from clinic_store.database import engine_for, migrate
from clinic_store.desk import CaseDesk
from clinic_store.handoffs import HandoffStore
from clinic_store.messages import ConversationMessages
from clinic_store.staff_users import StaffUsers
from staff_console.case_search import CaseQuery, InvalidQuery, find_cases, known_channels
from tests.databases import postgres_database

REGIONS = ("PK", "GB")
# Rasa's tracker store table, as far as the console reads it.
EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("data", sa.Text),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clinic.db'}"
        return
    with postgres_database() as url:
        try:
            yield url
        finally:
            engine_for(url).dispose()


class Cases:
    """Hand-offs, their conversations in Rasa's events and the search over them."""

    def __init__(self, database_url: str) -> None:
        migrate(database_url)
        EVENTS.create(engine_for(database_url))
        self.url = database_url
        self.store = HandoffStore(database_url)

    def raise_(self, reasons: list[str], *said: str, **details) -> int:
        conversation = f"search-{uuid.uuid4().hex[:8]}"
        handoff = self.store.raise_handoff(
            conversation_id=conversation,
            reasons=reasons,
            answers={},
            summary="",
            notify_channels=[],
            **{"channel": "rest", **details},
        )
        with engine_for(self.url).begin() as connection:
            for text in said:
                data = json.dumps({"event": "user", "text": text, "parse_data": {"text": text}})
                connection.execute(
                    EVENTS.insert().values(
                        sender_id=conversation, type_name="user", timestamp=time.time(), data=data
                    )
                )
        return handoff.id

    def find(self, text: str = "", **filters) -> list[int]:
        query = CaseQuery(text=text, **{"show": "all", **filters})
        return [h.id for h in find_cases(self.store, self.url, query, REGIONS)]


@pytest.fixture
def cases(database_url: str) -> Cases:
    return Cases(database_url)


def test_search_finds_a_case_by_name_phone_reference_or_email_in_any_case(cases: Cases):
    sana = cases.raise_(["eczema"], contact_name="Sana Tariq", contact_phone="+923001234567")
    ali = cases.raise_(["human_requested"], contact_email="Ali.Raza@example.org")
    profile = cases.raise_(["herpes"], channel="whatsapp", profile_name="Ayesha K")

    assert cases.find("sana") == cases.find("TARIQ") == [sana]
    assert cases.find("0300 1234567") == cases.find("1234567") == [sana]
    assert cases.find("ali.raza@") == [ali]
    assert cases.find("ayesha") == [profile]
    reference = cases.store.get(ali).reference
    assert cases.find(reference.lower()) == [ali]


def test_search_finds_what_the_patient_or_staff_wrote(cases: Cases):
    said = cases.raise_(["human_requested"], "Mera chehra bohat laal hai", "Müşteri — café")
    urdu = cases.raise_(["human_requested"], "میرا چہرہ سرخ ہے")
    written = cases.raise_(["human_requested"])
    cases.store.claim(written, "Kim")
    ConversationMessages(cases.url).add_staff_message(written, "Kim", "Your booking is Friday")
    cases.raise_(["human_requested"], "something else")

    assert cases.find("BOHAT LAAL") == [said]
    assert cases.find("café") == cases.find("MÜŞTERI") == cases.find("CAFÉ") == [said]
    assert cases.find("چہرہ") == [urdu]
    assert cases.find("booking is friday") == [written]
    # The words of the event's JSON itself are not what anyone wrote.
    assert cases.find("parse_data") == []
    assert cases.find("100%") == cases.find("_") == []


def test_filters_combine_with_each_other_and_with_the_search(cases: Cases):
    urgent_web = cases.raise_(["post_treatment_concern"], "it hurts", contact_name="Zara")
    flag_wa = cases.raise_(["pregnancy"], "it hurts", channel="whatsapp", contact_name="Zara")
    normal_wa = cases.raise_(["human_requested"], channel="whatsapp", contact_name="Zara")
    resolved = cases.raise_(["pregnancy"], "it hurts", channel="whatsapp", contact_name="Zara")
    cases.store.resolve(resolved, "Kim")
    StaffUsers(cases.url).create("dr.lee", "secret")
    CaseDesk(cases.url).assign(normal_wa, "dr.lee", "Kim")

    assert cases.find("zara") == [urgent_web, flag_wa, resolved, normal_wa]
    assert cases.find("zara", show="active") == [urgent_web, flag_wa, normal_wa]
    assert cases.find("zara", show="resolved") == [resolved]
    assert cases.find("zara", channels=("whatsapp",), show="active") == [flag_wa, normal_wa]
    assert cases.find("hurts", priorities=("screening",), channels=("whatsapp",)) == [
        flag_wa,
        resolved,
    ]
    assert cases.find("", priorities=("urgent", "normal"), show="active") == [
        urgent_web,
        normal_wa,
    ]
    assert cases.find("zara", assignee="dr.lee") == [normal_wa]
    assert known_channels(cases.store) == ["rest", "whatsapp"]


def test_a_query_string_becomes_a_query_and_back():
    args = {
        "q": ["  sana   tariq "],
        "show": ["resolved"],
        "priority": ["urgent", "screening"],
        "channel": ["whatsapp"],
        "assigned": ["dr.lee"],
    }
    query = CaseQuery.from_args(args)
    assert query == CaseQuery(
        "sana tariq", "resolved", ("urgent", "screening"), ("whatsapp",), "dr.lee"
    )
    # What a link (or a bookmark) of the list holds is the same query again.
    assert CaseQuery.from_args(parse_qs(urlencode(query.to_args()))) == query
    assert query.to_args(show="all") == [
        ("q", "sana tariq"),
        ("show", "all"),
        ("priority", "urgent"),
        ("priority", "screening"),
        ("channel", "whatsapp"),
        ("assigned", "dr.lee"),
    ]
    assert CaseQuery.from_args({}) == CaseQuery()
    for bad in ({"show": ["gone"]}, {"priority": ["whenever"]}):
        with pytest.raises(InvalidQuery):
            CaseQuery.from_args(bad)
