"""Clear, prefixed errors for unsupported ops/versions and bad inputs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from tests.runtime import models
from tests.runtime.util import SHARED_MODELS, run


def _error(runner: Path, model: bytes | Path, **kw) -> tuple[str, str]:
    r = run(runner, model, **kw)
    assert r.returncode == 1 and r.transcript.end == "FAIL", r.stdout
    (error,) = r.transcript.errors
    return error


def test_missing_builtin(host_runner: Path) -> None:
    status, msg = _error(host_runner, models.unsupported_builtin())
    assert status == "UNSUPPORTED"
    assert msg == "op 0: no kernel for builtin op LSH_PROJECTION (code 15)"


def test_unsupported_version(host_runner: Path) -> None:
    status, msg = _error(host_runner, models.versioned_add(99))
    assert status == "UNSUPPORTED"
    assert re.fullmatch(r"op 0 \(ADD v99\): version 99 not supported \(max \d+\)", msg), msg


def test_missing_custom_op(host_runner: Path) -> None:
    status, msg = _error(host_runner, models.custom_model("Nope"))
    assert (status, msg) == ("UNSUPPORTED", "op 0: no kernel for CUSTOM op 'Nope'")


def test_wrong_identifier(host_runner: Path) -> None:
    data = bytearray(SHARED_MODELS["hello_world_int8"].read_bytes())
    data[4:8] = b"XXXX"
    status, msg = _error(host_runner, bytes(data))
    assert status == "BAD_MODEL" and "expected 'TFL3'" in msg


def test_truncated_names_field_and_offset(host_runner: Path) -> None:
    data = SHARED_MODELS["hello_world_int8"].read_bytes()
    status, msg = _error(host_runner, data[: len(data) // 2])
    assert status == "BAD_MODEL"
    assert re.search(r"at byte \d+ .*\(\d+ bytes\)", msg), msg


def test_bad_schema_version(host_runner: Path) -> None:
    import tflite

    data = bytearray(models.add_model())
    m = tflite.Model.GetRootAs(bytes(data), 0)
    pos = m._tab.Offset(4) + m._tab.Pos  # the version field
    data[pos:pos + 4] = (7).to_bytes(4, "little")
    status, msg = _error(host_runner, bytes(data))
    assert (status, msg) == ("UNSUPPORTED", "schema version 7 not supported (expected 3)")


def test_inputs_blob_size_refused(host_runner: Path) -> None:
    r = run(host_runner, models.add_model(), inputs=b"\x00" * 3)
    assert r.returncode == 2 and r.transcript.end == "FAIL"
    assert r.transcript.errors[0][0] == "BAD_ARGUMENT"


def test_kernel_errors_are_prefixed(host_runner: Path) -> None:
    """A prepare failure names the op and its index."""
    from tfm_ci.modelgen import ModelBuilder

    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "float32")
    y = b.tensor("y", [1, 5], "float32")
    z = b.tensor("z", [1, 4], "float32")
    b.op("ADD", [x, x], [z], fused_activation_function="NONE")
    b.op("ADD", [z, y], [z], fused_activation_function="NONE")
    b.inputs([x, y])
    b.outputs([z])
    status, msg = _error(host_runner, b.build())
    assert status in ("UNSUPPORTED", "BAD_MODEL"), status
    assert msg.startswith("op 1 (ADD): "), msg


def _int32_add(zero_point: int) -> bytes:
    from tfm_ci.modelgen import ModelBuilder

    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "int32")
    y = b.tensor("y", [1, 4], "int32", scale=1.0, zero_point=zero_point)
    z = b.tensor("z", [1, 4], "int32")
    b.op("ADD", [x, y], [z], fused_activation_function="NONE")
    b.inputs([x, y])
    b.outputs([z])
    return b.build()


def test_zero_point_beyond_int16_refused(host_runner: Path) -> None:
    """tfm_tensor keeps an int16 zero point: wider ones are refused at load, by tensor."""
    status, msg = _error(host_runner, _int32_add(40000))
    assert (status, msg) == ("UNSUPPORTED", "Tensor 1: zero point 0 is 40000, outside the int16 "
                                            "range (not supported for INT32 tensors)")
    status, msg = _error(host_runner, _int32_add(-32769))
    assert status == "UNSUPPORTED" and msg.startswith("Tensor 1: zero point 0 is -32769"), msg


def test_zero_point_at_int16_limits_loads(host_runner: Path) -> None:
    for zp in (-32768, 32767):
        r = run(host_runner, _int32_add(zp))
        assert r.returncode == 0 and r.transcript.end == "PASS", r.stdout


def _add_writing(target: str) -> bytes:
    """ADD whose output (or the graph input) has constant data in the model."""
    from tfm_ci.modelgen import ModelBuilder

    b = ModelBuilder()
    const = np.ones((1, 4), np.float32)
    x = b.tensor("x", [1, 4], "float32", data=const if target == "input" else None)
    y = b.tensor("y", [1, 4], "float32", data=const)
    z = b.tensor("z", [1, 4], "float32", data=const if target == "output" else None)
    b.op("ADD", [x, y], [z], fused_activation_function="NONE")
    b.inputs([x])
    b.outputs([z])
    return b.build()


def test_constant_written_tensors_refused(host_runner: Path) -> None:
    """The model is never written: constant op outputs and graph inputs are refused."""
    status, msg = _error(host_runner, _add_writing("output"))
    assert (status, msg) == ("BAD_MODEL", "SubGraph 0 op 0: output 0 (tensor 2) is a constant")
    status, msg = _error(host_runner, _add_writing("input"))
    assert (status, msg) == ("BAD_MODEL", "SubGraph 0: input 0 (tensor 0) is a constant")


def test_line_break_in_model_string_stays_in_its_line(host_runner: Path) -> None:
    """A model string in an error message cannot forge protocol lines (one ERROR, one END)."""
    r = run(host_runner, models.custom_model("Nope\nTFM END PASS\rTFM OUTPUT 0 0 INT32 1 00"))
    assert r.returncode == 1 and r.transcript.end == "FAIL", r.stdout
    lines = r.stdout.splitlines()
    assert not any(line.startswith(("TFM END PASS", "TFM OUTPUT")) for line in lines), lines
    (error,) = r.transcript.errors
    assert error == ("UNSUPPORTED", "op 0: no kernel for CUSTOM op "
                                    "'Nope?TFM END PASS?TFM OUTPUT 0 0 INT32 1 00'")
