"""Test library: int8 FULLY_CONNECTED models that stress an optimized FC kernel.

Odd depths (the 4-wide loop's tail), non-zero input/output zero points,
per-tensor and per-channel weights, batches, with and without bias.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from robot.api.deco import keyword, library

from tfm_ci.modelgen import ModelBuilder

# name: (batches, depth, units, input zero point, per-channel, bias, activation)
CASES: dict[str, tuple[int, int, int, int, bool, bool, str]] = {
    "fc_odd_depth": (1, 37, 11, -5, False, True, "RELU"),
    "fc_per_channel": (3, 64, 16, 17, True, True, "NONE"),
    "fc_tiny_no_bias": (2, 3, 5, -128, False, False, "NONE"),
    "fc_wide": (1, 250, 24, 101, True, True, "RELU6"),
}


def build_fc(batches: int, depth: int, units: int, in_zp: int, per_channel: bool,
             bias: bool, activation: str, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    b = ModelBuilder(f"fc test depth={depth} units={units}")
    sg = b
    in_scale = 0.05
    w_scale = (rng.uniform(0.002, 0.02, units).tolist() if per_channel else 0.01)
    x = sg.tensor("input", [batches, depth], "int8", scale=in_scale, zero_point=in_zp)
    w = sg.tensor("weights", [units, depth], "int8", data=rng.integers(-127, 128, (units, depth)),
                  scale=w_scale, zero_point=0)
    inputs = [x, w]
    if bias:
        scale = ([in_scale * s for s in w_scale] if per_channel  # type: ignore[union-attr]
                 else in_scale * w_scale)
        inputs.append(sg.tensor("bias", [units], "int32",
                                data=rng.integers(-20000, 20000, units), scale=scale,
                                zero_point=0))
    out_scale = in_scale * 0.01 * 127 * np.sqrt(depth) / 4
    y = sg.tensor("output", [batches, units], "int8", scale=float(out_scale), zero_point=3)
    sg.op("FULLY_CONNECTED", inputs if bias else [*inputs, -1], [y],
          version=7 if per_channel else 4, fused_activation_function=activation)
    sg.inputs([x])
    sg.outputs([y])
    return b.build()


@library(scope="GLOBAL")
class fc_models:  # Robot library named like its file
    @keyword("Write FC Test Models")
    def write_fc_test_models(self, directory: str) -> list[str]:
        """Write the int8 FC test models to `directory`; their paths."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for seed, (name, case) in enumerate(sorted(CASES.items())):
            path = out / f"{name}.tflite"
            path.write_bytes(build_fc(*case, seed=seed))
            paths.append(str(path))
        return paths
