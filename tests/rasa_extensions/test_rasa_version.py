"""Every replaced Rasa method refuses to install on a Rasa version other than the pinned one."""

import importlib
import logging
import re
from pathlib import Path

import pytest
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.rasa_version import PINNED_RASA_VERSION, UnsupportedRasaVersion

# Each module and the Rasa attributes its install() replaces.
REPLACED = {
    "action_failures": [(RemoteAction, "run"), (MessageProcessor, "_run_action")],
    "action_validation": [(RemoteAction, "_validate_action_result")],
    "applied_events": [(DialogueStateTracker, "applied_events")],
    "dialogue_states": [(Domain, "states_for_tracker_history")],
    "event_types": [(Event, "resolve_by_type")],
    "graph_runner": [(DaskGraphRunner, "run")],
    "nlu_results": [(MessageProcessor, "_parse_message_with_graph")],
    "staff_hold": [(MessageProcessor, "_run_prediction_loop")],
    "tracker_copy": [(DialogueStateTracker, "copy")],
}
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_pinned_version_is_the_one_the_lock_file_installs():
    lock = (REPO_ROOT / "requirements-nodeps.lock").read_text()
    assert re.search(rf"^rasa=={re.escape(PINNED_RASA_VERSION)}$", lock, re.MULTILINE)
    assert rasa.__version__ == PINNED_RASA_VERSION


@pytest.mark.parametrize("module_name", sorted(REPLACED))
def test_install_refuses_another_rasa_version_and_replaces_nothing(
    module_name, monkeypatch, caplog
):
    module = importlib.import_module(f"rasa_extensions.{module_name}")
    before = [vars(owner)[attribute] for owner, attribute in REPLACED[module_name]]
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with caplog.at_level(logging.CRITICAL), pytest.raises(UnsupportedRasaVersion, match="3.7.0"):
        module.install()
    after = [vars(owner)[attribute] for owner, attribute in REPLACED[module_name]]
    assert after == before
    assert any(record.levelno == logging.CRITICAL for record in caplog.records)


def test_every_module_that_replaces_rasa_methods_is_guarded():
    modules = {
        path.stem
        for path in (REPO_ROOT / "rasa_extensions").glob("*.py")
        if "\ndef install(" in path.read_text()
    }
    assert modules == set(REPLACED)
