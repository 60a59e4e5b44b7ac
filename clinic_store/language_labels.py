"""How staff see the language a patient writes in: "Urdu (Urdu script)", "Roman Urdu".

The labels are content/languages.yml's `labels` (clinic_nlp/language.py reads the
rest of that file); read here with YAML alone, so the staff console needs no Rasa.
"""

from functools import cache
from pathlib import Path

import yaml

LANGUAGES_FILE = Path(__file__).resolve().parent.parent / "content" / "languages.yml"
NOT_KNOWN = "not known"


@cache
def language_labels() -> dict[str, str]:
    """Language code -> its label for staff."""
    data = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
    return {str(code): str(label) for code, label in (data.get("labels") or {}).items()}


def language_label(code: str | None) -> str:
    """The label of a hand-off's language; "not known" when none was stored."""
    return language_labels().get(code, code) if code else NOT_KNOWN
