"""The action server (actions/__main__.py) serves every action in a process without TensorFlow."""

import subprocess
import sys

from rasa.shared.core.domain import Domain

from tests.servers import REPO_ROOT

# What rasa_sdk does at start-up (imports every module of the package), where
# actions/__main__.py runs it: TensorFlow cannot be imported.
REGISTER_ALL = """
from actions.__main__ import without_tensorflow
without_tensorflow()
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")
print(" ".join(executor.actions))
"""


def test_every_action_registers_without_tensorflow():
    result = subprocess.run(
        [sys.executable, "-c", REGISTER_ALL],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stderr
    domain = Domain.load(REPO_ROOT / "domain")
    custom = {a for a in domain.user_actions if not a.startswith("utter_")}
    assert custom and not custom - set(result.stdout.split())
