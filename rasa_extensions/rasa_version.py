"""The one Rasa version the replaced methods were written against, checked before any is replaced.

Each module of this package swaps a Rasa method for its own copy of it. On any
other Rasa version the original may have changed, and the copy would silently
change what the bot predicts or stores, so installing refuses: loudly, at
start-up, before anything is replaced.
"""

import functools
import logging
from collections.abc import Callable

import rasa

logger = logging.getLogger(__name__)

PINNED_RASA_VERSION = "3.6.21"


class UnsupportedRasaVersion(RuntimeError):
    """Raised instead of replacing a Rasa method on a Rasa version it was not written for."""


def require_pinned_rasa(install: Callable[[], None]) -> Callable[[], None]:
    """Make `install` refuse to run unless the installed Rasa is the pinned version."""

    @functools.wraps(install)
    def checked_install() -> None:
        installed = rasa.__version__
        if installed != PINNED_RASA_VERSION:
            message = (
                f"{install.__module__} replaces Rasa {PINNED_RASA_VERSION} methods but Rasa "
                f"{installed} is installed: check the replaced methods against the new version, "
                f"then update PINNED_RASA_VERSION (requirements-nodeps.lock pins Rasa)."
            )
            logger.critical(message)
            raise UnsupportedRasaVersion(message)
        install()

    return checked_install
