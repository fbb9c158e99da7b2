"""Shared by the randomly drawn op tests (conv, pooling, fully connected): the case
record, fused activations, quantized ranges and the SAME/VALID output size."""

from __future__ import annotations

from dataclasses import dataclass

ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")
# std of a uniform integer over the whole int8 / int16 range.
INPUT_STD = {"int8": 74.0, "int16": 18918.0}
QMAX = {"int8": 127, "int16": 32767}


@dataclass(frozen=True)
class Case:
    """One randomly drawn op configuration; `seed` makes its tensors reproducible."""

    op: str
    dtype: str
    seed: int
    params: tuple[tuple[str, object], ...]

    def __getitem__(self, key: str) -> object:
        return dict(self.params)[key]

    @property
    def id(self) -> str:
        p = dict(self.params)
        short = "-".join(f"{k}{v}" for k, v in p.items() if k != "in_shape")
        return f"{self.op}-{self.dtype}-{'x'.join(map(str, p['in_shape']))}-{short}"


def same_or_valid_out(size: int, k: int, stride: int, dilation: int, padding: str) -> int:
    """Output size of a window op along one axis (TFLite's SAME / VALID padding)."""
    eff = (k - 1) * dilation + 1
    return (size + stride - 1) // stride if padding == "SAME" else (size - eff) // stride + 1
