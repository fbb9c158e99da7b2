"""Two recurrent keyword-spotting models with seeded weights, calibrated and full-int8.

`kws_lstm`: 49 frames x 10 features -> UNIDIRECTIONAL_SEQUENCE_LSTM (16 units, int8 with an
int16 cell state and the five intermediates TFLite's integer kernel reads) -> RESHAPE ->
FULLY_CONNECTED (4 classes) -> SOFTMAX, one whole utterance per invoke.

`svdf_stack`: like TFLM's keyword benchmark (keyword_scrambled): one 40-feature frame per
invoke -> three SVDF layers (64 filters, memory 8; 48, memory 8; rank 2 x 32 units, memory
4) -> FULLY_CONNECTED (4 classes) -> SOFTMAX; the SVDF memories are variables, so a stream
of frames is a sequence of invokes.

Both are calibrated by simulating the float network in numpy on seeded random inputs (the
int8 SVDF, as TFLite's, does not apply its mandatory RELU, so the simulation does not
either), then quantized as the TFLite converter lays such models out: symmetric per-tensor
weights, int32 biases at input x weight scale, asymmetric int8 activations, int16 SVDF
state and time weights, a power-of-two LSTM cell scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.quant import asymmetric_params, quantize, round_half_away, symmetric_scale

CLASSES = ("silence", "unknown", "yes", "no")
LSTM_FRAMES, LSTM_FEATURES, LSTM_UNITS = 49, 10, 16
SVDF_FEATURES = 40
SVDF_LAYERS = ((64, 1, 8), (48, 1, 8), (64, 2, 4))  # (filters, rank, memory)
CALIBRATION_SAMPLES = 8
MARGIN = 1.1  # calibrated ranges widened a little: test inputs come from other seeds


@dataclass(frozen=True)
class RecurrentModel:
    """A built model and int8 inputs with a leading invocation axis."""

    name: str
    model: bytes
    inputs: list[np.ndarray]

    @property
    def invocations(self) -> int:
        return int(self.inputs[0].shape[0])


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))


def _range(values: list[np.ndarray]) -> tuple[float, float]:
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    return lo * MARGIN, hi * MARGIN


def _quant_const(b: ModelBuilder, name: str, w: np.ndarray,
                 dtype: str = "int8") -> tuple[int, float]:
    scale = float(symmetric_scale(np.abs(w).max(), dtype))
    return b.tensor(name, w.shape, dtype, data=quantize(w, scale, dtype=dtype), scale=scale,
                    zero_point=0), scale


def _bias(b: ModelBuilder, name: str, bias: np.ndarray, scale: float) -> int:
    q = np.clip(round_half_away(bias / scale), -(2**31), 2**31 - 1).astype(np.int32)
    return b.tensor(name, bias.shape, "int32", data=q, scale=scale, zero_point=0)


def _classifier(b: ModelBuilder, x: int, n_in: int, x_q: tuple[float, int], w: np.ndarray,
                bias: np.ndarray, logit_range: tuple[float, float]) -> int:
    """FULLY_CONNECTED -> SOFTMAX on an int8 [1, n_in] tensor; returns the output tensor."""
    wt, s_w = _quant_const(b, "fc_weights", w)
    bt = _bias(b, "fc_bias", bias, x_q[0] * s_w)
    s_l, z_l = asymmetric_params(*logit_range)
    logits = b.tensor("logits", [1, len(CLASSES)], "int8", scale=s_l, zero_point=z_l)
    b.op("FULLY_CONNECTED", [x, wt, bt], [logits])
    y = b.tensor("output", [1, len(CLASSES)], "int8", scale=1.0 / 256.0, zero_point=-128)
    b.op("SOFTMAX", [logits], [y], beta=1.0)
    return y


# ---- keyword-spotting LSTM ------------------------------------------------------------

@dataclass(frozen=True)
class _LstmWeights:
    wx: np.ndarray  # [4, units, features], gates i f c o
    wh: np.ndarray  # [4, units, units]
    bias: np.ndarray  # [4, units]
    fc_w: np.ndarray
    fc_b: np.ndarray


def _lstm_weights(seed: int) -> _LstmWeights:
    rng = np.random.default_rng(seed)
    u, f = LSTM_UNITS, LSTM_FEATURES
    bias = rng.normal(0.0, 0.1, (4, u))
    bias[1] += 1.0  # forget-gate bias 1, as Keras initialises it
    n_fc = LSTM_FRAMES * u
    return _LstmWeights(rng.normal(0.0, math.sqrt(1.0 / f), (4, u, f)),
                        rng.normal(0.0, math.sqrt(1.0 / u), (4, u, u)), bias,
                        rng.normal(0.0, math.sqrt(2.0 / n_fc), (len(CLASSES), n_fc)),
                        rng.normal(0.0, 0.05, len(CLASSES)))


def _lstm_float(w: _LstmWeights, x: np.ndarray) -> dict[str, np.ndarray]:
    """Float LSTM over x [frames, features] from zero states: h, c per step, logits."""
    h, c = np.zeros(LSTM_UNITS), np.zeros(LSTM_UNITS)
    hs, cs = [], []
    for t in range(x.shape[0]):
        g = [w.wx[k] @ x[t] + w.wh[k] @ h + w.bias[k] for k in range(4)]
        c = _sigmoid(g[1]) * c + _sigmoid(g[0]) * np.tanh(g[2])
        h = _sigmoid(g[3]) * np.tanh(c)
        hs.append(h)
        cs.append(c)
    logits = w.fc_w @ np.concatenate(hs) + w.fc_b
    return {"h": np.array(hs), "c": np.array(cs), "logits": logits}


def _features(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Smooth-ish feature frames: a random walk around a per-feature offset, in [-4, 4]."""
    walk = np.cumsum(rng.normal(0.0, 0.4, shape), axis=0)
    return np.clip(walk + rng.normal(0.0, 1.0, shape[1:]), -4.0, 4.0)


def kws_lstm(seed: int = 1100, invocations: int = 2) -> RecurrentModel:
    """The int8 keyword-spotting LSTM and `invocations` int8 utterances."""
    w = _lstm_weights(seed)
    cal_rng = np.random.default_rng(seed + 1)
    shape = (LSTM_FRAMES, LSTM_FEATURES)
    samples = [_features(cal_rng, shape) for _ in range(CALIBRATION_SAMPLES)]
    sims = [_lstm_float(w, s) for s in samples]
    s_x, z_x = asymmetric_params(-4.0, 4.0)
    s_h, z_h = asymmetric_params(*_range([s["h"] for s in sims]))
    c_max = max(float(np.abs(s["c"]).max()) for s in sims) * MARGIN
    cell_log2 = min(-9, max(-15, math.ceil(math.log2(c_max / 32767.0))))
    b = ModelBuilder(description="tfm-ci demo: keyword-spotting int8 LSTM")
    x = b.tensor("input", [1, *shape], "int8", scale=s_x, zero_point=z_x)
    wx, wh, bias = [], [], []
    for k, g in enumerate("ifco"):
        t, s_wx = _quant_const(b, f"lstm_wx_{g}", w.wx[k])
        wx.append(t)
        wh.append(_quant_const(b, f"lstm_wh_{g}", w.wh[k])[0])
        bias.append(_bias(b, f"lstm_b_{g}", w.bias[k], s_wx * s_x))
    h = b.tensor("lstm_h", [1, LSTM_UNITS], "int8", scale=s_h, zero_point=z_h, is_variable=True)
    c = b.tensor("lstm_c", [1, LSTM_UNITS], "int16", scale=2.0 ** cell_log2, zero_point=0,
                 is_variable=True)
    inters = [b.tensor(f"lstm_gate_{g}", [1, LSTM_UNITS], "int16", scale=2.0 ** -12,
                       zero_point=0) for g in "ifco"]
    # without projection the hidden value is the output state: same quantization
    inters.append(b.tensor("lstm_hidden", [1, LSTM_UNITS], "int8", scale=s_h, zero_point=z_h))
    seq = b.tensor("lstm_out", [1, LSTM_FRAMES, LSTM_UNITS], "int8", scale=s_h, zero_point=z_h)
    b.op("UNIDIRECTIONAL_SEQUENCE_LSTM", [x, *wx, *wh, -1, -1, -1, *bias, -1, -1, h, c], [seq],
         intermediates=inters, fused_activation_function="TANH", cell_clip=0.0, proj_clip=0.0,
         time_major=False)
    n_fc = LSTM_FRAMES * LSTM_UNITS
    shape_t = b.tensor("flat_shape", [2], "int32", data=[1, n_fc])
    flat = b.tensor("flat", [1, n_fc], "int8", scale=s_h, zero_point=z_h)
    b.op("RESHAPE", [seq, shape_t], [flat], new_shape=[1, n_fc])
    y = _classifier(b, flat, n_fc, (s_h, z_h), w.fc_w, w.fc_b,
                    _range([s["logits"] for s in sims]))
    b.inputs([x])
    b.outputs([y])
    rng = np.random.default_rng(seed + 2)
    data = np.stack([quantize(_features(rng, shape), s_x, z_x)[None] for _ in range(invocations)])
    return RecurrentModel("kws_lstm", b.build(), [data.astype(np.int8)])


# ---- SVDF stack -----------------------------------------------------------------------

@dataclass(frozen=True)
class _SvdfLayer:
    feature: np.ndarray  # [filters, inputs]
    time: np.ndarray     # [filters, memory]
    bias: np.ndarray     # [units]
    rank: int

    @property
    def units(self) -> int:
        return self.feature.shape[0] // self.rank


def _svdf_weights(seed: int) -> tuple[list[_SvdfLayer], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    layers, n_in = [], SVDF_FEATURES
    for filters, rank, memory in SVDF_LAYERS:
        layers.append(_SvdfLayer(rng.normal(0.0, math.sqrt(2.0 / n_in), (filters, n_in)),
                                 rng.normal(0.0, math.sqrt(1.0 / memory), (filters, memory)),
                                 rng.normal(0.0, 0.1, filters // rank), rank))
        n_in = filters // rank
    return (layers, rng.normal(0.0, math.sqrt(2.0 / n_in), (len(CLASSES), n_in)),
            rng.normal(0.0, 0.05, len(CLASSES)))


def _svdf_float(layers: list[_SvdfLayer], fc: tuple[np.ndarray, np.ndarray],
                frames: np.ndarray) -> dict[str, list[np.ndarray]]:
    """Float stack over a stream of frames from zero memories: per layer features (the
    state entries) and outputs, and the logits, one entry per frame."""
    memories = [np.zeros((layer.feature.shape[0], layer.time.shape[1])) for layer in layers]
    out: dict[str, list[np.ndarray]] = {"logits": []}
    for frame in frames:
        v = frame
        for i, layer in enumerate(layers):
            features = layer.feature @ v
            memories[i] = np.concatenate([memories[i][:, 1:], features[:, None]], axis=1)
            per_filter = (memories[i] * layer.time).sum(axis=1)
            v = per_filter.reshape(layer.units, layer.rank).sum(axis=1) + layer.bias
            out.setdefault(f"features{i}", []).append(features)
            out.setdefault(f"out{i}", []).append(v)  # int8 SVDF applies no RELU
        out["logits"].append(fc[0] @ v + fc[1])
    return out


def svdf_stack(seed: int = 1200, invocations: int = 10) -> RecurrentModel:
    """The int8 SVDF stack and a stream of `invocations` int8 frames."""
    layers, fc_w, fc_b = _svdf_weights(seed)
    cal_rng = np.random.default_rng(seed + 1)
    sims = [_svdf_float(layers, (fc_w, fc_b), _features(cal_rng, (16, SVDF_FEATURES)))
            for _ in range(CALIBRATION_SAMPLES)]

    def merged(key: str) -> list[np.ndarray]:
        return [v for s in sims for v in s[key]]

    b = ModelBuilder(description="tfm-ci demo: SVDF keyword stack (like keyword_scrambled)")
    s_in, z_in = asymmetric_params(-4.0, 4.0)
    x = b.tensor("input", [1, SVDF_FEATURES], "int8", scale=s_in, zero_point=z_in)
    current, q_in = x, (s_in, z_in)
    for i, layer in enumerate(layers):
        filters, memory = layer.feature.shape[0], layer.time.shape[1]
        wf, _ = _quant_const(b, f"svdf{i}_feature", layer.feature)
        wt, s_wt = _quant_const(b, f"svdf{i}_time", layer.time, "int16")
        s_state = float(symmetric_scale(max(float(np.abs(f).max()) for f in
                                            merged(f"features{i}")) * MARGIN, "int16"))
        bias = _bias(b, f"svdf{i}_bias", layer.bias, s_state * s_wt)
        state = b.tensor(f"svdf{i}_state", [1, memory * filters], "int16", scale=s_state,
                         zero_point=0, is_variable=True)
        q_out = asymmetric_params(*_range(merged(f"out{i}")))
        y = b.tensor(f"svdf{i}_out", [1, layer.units], "int8", scale=q_out[0],
                     zero_point=q_out[1])
        b.op("SVDF", [current, wf, wt, bias, state], [y], rank=layer.rank,
             fused_activation_function="RELU")
        current, q_in = y, q_out
    out = _classifier(b, current, layers[-1].units, q_in, fc_w, fc_b, _range(merged("logits")))
    b.inputs([x])
    b.outputs([out])
    frames = _features(np.random.default_rng(seed + 2), (invocations, SVDF_FEATURES))
    data = quantize(frames, s_in, z_in)[:, None, :]
    return RecurrentModel("svdf_stack", b.build(), [data.astype(np.int8)])


MODELS: dict[str, Callable[[], RecurrentModel]] = {"kws_lstm": kws_lstm,
                                                   "svdf_stack": svdf_stack}
