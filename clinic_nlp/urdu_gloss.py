"""English glosses of Roman Urdu and Urdu-script words, for the sentence-embedding model.

The sentence embeddings come from an English model (all-MiniLM-L6-v2); no
multilingual one ships in a package the project can install. To it "kya is mein
dard hota hai?" is noise, while "what this in pain happens is" is close to "is it
painful?". So in a message written in Roman Urdu or Urdu script, each word with
an entry in content/urdu_gloss.yml is read by the model as its English gloss; the
word and character counts still see the words as written. English words mixed in
("treatment", "cream") have no entry and pass unchanged.

The glossary's words in Latin letters are also what tells Roman Urdu from English
(clinic_nlp/language.py), except those under `also_english` ("main", "bad", "hi"),
which English uses too.

The glossary shapes what the classifiers are trained on, so it is a training
input: `make train` retrains when it changes, and its digest is part of the
featurizer's fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from clinic_nlp.urdu_script import standard_urdu_letters, without_vowel_marks
from clinic_nlp.vocabulary import REPO_ROOT, VocabularyError, read_content, text_list

DEFAULT_PATH = REPO_ROOT / "content" / "urdu_gloss.yml"
# Shorter stems are mostly other words ("baat" is not "b" + "aat").
MIN_STEM_LETTERS = 3


@dataclass(frozen=True)
class GlossAfterWord:
    """Another gloss of some words right after certain words ("clinic ka pata": address),
    unless one of `not_before` follows ("is ka pata nahi": don't know of it)."""

    gloss: str
    words: frozenset[str]
    after: frozenset[str]
    not_before: frozenset[str]


@dataclass(frozen=True)
class Glossary:
    """What content/urdu_gloss.yml says."""

    glosses: dict[str, str]  # a word's `gloss_key` -> its English gloss
    also_english: frozenset[str]  # Latin-letter words English uses too
    after_word: tuple[GlossAfterWord, ...] = ()
    endings: tuple[str, ...] = ()  # longest first

    def roman_urdu_words(self) -> frozenset[str]:
        """The words in Latin letters that only Roman Urdu uses."""
        return frozenset(w for w in self.glosses if w.isascii() and w not in self.also_english)

    def gloss(self, words: Sequence[str], index: int) -> str | None:
        """The gloss of `words[index]` where it stands, if it has one."""
        key = gloss_key(words[index])
        for entry in (e for e in self.after_word if key in e.words):
            # Only for the few words with such an entry: this runs for every word.
            before = gloss_key(words[index - 1]) if index > 0 else ""
            after = gloss_key(words[index + 1]) if index + 1 < len(words) else ""
            if before in entry.after and after not in entry.not_before:
                return entry.gloss
        return self.glosses.get(key) or self._gloss_of_stem(key)

    def _gloss_of_stem(self, key: str) -> str | None:
        """The gloss of the word without a plural or oblique ending ("nuqsanat": harm)."""
        for ending in (e for e in self.endings if key.endswith(e)):
            stem = key[: -len(ending)]
            if len(stem) >= MIN_STEM_LETTERS and stem in self.glosses:
                return self.glosses[stem]
        return None


def gloss_key(word: str) -> str:
    """How a word is looked up: lower case, Urdu letter forms, no vowel marks."""
    return without_vowel_marks(standard_urdu_letters(word.casefold()))


def load_glossary(path: Path | str | None = None) -> Glossary:
    """Read and check urdu_gloss.yml: a word may have one gloss only."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_content(path)
    entries = data.get("gloss") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise VocabularyError(f"{path}: expected a mapping 'gloss'")
    glossary: dict[str, str] = {}
    for english, words in entries.items():
        if not isinstance(english, str) or not english.strip():
            raise VocabularyError(f"{path}: every gloss must be a non-empty text")
        for word in text_list(words, f"gloss.{english}"):
            key = gloss_key(word)
            if glossary.setdefault(key, english) != english:
                raise VocabularyError(
                    f"{path}: '{word}' is under both '{glossary[key]}' and '{english}'"
                )
    listed = text_list(data.get("also_english"), "also_english")
    also_english = frozenset(gloss_key(w) for w in listed)
    unknown = also_english - glossary.keys()
    if unknown:
        raise VocabularyError(f"{path}: 'also_english' words without a gloss: {sorted(unknown)}")
    after_word = data.get("after_word") or []
    if not isinstance(after_word, list):
        raise VocabularyError(f"{path}: 'after_word' must be a list")
    endings = {gloss_key(e) for e in text_list(data.get("endings"), "endings")}
    return Glossary(
        glossary,
        also_english,
        tuple(map(_gloss_after_word, after_word)),
        tuple(sorted(endings, key=len, reverse=True)),
    )


def _gloss_after_word(entry: Any) -> GlossAfterWord:
    if not isinstance(entry, dict) or not isinstance(entry.get("gloss"), str):
        raise VocabularyError("after_word: every entry needs a text 'gloss'")
    where = f"after_word.{entry['gloss']}"

    def keys(field: str) -> frozenset[str]:
        return frozenset(gloss_key(w) for w in text_list(entry.get(field), f"{where}.{field}"))

    if not (keys("words") and keys("after")):
        raise VocabularyError(f"{where}: 'words' and 'after' must list words")
    return GlossAfterWord(entry["gloss"], keys("words"), keys("after"), keys("not_before"))


@lru_cache(maxsize=1)
def get_glossary() -> Glossary:
    """The glossary of content/urdu_gloss.yml, read once per process."""
    return load_glossary()


def glossary_digest(path: Path | str | None = None) -> str:
    """A digest of the glossary file, so a change to it retrains what depends on it."""
    path = Path(path) if path is not None else DEFAULT_PATH
    return hashlib.sha256(path.read_bytes()).hexdigest()
