"""Operator.intermediates in the model writer: written when given (TFLite's integer LSTM
reads its gate and hidden scales there), absent otherwise, indices checked."""

from __future__ import annotations

import pytest
import tflite

from tfm_ci.modelgen import ModelBuilder, ModelGenError


def _relu_model(intermediates: list[int] | None) -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", [2], "float32")
    y = b.tensor("y", [2], "float32")
    extra = b.tensor("extra", [2], "int16", scale=2.0 ** -12, zero_point=0)
    b.op("RELU", [x], [y], intermediates=[extra] if intermediates is None else intermediates)
    b.inputs([x])
    b.outputs([y])
    return b.build()


def test_intermediates_written() -> None:
    op = tflite.Model.GetRootAs(_relu_model(None), 0).Subgraphs(0).Operators(0)
    assert list(op.IntermediatesAsNumpy()) == [2]


def test_no_intermediates_leaves_the_field_absent() -> None:
    op = tflite.Model.GetRootAs(_relu_model([]), 0).Subgraphs(0).Operators(0)
    assert op.IntermediatesLength() == 0 and op.IntermediatesIsNone()


@pytest.mark.parametrize("index", [-1, 3])
def test_bad_intermediate_index(index: int) -> None:
    with pytest.raises(ModelGenError, match="intermediate tensor index"):
        _relu_model([index])
