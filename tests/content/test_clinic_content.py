"""content/clinic.yml: the documents' values with their sources, every other detail empty."""

import re
from dataclasses import fields

import pytest

from actions.clinic import ANSWERS, CLINIC_DETAILS_PATH, ClinicDetails, load_clinic_details
from tests.content_files import SEEDS_DIR, domain_responses, load_yaml

RAW = load_yaml(CLINIC_DETAILS_PATH)
DETAILS = load_clinic_details(CLINIC_DETAILS_PATH)
SOURCES = RAW["sources"]
FIELDS = [field.name for field in fields(ClinicDetails)]
RESPONSES = domain_responses()
CLINIC_RESPONSES = {
    name: variations[0]
    for name, variations in load_yaml(CLINIC_DETAILS_PATH.parents[1] / "domain" / "clinic.yml")[
        "responses"
    ].items()
}


def seed_text(name: str) -> str:
    return " ".join((SEEDS_DIR / name).read_text(encoding="utf-8").split())


def test_the_file_has_every_detail_and_only_those():
    assert set(RAW) - {"sources"} == set(FIELDS)


def test_the_documents_name_the_clinic_its_city_and_its_dermatologist():
    assert (DETAILS.name, DETAILS.city, DETAILS.dermatologist) == (
        "The Face Clinic",
        "Multan, Pakistan",
        "Dr. Sayyam Azam",
    )


@pytest.mark.parametrize("field", sorted(SOURCES))
def test_every_value_from_the_documents_is_in_its_sources(field):
    value = getattr(DETAILS, field)
    assert value and SOURCES[field]
    for source in SOURCES[field]:
        assert value in seed_text(source), source


@pytest.mark.parametrize("field", sorted(set(FIELDS) - set(SOURCES)))
def test_every_detail_the_documents_do_not_give_is_empty(field):
    assert getattr(DETAILS, field) == ""


def test_every_placeholder_names_a_detail():
    placeholders = {
        name
        for response in CLINIC_RESPONSES.values()
        for name in re.findall(r"\{(\w+)\}", response["text"])
    }
    assert placeholders <= {f"clinic_{field}" for field in FIELDS}


def test_every_answer_is_a_domain_response_and_every_unknown_one_offers_staff():
    for answer in ANSWERS.values():
        names = [response for _, response in answer.parts] + [answer.lead, answer.unknown]
        assert all(name in RESPONSES for name in names if name)
        assert all(field in FIELDS for field, _ in answer.parts)
        if answer.unknown:
            buttons = RESPONSES[answer.unknown][0]["buttons"]
            assert [b["payload"] for b in buttons] == ["/request_human"]


def test_the_cost_answer_comes_from_the_documents():
    cost = CLINIC_RESPONSES["utter_clinic_cost"]
    assert "{" not in cost["text"]
    for source in cost["metadata"]["sources"]:
        assert "cost depends on the size of the area" in seed_text(source)
