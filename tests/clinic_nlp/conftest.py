"""Fixtures for the contraindication-mention layer."""

import pytest

from clinic_nlp import MentionDetector, get_detector


@pytest.fixture(scope="session")
def detector() -> MentionDetector:
    """The shared detector, built once: it is read-only, so tests can share it."""
    return get_detector()
