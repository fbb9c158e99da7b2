"""IF, WHILE, CALL_ONCE and resource variables compared with TFLite (BUILTIN_REF)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.harness import check_model
from tests.runtime import models
from tests.runtime.util import run


@pytest.mark.parametrize("cond", [True, False])
def test_if_branches(cond: bool, rng: np.random.Generator) -> None:
    a = rng.uniform(-1, 1, (1, 4)).astype(np.float32)
    b = rng.uniform(-1, 1, (1, 4)).astype(np.float32)
    t = check_model(models.if_model(), [np.array([cond]), a, b])
    names = [op.op_name for op in t.ops]
    assert names == (["ADD", "IF"] if cond else ["MUL", "IF"])


@pytest.mark.parametrize("start", [0, 3, 5])
def test_while_loop(start: int) -> None:
    acc = np.array([[1.0, -2.0, 0.5]], dtype=np.float32)
    t = check_model(models.while_model(), [np.array([start], dtype=np.int32), acc])
    body_runs = sum(1 for op in t.ops if op.subgraph == 2 and op.op_name == "ADD")
    assert body_runs == 5 - start


def test_stateful_counter_over_invocations() -> None:
    """CALL_ONCE initialises the variable once; ASSIGN/READ carry state across invokes."""
    xs = np.array([[1], [2], [3], [-7]], dtype=np.int32)
    t = check_model(models.counter_model(), [xs], invocations=4)
    assert [int(t.outputs_of(k)[0][0]) for k in range(4)] == [11, 13, 16, 9]
    assert sum(op.op_name == "ASSIGN_VARIABLE" and op.subgraph == 1 for op in t.ops) == 1


def test_control_flow_tensors_do_not_overlap_callers(host_runner: Path) -> None:
    """The planner keeps IF's inputs alive while a branch runs (outputs stay correct)."""
    r = run(host_runner, models.if_model(), inputs=b"\x01" + b"\x00" * 32)
    assert r.transcript.passed, r.transcript.errors


def test_recursive_subgraphs_are_refused(host_runner: Path) -> None:
    """Subgraph 1 and 2 calling each other is a bad model, not a stack overflow."""
    from tfm_ci.modelgen import ModelBuilder

    b = ModelBuilder()
    c = b.tensor("c", [1], "bool")
    x = b.tensor("x", [1, 2], "float32")
    y = b.tensor("y", [1, 2], "float32")
    s1, s2 = b.add_subgraph("one"), b.add_subgraph("two")
    for sg, other in ((s1, s2), (s2, s1)):
        sc = sg.tensor("c", [1], "bool")
        sx = sg.tensor("x", [1, 2], "float32")
        sy = sg.tensor("y", [1, 2], "float32")
        sg.op("IF", [sc, sc, sx], [sy], then_subgraph_index=other.index,
              else_subgraph_index=other.index)
        sg.inputs([sc, sx])
        sg.outputs([sy])
    b.op("IF", [c, c, x], [y], then_subgraph_index=s1.index, else_subgraph_index=s2.index)
    b.inputs([c, x])
    b.outputs([y])
    r = run(host_runner, b.build())
    assert r.returncode == 1
    (status, message), = r.transcript.errors
    assert status == "BAD_MODEL" and "recursive" in message, message
