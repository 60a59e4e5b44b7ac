"""Post-treatment reports: the effect extractor and the intent override, on Message objects."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.disclosure_intent import DisclosureIntentOverride
from clinic_nlp.mentions import MentionDetector
from clinic_nlp.post_treatment_intent import PostTreatmentReportOverride
from clinic_nlp.rasa_component import ContraindicationMentionExtractor, TreatmentEffectExtractor


@pytest.fixture(scope="module")
def pipeline(detector: MentionDetector):
    """The NLU components after the classifiers, in config.yml's order."""
    return [
        ContraindicationMentionExtractor({}, detector=detector),
        TreatmentEffectExtractor({}),
        PostTreatmentReportOverride(PostTreatmentReportOverride.get_default_config()),
        DisclosureIntentOverride(DisclosureIntentOverride.get_default_config()),
    ]


def parsed(pipeline, text: str, intent: str = "faq") -> Message:
    message = Message.build(text=text)
    message.set("intent", {"name": intent, "confidence": 0.8})
    for component in pipeline:
        component.process([message])
    return message


def test_effects_become_treatment_effect_entities_with_their_status(pipeline):
    text = "no pus, but my face is red"
    entities = parsed(pipeline, text).get("entities")
    effects = [(e["value"], e["role"]) for e in entities if e["entity"] == "treatment_effect"]
    assert effects == [("infection", "negated"), ("redness", "positive")]
    (red,) = [e for e in entities if e["value"] == "redness"]
    assert text[red["start"] : red["end"]] == "red"


@pytest.mark.parametrize(
    "text",
    [
        "my skin is peeling 3 days after microneedling, is that normal?",
        "I had microneedling yesterday and my face is red like a sunburn, is that normal?",
        "I had it done last week and now I have small white bumps",
        "my face is a bit swollen since the treatment, how long will it last?",
        # Signs that are contraindications too: triaged (urgent), not disclosed.
        "I think it's infected after the treatment",
        "I have a cold sore since the treatment",
        # An urgent sign needs no word of the treatment, when nothing is disclosed.
        "it won't stop bleeding",
        "my daughter has pus after her session",
        "my face is getting worse since the treatment",
        # A time since the treatment places the effect after it as well as a cue.
        "still feeling really tight 10 days after, normal?",
        "a couple of weeks later my chin keeps breaking out in spots",
        "my cheeks are still quite pink after 5 days",
        # So does a session had.
        "had my third session this morning and my face is quite red",
        "got my last treatment on monday and I'm still a bit swollen",
        # So do a session that took place and time gone by.
        "my pores look bigger than before, the session was 10 days ago",
        "crusty bits on my chin on day 6",
        "it's been a week and my skin is still peeling",
        "do hafte ho gaye aur chehra abhi bhi laal hai",
        "علاج کو دس دن ہو گئے ہیں اور چہرہ ابھی تک لال ہے",
        "kal mera session hua tha aur chehra laal hai",
        "مہینہ ہو گیا ہے علاج کو، گال پر سرخی ہے",
        # Roman Urdu and Urdu script
        "treatment ke baad chehra laal hai, kya ye normal hai?",
        "khoon band nahi ho raha",
        "chehre pe peep aa gayi hai",
        "علاج کے بعد چہرہ لال ہے",
    ],
)
def test_a_report_after_treatment_is_post_treatment_whatever_the_classifier_said(pipeline, text):
    message = parsed(pipeline, text, intent="faq")
    assert message.get("intent")["name"] == "post_treatment_concern"
    assert message.get("classified_intent")["name"] == "faq"


def test_an_unsure_classifier_leaves_a_question_about_an_effect_to_the_triage(pipeline):
    text = "what if my skin gets infected after the treatment"
    assert parsed(pipeline, text, intent="nlu_fallback").get("intent")["name"] == (
        "post_treatment_concern"
    )
    assert parsed(pipeline, "blorp", intent="nlu_fallback").get("intent")["name"] == "nlu_fallback"


def test_the_contraindication_of_a_report_is_kept_for_the_handoff(pipeline):
    message = parsed(pipeline, "I have a cold sore since the treatment", intent="faq")
    codes = [e["value"] for e in message.get("entities") if e["entity"] == "contraindication"]
    assert codes == ["herpes"]  # the urgent hand-off adds it to its reasons


@pytest.mark.parametrize(
    ("text", "classified", "final"),
    [
        ("could I get an infection after microneedling?", "faq", "faq"),  # a question
        ("is it normal to be red after microneedling?", "faq", "faq"),
        ("my sister is swollen after her treatment", "faq", "faq"),  # someone else
        ("no swelling or redness after my session, thanks", "thank", "thank"),  # denied
        ("my face is red", "faq", "faq"),  # nothing says it is after the treatment
        ("I'm worried about severe pain, does it hurt?", "faq", "faq"),
        ("I have a cold sore and a fever, can I come in?", "faq", "disclose_contraindication"),
        ("going somewhere hot on holiday after my treatment, is that ok?", "faq", "faq"),
        ("I get cold sores, can I have microneedling?", "faq", "disclose_contraindication"),
        ("I had a cold sore 3 days ago, can I still come in?", "faq", "disclose_contraindication"),
        # Time gone by beside a condition is the condition's time, not the treatment's.
        ("I've had a cold sore on my lip, it's been a week", "faq", "disclose_contraindication"),
        ("red after the treatment, can I book another?", "book_consultation", "book_consultation"),
        # A change with no word of the treatment describes the skin in general.
        ("my acne scars look even worse in photos, will it help?", "faq", "faq"),
        ("is it normal to be red 2 days after?", "faq", "faq"),  # a time, but a question
        ("will my face still be red after the treatment?", "faq", "faq"),
        ("can I go swimming 3 days after?", "faq", "faq"),  # a time, no effect
        ("the pigmentation keeps spreading, can this fix it", "faq", "faq"),
        ("kya treatment ke baad infection ho sakta hai?", "faq", "faq"),
        ("mera chehra laal hai", "faq", "faq"),
        ("meri behen ko treatment ke baad sojan hai", "faq", "faq"),
        (
            "mujhe bukhar ke chaale hote hain, kya main treatment karwa sakti hoon?",
            "faq",
            "disclose_contraindication",
        ),
    ],
)
def test_other_messages_keep_their_intent(pipeline, text, classified, final):
    assert parsed(pipeline, text, intent=classified).get("intent")["name"] == final


@pytest.mark.parametrize(
    ("text", "final"),
    [
        # Conditions the classifier took for a report: staff must see them before treatment.
        ("i have psoriasis and also rosacea on my nose", "disclose_contraindication"),
        ("there are some raised warts on my chin", "disclose_contraindication"),
        ("my face is red since the treatment and I'm pregnant", "disclose_contraindication"),
        ("no pus since my treatment but I have eczema", "disclose_contraindication"),
        # The treatment explains the condition named, or an urgent sign leads: triaged.
        ("my face looks sunburnt since the treatment", "post_treatment_concern"),
        ("I have a cold sore since the treatment", "post_treatment_concern"),
        ("small scabs on my chin from the session 2 days ago", "post_treatment_concern"),
        ("pus on my cheek since my session and I'm pregnant", "post_treatment_concern"),
        # Time gone by is no treatment: the sunburn is disclosed.
        ("I got sunburnt on holiday, it's been 3 days", "disclose_contraindication"),
    ],
)
def test_a_report_keeps_its_intent_only_when_the_triage_accounts_for_its_conditions(
    pipeline, text, final
):
    message = parsed(pipeline, text, intent="post_treatment_concern")
    assert message.get("intent")["name"] == final
