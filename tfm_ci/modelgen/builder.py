"""Write .tflite models from Python: tensors, ops, subgraphs -> flatbuffer bytes.

    b = ModelBuilder(description="relu")
    x = b.tensor("x", [1, 4], "int8", scale=0.5, zero_point=-3)
    y = b.tensor("y", [1, 4], "int8", scale=0.5, zero_point=-3)
    b.op("RELU", [x], [y])
    b.inputs([x]); b.outputs([y])
    data = b.build()

Constant tensors (``data=``) get their own buffer, 16-byte aligned like the TFLite
converter's, so the firmware can read weights in place. Buffer 0 is the empty sentinel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import flatbuffers
import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tfm_ci.modelgen.options import ModelGenError, builtin_code, make_options

# dtype name -> (schema TensorType, numpy dtype used to serialise constant data)
DTYPES: dict[str, tuple[int, np.dtype | None]] = {
    "float32": (schema.TensorType.FLOAT32, np.dtype("<f4")),
    "float16": (schema.TensorType.FLOAT16, np.dtype("<f2")),
    "float64": (schema.TensorType.FLOAT64, np.dtype("<f8")),
    "int8": (schema.TensorType.INT8, np.dtype("i1")),
    "int16": (schema.TensorType.INT16, np.dtype("<i2")),
    "int32": (schema.TensorType.INT32, np.dtype("<i4")),
    "int64": (schema.TensorType.INT64, np.dtype("<i8")),
    "uint8": (schema.TensorType.UINT8, np.dtype("u1")),
    "uint16": (schema.TensorType.UINT16, np.dtype("<u2")),
    "uint32": (schema.TensorType.UINT32, np.dtype("<u4")),
    "bool": (schema.TensorType.BOOL, np.dtype("?")),
    "resource": (schema.TensorType.RESOURCE, None),
}

BUFFER_ALIGNMENT = 16
_FILE_IDENTIFIER = b"TFL3"
_SCHEMA_VERSION = 3
_PLACEHOLDER_FOR_GREATER_OP_CODES = schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES


def dtype_name(dtype: str | np.dtype | type) -> str:
    """Normalise "int8", np.int8 or np.dtype("int8") to our dtype name."""
    name = dtype if isinstance(dtype, str) else np.dtype(dtype).name
    if name not in DTYPES:
        raise ModelGenError(f"unsupported tensor dtype {dtype!r}; use one of {sorted(DTYPES)}")
    return name


class _AlignedBufferT(schema.BufferT):
    """BufferT whose data vector starts on a BUFFER_ALIGNMENT boundary, or, with
    `alignment` (a power of two below BUFFER_ALIGNMENT), on an address aligned to exactly
    that many bytes and no more (what the TF converter gives int64 biases: 4 bytes)."""

    def __init__(self, payload: bytes = b"", alignment: int = BUFFER_ALIGNMENT) -> None:
        super().__init__()
        self.payload = payload
        self.alignment = alignment

    def Pack(self, builder: flatbuffers.Builder) -> int:  # schema API name
        data = None
        if self.payload:
            n = len(self.payload)
            if self.alignment >= BUFFER_ALIGNMENT:
                builder.StartVector(1, n, BUFFER_ALIGNMENT)
            else:
                # StartVector's steps with the data start `alignment` bytes past a
                # BUFFER_ALIGNMENT boundary (offsets count from the buffer's end, which
                # Finish aligns to BUFFER_ALIGNMENT); the length prefix stays 4-aligned.
                builder.assertNotNested()
                builder.nested = True
                builder.Prep(4, n)
                builder.Prep(BUFFER_ALIGNMENT, n + self.alignment)
            builder.head -= n
            builder.Bytes[builder.head:builder.head + n] = self.payload
            builder.vectorNumElems = n
            data = builder.EndVector()
        schema.BufferStart(builder)
        if data is not None:
            schema.BufferAddData(builder, data)
        return schema.BufferEnd(builder)


def _as_list(value: float | Sequence[float] | np.ndarray | None) -> list | None:
    if value is None:
        return None
    if np.ndim(value) == 0:
        return [np.asarray(value).item()]
    return np.asarray(value).ravel().tolist()


class _ModelState:
    """What all subgraphs of one model share: buffers, operator codes, metadata."""

    def __init__(self) -> None:
        self.buffers: list[_AlignedBufferT] = [_AlignedBufferT()]
        self.opcodes: dict[tuple[int, str | None, int], int] = {}
        self.metadata: list[schema.MetadataT] = []
        self.subgraphs: list[SubgraphBuilder] = []

    def add_buffer(self, payload: bytes, alignment: int = BUFFER_ALIGNMENT) -> int:
        self.buffers.append(_AlignedBufferT(payload, alignment))
        return len(self.buffers) - 1

    def opcode_index(self, code: int, custom_code: str | None, version: int) -> int:
        key = (code, custom_code, version)
        if key not in self.opcodes:
            self.opcodes[key] = len(self.opcodes)
        return self.opcodes[key]

    def operator_codes(self) -> list[schema.OperatorCodeT]:
        result = []
        for (code, custom, version), _ in sorted(self.opcodes.items(), key=lambda kv: kv[1]):
            oc = schema.OperatorCodeT()
            oc.builtinCode = code
            oc.deprecatedBuiltinCode = min(code, _PLACEHOLDER_FOR_GREATER_OP_CODES)
            oc.customCode = custom
            oc.version = version
            result.append(oc)
        return result


class SubgraphBuilder:
    """Tensors and ops of one subgraph. Tensor and op methods return their indices."""

    def __init__(self, state: _ModelState, index: int, name: str = "") -> None:
        self._state = state
        self.index = index
        self.name = name
        self._tensors: list[schema.TensorT] = []
        self._operators: list[schema.OperatorT] = []
        self._inputs: list[int] = []
        self._outputs: list[int] = []
        state.subgraphs.append(self)

    def tensor(
        self,
        name: str,
        shape: Sequence[int],
        dtype: str | np.dtype | type,
        *,
        data: Any = None,
        scale: float | Sequence[float] | None = None,
        zero_point: int | Sequence[int] | None = None,
        quantized_dimension: int = 0,
        is_variable: bool = False,
        shape_signature: Sequence[int] | None = None,
        data_alignment: int = BUFFER_ALIGNMENT,
    ) -> int:
        """Add a tensor; `data` (cast to `dtype`) makes it a constant with its own buffer.

        `scale`/`zero_point` are scalars (per tensor) or lists (per channel along
        `quantized_dimension`); a missing zero point is 0 for every scale.
        `data_alignment` below 16 (4 or 8) places the data on an address aligned to
        exactly that many bytes, as the TF converter does for int16x8 int64 biases.
        """
        if data_alignment not in (4, 8, BUFFER_ALIGNMENT):
            raise ModelGenError(f"tensor {name!r}: data_alignment must be 4, 8 or "
                                f"{BUFFER_ALIGNMENT}, not {data_alignment!r}")
        dtype = dtype_name(dtype)
        type_code, np_dtype = DTYPES[dtype]
        shape = [int(d) for d in shape]
        t = schema.TensorT()
        t.name = name
        t.shape = shape
        t.type = type_code
        t.isVariable = bool(is_variable)
        if shape_signature is not None:
            t.shapeSignature = [int(d) for d in shape_signature]
        if data is not None:
            if np_dtype is None:
                raise ModelGenError(f"tensor {name!r}: {dtype} tensors cannot hold data")
            array = np.asarray(data).astype(np_dtype)
            expected = int(np.prod(shape, dtype=np.int64))
            if array.size != expected:
                raise ModelGenError(
                    f"tensor {name!r}: data has {array.size} elements, "
                    f"shape {shape} needs {expected}"
                )
            t.buffer = self._state.add_buffer(np.ascontiguousarray(array).tobytes(),
                                              data_alignment)
        scales = _as_list(scale)
        if scales is not None:
            q = schema.QuantizationParametersT()
            q.scale = [float(s) for s in scales]
            zps = _as_list(zero_point)
            if zps is None:
                zps = [0] * len(scales)
            if len(zps) == 1 and len(scales) > 1:
                zps = zps * len(scales)
            if len(zps) != len(scales):
                raise ModelGenError(
                    f"tensor {name!r}: {len(scales)} scales but {len(zps)} zero points"
                )
            q.zeroPoint = [int(z) for z in zps]
            q.quantizedDimension = int(quantized_dimension)
            t.quantization = q
        elif zero_point is not None:
            raise ModelGenError(f"tensor {name!r}: zero_point given without scale")
        self._tensors.append(t)
        return len(self._tensors) - 1

    def op(
        self,
        opcode_name: str,
        inputs: Sequence[int],
        outputs: Sequence[int],
        *,
        version: int = 1,
        custom_code: str | None = None,
        custom_options: bytes | None = None,
        intermediates: Sequence[int] | None = None,
        **options: Any,
    ) -> int:
        """Add an operator; -1 in `inputs` marks an absent optional input.

        `intermediates` (tensor indices, no -1) fill Operator.intermediates, which TFLite's
        integer LSTM reads its gate scales from.

        `options` are snake_case fields of the op's options table (enum values by name or
        int). Subgraph-index options (IF, WHILE, CALL_ONCE) are plain ints. Fields left out
        keep the schema default, which is 0 for strides and for SOFTMAX's beta: pass them.
        Ops that have an options table always get one written, as the TFLite converter does.
        """
        op_name = opcode_name.upper()
        code = builtin_code(op_name)
        if (op_name == "CUSTOM") != (custom_code is not None):
            raise ModelGenError(f"{op_name}: custom_code is required for CUSTOM and only for it")
        n = len(self._tensors)
        for index in (*inputs, *outputs):
            if not -1 <= index < n:
                raise ModelGenError(f"{op_name}: tensor index {index} out of range (0..{n - 1})")
        for index in intermediates or ():
            if not 0 <= index < n:
                raise ModelGenError(f"{op_name}: intermediate tensor index {index} out of "
                                    f"range (0..{n - 1})")
        o = schema.OperatorT()
        o.opcodeIndex = self._state.opcode_index(code, custom_code, int(version))
        o.inputs = [int(i) for i in inputs]
        o.outputs = [int(i) for i in outputs]
        (o.builtinOptionsType, o.builtinOptions,
         o.builtinOptions2Type, o.builtinOptions2) = make_options(op_name, options)
        if custom_options is not None:
            o.customOptions = list(bytes(custom_options))
        if intermediates:
            o.intermediates = [int(i) for i in intermediates]
        self._operators.append(o)
        return len(self._operators) - 1

    def inputs(self, tensors: Sequence[int]) -> None:
        """Set the subgraph's input tensors, in order."""
        self._inputs = [int(i) for i in tensors]

    def outputs(self, tensors: Sequence[int]) -> None:
        """Set the subgraph's output tensors, in order."""
        self._outputs = [int(i) for i in tensors]

    def _subgraph_t(self) -> schema.SubGraphT:
        sg = schema.SubGraphT()
        sg.name = self.name
        sg.tensors = self._tensors
        sg.operators = self._operators
        sg.inputs = self._inputs
        sg.outputs = self._outputs
        return sg


class ModelBuilder(SubgraphBuilder):
    """A model; its own tensor/op methods build subgraph 0."""

    def __init__(self, description: str = "tfm-ci modelgen") -> None:
        super().__init__(_ModelState(), 0, "main")
        self.description = description

    def add_subgraph(self, name: str = "") -> SubgraphBuilder:
        """A new subgraph (for IF/WHILE/CALL_ONCE); `.index` is its subgraph index."""
        return SubgraphBuilder(self._state, len(self._state.subgraphs), name)

    def metadata(self, name: str, data: bytes) -> None:
        """Attach a named metadata buffer."""
        m = schema.MetadataT()
        m.name = name
        m.buffer = self._state.add_buffer(bytes(data))
        self._state.metadata.append(m)

    def build(self) -> bytes:
        """Serialise the model (file identifier TFL3, schema version 3)."""
        model = schema.ModelT()
        model.version = _SCHEMA_VERSION
        model.description = self.description
        model.operatorCodes = self._state.operator_codes()
        model.subgraphs = [sg._subgraph_t() for sg in self._state.subgraphs]
        model.buffers = self._state.buffers
        model.metadata = self._state.metadata or None
        builder = flatbuffers.Builder(1024)
        builder.Finish(model.Pack(builder), file_identifier=_FILE_IDENTIFIER)
        return bytes(builder.Output())
