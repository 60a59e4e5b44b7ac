"""Splitting long text, truncating titles and numbering options (channels/messages.py)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from channels.messages import (
    button_payload,
    button_title,
    numbered_options,
    split_ending,
    split_text,
    truncate,
    with_numbered_options,
)

WHITESPACE = re.compile(r"\s+")
YES_NO = [{"title": "Yes", "payload": "Yes"}, {"title": "No", "payload": "/deny"}]


def without_whitespace(text: str) -> str:
    return WHITESPACE.sub("", text)


def test_short_text_is_one_part():
    assert split_text("  Hello there.  ", 4096) == ["Hello there."]


def test_blank_text_is_no_part():
    assert split_text(" \n\n ", 10) == []


def test_cuts_between_paragraphs_first():
    text = "First paragraph. Two sentences.\n\nSecond paragraph."
    assert split_text(text, 40) == ["First paragraph. Two sentences.", "Second paragraph."]


def test_cuts_between_lines_when_no_paragraph_fits():
    assert split_text("line one\nline two\nline three", 20) == ["line one\nline two", "line three"]


def test_cuts_after_a_sentence_before_cutting_between_words():
    text = "Redness fades. It is usually gone within a week."
    assert split_text(text, 30) == ["Redness fades.", "It is usually gone within a", "week."]


def test_a_word_longer_than_the_limit_is_cut_where_it_must():
    assert split_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_a_break_right_after_a_full_part_is_used():
    assert split_text("abcd efgh", 4) == ["abcd", "efgh"]


@given(text=st.text(alphabet=st.sampled_from("ab .!?\n\t"), max_size=400), limit=st.integers(1, 60))
def test_every_part_fits_and_the_parts_give_back_the_text(text, limit):
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert all(part == part.strip() for part in parts)
    assert without_whitespace("".join(parts)) == without_whitespace(text)


@given(text=st.text(max_size=300), limit=st.integers(1, 100))
def test_any_unicode_text_splits_within_the_limit(text, limit):
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert without_whitespace("".join(parts)) == without_whitespace(text)


@given(words=st.lists(st.text(alphabet="abcdef", min_size=1, max_size=8), min_size=1, max_size=60))
def test_words_shorter_than_the_limit_are_never_cut(words):
    parts = split_text(" ".join(words), 20)
    assert [word for part in parts for word in part.split()] == words


def test_the_ending_is_the_last_paragraph_line_or_sentence_that_fits():
    question = "Are you pregnant?"
    assert split_ending(f"Intro one.\n\nIntro two.\n\n{question}", 20) == (
        "Intro one.\n\nIntro two.",
        question,
    )
    assert split_ending(f"Intro one. Intro two.\n{question}", 20) == (
        "Intro one. Intro two.",
        question,
    )
    assert split_ending(f"Intro one. Intro two. {question}", 20) == (
        "Intro one. Intro two.",
        question,
    )
    assert split_ending("short", 20) == ("", "short")


def test_without_a_sentence_that_fits_the_ending_is_cut_between_words():
    assert split_ending("one two three four", 10) == ("one two", "three four")


@given(text=st.text(alphabet=st.sampled_from("ab .?\n"), max_size=200), limit=st.integers(1, 40))
def test_beginning_and_ending_give_back_the_text(text, limit):
    beginning, ending = split_ending(text, limit)
    assert len(ending) <= limit
    assert bool(ending) == bool(text.strip())
    assert without_whitespace(beginning + ending) == without_whitespace(text)


def test_truncate_adds_an_ellipsis_only_when_it_cuts():
    assert truncate("Not sure", 20) == "Not sure"
    assert truncate("Another skin condition", 20) == "Another skin condit…"
    assert len(truncate("Another skin condition", 20)) == 20


def test_a_button_without_payload_sends_its_title_and_vice_versa():
    assert button_payload({"title": "Yes"}) == "Yes"
    assert button_title({"payload": "/affirm"}) == "/affirm"


def test_numbered_options():
    assert numbered_options(YES_NO) == "1. Yes\n2. No"
    assert (
        with_numbered_options("Are you pregnant?", YES_NO) == "Are you pregnant?\n\n1. Yes\n2. No"
    )
