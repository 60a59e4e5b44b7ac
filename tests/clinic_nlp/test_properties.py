"""Properties of the contraindication-mention layer for any text a person might send.

Whatever the text (any Unicode, vocabulary terms and ConText cues mixed with noise),
the detector and the Rasa component never raise, and every mention points at the
exact span of the text it came from, with a known code and status. The pipeline
takes a few milliseconds per text, so the example counts are modest.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp import MentionDetector
from clinic_nlp.mentions import ENTITY_NAME, Status
from clinic_nlp.rasa_component import ContraindicationMentionExtractor
from clinic_nlp.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()
CODES = VOCABULARY.code_names
ROLES = {status.value for status in Status}
# Words that make mentions and their context likely, so the properties are tested on
# texts with mentions in them, not only on noise.
WORDS = sorted(
    {phrase for code in VOCABULARY.codes for phrase in code.phrases}
    | set(VOCABULARY.not_contraindications)
    | {rule.literal for rule in VOCABULARY.context_rules}
    | {"I", "my", "not", "no", "might", "had", "sister", "?", ".", ",", "'m", "n't", "\n"}
)
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=25).map(" ".join),
)
EXAMPLES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@EXAMPLES
@given(TEXTS)
def test_every_mention_is_the_exact_span_it_names(detector: MentionDetector, text: str) -> None:
    for mention in detector.detect(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.code in CODES
        assert mention.status in Status


@EXAMPLES
@given(TEXTS)
def test_the_rasa_component_reports_well_formed_entities(
    detector: MentionDetector, text: str
) -> None:
    extractor = ContraindicationMentionExtractor({}, detector=detector)
    (message,) = extractor.process([Message.build(text=text)])
    for entity in message.get("entities"):
        assert entity["entity"] == ENTITY_NAME
        assert entity["value"] in CODES
        assert entity["role"] in ROLES
        assert 0 <= entity["start"] < entity["end"] <= len(text)
    assert len(message.get("entities")) == len(detector.detect(text))
