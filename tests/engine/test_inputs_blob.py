"""The inputs blob format and the job's input loading."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from tfm_ci import inputs_blob
from tfm_ci.inspect import read_model
from tfm_ci.jobinputs import InputsError, load_inputs
from tfm_ci.modelgen import ModelBuilder


def test_pack_layout() -> None:
    a = np.array([1, -2, 3], dtype=np.int8)
    b = np.array([[1.5]], dtype=np.float32)
    blob = inputs_blob.pack([[a, b], [a + 1, b * 2]])
    magic, n, size, reserved = struct.unpack_from("<4sIII", blob)
    assert (magic, n, size, reserved) == (b"TFMI", 2, 14, 0)
    assert blob[16:19] == bytes([1, 0xFE, 3])
    assert blob[19:23] == struct.pack("<f", 1.5)
    count, data = inputs_blob.unpack(blob)
    back = inputs_blob.split(data, count, [(np.int8, (3,)), (np.float32, (1, 1))])
    assert np.array_equal(back[1][0], a + 1) and np.array_equal(back[1][1], b * 2)


def test_big_endian_arrays_are_written_little_endian() -> None:
    blob = inputs_blob.pack([[np.array([1], dtype=">i2")]])
    assert blob[16:] == b"\x01\x00"


@pytest.mark.parametrize(("blob", "message"), [
    (b"TFMI", "less than the 16-byte header"),
    (struct.pack("<4sIII", b"XXXX", 1, 0, 0), "magic"),
    (struct.pack("<4sIII", b"TFMI", 1, 5, 0) + b"abc", "says 5 data bytes, has 3"),
])
def test_bad_blobs(blob: bytes, message: str) -> None:
    with pytest.raises(inputs_blob.BlobError, match=message):
        inputs_blob.unpack(blob)


def _model() -> bytes:
    b = ModelBuilder(description="two inputs")
    x = b.tensor("x", [1, 4], "int8", scale=0.5, zero_point=0)
    y = b.tensor("y", [1, 4], "int8", scale=0.5, zero_point=0)
    z = b.tensor("z", [1, 4], "int8", scale=1.0, zero_point=0)
    b.op("ADD", [x, y], [z], fused_activation_function="NONE")
    b.inputs([x, y])
    b.outputs([z])
    return b.build()


def test_load_inputs_sequences_and_files(tmp_path: Path) -> None:
    model = _model()
    info = read_model(model)
    seq = np.arange(12, dtype=np.int8).reshape(3, 1, 4)
    np.save(tmp_path / "y.npy", np.ones((3, 1, 4), dtype=np.int8))
    inv = load_inputs(model, info, [seq, tmp_path / "y.npy"])
    assert len(inv) == 3 and np.array_equal(inv[2][0], seq[2]) and inv[0][1].shape == (1, 4)
    one = load_inputs(model, info, [seq[0], seq[1].astype(np.int32)])
    assert len(one) == 1 and one[0][1].dtype == np.int8
    rnd = load_inputs(model, info, None, invocations=2, seed=3)
    again = load_inputs(model, info, None, invocations=2, seed=3)
    assert len(rnd) == 2
    assert all(np.array_equal(a, b) for a, b in zip(rnd[1], again[1], strict=True))


@pytest.mark.parametrize(("inputs", "message"), [
    ([np.zeros((1, 4), np.int8)], "model has 2 input"),
    ([np.zeros((1, 5), np.int8), np.zeros((1, 4), np.int8)], "neither"),
    ([np.zeros((2, 1, 4), np.int8), np.zeros((3, 1, 4), np.int8)], "disagree"),
    ([np.full((1, 4), 300), np.zeros((1, 4), np.int8)], "outside the model input.s int8 range"),
])
def test_bad_inputs(inputs, message: str) -> None:
    model = _model()
    with pytest.raises(InputsError, match=message):
        load_inputs(model, read_model(model), inputs)
