"""Seeded full-integer UNIDIRECTIONAL_SEQUENCE_LSTM models, as the TFLite converter lays
them out: int8 input / output / output state, int16 cell state with a power-of-two scale,
int8 weights, int32 biases, int16 peephole weights and layer-norm coefficients, and the
five intermediates (gate pre-activation scales, hidden scale and zero point).

`lstm_int8_model(seed, **features)` draws shapes, scales and weights from the seed; the
features (cifg, peephole, projection, layer_norm, clip, time_major, saturate) are chosen
by the caller. Scales are set from target effective scales so gates neither vanish nor
always saturate; `saturate` multiplies them to drive gates, cell state and outputs into
their int16/int8 limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tfm_ci.modelgen import ModelBuilder

Q12 = 2.0 ** -12


@dataclass(frozen=True)
class LstmFeatures:
    cifg: bool = False
    peephole: bool = False
    projection: bool = False
    layer_norm: bool = False
    clip: bool = False
    time_major: bool = False
    saturate: bool = False


def lstm_int8_model(seed: int, f: LstmFeatures, invocations: int = 2,
                    act: str | None = None) -> tuple[bytes, list[np.ndarray]]:
    """Model bytes and int8 inputs with a leading invocation axis."""
    rng = np.random.default_rng(seed)
    batch, steps = int(rng.integers(1, 4)), int(rng.integers(1, 6))
    n_in, n_cell = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    n_out = int(rng.integers(1, 9)) if f.projection else n_cell
    if f.peephole and n_out > n_cell:  # TFLite's peephole walks n_output cells
        n_out = n_cell
    boost = 12.0 if f.saturate else 1.0
    s_x, z_x = float(rng.uniform(0.005, 0.05)), int(rng.integers(-20, 21))
    s_h, z_h = float(rng.uniform(0.004, 0.012)), int(rng.integers(-10, 11))
    cell_scale = int(rng.integers(-15, -8))
    s_c = 2.0 ** cell_scale
    inter = [Q12 * float(rng.uniform(0.5, 2.0)) if f.layer_norm else Q12 for _ in range(4)]
    s_hid, z_hid = float(rng.uniform(0.004, 0.012)), int(rng.integers(-10, 11))
    b = ModelBuilder()

    def weight(name: str, shape: list[int], s_in: float, s_gate: float) -> tuple[int, float]:
        # effective scale s_w * s_in / s_gate of roughly 0.3 / sqrt(cols) (x boost)
        eff = float(rng.uniform(0.1, 0.6)) * boost / np.sqrt(shape[1])
        s_w = eff * s_gate / s_in
        return b.tensor(name, shape, "int8", scale=s_w,
                        data=rng.integers(-127, 128, shape)), s_w

    shape_x = [steps, batch, n_in] if f.time_major else [batch, steps, n_in]
    x = b.tensor("x", shape_x, "int8", scale=s_x, zero_point=z_x)
    wx, wh, wc, bias, ln = [], [], [], [], []
    for k, g in enumerate("ifco"):
        if f.cifg and g == "i":
            wx.append(-1), wh.append(-1), bias.append(-1)
            continue
        t, s_wx = weight(f"wx_{g}", [n_cell, n_in], s_x, inter[k])
        wx.append(t)
        wh.append(weight(f"wh_{g}", [n_cell, n_out], s_h, inter[k])[0])
        if f.layer_norm:  # bias added after normalisation, in coefficient * 2^10 units
            bias.append(b.tensor(f"b_{g}", [n_cell], "int32", scale=1.0,
                                 data=rng.integers(-20_000_000, 20_000_001, n_cell)))
        else:  # about +-1 in the gate's real units
            bound = int(min(2**30, 1.0 * boost / (s_wx * s_x)))
            bias.append(b.tensor(f"b_{g}", [n_cell], "int32", scale=s_wx * s_x,
                                 data=rng.integers(-bound, bound + 1, n_cell)))
    for k, g in zip((0, 1, 3), "ifo", strict=True):
        if f.peephole and not (f.cifg and g == "i"):
            s_p = float(rng.uniform(1e-4, 1e-3)) * boost * inter[k] / s_c
            wc.append(b.tensor(f"wc_{g}", [n_cell], "int16", scale=s_p,
                               data=rng.integers(-3000, 3001, n_cell)))
        else:
            wc.append(-1)
    if f.projection:
        eff = float(rng.uniform(0.2, 1.0)) * boost / np.sqrt(n_cell)
        s_pw = eff * s_h / s_hid
        pw = b.tensor("proj_w", [n_out, n_cell], "int8", scale=s_pw,
                      data=rng.integers(-127, 128, (n_out, n_cell)))
        pb = (b.tensor("proj_b", [n_out], "int32", scale=s_pw * s_hid,
                       data=rng.integers(-2000, 2001, n_out)) if seed % 3 else -1)
    else:
        pw = pb = -1
    h = b.tensor("h", [batch, n_out], "int8", scale=s_h, zero_point=z_h, is_variable=True)
    c = b.tensor("c", [batch, n_cell], "int16", scale=s_c, zero_point=0, is_variable=True)
    for g in "ifco":
        if f.layer_norm and not (f.cifg and g == "i"):
            ln.append(b.tensor(f"ln_{g}", [n_cell], "int16",
                               scale=float(rng.uniform(1e-5, 1e-4)) * boost,
                               data=rng.integers(3000, 32768, n_cell)))
        else:
            ln.append(-1)
    inters = [b.tensor(f"inter_{g}", [batch, n_cell], "int16", scale=inter[k], zero_point=0)
              for k, g in enumerate("ifco")]
    inters.append(b.tensor("hidden", [batch, n_cell], "int8", scale=s_hid, zero_point=z_hid))
    y = b.tensor("y", [*shape_x[:2], n_out], "int8", scale=s_h, zero_point=z_h)
    act = act or ("TANH", "TANH", "TANH", "RELU")[seed % 4]
    cell_clip = float(rng.uniform(0.3, 3.0)) if f.clip else 0.0
    proj_clip = float(rng.uniform(0.1, 0.8)) if f.clip and f.projection else 0.0
    b.op("UNIDIRECTIONAL_SEQUENCE_LSTM", [x, *wx, *wh, *wc, *bias, pw, pb, h, c, *ln], [y],
         intermediates=inters, fused_activation_function=act, cell_clip=cell_clip,
         proj_clip=proj_clip, time_major=f.time_major)
    b.inputs([x])
    b.outputs([y])
    data = rng.integers(-128, 128, (invocations, *shape_x))
    if f.saturate:  # the extremes, too
        data[0] = rng.choice([-128, 127], shape_x)
    return b.build(), [data.astype(np.int8)]
