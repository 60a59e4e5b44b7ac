"""Rasa's own checks of the training data and domain pass (`make validate`)."""

import os
import subprocess

from tests.servers import REPO_ROOT


def test_rasa_data_validate_passes():
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "validate"],
        cwd=REPO_ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "conflict" not in result.stdout.lower().replace("no story structure conflicts", "")
