"""Contraindications people mention in free text, as found by the clinic_nlp NLU component.

The component adds one `contraindication` entity per mention, its value the code
and its role the context (positive, negated, other_person, uncertain, ...).
"""

from typing import Any

from actions.answers import Mention
from clinic_nlp.mentions import FLAGGING_STATUSES, Status

ENTITY = "contraindication"
# An uncertain ("I might be pregnant") or past mention is a flag for staff to check.
FLAG_ROLES = frozenset(status.value for status in FLAGGING_STATUSES)


def mentions_in(latest_message: dict[str, Any]) -> list[Mention]:
    """Every contraindication mention in a parsed message."""
    return [
        Mention(
            code=entity["value"],
            raises_flag=entity.get("role", Status.POSITIVE.value) in FLAG_ROLES,
            negated=entity.get("role") == Status.NEGATED.value,
            start=entity.get("start", 0),
            end=entity.get("end", 0),
        )
        for entity in latest_message.get("entities") or []
        if entity.get("entity") == ENTITY
    ]


def flagged_codes(latest_message: dict[str, Any]) -> list[str]:
    """The codes a message raises as flags, each once, in the order mentioned."""
    return list(dict.fromkeys(m.code for m in mentions_in(latest_message) if m.raises_flag))
