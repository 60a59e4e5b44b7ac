"""Check the action server's answers against Rasa's schema without re-checking the schema.

Rasa 3.6 validates every action server response with `jsonschema.validate()`,
which first checks the *schema itself* and builds a new validator: about a
quarter of all the time spent per message here (docs/benchmarks.md). This
validates against the same schema with one validator built once, with the same
errors. It is installed by a no-op pipeline component so that config.yml shows
it; Rasa has no other hook into the action call.
"""

from functools import lru_cache
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from rasa_extensions.installer import InstallerComponent

_ERROR_SUFFIX = (
    ". Failed to validate Action server response from API, make sure your response from "
    "the Action endpoint is valid. For more information about the format visit "
    f"{action.DOCS_BASE_URL}/custom-actions"
)


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = action.RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def _validate_action_result(self: action.RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as error:
        error.message += _ERROR_SUFFIX
        raise


def install() -> None:
    """Make Rasa's RemoteAction use the cached validator."""
    action.RemoteAction._validate_action_result = _validate_action_result


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class CachedActionResultValidation(InstallerComponent):
    """Installs the cached validator when the model loads."""

    install = staticmethod(install)
