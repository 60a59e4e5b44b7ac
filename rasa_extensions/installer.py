"""Pipeline components that change the Rasa server when the model loads, and do nothing else.

Rasa 3.6 offers no hook into how it checks action-server answers, runs actions
or runs its graphs, so the modules of this package replace a Rasa method.
Listing each one as a no-op component in config.yml shows it where the pipeline
is read, and installs it wherever the model is loaded (`rasa run`, `rasa test`,
`rasa shell`). A subclass names its `install` function and registers itself
with `DefaultV1Recipe.register`.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class InstallerComponent(GraphComponent):
    """Calls `install` when the model loads; leaves training data and messages as they are."""

    install: ClassVar[Callable[[], None]]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InstallerComponent":
        cls.install()
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        return messages
