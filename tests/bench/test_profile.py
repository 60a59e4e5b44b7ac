"""The profile times the tracker store that endpoints.yml names, not only Rasa's base class."""

import yaml
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bench.profile import Timings, instrumented
from rasa_extensions.tracker_store import ClinicSQLTrackerStore
from tests.servers import REPO_ROOT


def test_endpoints_name_the_tracker_store_the_profile_times():
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text())
    store_class = ClinicSQLTrackerStore
    assert endpoints["tracker_store"]["type"] == f"{store_class.__module__}.{store_class.__name__}"


async def test_reads_and_writes_of_the_tracker_store_are_timed(tmp_path):
    store = ClinicSQLTrackerStore(host=f"sqlite:///{tmp_path / 'tracker.db'}")
    timings = Timings()
    timings.enabled = True
    with instrumented(timings):
        await store.save(DialogueStateTracker.from_events("sam", [UserUttered("hi")]))
        await store.retrieve("sam")
    assert timings.calls["tracker store save"] == 1
    assert timings.calls["tracker store retrieve"] == 1
