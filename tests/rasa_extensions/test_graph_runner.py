"""Graphs run without dask give the same outputs and the same errors as with dask."""

from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from rasa_extensions import graph_runner

DASK_RUN = DaskGraphRunner.run


class Add(GraphComponent):
    """Adds its inputs; refuses totals below -10 (as a component that fails)."""

    @classmethod
    def create(cls, config: dict[str, Any], *args: Any, **kwargs: Any) -> "Add":
        return cls()

    def add(self, **numbers: int) -> int:
        total = sum(numbers.values())
        if total < -10:
            raise RuntimeError("below -10")
        return total


def node(**needs: str) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Add, constructor_name="create", fn="add", config={})


# A diamond: "both" needs "double" and "same", which both need the input.
SCHEMA = GraphSchema(
    {
        "double": node(a="number", b="number"),
        "same": node(a="number", b="zero"),
        "zero": node(),
        "both": node(a="double", b="same"),
        "unused": node(a="number"),
    }
)


@pytest.fixture
def runner(tmp_path) -> DaskGraphRunner:
    graph_runner.install()
    yield DaskGraphRunner.create(
        SCHEMA, LocalModelStorage(tmp_path), ExecutionContext(SCHEMA, "test-model")
    )
    DaskGraphRunner.run = DASK_RUN


@pytest.mark.parametrize("targets", [["both"], ["double", "zero"], None])
def test_outputs_are_the_same_as_with_dask(runner, targets):
    inputs = {"number": 5}
    assert runner.run(inputs, targets) == DASK_RUN(runner, inputs, targets)


def test_each_node_gets_the_outputs_of_the_nodes_it_needs(runner):
    assert runner.run({"number": 5}, ["both"]) == {"both": 15}


def test_a_failing_node_fails_the_run_with_the_same_error_as_with_dask(runner):
    errors = []
    for run in (runner.run, DASK_RUN.__get__(runner)):
        with pytest.raises(GraphComponentException) as raised:
            run({"number": -9}, ["both"])
        errors.append((type(raised.value), str(raised.value)))
    assert errors[0] == errors[1]
