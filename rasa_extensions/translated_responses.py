"""The bot's responses in the patient's language: Rasa's response generator, by language.

The English responses are the domain's (domain/*.yml) and the FAQ answers'
(data/nlu/responses/faq.yml). Their Urdu translations live beside them in
files of their own, `domain/urdu/*.yml` and `data/nlu/responses/faq_ur.yml`,
under the key `urdu_responses` (which Rasa does not read as training data).
They cannot be Rasa's conditional variations of the same responses in other
files: when two domain files name the same response, Rasa keeps one file's
variations and drops the other's (`Domain.merge_domain_dicts` merges
`responses` key by key). They are read when the Rasa server starts, so staff
can correct a translation with a restart and no training.

For each response this generator picks the variations of the reply language
(clinic_store.languages.reply_language, from the `language` and `reply_language`
slots and ROMAN_URDU_REPLY_LANGUAGE), then lets Rasa's own filter choose among
them by channel and condition, so a variation's conditions work in every
language. A response with no Urdu translation is sent in English.

Someone who writes Roman Urdu and is answered in English is offered Urdu once
per conversation (`utter_offer_urdu`, added to the first reply): the offer is
marked in the bot message's metadata, which later turns find in the tracker.

Configured as the `nlg` endpoint (endpoints.yml, endpoints.production.yml).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any, Dict, Iterable, List

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic_nlp.language import conversation_languages
from clinic_nlp.vocabulary import REPO_ROOT, VocabularyError, read_content
from clinic_store.languages import URDU, offers_urdu, reply_language
from clinic_store.settings import get_settings

TRANSLATIONS_KEY = "urdu_responses"
TRANSLATION_PATHS = (REPO_ROOT / "domain" / "urdu", REPO_ROOT / "data" / "nlu" / "responses")
OFFER_RESPONSE = "utter_offer_urdu"
OFFER_MARK = "urdu_offered"
# Conversations whose latest message already got the offer in this turn (several
# responses of one action are generated before any of them is in the tracker).
OFFERED_TURNS_KEPT = 10_000

Responses = Dict[str, List[Dict[str, Any]]]


def translation_files(paths: Iterable[Path] = TRANSLATION_PATHS) -> list[Path]:
    """The YAML files under `paths` that hold Urdu responses."""
    files = []
    for path in paths:
        candidates = sorted(path.glob("*.yml")) if path.is_dir() else [path]
        files += [f for f in candidates if TRANSLATIONS_KEY in (read_content(f) or {})]
    return files


def load_translations(paths: Iterable[Path] = TRANSLATION_PATHS) -> Responses:
    """Every Urdu response, by response name; a name in two files is an error."""
    responses: Responses = {}
    for path in translation_files(paths):
        entries = read_content(path)[TRANSLATIONS_KEY] or {}
        for name, variations in entries.items():
            if name in responses:
                raise VocabularyError(f"{path}: {name} is translated in another file too")
            if not isinstance(variations, list) or not variations:
                raise VocabularyError(f"{path}: {name} needs a list of variations")
            responses[name] = variations
    return responses


class TranslatedResponses(TemplatedNaturalLanguageGenerator):
    """Generates each response in the conversation's reply language."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
        translations: Responses | None = None,
        roman_urdu_reply: str | None = None,
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self.urdu = TemplatedNaturalLanguageGenerator(
            load_translations() if translations is None else translations
        )
        self.roman_urdu_reply = roman_urdu_reply or get_settings().roman_urdu_reply_language
        self._offered_turns: OrderedDict[tuple[str, float], None] = OrderedDict()

    def generate_from_slots(
        self,
        utter_action: str,
        filled_slots: Dict[str, Any],
        output_channel: str,
        **kwargs: Any,
    ) -> Dict[str, Any] | None:
        """The response in the reply language (Urdu when it has a translation)."""
        language = reply_language(filled_slots, self.roman_urdu_reply)
        if language == URDU and utter_action in self.urdu.responses:
            return self.urdu.generate_from_slots(
                utter_action, filled_slots, output_channel, **kwargs
            )
        return super().generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> Dict[str, Any] | None:
        """The response, with the offer of Urdu when it is due."""
        filled_slots = conversation_languages(tracker.current_slot_values(), tracker.events)
        response = self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        if response is None or utter_action == OFFER_RESPONSE:
            return response
        if offers_urdu(filled_slots, self.roman_urdu_reply) and self._offer_due(tracker):
            offer = super().generate_from_slots(OFFER_RESPONSE, filled_slots, output_channel)
            if offer and offer.get("text"):
                response["text"] = f"{response.get('text') or ''}\n\n{offer['text']}".strip()
                response[OFFER_MARK] = True
        return response

    def _offer_due(self, tracker: DialogueStateTracker) -> bool:
        """Not offered in this conversation yet, nor in this turn; remembers this turn."""
        if any(isinstance(e, BotUttered) and e.metadata.get(OFFER_MARK) for e in tracker.events):
            return False
        latest = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)
        turn = (tracker.sender_id, latest.timestamp if latest else 0.0)
        if turn in self._offered_turns:
            return False
        self._offered_turns[turn] = None
        if len(self._offered_turns) > OFFERED_TURNS_KEPT:
            self._offered_turns.popitem(last=False)
        return True
