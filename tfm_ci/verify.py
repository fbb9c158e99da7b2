"""Compare the firmware's outputs with TensorFlow Lite's (ai-edge-litert BUILTIN_REF).

Integer outputs must be bit-exact; float outputs may differ by at most
``tol * max(1, |reference|)`` per element.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tfm_ci import oracle_cache
from tfm_ci.inspect import ModelError, read_model
from tfm_ci.oracle import OracleError, output_specs, run_reference
from tfm_ci.tflm_oracle import ORACLE as TFLM_ORACLE
from tfm_ci.tflm_oracle import needs_tflm, run_tflm
from tfm_ci.transcript import Transcript
from tfm_ci.unwritten_outputs import DETECTION_POSTPROCESS, fill_unwritten

ORACLE = "ai-edge-litert BUILTIN_REF"


@dataclass
class Verdict:
    match: bool = False
    reason: str = ""
    error: str | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def compare_one(ours: np.ndarray, ref: np.ndarray, tol: float) -> dict[str, Any]:
    """Match details of one output tensor against TFLite's."""
    out: dict[str, Any] = {"match": False, "mismatches": 0, "max_abs_diff": None,
                           "first_mismatch": None}
    if ours.shape != ref.shape or ours.dtype != ref.dtype:
        out["problem"] = (f"ours {ours.dtype}{list(ours.shape)} vs TFLite "
                          f"{ref.dtype}{list(ref.shape)}")
        return out
    if ours.dtype.kind in "biuf" and ours.tobytes() == ref.tobytes():
        # The usual case, answered without the element-wise arithmetic below: equal
        # bytes are equal values (NaN and inf included), so no element differs and the
        # largest difference is 0, or NaN for a float output with no finite element
        # (inf - inf, which the arithmetic leaves out of its maximum).
        out["match"] = True
        if ours.dtype.kind != "f":
            out["max_abs_diff"] = 0
        else:
            out["max_abs_diff"] = (0.0 if ours.size == 0 or np.isfinite(ours).any()
                                   else float("nan"))
        return out
    return _elementwise(ours, ref, tol, out)


def _elementwise(ours: np.ndarray, ref: np.ndarray, tol: float, out: dict[str, Any]
                 ) -> dict[str, Any]:
    """compare_one's arithmetic, for outputs of the same dtype and shape."""
    if ours.dtype.kind == "f":
        a, b = ours.astype(np.float64), ref.astype(np.float64)
        with np.errstate(invalid="ignore"):
            diff = np.abs(a - b)
            # A non-finite reference (inf) must be met exactly: inf <= tol * inf would pass
            # any value, -inf and NaN included.
            close = np.where(np.isfinite(b), diff <= tol * np.maximum(1.0, np.abs(b)), a == b)
        bad = ~(close | (np.isnan(a) & np.isnan(b)))
        known = diff[~np.isnan(diff)]
        out["max_abs_diff"] = (float(known.max()) if known.size else float("nan")) \
            if diff.size else 0.0
    else:
        bad = ours != ref
        diff = np.abs(ours.astype(np.int64) - ref.astype(np.int64))
        out["max_abs_diff"] = int(diff.max()) if diff.size else 0
    out["mismatches"] = int(bad.sum())
    out["match"] = out["mismatches"] == 0
    if not out["match"]:
        idx = np.unravel_index(int(np.argmax(bad.ravel())), bad.shape)
        out["first_mismatch"] = {"index": [int(i) for i in idx], "ours": ours[idx].item(),
                                 "reference": ref[idx].item()}
    return out


def reference_outputs(model: bytes, invocations: list[list[np.ndarray]],
                      cache_dir: Path | None = None, *, tflm: bool | None = None,
                      model_sha256: bytes | None = None) -> list[list[np.ndarray]]:
    """outputs[invocation][output] of the oracle for this model: TFLite's reference
    kernels, or TFLM for models with TFLM-only ops (`tflm`, default: looked up; the
    Signal library, which ai-edge-litert has no kernels for). With `cache_dir` the
    outputs come from the oracle cache when it holds them (:mod:`tfm_ci.oracle_cache`).
    `model_sha256`: the model's sha256 digest, when the caller has it."""
    tflm = needs_tflm(model) if tflm is None else tflm
    n = len(invocations)

    def run() -> list[list[np.ndarray]]:
        if tflm:
            return run_tflm(model, invocations)
        stacked = [np.stack([inv[i] for inv in invocations])
                   for i in range(len(invocations[0]))]
        return run_reference(model, stacked if n > 1 else invocations[0], invocations=n)

    oracle = TFLM_ORACLE if tflm else ORACLE
    library = "tflite-micro" if tflm else "ai-edge-litert"
    ref, _hit = oracle_cache.cached_outputs(
        cache_dir, oracle, library, model, invocations, run,
        model_sha256.hex() if model_sha256 is not None else None)
    return ref


#: str() of the builtin dtypes seen (numpy computes it in Python, per call).
_DTYPE_TEXT: dict[np.dtype, str] = {}


def _dtype_text(dtype: np.dtype) -> str:
    """``str(dtype)``, remembered for numpy's builtin dtypes (equal ones print alike)."""
    if dtype.isbuiltin != 1:
        return str(dtype)
    text = _DTYPE_TEXT.get(dtype)
    if text is None:
        text = _DTYPE_TEXT[dtype] = str(dtype)
    return text


@dataclass
class _ModelFacts:
    """What verifying needs of a model besides the oracle's outputs, read once per model
    per process (a fleet verifies each model for many jobs)."""

    model: bytes
    tflm: bool
    detection: bool         # has a DETECTION_POSTPROCESS op (fill_unwritten applies)
    _names: list[str] | None = None

    def output_names(self) -> list[str]:
        if self._names is None:      # OracleError (not kept) for a model TFLite refuses
            self._names = [s.name for s in output_specs(self.model)]
        return self._names


_FACTS: OrderedDict[bytes, _ModelFacts] = OrderedDict()
_FACTS_LOCK = threading.Lock()
_FACTS_MAX = 64


def _facts(model: bytes, key: bytes | None = None) -> _ModelFacts:
    """`key`: the model's sha256 digest (computed when not given)."""
    key = key or hashlib.sha256(model).digest()
    with _FACTS_LOCK:
        known = _FACTS.get(key)
        if known is not None:
            _FACTS.move_to_end(key)
            return known
    try:
        detection = DETECTION_POSTPROCESS in read_model(model).custom_ops
    except ModelError:
        detection = True         # unreadable here: let fill_unwritten decide, as before
    facts = _ModelFacts(bytes(model), needs_tflm(model), detection)
    with _FACTS_LOCK:
        _FACTS[key] = facts
        while len(_FACTS) > _FACTS_MAX:
            _FACTS.popitem(last=False)
    return facts


def compare_outputs(model: bytes, invocations: list[list[np.ndarray]], t: Transcript,
                    tol: float, cache_dir: Path | None = None, *,
                    model_sha256: bytes | None = None) -> Verdict:
    """Run the oracle on the same inputs (:func:`reference_outputs`) and compare every
    output of every invocation. `model_sha256`: the model's sha256 digest, when the
    caller has it (a job hashes its model once)."""
    model_sha256 = model_sha256 or hashlib.sha256(model).digest()
    facts = _facts(model, model_sha256)
    tflm = facts.tflm
    v = Verdict(summary={"oracle": TFLM_ORACLE if tflm else ORACLE, "float_tolerance": tol})
    n = len(invocations)
    try:
        ref = reference_outputs(model, invocations, cache_dir, tflm=tflm,
                                model_sha256=model_sha256)
        if not tflm and facts.detection:
            ref = fill_unwritten(model, ref)     # rows TFLite's kernel leaves unwritten
        names = facts.output_names()
    except OracleError as exc:
        v.error = f"TFLite could not run the model: {exc}"
        return v
    bad: list[str] = []
    for k in range(n):
        ours = t.outputs_of(k)
        if len(ours) != len(ref[k]):
            bad.append(f"invocation {k}: {len(ours)} outputs, TFLite has {len(ref[k])}")
            continue
        for j, (a, b) in enumerate(zip(ours, ref[k], strict=True)):
            detail = compare_one(a, b, tol)
            v.outputs.append({"invocation": k, "index": j, "name": names[j],
                              "dtype": _dtype_text(a.dtype), "shape": list(a.shape),
                              "data": a.ravel().tolist(), **detail})
            if not detail["match"]:
                fm = detail.get("first_mismatch") or {}
                bad.append(f"invocation {k} output {j} ({names[j]}): "
                           + (detail.get("problem") or
                              f"{detail['mismatches']} of {a.size} differ, first at "
                              f"{fm.get('index')}: ours {fm.get('ours')} vs TFLite "
                              f"{fm.get('reference')}"))
    v.match = not bad
    v.reason = "; ".join(bad[:3]) + (f" (+{len(bad) - 3} more)" if len(bad) > 3 else "")
    v.summary.update({"match": v.match, "compared": len(v.outputs), "mismatching": bad})
    return v
