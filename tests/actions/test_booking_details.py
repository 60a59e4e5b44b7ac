"""Reading booking replies: areas, concerns and preferred times (content/booking.yml)."""

from datetime import date

import pytest

from actions.booking_details import (
    AREA,
    CONCERN,
    TIMES,
    booking_of,
    chosen_options,
    is_skip,
    load_booking_content,
    parse_preferred_times,
    times_summary,
)

# Thursday 3 December 2026, the day the replies are read on.
TODAY = date(2026, 12, 3)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]

AREAS = [
    ("Face", ["face"]),
    ("my face", ["face"]),
    ("cheeks and forehead", ["face"]),
    ("around my nose", ["face"]),
    ("Neck", ["neck"]),
    ("face and neck please", ["face", "neck"]),
    ("the backs of my hands", ["hands"]),
    ("haath", ["hands"]),
    ("my upper back and shoulders", ["back"]),
    ("chest", ["chest"]),
    ("Other", ["other"]),
    ("somewhere else", ["other"]),
    ("my tummy", []),  # the person's own words: kept as typed by the form
]

CONCERNS = [
    ("Acne scars", ["acne_scars"]),
    ("old acne scarring on my cheeks", ["acne_scars"]),
    ("ice pick scars", ["acne_scars"]),
    ("fine lines round my eyes", ["fine_lines"]),
    ("wrinkles", ["fine_lines"]),
    ("melasma", ["pigmentation"]),
    ("dark spots and big pores", ["pigmentation", "pores"]),
    ("uneven skin tone", ["pigmentation"]),
    ("open pores on my nose", ["pores"]),
    ("stretch marks after pregnancy", ["stretch_marks"]),
    ("Stretch marks", ["stretch_marks"]),
    ("skin texture", ["other"]),
]

TIMES_TABLE = [
    ("weekday mornings", WEEKDAYS, ["morning"], [], None, None),
    ("Saturday after 4", ["saturday"], [], [], "16:00", None),
    ("kal shaam", [], ["evening"], ["2026-12-04"], None, None),
    ("next Tuesday", ["tuesday"], [], [], None, None),
    ("10 December", [], [], ["2026-12-10"], None, None),
    ("tomorrow afternoon", [], ["afternoon"], ["2026-12-04"], None, None),
    ("on the 12th at 3pm", [], [], ["2026-12-12"], "15:00", None),
    ("Monday or Wednesday evening", ["monday", "wednesday"], ["evening"], [], None, None),
    ("after 5pm on weekdays", WEEKDAYS, [], [], "17:00", None),
    ("before 11am", [], [], [], None, "11:00"),
    ("weekends", ["saturday", "sunday"], [], [], None, None),
    ("12:30 on friday", ["friday"], [], [], "12:30", None),
    ("hafta subah", ["saturday"], ["morning"], [], None, None),
    ("aaj dopahar", [], ["afternoon"], ["2026-12-03"], None, None),
    ("parson", [], [], ["2026-12-05"], None, None),
    ("the 2nd", [], [], ["2027-01-02"], None, None),
    ("fridays after work", ["friday"], ["evening"], [], None, None),
    ("sat or sun morning", ["saturday", "sunday"], ["morning"], [], None, None),
]

NOTHING_READ = ["🙂", "i work 9 to 5", "hmm", "2 days", "not really", ""]
SKIPS = ["not sure", "Skip", "any time", "Anytime!", "no preference", "I don't mind", "pata nahi"]
NOT_SKIPS = ["face", "weekday mornings", "sure", "Saturday"]


@pytest.fixture(scope="module")
def content():
    return load_booking_content()


@pytest.mark.parametrize(("text", "expected"), AREAS)
def test_areas(content, text, expected):
    assert chosen_options(text, content.questions[AREA]) == expected


@pytest.mark.parametrize(("text", "expected"), CONCERNS)
def test_concerns(content, text, expected):
    assert chosen_options(text, content.questions[CONCERN]) == expected


@pytest.mark.parametrize(("text", "days", "parts", "dates", "after", "before"), TIMES_TABLE)
def test_preferred_times(content, text, days, parts, dates, after, before):
    read = parse_preferred_times(text, TODAY, content.times).to_json()
    assert read == {"days": days, "parts": parts, "dates": dates, "after": after, "before": before}


@pytest.mark.parametrize("text", NOTHING_READ)
def test_replies_that_name_no_time_give_nothing(content, text):
    assert not parse_preferred_times(text, TODAY, content.times)


@pytest.mark.parametrize("text", SKIPS)
def test_skips(content, text):
    assert is_skip(text, content)


@pytest.mark.parametrize("text", NOT_SKIPS)
def test_answers_are_not_skips(content, text):
    assert not is_skip(text, content)


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("weekday mornings", "weekdays · morning"),
        ("Saturday after 4", "Saturday · after 16:00"),
        ("kal shaam", "Fri 04 Dec · evening"),
        ("weekends", "weekend"),
    ],
)
def test_staff_read_a_summary_of_the_times(content, text, summary):
    read = parse_preferred_times(text, TODAY, content.times).to_json()
    assert times_summary(read, content.times) == summary


def test_every_question_has_its_text_and_buttons_from_the_content_file(content):
    assert list(content.questions) == [AREA, CONCERN, TIMES]
    area_titles = [b["title"] for b in content.questions[AREA].buttons]
    assert area_titles == ["Face", "Neck", "Hands", "Chest", "Back", "Other"]
    concern_titles = [b["title"] for b in content.questions[CONCERN].buttons]
    assert concern_titles == [
        "Acne scars",
        "Fine lines",
        "Pigmentation",
        "Pores",
        "Stretch marks",
        "Other",
    ]
    assert all(q.text.strip() for q in content.questions.values())


def test_only_the_details_given_are_kept_for_the_handoff():
    area = {"choice": ["face"], "label": "Face", "text": "my face"}
    assert booking_of({AREA: area, CONCERN: None}) == {"area": area}
    assert booking_of({}) is None
