"""Rasa NLU tokenizer: whitespace tokens, with a word people also write as two read as one.

"make up", "make-up" and "makeup" are one word to a patient, but three to the
classifiers: the word counts, the character n-grams and the sentence embeddings
of "when can I wear make up again" share less with the training examples (which
mostly write "makeup") than the same question written as one word. Each
compound listed in the component's `compounds` (config.yml, written with a
space) is read as the one word in whichever of the three ways it is written.
The message's text is untouched: staff and the mention layer see it as written.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class CompoundWordsTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer that joins "make up" and "make-up" into "makeup"."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**WhitespaceTokenizer.get_default_config(), "compounds": []}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        pairs = [tuple(c.casefold().split()) for c in config.get("compounds") or []]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError("compounds: each is two words with a space ('make up')")
        self._joined = {pair: "".join(pair) for pair in pairs}
        self._hyphenated = {"-".join(pair): "".join(pair) for pair in pairs}

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        joined: List[Token] = []
        for token in tokens:
            word = token.text.casefold()
            previous = joined[-1] if joined else None
            pair = (previous.text.casefold(), word) if previous is not None else None
            if pair in self._joined:
                joined[-1] = Token(self._joined[pair], previous.start, token.end)
            elif word in self._hyphenated:
                joined.append(Token(self._hyphenated[word], token.start, token.end))
            else:
                joined.append(token)
        return joined
