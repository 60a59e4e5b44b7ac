"""The screening decision: every flag is raised, and "not sure" is never taken as a no."""

from actions.answers import NO, UNSURE, YES
from actions.questionnaire import load_questionnaire
from actions.screening_decision import answered_items, screening_flags

Q = load_questionnaire()
ALL_NO = {item.slot: NO for item in Q.items}


def test_all_no_raises_nothing():
    assert screening_flags(Q, ALL_NO) == []


def test_each_single_yes_raises_its_own_code():
    for item in Q.items:
        if item.follow_up:
            continue
        assert screening_flags(Q, {**ALL_NO, item.slot: YES}) == list(item.codes)


def test_a_yes_with_its_follow_up_raises_only_the_chosen_codes():
    answers = {**ALL_NO, "skin_condition": YES, "skin_condition_type": ["eczema"]}
    assert screening_flags(Q, answers) == ["eczema"]


def test_a_yes_without_a_follow_up_answer_raises_every_code_of_the_item():
    answers = {**ALL_NO, "healing": YES}
    assert screening_flags(Q, answers) == ["bleeding_disorder", "poor_healing"]


def test_not_sure_is_a_flag_for_staff():
    assert screening_flags(Q, {**ALL_NO, "pregnancy": UNSURE}) == ["pregnancy"]


def test_several_flags_and_volunteered_ones_come_once_each_in_questionnaire_order():
    answers = {**ALL_NO, "keloids": YES, "pregnancy": YES}
    flags = screening_flags(Q, answers, volunteered=["acne_medication", "pregnancy"])
    assert flags == ["pregnancy", "keloid_history", "acne_medication"]


def test_stored_answers_leave_out_unanswered_items():
    stored = answered_items(Q, {"pregnancy": NO, "keloids": None, "requested_slot": "x"})
    assert stored == {"pregnancy": NO}
