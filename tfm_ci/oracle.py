"""TensorFlow Lite as the oracle: run a model with ai-edge-litert, describe its inputs.

The reference op resolver (BUILTIN_REF) is TFLite's plain reference kernels: the
arithmetic our firmware kernels reproduce bit-exactly for integer types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import tflite

from tfm_ci.transcript import DTYPES as _TRANSCRIPT_DTYPES

# Schema TensorType value -> numpy dtype (for the types a model input/output can have).
_SCHEMA_DTYPES: dict[int, np.dtype] = {
    getattr(tflite.TensorType, name): dtype for name, dtype in _TRANSCRIPT_DTYPES.items()
}

FLOAT_INPUT_RANGE = (-1.0, 1.0)


class OracleError(RuntimeError):
    """TFLite refused the model or the inputs."""


@dataclass(frozen=True)
class TensorSpec:
    """A model input or output as written in the model."""

    name: str
    dtype: np.dtype
    shape: tuple[int, ...]
    scale: float | None
    zero_point: int | None

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) * self.dtype.itemsize


def _model(model: bytes) -> tflite.Model:
    if len(model) < 8 or model[4:8] != b"TFL3":
        raise OracleError("not a .tflite model (file identifier TFL3 missing)")
    return tflite.Model.GetRootAs(model, 0)


def _spec(subgraph: tflite.SubGraph, index: int) -> TensorSpec:
    t = subgraph.Tensors(index)
    dtype = _SCHEMA_DTYPES.get(t.Type())
    if dtype is None:
        raise OracleError(f"tensor {t.Name()!r}: type {t.Type()} unsupported as model I/O")
    scale = zero_point = None
    q = t.Quantization()
    if q is not None and q.ScaleLength() > 0:
        scale = float(q.Scale(0))
        zero_point = int(q.ZeroPoint(0)) if q.ZeroPointLength() > 0 else 0
    shape = tuple(int(d) for d in t.ShapeAsNumpy()) if t.ShapeLength() else ()
    return TensorSpec(t.Name().decode(), dtype, shape, scale, zero_point)


def input_specs(model: bytes) -> list[TensorSpec]:
    """Inputs of subgraph 0, in order: name, dtype, shape, scale and zero point."""
    sg = _model(model).Subgraphs(0)
    return [_spec(sg, sg.Inputs(i)) for i in range(sg.InputsLength())]


def output_specs(model: bytes) -> list[TensorSpec]:
    """Outputs of subgraph 0, in order."""
    sg = _model(model).Subgraphs(0)
    return [_spec(sg, sg.Outputs(i)) for i in range(sg.OutputsLength())]


def op_names(model: bytes, subgraph: int = 0) -> list[str]:
    """Operator names of a subgraph, in execution order ("CONV_2D", "CUSTOM:name")."""
    m = _model(model)
    names = {v: k for k, v in vars(tflite.BuiltinOperator).items() if not k.startswith("_")}
    sg = m.Subgraphs(subgraph)
    result = []
    for i in range(sg.OperatorsLength()):
        oc = m.OperatorCodes(sg.Operators(i).OpcodeIndex())
        code = max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())
        name = names.get(code, str(code))
        if name == "CUSTOM" and oc.CustomCode():
            name += ":" + oc.CustomCode().decode()
        result.append(name)
    return result


def random_inputs(
    model: bytes,
    rng: np.random.Generator,
    float_range: tuple[float, float] = FLOAT_INPUT_RANGE,
) -> list[np.ndarray]:
    """One random array per input: integers uniform over the whole type range, booleans
    fair coins, floats uniform in `float_range`."""
    arrays = []
    for spec in input_specs(model):
        kind = spec.dtype.kind
        if kind in "iu":
            info = np.iinfo(spec.dtype)
            a = rng.integers(int(info.min), int(info.max), size=spec.shape, endpoint=True)
        elif kind == "b":
            a = rng.integers(0, 2, size=spec.shape)
        else:
            a = rng.uniform(float_range[0], float_range[1], size=spec.shape)
        arrays.append(np.asarray(a).astype(spec.dtype))
    return arrays


def tflite_compatible(model: bytes) -> bytes:
    """`model` with the quirks TFLite refuses (but TFLM accepts) normalised, same layout.

    Older converters wrote per-channel bias tensors (rank 1) with quantized_dimension 3
    (the filter's channel axis); TFLite >= 2.16 refuses them. For a rank-1 tensor the only
    meaningful axis is 0, so that field is rewritten in place; nothing else changes.
    """
    m = _model(model)
    patched: bytearray | None = None
    for s in range(m.SubgraphsLength()):
        sg = m.Subgraphs(s)
        for i in range(sg.TensorsLength()):
            t = sg.Tensors(i)
            q = t.Quantization()
            if q is None or t.ShapeLength() != 1 or q.QuantizedDimension() == 0:
                continue
            field = q._tab.Offset(16)  # QuantizationParameters.quantized_dimension
            patched = patched if patched is not None else bytearray(model)
            patched[q._tab.Pos + field:q._tab.Pos + field + 4] = b"\0\0\0\0"
    return bytes(patched) if patched is not None else model


def _interpreter(model: bytes, resolver: str) -> Any:  # litert ships no type stubs
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    types = {"ref": OpResolverType.BUILTIN_REF, "builtin": OpResolverType.BUILTIN}
    if resolver not in types:
        raise ValueError(f"resolver must be one of {sorted(types)}, got {resolver!r}")
    try:
        it = Interpreter(model_content=tflite_compatible(bytes(model)),
                         experimental_op_resolver_type=types[resolver])
        it.allocate_tensors()
    except (ValueError, RuntimeError) as exc:
        raise OracleError(f"TFLite cannot load the model: {exc}") from exc
    return it


def run_reference(
    model: bytes,
    inputs: Sequence[np.ndarray],
    *,
    resolver: str = "ref",
    invocations: int = 1,
) -> list[list[np.ndarray]]:
    """Run `model` in TFLite; returns outputs[invocation][output index].

    With invocations > 1 every input carries a leading sequence axis (one entry per
    invocation) and the interpreter keeps its state (variables) between invokes.
    """
    it = _interpreter(model, resolver)
    details = it.get_input_details()
    if len(inputs) != len(details):
        raise OracleError(f"model has {len(details)} inputs, got {len(inputs)}")
    results: list[list[np.ndarray]] = []
    for k in range(invocations):
        for d, array in zip(details, inputs, strict=True):
            value = np.asarray(array)[k] if invocations > 1 else np.asarray(array)
            try:
                it.set_tensor(d["index"], value.astype(d["dtype"]).reshape(d["shape"]))
            except ValueError as exc:
                raise OracleError(f"input {d['name']!r}: {exc}") from exc
        try:
            it.invoke()
        except RuntimeError as exc:
            raise OracleError(f"TFLite invoke {k} failed: {exc}") from exc
        results.append([it.get_tensor(d["index"]).copy() for d in it.get_output_details()])
    return results
