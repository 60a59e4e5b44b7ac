"""Event type names resolve to the same classes as in Rasa, with the same answers for unknowns."""

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from rasa_extensions import event_types


@pytest.fixture(autouse=True)
def installed() -> None:
    event_types.install()


@pytest.mark.parametrize("event_class", [UserUttered, SlotSet, ActionExecuted])
def test_stored_event_names_give_rasas_classes(event_class):
    assert Event.resolve_by_type(event_class.type_name) is event_class
    assert Event.resolve_by_type(event_class.type_name) is event_class  # from memory


def test_an_unknown_name_gives_the_default_or_rasas_error():
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_a_stored_event_reads_back_as_it_was():
    stored = SlotSet("skin_condition", "eczema").as_dict()
    assert Event.from_parameters(stored) == SlotSet("skin_condition", "eczema")
