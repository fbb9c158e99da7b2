"""Hostile models the firmware must refuse or stop, with the status and message exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.hardening import cases
from tests.ops.harness import check_model
from tests.runtime import models
from tests.runtime.conftest import BUILD, compile_c, firmware_sources
from tests.runtime.util import run


def test_endless_while_stops_with_an_error_naming_the_op(host_runner: Path) -> None:
    r = run(host_runner, cases.endless_while(step=0), timeout=60)
    assert r.returncode == 1
    assert r.transcript.errors == [("ERROR", "op 0 (WHILE): loop still running after 100000 "
                                    "iterations (TFM_WHILE_MAX_ITERATIONS)")]
    assert r.transcript.end == "FAIL"
    # every body run printed its op: bounded by the iteration limit
    assert sum(op.subgraph == 2 for op in r.transcript.ops) == 100000


def test_while_bound_is_a_build_option() -> None:
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS", "APP_SRCS", "HOST_SRCS")]
    runner = compile_c(BUILD / "runner-while7", srcs, "-O1", "-DTFM_WHILE_MAX_ITERATIONS=7")
    ends = run(runner, models.while_model(), inputs=np.array([0], np.int32).tobytes()
               + np.zeros(3, np.float32).tobytes())
    assert ends.transcript.passed, ends.transcript.errors        # 5 iterations: within 7
    r = run(runner, cases.endless_while(step=0))
    assert r.transcript.errors == [("ERROR", "op 0 (WHILE): loop still running after 7 "
                                    "iterations (TFM_WHILE_MAX_ITERATIONS)")]


def test_output_no_op_writes_is_refused(host_runner: Path) -> None:
    r = run(host_runner, cases.unwritten_output())
    assert r.returncode == 1 and r.transcript.end == "FAIL" and not r.transcript.outputs
    assert r.transcript.errors == [("BAD_MODEL", "SubGraph 0: output 1 (tensor 2) is written by "
                                    "no operator")]


def test_concatenation_with_an_empty_input_matches_tflite(asan_runner: Path) -> None:
    x = np.array([[1, -2, 3, 127]], dtype=np.int8)
    t = check_model(cases.empty_concat(), [x, np.zeros((1, 0), np.int8)], runner=asan_runner)
    assert t.outputs_of(0)[0].tolist() == [[1, -2, 3, 127]]


def test_integer_lstm_refuses_weights_without_data(asan_runner: Path) -> None:
    """Its prepare folds weights and biases into row sums: one without constant data
    (the fuzzer's kind of model) is refused by name, not read through NULL."""
    model = cases.lstm_int8()
    for op_input in (2, 6, 13):        # forget gate: input and recurrent weights, bias
        r = run(asan_runner, cases.variable_input(model, op_input))
        assert r.returncode == 1 and r.transcript.end == "FAIL", r.stderr
        [(status, message)] = r.transcript.errors
        assert status == "UNSUPPORTED", message
        assert message.startswith("op 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): input "
                                  f"{op_input} (tensor "), message
        assert message.endswith("must be constant: the integer LSTM folds its weights and "
                                "biases at prepare"), message
