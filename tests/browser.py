"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium (`make browser`),
driven by Playwright, quiet and self-contained."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# A quiet, self-contained browser: no sandbox (CI runs as root), no GPU, and none of
# Chromium's own calls home, so every request seen comes from the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright: Playwright, profile: Path, **context_options: Any) -> BrowserContext:
    """Chromium with a fresh profile in `profile`; options are Playwright context options."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    return playwright.chromium.launch_persistent_context(
        profile,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        **context_options,
    )
