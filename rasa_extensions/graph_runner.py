"""Run Rasa's graphs node after node in a fixed order, without building a dask graph each time.

Rasa 3.6 runs its prediction graph through dask's synchronous scheduler: once
per message for NLU and once per predicted action for the policies (about
three times per message here). Each run selects the nodes the targets need,
builds a dask task graph from them and lets dask order it again, all inside
Rasa's event loop: about 0.5 ms per NLU run and 0.4 ms per policy run
(docs/benchmarks.md), more than the policies themselves. Here the order of the
nodes is worked out once per set of targets and the nodes are called in it,
with the same inputs, the same outputs and the same errors as under dask
(which also runs one node at a time, in one thread). Installed by a no-op
pipeline component (config.yml) when the model loads, as
`action_validation.py` is.
"""

from graphlib import TopologicalSorter
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphNode
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner

from rasa_extensions.installer import InstallerComponent
from rasa_extensions.rasa_version import require_pinned_rasa

# One step: the node's name, the node, and the names of the nodes or inputs it needs.
Step = tuple[str, GraphNode, tuple[str, ...]]


def _plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[Step]:
    """The nodes the targets need, each after the nodes it needs (remembered per runner)."""
    plans: dict[tuple[str, ...], list[Step]] = runner.__dict__.setdefault("_sequential_plans", {})
    if targets not in plans:
        schema = runner._graph_schema.minimal_graph_schema(list(targets))
        needs = {name: tuple(node.needs.values()) for name, node in schema.nodes.items()}
        order = TopologicalSorter(
            {name: [need for need in needed if need in needs] for name, needed in needs.items()}
        ).static_order()
        plans[targets] = [(name, runner._instantiated_nodes[name], needs[name]) for name in order]
    return plans[targets]


def run(
    self: DaskGraphRunner,
    inputs: dict[str, Any] | None = None,
    targets: list[str] | None = None,
) -> dict[str, Any]:
    """`DaskGraphRunner.run`, without dask."""
    run_targets = tuple(targets or self._graph_schema.target_names)
    # Each node gets (name, output) pairs from the nodes it needs; like dask, the
    # bare name when nothing provides it (GraphNode warns about those).
    outputs = {name: (name, value) for name, value in (inputs or {}).items()}
    try:
        for name, node, needs in _plan(self, run_targets):
            outputs[name] = node(*(outputs.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(outputs[target] for target in run_targets)


@require_pinned_rasa
def install() -> None:
    """Make Rasa's graph runner call the nodes in order itself."""
    DaskGraphRunner.run = run


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SequentialGraphRun(InstallerComponent):
    """Installs the runner above when the model loads."""

    install = staticmethod(install)
