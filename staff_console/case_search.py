"""Finding cases: search by name, phone, reference or message text; filter by status,
priority, channel and assignee. The console's list and the API's share it.

The filters and the search combine (all must hold). A query string is the whole
search and the filters both (`CaseQuery.from_args` / `to_args`), so a list staff
see can be bookmarked. Message text is searched in Rasa's tracker store (what the
patient and the bot wrote) and in the clinic database (what staff wrote); both
may be SQLite or PostgreSQL, so only portable SQL is used: a LIKE that narrows the
tracker's events down, then the text of each event read back and compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from clinic_store.contact_parsing import parse_contact
from clinic_store.database import engine_for
from clinic_store.handoffs import HandoffStore
from clinic_store.models import ACTIVE_STATUSES, PRIORITIES, STATUSES, ConversationMessage, Handoff
from clinic_store.views import HandoffView
from staff_console.transcripts import EVENTS, SPEAKERS

# The status filter: "active" (open and claimed, the default), one status, or all of them.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "active": ACTIVE_STATUSES,
    **{status: (status,) for status in STATUSES},
    "all": STATUSES,
}
MAX_QUERY_CHARS = 200
# Fewer digits than this are part of a name or a reference, not a phone number.
MIN_PHONE_DIGITS = 4


class InvalidQuery(ValueError):
    """A filter value the list does not know."""


@dataclass(frozen=True)
class CaseQuery:
    """What staff look for; empty filters let everything through."""

    text: str = ""
    show: str = "active"
    priorities: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    assignee: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Sequence[str]], status_key: str = "show") -> CaseQuery:
        """From a query string (Sanic's `request.args`: each key with its list of values):
        `q`, `show` (or `status_key`), `priority` and `channel` (each repeatable), `assigned`."""
        show = (args.get(status_key) or ["active"])[0]
        priorities = tuple(dict.fromkeys(v for v in args.get("priority", []) if v))
        if show not in STATUS_FILTERS:
            raise InvalidQuery(f"{status_key} must be one of {', '.join(STATUS_FILTERS)}")
        if not set(priorities) <= set(PRIORITIES):
            raise InvalidQuery(f"priority must be one of {', '.join(PRIORITIES)}")
        return cls(
            text=" ".join((args.get("q") or [""])[0].split())[:MAX_QUERY_CHARS],
            show=show,
            priorities=priorities,
            channels=tuple(dict.fromkeys(v for v in args.get("channel", []) if v)),
            assignee=(args.get("assigned") or [""])[0] or None,
        )

    def to_args(self, **changes: Any) -> list[tuple[str, str]]:
        """This query (with `changes`) as query-string pairs, for links that keep it."""
        query = replace(self, **changes)
        pairs = [("q", query.text), ("show", query.show)]
        pairs += [("priority", priority) for priority in query.priorities]
        pairs += [("channel", channel) for channel in query.channels]
        pairs.append(("assigned", query.assignee or ""))
        return [(key, value) for key, value in pairs if value]


def _contains(column: sa.ColumnElement, text: str) -> sa.ColumnElement:
    """Case-insensitive substring match, the same on SQLite and PostgreSQL."""
    return sa.func.lower(column).contains(text.lower(), autoescape=True)


def _phone_conditions(text: str, regions: tuple[str, ...]) -> list[sa.ColumnElement]:
    """The stored E.164 number is the one typed ("0300 1234567"), or has its digits."""
    conditions = []
    phones = parse_contact(text, regions).phones
    if phones:
        conditions.append(Handoff.contact_phone.in_(phones))
    digits = re.sub(r"\D", "", text)
    if len(digits) >= MIN_PHONE_DIGITS:
        conditions.append(Handoff.contact_phone.contains(digits, autoescape=True))
    return conditions


def _as_stored(text: str) -> str:
    """What of `text` the JSON of an event surely holds, to narrow the events down.

    Rasa stores each event as JSON with non-ASCII characters escaped ("caf\\u00e9"),
    and the databases lower-case only ASCII letters: the longest ASCII stretch of the
    text, escaped as JSON escapes it, or the whole text escaped if it has none.
    """
    stretches = sorted(re.findall(r"[ -~]+", text), key=len, reverse=True)
    longest = stretches[0].strip() if stretches else ""
    return json.dumps(longest or text)[1:-1]


def conversations_saying(tracker_store_url: str, text: str) -> set[str]:
    """The conversations in which the patient or the bot wrote `text` (any case)."""
    engine = engine_for(tracker_store_url)
    if not sa.inspect(engine).has_table("events"):
        return set()
    query = sa.select(EVENTS.c.sender_id, EVENTS.c.data).where(
        EVENTS.c.type_name.in_(SPEAKERS), _contains(EVENTS.c.data, _as_stored(text))
    )
    wanted = text.casefold()
    with engine.connect() as connection:
        return {
            sender
            for sender, data in connection.execute(query)
            if wanted in str((json.loads(data or "{}") or {}).get("text") or "").casefold()
        }


def _text_condition(
    text: str, tracker_store_url: str, regions: tuple[str, ...]
) -> sa.ColumnElement:
    staff_wrote = sa.select(ConversationMessage.conversation_id).where(
        _contains(ConversationMessage.text, text)
    )
    said = conversations_saying(tracker_store_url, text)
    return sa.or_(
        _contains(Handoff.reference, text),
        _contains(Handoff.contact_name, text),
        _contains(Handoff.profile_name, text),
        _contains(Handoff.contact_email, text),
        *_phone_conditions(text, regions),
        Handoff.conversation_id.in_(staff_wrote),
        Handoff.conversation_id.in_(sorted(said)),
    )


def find_cases(
    store: HandoffStore, tracker_store_url: str, query: CaseQuery, regions: tuple[str, ...]
) -> list[HandoffView]:
    """The cases matching every part of `query`, most pressing first, then oldest."""
    conditions = [Handoff.status.in_(STATUS_FILTERS[query.show])]
    if query.priorities:
        conditions.append(Handoff.priority.in_(query.priorities))
    if query.channels:
        conditions.append(Handoff.channel.in_(query.channels))
    if query.assignee:
        conditions.append(Handoff.assigned_to == query.assignee)
    if query.text:
        conditions.append(_text_condition(query.text, tracker_store_url, regions))
    return store.matching(*conditions)


def known_channels(store: HandoffStore) -> list[str]:
    """The channels cases came in on, for the channel filter."""
    with store.session() as s, s.begin():
        return list(s.scalars(sa.select(Handoff.channel).distinct().order_by(Handoff.channel)))
