"""Configuration from environment variables, with defaults for a single machine.

Nothing is read at import time: `get_settings()` builds a fresh, immutable
`Settings` from the environment each time it is called, so the action server,
the staff console and the tests all see the environment they were started with.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
# A year: long enough for staff to follow up and to recognise someone who comes back,
# short enough that health answers given in a chat are not kept indefinitely.
DEFAULT_RETENTION_DAYS = 365
# The clinic in the documents is in Multan, Pakistan.
DEFAULT_CLINIC_TIMEZONE = "Asia/Karachi"
# Long enough for a member of staff to read back and write a considered reply; short
# enough that a patient is not left waiting behind a silent bot for long.
DEFAULT_IDLE_MINUTES = 30
# WhatsApp's own limit for a voice note or a video; larger files are not kept, and staff
# are told.
DEFAULT_MEDIA_MAX_BYTES = 16 * 1024 * 1024
REPLY_LANGUAGES = ("en", "ur")


@dataclass(frozen=True)
class Settings:
    """Every setting the hand-off side of the project reads."""

    database_url: str
    # Hand-offs are kept here as files while the database is unreachable (clinic_store/spool.py).
    handoff_spool_dir: Path
    tracker_store_url: str
    handoff_webhook_url: str | None
    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    smtp_from: str
    staff_notify_emails: tuple[str, ...]
    staff_api_token: str | None
    staff_console_host: str
    staff_console_port: int
    staff_console_public_url: str
    staff_session_secret: str | None
    retention_days: int
    # A hand-off staff took over and then left idle this long goes back to the open list
    # (the assistant answers again, staff are notified again); 0 never.
    handoff_idle_minutes: float
    # The clinic's approved WhatsApp template staff may send outside the 24-hour window:
    # its name on the Cloud API, its Content SID on Twilio (None: none is offered).
    whatsapp_template_name: str | None
    twilio_template_content_sid: str | None
    clinic_contact_hours: str
    urgent_contact_hours: str
    # The same two, said to patients answered in Urdu.
    clinic_contact_hours_ur: str
    urgent_contact_hours_ur: str
    # Where a phone number typed without its country code is read first ("0300 ..."),
    # then the other regions tried in order (clinic_store/contact_parsing.py).
    phone_default_region: str
    phone_other_regions: tuple[str, ...]
    # The clinic's clock: "yesterday" and "until Thursday morning" are its days (an IANA name).
    clinic_timezone: str
    # Photos, voice notes and files patients send on WhatsApp (clinic_store/media.py).
    media_dir: Path
    media_max_bytes: int
    # The reply language (`en` or `ur`) for patients who write Roman Urdu; Urdu-script
    # writers get Urdu, and anyone can switch ("urdu mein", "English please").
    roman_urdu_reply_language: str

    @property
    def clinic_zone(self) -> ZoneInfo:
        return ZoneInfo(self.clinic_timezone)

    @property
    def phone_regions(self) -> tuple[str, ...]:
        """Regions a national phone number is read in, the default first."""
        others = (r for r in self.phone_other_regions if r != self.phone_default_region)
        return (self.phone_default_region, *others)

    @property
    def notifier_channels(self) -> tuple[str, ...]:
        """The staff notification channels that are configured, in sending order."""
        channels = []
        if self.handoff_webhook_url:
            channels.append("webhook")
        if self.smtp_host and self.staff_notify_emails:
            channels.append("email")
        return tuple(channels)

    def whatsapp_template(self, channel: str) -> str | None:
        """The approved template for a WhatsApp channel ("whatsapp" or "twilio"), if configured."""
        return {
            "whatsapp": self.whatsapp_template_name,
            "twilio": self.twilio_template_content_sid,
        }.get(channel)

    def contact_hours(self, urgent: bool, language: str) -> str:
        """When staff will contact the person, in the reply language (`en` or `ur`)."""
        if language == "ur":
            return self.urgent_contact_hours_ur if urgent else self.clinic_contact_hours_ur
        return self.urgent_contact_hours if urgent else self.clinic_contact_hours

    @property
    def secure_cookies(self) -> bool:
        """Staff reach the console over HTTPS (behind a proxy), so cookies may say so."""
        return self.staff_console_public_url.startswith("https://")


def _optional(env: Mapping[str, str], name: str) -> str | None:
    """A variable's value, with unset and empty treated alike."""
    return env.get(name, "").strip() or None


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in TRUE_WORDS


def _retention_days(env: Mapping[str, str]) -> int:
    """RETENTION_DAYS: how long conversations are kept after their last activity; 0 = forever."""
    days = int(env.get("RETENTION_DAYS", "").strip() or DEFAULT_RETENTION_DAYS)
    if days < 0:
        raise ValueError(f"RETENTION_DAYS must be 0 (keep forever) or more, not {days}")
    return days


def _non_negative(env: Mapping[str, str], name: str, default: float) -> float:
    value = float(env.get(name, "").strip() or default)
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, not {value}")
    return value


def _regions(env: Mapping[str, str], name: str, default: str) -> tuple[str, ...]:
    """Comma-separated ISO 3166 region codes ("PK", "GB,AE"), checked against libphonenumber."""
    regions = tuple(r.strip().upper() for r in (env.get(name) or default).split(",") if r.strip())
    unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
    if unknown:
        raise ValueError(f"{name}: unknown region code(s) {', '.join(unknown)}")
    return regions


def _timezone(env: Mapping[str, str]) -> str:
    """CLINIC_TIMEZONE, an IANA time zone name ("Asia/Karachi", "Europe/London")."""
    name = env.get("CLINIC_TIMEZONE", "").strip() or DEFAULT_CLINIC_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"CLINIC_TIMEZONE: unknown time zone {name!r}") from error
    return name


def _reply_language(env: Mapping[str, str]) -> str:
    """ROMAN_URDU_REPLY_LANGUAGE: `en` (the default) or `ur`."""
    language = env.get("ROMAN_URDU_REPLY_LANGUAGE", "").strip().lower() or "en"
    if language not in REPLY_LANGUAGES:
        raise ValueError(f"ROMAN_URDU_REPLY_LANGUAGE must be en or ur, not {language!r}")
    return language


def get_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings from `env` (the process environment by default)."""
    env = os.environ if env is None else env
    host = env.get("STAFF_CONSOLE_HOST", "127.0.0.1")
    port = int(env.get("STAFF_CONSOLE_PORT", "8080"))
    smtp_host = _optional(env, "SMTP_HOST")
    return Settings(
        database_url=env.get("DATABASE_URL") or "sqlite:///var/clinic.db",
        handoff_spool_dir=Path(env.get("HANDOFF_SPOOL_DIR") or "var/spool"),
        tracker_store_url=env.get("TRACKER_STORE_URL") or "sqlite:///var/tracker.db",
        handoff_webhook_url=_optional(env, "HANDOFF_WEBHOOK_URL"),
        smtp_host=smtp_host,
        smtp_port=int(env.get("SMTP_PORT", "25")),
        smtp_username=_optional(env, "SMTP_USERNAME"),
        smtp_password=_optional(env, "SMTP_PASSWORD"),
        smtp_starttls=_flag(env, "SMTP_STARTTLS"),
        smtp_from=_optional(env, "SMTP_FROM") or f"clinic-assistant@{smtp_host or 'localhost'}",
        staff_notify_emails=tuple(
            address.strip()
            for address in env.get("STAFF_NOTIFY_EMAILS", "").split(",")
            if address.strip()
        ),
        staff_api_token=_optional(env, "STAFF_API_TOKEN"),
        staff_console_host=host,
        staff_console_port=port,
        # The address staff open, for links in notifications; behind a proxy, its public URL.
        staff_console_public_url=(
            _optional(env, "STAFF_CONSOLE_PUBLIC_URL") or f"http://{host}:{port}"
        ).rstrip("/"),
        staff_session_secret=_optional(env, "STAFF_SESSION_SECRET"),
        retention_days=_retention_days(env),
        handoff_idle_minutes=_non_negative(env, "HANDOFF_IDLE_MINUTES", DEFAULT_IDLE_MINUTES),
        whatsapp_template_name=_optional(env, "WHATSAPP_TEMPLATE_NAME"),
        twilio_template_content_sid=_optional(env, "TWILIO_TEMPLATE_CONTENT_SID"),
        clinic_contact_hours=env.get("CLINIC_CONTACT_HOURS") or "within one working day",
        urgent_contact_hours=(
            env.get("URGENT_CONTACT_HOURS") or "as soon as possible, usually the same day"
        ),
        clinic_contact_hours_ur=env.get("CLINIC_CONTACT_HOURS_UR") or "ایک کاروباری دن کے اندر",
        urgent_contact_hours_ur=(
            env.get("URGENT_CONTACT_HOURS_UR") or "جتنی جلدی ہو سکے، عموماً اسی دن"
        ),
        # The clinic in the documents is in Multan, Pakistan; visitors from the UK are common.
        phone_default_region=_regions(env, "PHONE_DEFAULT_REGION", "PK")[0],
        phone_other_regions=_regions(env, "PHONE_OTHER_REGIONS", "GB"),
        clinic_timezone=_timezone(env),
        media_dir=Path(env.get("MEDIA_DIR") or "var/media"),
        media_max_bytes=int(_non_negative(env, "MEDIA_MAX_BYTES", DEFAULT_MEDIA_MAX_BYTES)),
        roman_urdu_reply_language=_reply_language(env),
    )
