"""The two projects under test, built and trained in a temporary folder.

Training is timed twice per bot: from scratch, with an empty Rasa cache, and
again after rewording one response, the most common edit (Rasa's cache should
make that second run cheap). Both happen in a copy, so the project's own
models and `.rasa` cache are never touched.
"""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.servers import REPO_ROOT

# The venv's Rasa, whichever way this module was started.
RASA = str(Path(sys.executable).with_name("rasa"))
# `rasa train` exactly as `make train` runs it, relative to the project folder.
CLINIC_TRAIN = [
    RASA, "train", "--domain", "domain", "--data", "data", "--config", "config.yml",
    "--out", "models", "--fixed-model-name", "clinic",
]  # fmt: skip
CLINIC_TRAINING_FILES = ("config.yml", "domain", "data")


@dataclass(frozen=True)
class TrainingTimes:
    from_scratch_s: float
    after_response_change_s: float


def rasa_env(project: Path) -> dict[str, str]:
    """The environment of every Rasa command the benchmark runs in `project`."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        # Rasa's default cache is .rasa/cache under the working directory; named
        # here so a cache from elsewhere can never make "from scratch" a lie.
        "RASA_CACHE_DIRECTORY": str(project / ".rasa" / "cache"),
        # The clinic's custom NLU components are imported from the repository.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }


def run_rasa(command: list[str], project: Path, log_name: str) -> float:
    """Run a Rasa command in `project`; its duration in seconds. The log goes beside it."""
    log_path = project.parent / f"{log_name}.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        completed = subprocess.run(
            command, cwd=project, env=rasa_env(project), stdout=log, stderr=subprocess.STDOUT
        )
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{tail}")
    return elapsed


def reword_response(domain_file: Path, response: str) -> None:
    """Append a word to the first text of `response`, as someone rewording it would."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    domain["responses"][response][0]["text"] += " (reworded)"
    domain_file.write_text(yaml.safe_dump(domain, sort_keys=False, allow_unicode=True))


def train_clinic(workdir: Path) -> TrainingTimes:
    """Train a copy of this project's training files twice, as `make train` does."""
    project = workdir / "clinic"
    project.mkdir(parents=True)
    for name in CLINIC_TRAINING_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    scratch = run_rasa(CLINIC_TRAIN, project, "clinic-train-scratch")
    reword_response(project / "domain" / "basics.yml", "utter_goodbye")
    return TrainingTimes(scratch, run_rasa(CLINIC_TRAIN, project, "clinic-train-reworded"))


def init_stock(workdir: Path) -> tuple[Path, TrainingTimes]:
    """Create and train the stock bot with `rasa init`, then retrain it after a rewording.

    `rasa init` scaffolds (instantly) and trains; its whole run is the
    from-scratch training time.
    """
    project = workdir / "stock"
    project.mkdir(parents=True)
    scratch = run_rasa([RASA, "init", "--no-prompt", "--init-dir", "."], project, "stock-init")
    reword_response(project / "domain.yml", "utter_greet")
    retrain = run_rasa([RASA, "train"], project, "stock-train-reworded")
    return project, TrainingTimes(scratch, retrain)
