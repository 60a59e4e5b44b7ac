"""The screening questionnaire as data: loads content/questionnaire.yml into typed objects."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

QUESTIONNAIRE_PATH = Path(__file__).resolve().parent.parent / "content" / "questionnaire.yml"
FORM_NAME = "screening_form"


@dataclass(frozen=True)
class Option:
    """One answer to a "which one?" follow-up question."""

    code: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class FollowUp:
    """The question asked after a "yes", so that the flag is specific."""

    slot: str
    options: tuple[Option, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


@dataclass(frozen=True)
class Item:
    """One yes/no question and the contraindication codes it can raise."""

    slot: str
    codes: tuple[str, ...]
    sources: tuple[str, ...]
    follow_up: FollowUp | None = None


@dataclass(frozen=True)
class Questionnaire:
    """All items in the order they are asked, and the accepted answer words."""

    items: tuple[Item, ...]
    answer_phrases: dict[str, tuple[str, ...]]
    yes_no_options: tuple[str, ...]
    # Words that choose every option of a follow-up ("both", "dono").
    all_options: tuple[str, ...] = ()
    # Emphatic words left out of an answer before it is read ("bilkul bhi nahi").
    answer_particles: frozenset[str] = frozenset()

    def item_for_slot(self, slot: str) -> Item | None:
        """The item that asks `slot`, whether as its question or its follow-up."""
        for item in self.items:
            if slot == item.slot or (item.follow_up and slot == item.follow_up.slot):
                return item
        return None

    def item_for_code(self, code: str) -> Item | None:
        return next((item for item in self.items if code in item.codes), None)

    @property
    def slots(self) -> tuple[str, ...]:
        """Every slot the form may fill, follow-ups included."""
        slots: list[str] = []
        for item in self.items:
            slots.append(item.slot)
            if item.follow_up:
                slots.append(item.follow_up.slot)
        return tuple(slots)


def _parse_item(raw: dict) -> Item:
    follow_up = None
    if raw.get("follow_up"):
        follow_up = FollowUp(
            slot=raw["follow_up"]["slot"],
            options=tuple(
                Option(code=o["code"], labels=tuple(label.lower() for label in o["labels"]))
                for o in raw["follow_up"]["options"]
            ),
        )
    return Item(
        slot=raw["slot"],
        codes=tuple(raw["codes"]),
        sources=tuple(raw["sources"]),
        follow_up=follow_up,
    )


def parse_questionnaire(raw: dict) -> Questionnaire:
    """Build a Questionnaire from the YAML structure."""
    return Questionnaire(
        items=tuple(_parse_item(item) for item in raw["items"]),
        answer_phrases={
            kind: tuple(phrase.lower() for phrase in phrases)
            for kind, phrases in raw["answers"].items()
        },
        yes_no_options=tuple(raw["yes_no_options"]),
        all_options=tuple(phrase.lower() for phrase in raw.get("all_options") or ()),
        answer_particles=frozenset(word.lower() for word in raw.get("answer_particles") or ()),
    )


@lru_cache(maxsize=1)
def load_questionnaire(path: Path = QUESTIONNAIRE_PATH) -> Questionnaire:
    """The questionnaire from its YAML file, read once per process."""
    return parse_questionnaire(yaml.safe_load(path.read_text(encoding="utf-8")))
