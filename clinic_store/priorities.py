"""How pressing a hand-off is: an urgent sign, a screening flag, or anything else.

A screening flag is a contraindication the questionnaire or a message raised
(the codes of content/questionnaire.yml, from ../shared/spec/contraindications.md):
staff must rule it out before any treatment, so it is listed before a request to
talk or to book, and keeps its own label instead of passing for "normal".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml

from clinic_store.models import NORMAL, PRIORITIES, SCREENING, URGENT

QUESTIONNAIRE_PATH = Path(__file__).resolve().parent.parent / "content" / "questionnaire.yml"
URGENT_REASONS = frozenset({"post_treatment_concern"})
# What staff read for each priority, in the list, the detail page and the filters.
PRIORITY_LABELS = {URGENT: "Urgent", SCREENING: "Screening flag", NORMAL: "Normal"}


@cache
def screening_codes() -> frozenset[str]:
    """Every contraindication code the questionnaire can raise, follow-ups included."""
    items = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))["items"]
    return frozenset(code for item in items for code in item.get("codes", ()))


def priority_for(reasons: Sequence[str]) -> str:
    if URGENT_REASONS.intersection(reasons):
        return URGENT
    return SCREENING if screening_codes().intersection(reasons) else NORMAL


def most_pressing_first(priority: sa.ColumnElement) -> sa.ColumnElement:
    """An ORDER BY term putting urgent first, then screening flags, then the rest."""
    return sa.case({name: rank for rank, name in enumerate(PRIORITIES)}, value=priority)
