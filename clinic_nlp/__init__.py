"""Contraindication mentions in patients' free text (spaCy + medspaCy).

`get_detector().detect(text)` returns the contraindication codes of
`../shared/spec/contraindications.md` mentioned in a message, each with a
status (positive, negated, about someone else, uncertain, hypothetical,
historical); `flagged_codes` keeps those staff must check. The vocabulary lives
in `content/clinical_terms.yml`. `clinic_nlp.rasa_component` wraps the detector
as a Rasa NLU entity extractor; it is not imported here, so using the detector
does not load Rasa.
"""

from clinic_nlp.mentions import (
    FLAGGING_STATUSES,
    Mention,
    MentionDetector,
    Status,
    flagged_codes,
    get_detector,
)
from clinic_nlp.vocabulary import Vocabulary, VocabularyError, load_vocabulary

__all__ = [
    "FLAGGING_STATUSES",
    "Mention",
    "MentionDetector",
    "Status",
    "Vocabulary",
    "VocabularyError",
    "flagged_codes",
    "get_detector",
    "load_vocabulary",
]
