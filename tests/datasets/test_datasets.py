"""Dataset accuracy: loading and quantizing samples, shares and boots, scoring records,
and the digits demo's held-back samples through the real firmware on the host board."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tfm_ci import datasets
from tfm_ci.datasets import DatasetError
from tfm_ci.demo import digits
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.oracle import TensorSpec, input_specs, run_reference
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry

INT8_IN = TensorSpec("input", np.dtype("int8"), (1, 4), 0.5, -3)


def _npz(tmp_path: Path, **arrays: np.ndarray) -> Path:
    path = tmp_path / "data.npz"
    np.savez(path, **arrays)
    return path


def test_float_samples_are_quantized_like_tflite(tmp_path: Path) -> None:
    x = np.array([[[0.25, -0.25, 1.0, 100.0]]], np.float32)      # 100.0 saturates
    ds = datasets.load_dataset(_npz(tmp_path, x=x, y=np.array([1])), INT8_IN)
    # 0.25/0.5 = 0.5 rounds away from zero to 1; -0.5 -> -1; + zero point -3
    assert ds.x.dtype == np.int8 and ds.x.tolist() == [[[-2, -4, -1, 127]]]
    assert ds.clipped == 1


def test_integer_samples_pass_unchanged(tmp_path: Path) -> None:
    x = np.arange(8, dtype=np.int8).reshape(2, 1, 4)
    ds = datasets.load_dataset(_npz(tmp_path, x=x, y=np.array([0, 1])), INT8_IN)
    assert np.array_equal(ds.x, x) and ds.y.tolist() == [0, 1] and len(ds) == 2


@pytest.mark.parametrize(("arrays", "message"), [
    ({"x": np.zeros((2, 1, 4), np.float32)}, "no array y"),
    ({"x": np.zeros((2, 1, 4), np.float32), "y": np.array([0])}, "x has 2 samples, y has 1"),
    ({"x": np.zeros((1, 1, 5), np.float32), "y": np.array([0])}, "samples of shape [1, 5]"),
    ({"x": np.zeros((1, 1, 4), np.int16), "y": np.array([0])}, "x is int16"),
    ({"x": np.zeros((1, 1, 4), np.float32), "y": np.array([0.5])}, "integer labels"),
    ({"x": np.full((1, 1, 4), np.nan, np.float32), "y": np.array([0])}, "NaN"),
    ({"x": np.zeros((0, 1, 4), np.float32), "y": np.zeros(0, np.int64)}, "no samples"),
])
def test_bad_datasets_are_named(tmp_path: Path, arrays: dict, message: str) -> None:
    path = _npz(tmp_path, **arrays)
    with pytest.raises(DatasetError, match=None) as info:
        datasets.load_dataset(path, INT8_IN)
    assert message in str(info.value) and str(path) in str(info.value)


def test_unreadable_dataset(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="cannot read dataset"):
        datasets.load_dataset(path, INT8_IN)


def test_shares_cover_every_sample_once() -> None:
    for samples, parts in [(500, 3), (7, 7), (3, 5), (1797, 16)]:
        shares = datasets.split_shares(samples, parts)
        flat = [i for a, b in shares for i in range(a, b)]
        assert flat == list(range(samples))
        sizes = [b - a for a, b in shares]
        assert max(sizes) - min(sizes) <= 1


def test_boots_respect_the_inputs_capacity() -> None:
    limit = datasets.per_boot(sample_bytes=64, capacity=16 + 64 * 10 + 63)
    assert limit == 10
    assert datasets.boots(5, 37, limit) == [(5, 15), (15, 25), (25, 35), (35, 37)]
    with pytest.raises(DatasetError, match="one sample needs 80 B"):
        datasets.per_boot(sample_bytes=64, capacity=32)


def _record(board: str, preds: list[int], matches: list[bool]) -> dict:
    outputs = []
    for k, (p, m) in enumerate(zip(preds, matches, strict=True)):
        data = [0] * 10
        data[p] = 100
        outputs.append({"invocation": k, "index": 0, "data": data, "match": m})
    return {"board": board, "kernel_set": "reference", "job": {"model": "digits.tflite"},
            "outputs": outputs}


def test_score_and_summarize() -> None:
    a = _record("b1", [1, 2, 3], [True, True, False])
    a["accuracy"] = datasets.score(a, [1, 2, 4])
    assert a["accuracy"]["correct"] == 2 and a["accuracy"]["agree"] == 2
    b = _record("b1", [4], [True])
    b["accuracy"] = datasets.score(b, [4])
    rows = datasets.summarize([a, b, {"board": "other"}])
    assert len(rows) == 1
    row = rows[0]
    assert (row["samples"], row["correct"], row["top1"], row["agreement"]) == (4, 3, 0.75, 0.75)
    assert row["confusion"][4][3] == 1 and row["confusion"][4][4] == 1


def test_a_missing_invocation_neither_agrees_nor_counts() -> None:
    rec = _record("b", [1], [True])
    acc = datasets.score(rec, [1, 1])
    assert (acc["correct"], acc["agree"], acc["predictions"]) == (1, 1, [1, None])


def test_digits_model_learns() -> None:
    model = digits.build_digits_int8()
    x, y = digits.held_out()
    assert x.shape == (500, 1, 64) and len(set(y.tolist())) == 10
    spec = input_specs(model)[0]
    q, _ = datasets.quantize_samples(x, spec, "digits")
    ref = run_reference(model, [q], invocations=len(q))
    top1 = np.mean([int(np.argmax(r[0])) == t for r, t in zip(ref, y, strict=True)])
    assert top1 > 0.9


def test_digits_share_on_the_host_board(tmp_path: Path) -> None:
    """A share of the held-back digits through our firmware: every sample agrees with
    TFLite, and the top-1 matches TFLite's own."""
    os.environ.pop("TFM_CI_DISABLE_PLUGINS", None)
    registry = Registry.load(make_plugin_manager(load_entry_points=False))
    model_path = tmp_path / "digits.tflite"
    model_path.write_bytes(digits.build_digits_int8())
    data = digits.write_dataset(tmp_path / "digits.npz")
    ds = datasets.load_dataset(data, input_specs(model_path.read_bytes())[0])
    start, stop = datasets.split_shares(len(ds), 4)[1]
    share = tmp_path / "share.npy"
    np.save(share, ds.x[start:stop])
    rec = run_job(JobSpec(model=str(model_path), board="host", inputs=[str(share)],
                          cache_dir=str(tmp_path / "cache")), registry)
    assert rec.status is Status.PASS, (rec.reason, rec.errors)
    acc = datasets.score(rec.to_dict(), ds.y[start:stop])
    assert acc["samples"] == stop - start == 125 and acc["agree"] == 125
    ref = run_reference(model_path.read_bytes(), [ds.x[start:stop]], invocations=125)
    ref_correct = sum(int(np.argmax(r[0])) == t
                      for r, t in zip(ref, ds.y[start:stop], strict=True))
    assert acc["correct"] == ref_correct
