"""WhatsApp's 24-hour window: free-form messages only within a day of the patient's last one.

Outside it WhatsApp refuses a normal message; only an approved template may be
sent. The console says so and offers the clinic's template (its name in
WHATSAPP_TEMPLATE_NAME, or TWILIO_TEMPLATE_CONTENT_SID on Twilio) instead of
letting a reply fail silently. Other channels have no window.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from clinic_store.settings import Settings
from staff_console.transcripts import TranscriptLine

WINDOW = timedelta(hours=24)
WHATSAPP_CHANNELS = frozenset({"whatsapp", "twilio"})


@dataclass(frozen=True)
class Window:
    """Whether staff may write freely now, and what to offer when they may not."""

    open: bool
    last_patient_message: datetime | None = None
    template: str | None = None

    def to_json(self) -> dict[str, object]:
        last = self.last_patient_message
        return {
            "open": self.open,
            "last_patient_message": last.isoformat() if last else None,
            "template": self.template,
        }


def window(
    channel: str, transcript: Sequence[TranscriptLine], now: datetime, settings: Settings
) -> Window:
    """The window of a conversation on `channel` at `now`, from its transcript."""
    if channel not in WHATSAPP_CHANNELS:
        return Window(open=True)
    times = [line.sent_at for line in transcript if line.speaker == "user" and line.sent_at]
    last = max(times, default=None)
    if last is not None and now - last < WINDOW:
        return Window(open=True, last_patient_message=last)
    return Window(False, last, settings.whatsapp_template(channel))
