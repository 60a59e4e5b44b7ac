"""Read the project's content files the way the tests need them."""

from pathlib import Path

import yaml

from tests.servers import REPO_ROOT

SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"
FAQ_RESPONSES = REPO_ROOT / "data" / "nlu" / "responses" / "faq.yml"
CONTACT_FORMATS = REPO_ROOT / "tests" / "data" / "contact_formats.yml"


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def faq_responses() -> dict[str, dict]:
    """`utter_faq/<topic>` -> its (single) response variation."""
    return {
        name: variations[0] for name, variations in load_yaml(FAQ_RESPONSES)["responses"].items()
    }


def faq_answer(topic: str) -> str:
    return faq_responses()[f"utter_faq/{topic}"]["text"]


def domain_responses() -> dict[str, list[dict]]:
    responses: dict[str, list[dict]] = {}
    for path in sorted((REPO_ROOT / "domain").glob("*.yml")):
        responses.update(load_yaml(path).get("responses") or {})
    return responses


def nlu_examples(path: Path) -> dict[str, list[str]]:
    """intent -> its examples, from a Rasa NLU YAML file."""
    examples = {}
    for block in load_yaml(path).get("nlu") or []:
        if "intent" in block:
            examples[block["intent"]] = [
                line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")
            ]
    return examples


def contact_formats() -> list[tuple[str, str | None, str | None]]:
    """(reply, phone in E.164, e-mail) rows of tests/data/contact_formats.yml."""
    rows = load_yaml(CONTACT_FORMATS)["formats"]
    return [(row["text"], row["phone"], row["email"]) for row in rows]
