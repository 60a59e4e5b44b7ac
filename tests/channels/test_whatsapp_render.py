"""Graph API message bodies within WhatsApp's limits (channels/whatsapp_render.py)."""

from hypothesis import given
from hypothesis import strategies as st

from channels.whatsapp_render import button_messages, text_messages

TO = "447700900123"
QUESTION = "Do you get cold sores, or have you ever had herpes?"
YES_NO_UNSURE = [{"title": t, "payload": t} for t in ("Yes", "No", "Not sure")]


def buttons(count: int, title: str = "Option") -> list[dict]:
    return [{"title": f"{title} {n}", "payload": f"/choose_{n}"} for n in range(1, count + 1)]


def test_text_is_a_text_message():
    assert text_messages(TO, "Hello") == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "text",
            "text": {"body": "Hello"},
        }
    ]


def test_long_text_is_split_into_messages_of_at_most_4096_characters():
    paragraph = "A sentence about aftercare that is quite long. " * 20
    messages = text_messages(TO, "\n\n".join([paragraph.strip()] * 10))
    assert len(messages) == 3
    assert all(len(m["text"]["body"]) <= 4096 for m in messages)
    assert all(m["text"]["body"].endswith("long.") for m in messages)


def test_up_to_three_options_are_reply_buttons():
    (message,) = button_messages(TO, QUESTION, YES_NO_UNSURE, "Choose")
    assert message["type"] == "interactive"
    assert message["interactive"] == {
        "type": "button",
        "body": {"text": QUESTION},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "Yes", "title": "Yes"}},
                {"type": "reply", "reply": {"id": "No", "title": "No"}},
                {"type": "reply", "reply": {"id": "Not sure", "title": "Not sure"}},
            ]
        },
    }


def test_reply_button_titles_are_cut_to_20_characters():
    (message,) = button_messages(
        TO, QUESTION, [{"title": "Another skin condition", "payload": "x"}], "Choose"
    )
    (button,) = message["interactive"]["action"]["buttons"]
    assert button["reply"] == {"id": "x", "title": "Another skin condit…"}


def test_four_to_ten_options_are_a_list():
    (message,) = button_messages(
        TO, "Which of these?", buttons(5, "Raised mole or wart, option"), "Choose"
    )
    interactive = message["interactive"]
    assert interactive["type"] == "list"
    assert interactive["body"] == {"text": "Which of these?"}
    assert interactive["action"]["button"] == "Choose"
    (section,) = interactive["action"]["sections"]
    assert [row["id"] for row in section["rows"]] == [f"/choose_{n}" for n in range(1, 6)]
    assert section["rows"][0]["title"] == "Raised mole or wart, op…"
    assert section["rows"][0]["description"] == "Raised mole or wart, option 1"


@given(count=st.integers(4, 10), title=st.text(min_size=1, max_size=100))
def test_list_rows_stay_within_the_limits(count, title):
    (message,) = button_messages(
        TO, QUESTION, buttons(count, title), "A very long list button label"
    )
    action = message["interactive"]["action"]
    assert len(action["button"]) <= 20
    rows = action["sections"][0]["rows"]
    assert len(rows) == count
    assert all(len(row["title"]) <= 24 and len(row.get("description", "")) <= 72 for row in rows)


def test_more_than_ten_options_are_numbered_text():
    (message,) = button_messages(TO, "Pick a topic", buttons(11), "Choose")
    assert message["type"] == "text"
    body = message["text"]["body"]
    assert body.startswith("Pick a topic\n\n1. Option 1\n2. Option 2\n")
    assert body.endswith("11. Option 11")


def test_a_body_over_1024_characters_goes_first_as_text():
    preamble = "Some context about the questionnaire. " * 40
    messages = button_messages(TO, f"{preamble}\n\n{QUESTION}", YES_NO_UNSURE, "Choose")
    assert [m["type"] for m in messages] == ["text", "interactive"]
    assert messages[0]["text"]["body"] == preamble.strip()
    assert messages[1]["interactive"]["body"] == {"text": QUESTION}


@given(text=st.text(min_size=1, max_size=3000), count=st.integers(1, 12))
def test_nothing_is_lost_and_every_body_fits(text, count):
    messages = button_messages(TO, text, buttons(count), "Choose")
    bodies = [
        m["text"]["body"] if m["type"] == "text" else m["interactive"]["body"]["text"]
        for m in messages
    ]
    assert all(
        len(b) <= (4096 if m["type"] == "text" else 1024)
        for b, m in zip(bodies, messages, strict=True)
    )
    assert "".join("".join(bodies).split()).startswith("".join(text.split()))


def test_options_whatsapp_would_refuse_as_buttons_become_numbered_text():
    too_long_payload = [{"title": "Yes", "payload": "/affirm" + "x" * 300}]
    same_after_cutting = [
        {"title": "Another skin condition A", "payload": "a"},
        {"title": "Another skin condition B", "payload": "b"},
    ]
    for options in (too_long_payload, same_after_cutting):
        (message,) = button_messages(TO, QUESTION, options, "Choose")
        assert message["type"] == "text"
        assert message["text"]["body"].startswith(f"{QUESTION}\n\n1. ")


def test_options_without_text_become_numbered_text():
    (message,) = button_messages(TO, "", YES_NO_UNSURE, "Choose")
    assert message["text"]["body"] == "1. Yes\n2. No\n3. Not sure"
