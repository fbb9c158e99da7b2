"""Builtin operator codes and their options tables, from the .tflite schema.

`make_options(op, options)` turns snake_case keyword options into the schema's
object-API options table (``Conv2DOptionsT`` ...) chosen per operator, with
enum values given by name ("SAME", "RELU") or as ints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

# Builtin op -> options table name. Every op of firmware/kernels/ops.def is listed (None: the
# op has no options table); ops not listed fall back to the schema's naming convention.
OPTIONS_BY_OP: dict[str, str | None] = {
    "ADD": "AddOptions",
    "SUB": "SubOptions",
    "MUL": "MulOptions",
    "DIV": "DivOptions",
    "MAXIMUM": "MaximumMinimumOptions",
    "MINIMUM": "MaximumMinimumOptions",
    "AVERAGE_POOL_2D": "Pool2DOptions",
    "MAX_POOL_2D": "Pool2DOptions",
    "L2_POOL_2D": "Pool2DOptions",
    "CONV_2D": "Conv2DOptions",
    "DEPTHWISE_CONV_2D": "DepthwiseConv2DOptions",
    "TRANSPOSE_CONV": "TransposeConvOptions",
    "FULLY_CONNECTED": "FullyConnectedOptions",
    "SOFTMAX": "SoftmaxOptions",
    "LOGISTIC": None,
    "TANH": None,
    "RELU": None,
    "RELU6": None,
    "RELU_N1_TO_1": None,
    "RELU_0_TO_1": None,
    "LEAKY_RELU": "LeakyReluOptions",
    "HARD_SWISH": "HardSwishOptions",
    "PRELU": None,
    "RESHAPE": "ReshapeOptions",
    "SQUEEZE": "SqueezeOptions",
    "EXPAND_DIMS": "ExpandDimsOptions",
    "SHAPE": "ShapeOptions",
    "QUANTIZE": "QuantizeOptions",
    "DEQUANTIZE": "DequantizeOptions",
    "CONCATENATION": "ConcatenationOptions",
    "SPLIT": "SplitOptions",
    "SPLIT_V": "SplitVOptions",
    "PACK": "PackOptions",
    "UNPACK": "UnpackOptions",
    "PAD": "PadOptions",
    "PADV2": "PadV2Options",
    "MIRROR_PAD": "MirrorPadOptions",
    "MEAN": "ReducerOptions",
    "SUM": "ReducerOptions",
    "REDUCE_MAX": "ReducerOptions",
    "REDUCE_MIN": "ReducerOptions",
    "REDUCE_PROD": "ReducerOptions",
    "REDUCE_ANY": "ReducerOptions",
    "REDUCE_ALL": "ReducerOptions",
    "STRIDED_SLICE": "StridedSliceOptions",
    "SLICE": "SliceOptions",
    "TRANSPOSE": "TransposeOptions",
    "GATHER": "GatherOptions",
    "RESIZE_NEAREST_NEIGHBOR": "ResizeNearestNeighborOptions",
    "RESIZE_BILINEAR": "ResizeBilinearOptions",
    "ARG_MAX": "ArgMaxOptions",
    "ARG_MIN": "ArgMinOptions",
    "CAST": "CastOptions",
    "VAR_HANDLE": "VarHandleOptions",
    "READ_VARIABLE": "ReadVariableOptions",
    "ASSIGN_VARIABLE": "AssignVariableOptions",
    "CALL_ONCE": "CallOnceOptions",
    "IF": "IfOptions",
    "WHILE": "WhileOptions",
    "CALL": "CallOptions",
    "CUSTOM": None,
    "L2_NORMALIZATION": "L2NormOptions",
    "LOCAL_RESPONSE_NORMALIZATION": "LocalResponseNormalizationOptions",
    "BATCH_MATMUL": "BatchMatMulOptions",
    "SVDF": "SVDFOptions",
    "UNIDIRECTIONAL_SEQUENCE_LSTM": "UnidirectionalSequenceLSTMOptions",
    "LOG_SOFTMAX": "LogSoftmaxOptions",
    "SELECT": "SelectOptions",
    "SELECT_V2": "SelectV2Options",
    "SPACE_TO_BATCH_ND": "SpaceToBatchNDOptions",
    "BATCH_TO_SPACE_ND": "BatchToSpaceNDOptions",
    "FLOOR": None,
    "CEIL": None,
    "ROUND": None,
    "SQRT": None,
    "RSQRT": None,
    "SIN": None,
    "LOG": None,
    "ELU": None,
    "EQUAL": "EqualOptions",
    "NOT_EQUAL": "NotEqualOptions",
    "GREATER": "GreaterOptions",
    "GREATER_EQUAL": "GreaterEqualOptions",
    "LESS": "LessOptions",
    "LESS_EQUAL": "LessEqualOptions",
    "LOGICAL_AND": "LogicalAndOptions",
    "LOGICAL_OR": "LogicalOrOptions",
    "LOGICAL_NOT": "LogicalNotOptions",
    "ABS": "AbsOptions",
    "NEG": "NegOptions",
    "SQUARE": "SquareOptions",
    "ZEROS_LIKE": "ZerosLikeOptions",
    "FLOOR_DIV": "FloorDivOptions",
    "FLOOR_MOD": "FloorModOptions",
    "SQUARED_DIFFERENCE": "SquaredDifferenceOptions",
    "ADD_N": "AddNOptions",
    "EXP": "ExpOptions",
    "COS": "CosOptions",
    "GELU": "GeluOptions",
    "BROADCAST_TO": "BroadcastToOptions",
    "BROADCAST_ARGS": None,
    "FILL": "FillOptions",
    "REVERSE_V2": "ReverseV2Options",
    "DEPTH_TO_SPACE": "DepthToSpaceOptions",
    "SPACE_TO_DEPTH": "SpaceToDepthOptions",
    "GATHER_ND": "GatherNdOptions",
    "EMBEDDING_LOOKUP": None,
    "DYNAMIC_UPDATE_SLICE": "DynamicUpdateSliceOptions",
    "CUMSUM": "CumsumOptions",
}

_CAMEL_BREAK = re.compile(r"_([a-z0-9])")

# Option fields whose values are schema enums (object-API attribute name -> enum class).
ENUM_FIELDS: dict[str, type] = {
    "fusedActivationFunction": schema.ActivationFunctionType,
    "padding": schema.Padding,
    "weightsFormat": schema.FullyConnectedOptionsWeightsFormat,
    "outType": schema.TensorType,
    "outputType": schema.TensorType,
    "idxOutType": schema.TensorType,
    "inDataType": schema.TensorType,
    "outDataType": schema.TensorType,
    "combinerType": schema.CombinerType,
    "kernelType": schema.LSTMKernelType,
    "mode": schema.MirrorPadMode,
    "reduceFunction": schema.ReduceWindowFunction,
}


class ModelGenError(ValueError):
    """A model description that cannot be written (unknown op, option or dtype)."""


def builtin_code(op: str) -> int:
    """Schema BuiltinOperator value of an op name ("CONV_2D" -> 3)."""
    code = getattr(schema.BuiltinOperator, op.upper(), None)
    if not isinstance(code, int):
        raise ModelGenError(f"unknown builtin operator {op!r}")
    return code


def builtin_name(code: int) -> str:
    """Inverse of builtin_code."""
    for name, value in vars(schema.BuiltinOperator).items():
        if value == code and not name.startswith("_"):
            return name
    raise ModelGenError(f"unknown builtin operator code {code}")


def options_name(op: str) -> str | None:
    """Name of the op's options table ("Conv2DOptions"), or None if it has none."""
    op = op.upper()
    if op in OPTIONS_BY_OP:
        return OPTIONS_BY_OP[op]
    guess = "".join(part.capitalize() for part in op.split("_")) + "Options"
    for union in (schema.BuiltinOptions, schema.BuiltinOptions2):
        for name in vars(union):
            if name.lower() == guess.lower():
                return name
    return None


def _camel(field: str) -> str:
    return _CAMEL_BREAK.sub(lambda m: m.group(1).upper(), field)


def _snake(attr: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), attr)


def _enum_value(op: str, attr: str, value: str) -> int:
    enum = ENUM_FIELDS.get(attr)
    if enum is None:
        candidates = [
            cls for cls in vars(schema).values()
            if isinstance(cls, type) and isinstance(getattr(cls, value, None), int)
            and all(isinstance(v, int) for k, v in vars(cls).items() if not k.startswith("_"))
        ]
        if len(candidates) != 1:
            raise ModelGenError(f"{op}: option {_snake(attr)}={value!r}: give the enum as an int")
        enum = candidates[0]
    result = getattr(enum, value.upper(), None)
    if not isinstance(result, int):
        names = [k for k in vars(enum) if not k.startswith("_")]
        raise ModelGenError(f"{op}: option {_snake(attr)}={value!r} is not one of {names}")
    return result


def make_options(op: str, options: Mapping[str, Any]) -> tuple[int, Any, int, Any]:
    """Build the options table of `op`.

    :returns: (builtin_options_type, table, builtin_options2_type, table2); unused union
        slots are (0, None).
    """
    name = options_name(op)
    if name is None:
        if options:
            raise ModelGenError(f"{op} takes no options, got {sorted(options)}")
        return 0, None, 0, None
    table = getattr(schema, name + "T")()
    fields = vars(table)
    for key, value in options.items():
        attr = _camel(key)
        if attr not in fields:
            valid = sorted(_snake(a) for a in fields)
            raise ModelGenError(f"{op}: {name} has no field {key!r}; fields: {valid}")
        if isinstance(value, str) and attr not in ("customCode", "container", "sharedName"):
            value = _enum_value(op, attr, value)
        elif hasattr(value, "tolist"):
            value = value.tolist()
        elif isinstance(value, tuple):
            value = list(value)
        setattr(table, attr, value)
    if hasattr(schema.BuiltinOptions, name):
        return getattr(schema.BuiltinOptions, name), table, 0, None
    return 0, None, getattr(schema.BuiltinOptions2, name), table
