"""Phone numbers and e-mail addresses in what people type, shared by the bot and the console.

Phone numbers are found by `phonenumbers` (libphonenumber) and stored in E.164
form, read first in the clinic's default region (PHONE_DEFAULT_REGION), then in
the other regions; e-mail addresses are checked by `email-validator`. The action
server reads patients' replies with `parse_contact` (actions/contact_details.py
adds names); the staff console checks what staff type with `one_phone` and
`one_email`.
"""

import re
from dataclasses import dataclass, field

import phonenumbers
import regex
from email_validator import EmailNotValidError, validate_email

# Characters around an e-mail address that are punctuation, not part of it.
EMAIL_TRIM = "<>()[]{}.,;:!?\"'"


@dataclass(frozen=True)
class ContactDetails:
    """The phone numbers (E.164) and e-mail addresses found in one message."""

    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None

    @property
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    def __bool__(self) -> bool:
        return bool(self.phones or self.emails)


def _emails(text: str) -> list[tuple[str, int, int]]:
    """Each valid e-mail address in the text, normalised, with where it was."""
    found = []
    for match in re.finditer(r"\S*@\S*", text):
        candidate = match.group(0).strip(EMAIL_TRIM).removeprefix("mailto:")
        try:
            address = validate_email(candidate, check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        found.append((address, match.start(), match.end()))
    return found


MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def _prefix_fit(national_number: str, region: str) -> int:
    """How many leading digits could still begin a mobile or landline number of `region`."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    patterns = [
        desc.national_number_pattern
        for desc in (metadata.mobile, metadata.fixed_line)
        if desc and desc.national_number_pattern
    ]
    for length in range(len(national_number), 0, -1):
        prefix = national_number[:length]
        if any(regex.fullmatch(p, prefix, partial=True) for p in patterns):
            return length
    return 0


def _in_best_region(raw: str, regions: tuple[str, ...]) -> phonenumbers.PhoneNumber | None:
    """A number written without its country code, read in the region where it makes sense.

    A region where it is a mobile number wins, then the first where it is valid
    at all: "0300 1234567" is a Pakistani mobile; "07456 123456" could be a
    Pakistani landline but is a British mobile, and people give their mobile.
    A number valid nowhere, such as the UK's 07700 900xxx range kept for
    examples, goes to the region whose numbers it starts like.
    """
    valid, readings = [], []
    for region in regions:
        number = phonenumbers.parse(raw, region)
        if phonenumbers.is_valid_number(number):
            valid.append(number)
        elif phonenumbers.is_possible_number(number):
            readings.append((_prefix_fit(str(number.national_number), region), number))
    mobile = next((n for n in valid if phonenumbers.number_type(n) in MOBILE_TYPES), None)
    if mobile or valid:
        return mobile or valid[0]
    return max(readings, key=lambda reading: reading[0], default=(0, None))[1]


def _phones(text: str, regions: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Each phone number in the text in E.164 form, with where it was."""
    found = []
    matcher = phonenumbers.PhoneNumberMatcher(
        text, regions[0], leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        international = match.raw_string.lstrip("(").startswith(("+", "00"))
        number = match.number if international else _in_best_region(match.raw_string, regions)
        if number is not None and (e164 := _e164(number)):
            found.append((e164, match.start, match.end))
    return found


def _e164(number: phonenumbers.PhoneNumber) -> str | None:
    """The number in E.164 form, if that form reads back as the same, possible number."""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    try:
        again = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return None
    return e164 if again == number and phonenumbers.is_possible_number(again) else None


def parse_contact(text: str, regions: tuple[str, ...]) -> ContactDetails:
    """The phone numbers and e-mail addresses in a message; `regions[0]` is the default."""
    emails = _emails(text)
    # Digits inside an address ("sam1990@example.com") are not a phone number.
    without_emails = list(text)
    for _, start, end in emails:
        without_emails[start:end] = " " * (end - start)
    phones = _phones("".join(without_emails), regions)
    return ContactDetails(
        phones=tuple(dict.fromkeys(p for p, _, _ in phones)),
        emails=tuple(dict.fromkeys(e for e, _, _ in emails)),
        spans=tuple((start, end) for _, start, end in [*emails, *phones]),
    )


def one_phone(text: str, regions: tuple[str, ...]) -> str:
    """The one phone number a field holds, in E.164; ValueError when it holds none or more."""
    found = parse_contact(text, regions)
    if len(found.phones) != 1 or found.emails:
        raise ValueError("the phone number must be one phone number")
    return found.phones[0]


def one_email(text: str) -> str:
    """The one e-mail address a field holds, normalised; ValueError when it is not one."""
    found = _emails(text)
    if len(found) != 1 or len(text.split()) != 1:
        raise ValueError("the e-mail address must be one valid address")
    return found[0][0]
