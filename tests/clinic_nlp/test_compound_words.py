"""The tokenizer that reads "make up" and "make-up" as "makeup" (clinic_nlp/compound_words.py)."""

import pytest
import yaml
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.compound_words import CompoundWordsTokenizer
from tests.servers import REPO_ROOT


def _tokenizer(compounds=("make up", "derma roller")) -> CompoundWordsTokenizer:
    return CompoundWordsTokenizer(
        {**CompoundWordsTokenizer.get_default_config(), "compounds": list(compounds)}
    )


def _tokens(text: str, tokenizer: CompoundWordsTokenizer | None = None):
    tokens = (tokenizer or _tokenizer()).tokenize(Message({"text": text}), "text")
    return [(t.text, text[t.start : t.end]) for t in tokens]


@pytest.mark.parametrize("written", ["make up", "Make-up", "makeup", "Make Up"])
def test_a_compound_is_one_word_however_it_is_written(written):
    assert _tokens(f"can I wear {written} now")[3] == ("makeup", written)


def test_other_words_are_tokenized_as_by_the_whitespace_tokenizer():
    text = "I'll make it up to you, derma roller?"
    plain = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    words = [t.text for t in plain.tokenize(Message({"text": text}), "text")]
    assert [t for t, _ in _tokens(text)] == words[:-2] + ["dermaroller"]


def test_a_compound_must_be_two_words():
    with pytest.raises(ValueError, match="two words"):
        _tokenizer(["makeup"])


def test_the_pipeline_reads_the_compounds():
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    tokenizer = next(c for c in config["pipeline"] if c["name"].endswith("CompoundWordsTokenizer"))
    assert _tokens("after care?", _tokenizer(tokenizer["compounds"])) == [
        ("aftercare", "after care")
    ]
