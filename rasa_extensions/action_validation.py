"""Check the action server's answers against Rasa's schema with compiled code.

Rasa 3.6 validates every action server response with `jsonschema.validate()`,
which first checks the *schema itself* and builds a new validator: about a
quarter of all the time spent per message here (docs/benchmarks.md). Even a
validator built once takes about 2 ms per answer on the event loop, as each
event is tried against all 23 event schemas of the schema's `oneOf`.

Those 23 schemas each fix `event` to a different constant, so an event is
valid exactly when it passes the common part and the one schema its `event`
names. Valid answers are checked that way, with fastjsonschema's compiled
code (microseconds); an answer that fails, or that the split cannot handle, is
checked again by jsonschema against Rasa's whole schema, so what Rasa raises
and logs is exactly its own error. Installed by a no-op pipeline component so
that config.yml shows it; Rasa has no other hook into the action call.
"""

import copy
from functools import lru_cache
from typing import Any, Callable, Dict

import fastjsonschema
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

Check = Callable[[Any], Any]

_ERROR_SUFFIX = (
    ". Failed to validate Action server response from API, make sure your response from "
    "the Action endpoint is valid. For more information about the format visit "
    f"{action.DOCS_BASE_URL}/custom-actions"
)


def _schema() -> Dict[str, Any]:
    return action.RemoteAction.action_response_format_spec()


@lru_cache(maxsize=1)
def _split_checks() -> tuple[Check, dict[str, Check]]:
    """The answer without its events' schema, and one check per kind of event."""
    answer = copy.deepcopy(_schema())
    event = answer["properties"]["events"].pop("items")
    common = {key: value for key, value in event.items() if key != "oneOf"}
    by_kind = {
        kind["properties"]["event"]["const"]: fastjsonschema.compile({"allOf": [common, kind]})
        for kind in event["oneOf"]
    }
    if len(by_kind) != len(event["oneOf"]):
        raise ValueError("two event schemas share one `event` constant: the split would differ")
    return fastjsonschema.compile(answer), by_kind


@lru_cache(maxsize=1)
def _explaining_validator() -> Any:
    schema = _schema()
    return validator_for(schema)(schema)


def _passes_split_checks(result: Any) -> bool:
    check_answer, check_event = _split_checks()
    try:
        check_answer(result)
        for event in result.get("events", []):
            check_event[event["event"]](event)
    except (fastjsonschema.JsonSchemaValueException, KeyError, TypeError, AttributeError):
        return False
    return True


def _validate_action_result(self: action.RemoteAction, result: Dict[str, Any]) -> bool:
    if _passes_split_checks(result):
        return True
    try:
        _explaining_validator().validate(result)
    except ValidationError as error:
        error.message += _ERROR_SUFFIX
        raise
    # Only if the split refused what the whole schema allows: Rasa's reading wins.
    return True


@require_pinned_rasa
def install() -> None:
    """Make Rasa's RemoteAction use the compiled checks, compiled now (about 60 ms)
    rather than while the first visitor waits for an answer."""
    _split_checks()
    action.RemoteAction._validate_action_result = _validate_action_result


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class CachedActionResultValidation(InstallerComponent):
    """Installs the compiled checks when the model loads."""

    install = staticmethod(install)
