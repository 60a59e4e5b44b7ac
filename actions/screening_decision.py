"""The screening decision: which contraindication codes the answers raise (pure functions).

The bot never clears anyone for treatment; "no flags" only means nothing that
rules the treatment out was reported, and the decision is made at consultation.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from actions.answers import NO, UNSURE, YES
from actions.questionnaire import Item, Questionnaire


def _item_flags(item: Item, answers: Mapping[str, Any]) -> list[str]:
    answer = answers.get(item.slot)
    if answer == UNSURE:
        # "Not sure" is a flag for staff to check, for everything the item covers.
        return list(item.codes)
    if answer != YES:
        return []
    if not item.follow_up:
        return list(item.codes)
    chosen = answers.get(item.follow_up.slot)
    if isinstance(chosen, list) and chosen:
        return list(chosen)
    return list(item.codes)


def screening_flags(
    questionnaire: Questionnaire, answers: Mapping[str, Any], volunteered: Iterable[str] = ()
) -> list[str]:
    """Every code raised by the answers or volunteered in free text, in questionnaire order.

    An item answered "yes" whose follow-up was never answered raises all its
    codes: an unspecific flag is still a flag.
    """
    raised = [code for item in questionnaire.items for code in _item_flags(item, answers)]
    raised += list(volunteered)
    order = {code: i for i, code in enumerate(c for it in questionnaire.items for c in it.codes)}
    return sorted(dict.fromkeys(raised), key=lambda code: order.get(code, len(order)))


def answered_items(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers worth storing with a hand-off: every slot that has a value."""
    return {slot: answers[slot] for slot in questionnaire.slots if answers.get(slot) is not None}


def is_clear_answer(value: Any) -> bool:
    """Whether a slot holds a usable answer (as opposed to nothing yet)."""
    return value in (YES, NO, UNSURE) or isinstance(value, list)
