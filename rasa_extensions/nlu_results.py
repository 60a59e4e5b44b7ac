"""Remember what NLU made of short messages, by their text, instead of running it again.

People tap the same buttons and send the same short replies all the time: the
questionnaire alone is a dozen "No"s and "Yes"s per visitor, then come "hi",
"thanks", "ok". Rasa 3.6 runs its whole NLU graph for each (tokenizer, word
counts, sentence embedding, both classifiers, the spaCy/medspaCy mention
layer), on the event loop. What NLU makes of a message depends on its text
alone (its graph reads neither the conversation nor the message's metadata;
only its output properties are kept), so the result for a short text is kept
per loaded model (on Rasa's `MessageProcessor`) and handed out as a deep copy,
since Rasa's callers change it. Long messages are rarely sent twice and are
not kept. Installed by a no-op pipeline component (config.yml), as the other
changes in this package are.
"""

import copy
from collections import OrderedDict
from typing import Any, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

# Button answers and short replies; a longer text is a question worth reading afresh.
KEPT_MAX_CHARS = 40
KEPT_TEXTS = 1024
_MEMO = "_nlu_results_by_text"

_rasa_parse = MessageProcessor._parse_message_with_graph


def _kept(processor: MessageProcessor) -> "OrderedDict[str, Dict[str, Any]]":
    return processor.__dict__.setdefault(_MEMO, OrderedDict())


def _parse_message_with_graph(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None,
    only_output_properties: bool = True,
) -> Dict[str, Any]:
    """`MessageProcessor._parse_message_with_graph`, remembered for short texts."""
    text = message.text
    if not only_output_properties or not text or len(text) > KEPT_MAX_CHARS:
        return _rasa_parse(self, message, tracker, only_output_properties)
    kept = _kept(self)
    if text in kept:
        kept.move_to_end(text)
    else:
        kept[text] = _rasa_parse(self, message, tracker, only_output_properties)
        if len(kept) > KEPT_TEXTS:
            kept.popitem(last=False)
    return copy.deepcopy(kept[text])


@require_pinned_rasa
def install() -> None:
    """Make Rasa remember the NLU results of short messages."""
    MessageProcessor._parse_message_with_graph = _parse_message_with_graph


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RememberedShortMessages(InstallerComponent):
    """Installs the remembered NLU results when the model loads."""

    install = staticmethod(install)
