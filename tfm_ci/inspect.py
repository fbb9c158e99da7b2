"""Model inspection: ops with versions, tensors, subgraphs, custom ops, kernel coverage.

Reads a ``.tflite`` flatbuffer with the ``tflite`` package (schema reader
classes). Used by ``tfm-ci inspect`` and, before any compiling, by the build
to refuse models whose ops the chosen kernel set lacks.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import tflite

from tfm_ci.custom_ops import core_custom_ops
from tfm_ci.opcodes import (
    CUSTOM_CODE,
    OpDef,
    builtin_codes,
    builtin_name,
    firmware_dir,
    read_ops_def,
)
from tfm_ci.platform import KernelOp, KernelSet

_TYPE_NAMES = {v: k for k, v in vars(tflite.TensorType).items() if k.isupper()}


class ModelError(ValueError):
    """A file that is not a readable TFLite model."""


class KernelSetError(ValueError):
    """A kernel set whose added ops make no sense (unknown builtin, duplicate of a core op)."""


@dataclass(frozen=True)
class TensorInfo:
    index: int
    name: str
    dtype: str                    # schema type name: "INT8", "FLOAT32", ...
    shape: tuple[int, ...]
    scale: tuple[float, ...] = ()
    zero_point: tuple[int, ...] = ()
    quantized_dimension: int = 0
    is_variable: bool = False
    constant: bool = False        # has data in the model


@dataclass(frozen=True)
class OpInfo:
    index: int
    name: str                     # builtin name, or the custom code for CUSTOM ops
    builtin_code: int
    version: int
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    custom: bool = False


@dataclass(frozen=True)
class SubgraphInfo:
    index: int
    name: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    tensors: tuple[TensorInfo, ...]
    ops: tuple[OpInfo, ...]


@dataclass(frozen=True)
class ModelInfo:
    size: int
    version: int
    description: str
    subgraphs: tuple[SubgraphInfo, ...]

    def op_kinds(self) -> list[tuple[str, int, int]]:
        """Distinct (name, builtin code, highest version) over all subgraphs, first-use order."""
        seen: dict[tuple[str, int], int] = {}
        for sg in self.subgraphs:
            for op in sg.ops:
                key = (op.name, op.builtin_code)
                seen[key] = max(seen.get(key, 0), op.version)
        return [(name, code, version) for (name, code), version in seen.items()]

    @property
    def custom_ops(self) -> list[str]:
        return sorted({op.name for sg in self.subgraphs for op in sg.ops if op.custom})

    @property
    def inputs(self) -> list[TensorInfo]:
        sg = self.subgraphs[0]
        return [sg.tensors[i] for i in sg.inputs]

    @property
    def outputs(self) -> list[TensorInfo]:
        sg = self.subgraphs[0]
        return [sg.tensors[i] for i in sg.outputs]


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _ints(getter_len: int, getter) -> tuple[int, ...]:
    return tuple(int(getter(i)) for i in range(getter_len))


def read_model(model: bytes | Path | str) -> ModelInfo:
    """Parse a model file or its bytes.

    Memoised by the bytes' sha256 (ModelInfo is immutable): a fleet parses each model
    for every job and build; hashing is far cheaper than the flatbuffer walk."""
    data = Path(model).read_bytes() if isinstance(model, Path | str) else bytes(model)
    key = hashlib.sha256(data).digest()
    with _PARSED_LOCK:
        info = _PARSED.get(key)
        if info is not None:
            _PARSED.move_to_end(key)
            return info
    info = _parse_model(data)
    with _PARSED_LOCK:
        _PARSED[key] = info
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return info


_PARSED: OrderedDict[bytes, ModelInfo] = OrderedDict()
_PARSED_LOCK = threading.Lock()
_PARSED_MAX = 64


def _parse_model(data: bytes) -> ModelInfo:
    if len(data) < 8 or data[4:8] != b"TFL3":
        raise ModelError("not a TFLite model (file identifier 'TFL3' missing)")
    try:
        m = tflite.Model.GetRootAsModel(data, 0)
        codes = []
        for i in range(m.OperatorCodesLength()):
            oc = m.OperatorCodes(i)
            code = max(int(oc.BuiltinCode()), int(oc.DeprecatedBuiltinCode()))
            codes.append((code, int(oc.Version()), _text(oc.CustomCode())))
        buffers = [m.Buffers(i) for i in range(m.BuffersLength())]
        subgraphs = [_subgraph(m.Subgraphs(s), s, codes, buffers)
                     for s in range(m.SubgraphsLength())]
        return ModelInfo(len(data), int(m.Version()), _text(m.Description()), tuple(subgraphs))
    except ModelError:
        raise
    except Exception as exc:  # flatbuffers raises assorted errors on corrupt input
        raise ModelError(f"cannot read model: {type(exc).__name__}: {exc}") from None


def _subgraph(sg, index: int, codes, buffers) -> SubgraphInfo:
    tensors = []
    for t in range(sg.TensorsLength()):
        tensor = sg.Tensors(t)
        q = tensor.Quantization()
        scale = tuple(float(x) for x in q.ScaleAsNumpy()) if q and q.ScaleLength() else ()
        zp = tuple(int(x) for x in q.ZeroPointAsNumpy()) if q and q.ZeroPointLength() else ()
        buf = tensor.Buffer()
        constant = 0 < buf < len(buffers) and (buffers[buf].DataLength() > 0
                                                or buffers[buf].Size() > 0)
        tensors.append(TensorInfo(
            t, _text(tensor.Name()), _TYPE_NAMES.get(tensor.Type(), f"TYPE_{tensor.Type()}"),
            _ints(tensor.ShapeLength(), tensor.Shape), scale, zp,
            int(q.QuantizedDimension()) if q else 0, bool(tensor.IsVariable()), bool(constant)))
    ops = []
    for o in range(sg.OperatorsLength()):
        op = sg.Operators(o)
        idx = op.OpcodeIndex()
        if idx >= len(codes):
            raise ModelError(f"subgraph {index} op {o}: opcode index {idx} out of range")
        code, version, custom = codes[idx]
        is_custom = code == CUSTOM_CODE
        ops.append(OpInfo(o, custom if is_custom else builtin_name(code), code, version,
                          _ints(op.InputsLength(), op.Inputs),
                          _ints(op.OutputsLength(), op.Outputs), is_custom))
    return SubgraphInfo(index, _text(sg.Name()), _ints(sg.InputsLength(), sg.Inputs),
                        _ints(sg.OutputsLength(), sg.Outputs), tuple(tensors), tuple(ops))


# -- kernel coverage -------------------------------------------------------------------------
@dataclass
class Coverage:
    """Which of a model's ops the kernel set can run."""

    kernel_set: str
    supported: list[tuple[str, int]] = field(default_factory=list)     # (op, version)
    missing: list[str] = field(default_factory=list)                   # reasons, one per op

    @property
    def complete(self) -> bool:
        return not self.missing


def kernel_sources(kernel_set: KernelSet) -> dict[str, Path]:
    """Kernel file name -> source: reference kernels replaced by the set's overrides."""
    ref = firmware_dir() / "kernels" / "reference"
    sources = {p.name: p for p in sorted(ref.glob("*.c"))}
    sources.update(kernel_set.overrides)
    return sources


def added_ops(kernel_set: KernelSet) -> tuple[dict[int, KernelOp], dict[str, KernelOp]]:
    """The set's added kernels: (builtin code -> op, custom code -> op); the custom ones
    include the firmware's own custom-op kernels (Signal). A builtin name the schema does
    not know, or an op the core already has, is a KernelSetError."""
    table = builtin_codes()
    core = read_ops_def()
    builtin: dict[int, KernelOp] = {}
    core_custom = core_custom_ops()      # the firmware's own (Signal library), by name
    custom: dict[str, KernelOp] = dict(core_custom)
    for op in kernel_set.added_ops:
        if not op.register.isidentifier() or not op.register.isascii():
            raise KernelSetError(f"kernel set {kernel_set.name!r} op {op.name!r}: registration "
                                 f"function {op.register!r} is not a C identifier")
        if op.max_version < 1:
            raise KernelSetError(f"kernel set {kernel_set.name!r} op {op.name!r}: max_version "
                                 f"{op.max_version} (must be >= 1)")
        if op.custom:
            if op.name in core_custom:
                raise KernelSetError(f"kernel set {kernel_set.name!r} adds CUSTOM op "
                                     f"{op.name!r}, which has a core kernel "
                                     f"({core_custom[op.name].source.name})")
            custom[op.name] = op
            continue
        if op.name not in table:
            raise KernelSetError(f"kernel set {kernel_set.name!r} adds builtin op {op.name!r}, "
                                 "which the TFLite schema does not have (custom=True for a "
                                 "CUSTOM op)")
        if table[op.name] in core:
            raise KernelSetError(f"kernel set {kernel_set.name!r} adds builtin op {op.name}, "
                                 "which has a core kernel: override "
                                 f"{core[table[op.name]].source_name} instead")
        builtin[table[op.name]] = op
    return builtin, custom


def coverage(info: ModelInfo, kernel_set: KernelSet,
             ops_def: dict[int, OpDef] | None = None) -> Coverage:
    """Check every op of every subgraph against the kernel set (missing ops, too-new versions).

    Versions come from ops.def for core ops and from the KernelOp for added ones."""
    ops_def = ops_def if ops_def is not None else read_ops_def()
    sources = kernel_sources(kernel_set)
    added_builtin, added_custom = added_ops(kernel_set)
    cov = Coverage(kernel_set.name)
    for sg in info.subgraphs:
        for op in sg.ops:
            where = f"subgraph {sg.index} op {op.index} ({op.name} v{op.version})"
            row = None if op.custom else ops_def.get(op.builtin_code)
            limit: int | None = None
            if op.custom and op.name in added_custom:
                limit = added_custom[op.name].max_version
            elif op.custom:
                cov.missing.append(f"{where}: no kernel for CUSTOM op {op.name!r} in kernel set "
                                   f"{kernel_set.name!r}")
                continue
            elif row is not None and row.source_name in sources:
                limit = row.max_version
            elif op.builtin_code in added_builtin:
                limit = added_builtin[op.builtin_code].max_version
            else:
                cov.missing.append(f"{where}: no kernel for builtin op {op.name} (code "
                                   f"{op.builtin_code}) in kernel set {kernel_set.name!r}")
                continue
            if op.version > limit:
                cov.missing.append(f"{where}: version {op.version} not supported by kernel set "
                                   f"{kernel_set.name!r} (max {limit})")
                continue
            if (op.name, op.version) not in cov.supported:
                cov.supported.append((op.name, op.version))
    return cov

