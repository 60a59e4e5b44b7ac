"""The Urdu glossary (content/urdu_gloss.yml) and the sentence embeddings read through it."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

from clinic_nlp.sentence_embeddings import PackagedSentenceEmbeddingFeaturizer
from clinic_nlp.urdu_gloss import gloss_key, glossary_digest, load_glossary
from clinic_nlp.vocabulary import VocabularyError
from tests.clinic_nlp.test_sentence_embeddings import featurize


@pytest.fixture(scope="module")
def embed():
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    featurizer = PackagedSentenceEmbeddingFeaturizer.create(
        PackagedSentenceEmbeddingFeaturizer.get_default_config(), None, None, context
    )
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    return lambda *texts: featurize(featurizer, tokenizer, *texts)


def test_the_clinic_glossary_loads_and_covers_the_common_words():
    glosses = load_glossary().glosses
    assert glosses["dard"] == glosses[gloss_key("درد")] == "pain"
    assert glosses["kitne"] == "how many"
    # Arabic letter forms and vowel marks are looked up as the Urdu letters.
    assert gloss_key("كيا") == gloss_key("کیا") and gloss_key("اُردو") == gloss_key("اردو")


def test_a_roman_urdu_message_is_embedded_as_its_english_gloss(embed):
    roman, gloss = embed("kya is mein dard hota hai", "what this in pain happens is")
    np.testing.assert_allclose(roman, gloss, atol=1e-5)


def test_the_urdu_question_lands_nearer_its_english_question_than_another_topic(embed):
    urdu, pain, price = embed("کیا اس میں درد ہوتا ہے؟", "does it hurt?", "how much does it cost?")
    cosine = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))  # noqa: E731
    assert cosine(urdu, pain) > cosine(urdu, price)


def test_an_english_message_is_not_glossed(embed):
    # "main", "is" and "to" have glosses, but this message is English: glossed, it
    # would be embedded as the second text.
    english, glossed = embed(
        "my main worry is going to the gym", "my I worry this going then the gym"
    )
    assert not np.allclose(english, glossed, atol=1e-3)


def _glossary_file(tmp_path, text: str):
    path = tmp_path / "gloss.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_word_under_two_glosses_is_refused(tmp_path):
    path = _glossary_file(tmp_path, "gloss:\n  pain: [dard]\n  ache: [Dard]\n")
    with pytest.raises(VocabularyError, match="'Dard' is under both 'pain' and 'ache'"):
        load_glossary(path)


def test_also_english_words_must_have_a_gloss_and_do_not_count_as_roman_urdu(tmp_path):
    path = _glossary_file(tmp_path, "gloss:\n  bad: [bad]\n  pain: [dard]\nalso_english: [bad]\n")
    assert load_glossary(path).roman_urdu_words() == {"dard"}
    path = _glossary_file(tmp_path, "gloss:\n  pain: [dard]\nalso_english: [main]\n")
    with pytest.raises(VocabularyError, match="without a gloss"):
        load_glossary(path)


def test_the_glossary_is_part_of_the_featurizers_fingerprint(tmp_path):
    before = glossary_digest(_glossary_file(tmp_path, "gloss:\n  pain: [dard]\n"))
    assert glossary_digest(_glossary_file(tmp_path, "gloss:\n  pain: [dard, dardd]\n")) != before
    assert PackagedSentenceEmbeddingFeaturizer.fingerprint_addon({}) == glossary_digest()


@pytest.mark.parametrize(
    ("text", "glossed"),
    [
        ("clinic ka pata kya hai", "address"),
        ("کلینک کا پتہ بتا دیں", "address"),
        ("mujhe pata nahi", "know"),
        ("is ka pata nahi", "know"),
        ("us ka pata karna hai", "know"),
    ],
)
def test_pata_after_ka_is_an_address_unless_what_follows_makes_it_know(text, glossed):
    words = text.split()
    index = next(i for i, w in enumerate(words) if gloss_key(w) in {"pata", gloss_key("پتہ")})
    assert load_glossary().gloss(words, index) == glossed


def test_a_gloss_after_a_word_needs_its_words(tmp_path):
    path = _glossary_file(tmp_path, "gloss:\n  know: [pata]\nafter_word:\n  - gloss: address\n")
    with pytest.raises(VocabularyError, match="'words' and 'after' must list words"):
        load_glossary(path)


@pytest.mark.parametrize(
    ("word", "glossed"),
    [("nuqsanat", "harm"), ("زخموں", "wound"), ("aankhein", "eyes"), ("baat", "talk")],
)
def test_a_plural_without_an_entry_takes_its_stems_gloss(word, glossed):
    assert load_glossary().gloss([word], 0) == glossed


def test_a_stem_shorter_than_three_letters_is_not_looked_up(tmp_path):
    path = _glossary_file(tmp_path, "gloss:\n  pain: [dard]\n  be: [ba]\nendings: [at, on]\n")
    glossary = load_glossary(path)
    assert glossary.gloss(["dardon"], 0) == "pain"
    assert glossary.gloss(["baat"], 0) is None
