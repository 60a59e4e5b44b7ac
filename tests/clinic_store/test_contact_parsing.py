"""Phone numbers and e-mail addresses staff type in the console: one of each, or refused."""

import pytest

from clinic_store.contact_parsing import one_email, one_phone

REGIONS = ("PK", "GB")


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0300 1234567", "+923001234567"),
        ("+92 300 123 4567", "+923001234567"),
        ("0092-300-1234567", "+923001234567"),
        ("07700 900123", "+447700900123"),
        ("(+44) 7700 900123", "+447700900123"),
    ],
)
def test_a_phone_number_is_read_in_the_clinics_regions_and_stored_in_e164(typed, e164):
    assert one_phone(typed, REGIONS) == e164


@pytest.mark.parametrize("typed", ["", "call me", "12", "0300 1234567 / 0301 7654321"])
def test_anything_but_one_phone_number_is_refused(typed):
    with pytest.raises(ValueError):
        one_phone(typed, REGIONS)


def test_one_email_address_is_normalised_and_anything_else_refused():
    assert one_email("Sana.Tariq@Example.ORG") == "Sana.Tariq@example.org"
    for typed in ("sana@", "sana@example.org, ali@example.org", "mail sana@example.org", ""):
        with pytest.raises(ValueError):
            one_email(typed)
