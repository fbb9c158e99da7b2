"""Full-integer UNIDIRECTIONAL_SEQUENCE_LSTM (int8 activations, int16 cell state, the five
intermediates) bit-exact against TFLite's reference kernel over several invocations (the
states are variables carried between invokes).

Seeded random shapes (batch 1-3, time 1-5, input and cell 1-8, output 1-8 with
projection), time-major and batch-major, zero points on input, state and hidden value,
cell scales 2^-15 .. 2^-9, and the TFLite features: CIFG, peephole, projection (+ bias),
layer normalization, cell and projection clipping, plus a saturating variant whose scales
drive gates, cell state and outputs to their limits (and inputs at -128 / 127).

TFLite has no int16-activation (16x8) UNIDIRECTIONAL_SEQUENCE_LSTM: an int16 input goes
down its float checks and is refused there; ours refuses it too (only FLOAT32 / INT8).
TFLite's integer path always uses tanh for the cell gate and the output, whatever the
fused activation says; ours matches (test_integer_activation_is_always_tanh).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import check_model, run_ours_raw
from tests.ops.lstm_int8_models import LstmFeatures, lstm_int8_model
from tfm_ci.modelgen import ModelBuilder

INVOCATIONS = 2
VARIANTS: dict[str, LstmFeatures] = {
    "plain": LstmFeatures(),
    "time-major": LstmFeatures(time_major=True),
    "cifg": LstmFeatures(cifg=True),
    "peephole": LstmFeatures(peephole=True),
    "cifg-peephole-tm": LstmFeatures(cifg=True, peephole=True, time_major=True),
    "projection": LstmFeatures(projection=True),
    "projection-peephole": LstmFeatures(projection=True, peephole=True),
    "projection-peephole-tm": LstmFeatures(projection=True, peephole=True, time_major=True),
    "layernorm": LstmFeatures(layer_norm=True),
    "layernorm-cifg": LstmFeatures(layer_norm=True, cifg=True),
    "layernorm-projection-peephole": LstmFeatures(layer_norm=True, projection=True,
                                                  peephole=True),
    "clip": LstmFeatures(clip=True),
    "clip-projection-tm": LstmFeatures(clip=True, projection=True, time_major=True),
    "saturate": LstmFeatures(saturate=True),
    "saturate-layernorm-projection": LstmFeatures(saturate=True, layer_norm=True,
                                                  projection=True),
    "everything": LstmFeatures(peephole=True, projection=True, layer_norm=True, clip=True,
                               time_major=True),
}
SEEDS_PER_VARIANT = 14
CASES = [(v, 21000 + 100 * i + k) for i, v in enumerate(VARIANTS) for k in range(SEEDS_PER_VARIANT)]


@pytest.mark.parametrize(("variant", "seed"), CASES, ids=[f"{v}-{s}" for v, s in CASES])
def test_int8_lstm_matches_tflite(variant: str, seed: int) -> None:
    model, inputs = lstm_int8_model(seed, VARIANTS[variant], INVOCATIONS)
    check_model(model, inputs, invocations=INVOCATIONS)


@pytest.mark.parametrize("act", ["NONE", "RELU", "RELU6"])
def test_integer_activation_is_always_tanh(act: str) -> None:
    """TFLite ignores the fused activation on the integer path: outputs equal TANH's."""
    model, inputs = lstm_int8_model(21999, LstmFeatures(projection=True), 3, act=act)
    tanh_model, _ = lstm_int8_model(21999, LstmFeatures(projection=True), 3, act="TANH")
    ours = check_model(model, inputs, invocations=3)
    tanh = check_model(tanh_model, inputs, invocations=3)
    for k in range(3):
        np.testing.assert_array_equal(ours.outputs_of(k)[0], tanh.outputs_of(k)[0])


def _refused(model: bytes, x_shape: list[int], *needles: str) -> None:
    run = run_ours_raw(model, [[np.zeros(x_shape, np.int8)]])
    assert not run.transcript.passed
    messages = " ".join(m for _, m in run.transcript.errors)
    assert "UNIDIRECTIONAL_SEQUENCE_LSTM" in messages, messages
    for needle in needles:
        assert needle in messages, messages


def _small_model(*, intermediates: int = 5, cell_scale: float = 2.0 ** -11,
                 per_channel: bool = False, n_out: int = 2, peephole: bool = False) -> bytes:
    """A 1x1x2 int8 LSTM with 2 cells (projection when n_out != 2), for the refusals."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 1, 2], "int8", scale=0.02, zero_point=0)
    w_scale = [0.01, 0.02] if per_channel else 0.01

    def w(name: str, shape: list[int]) -> int:
        return b.tensor(name, shape, "int8", scale=w_scale, zero_point=0,
                        data=np.ones(shape))

    wx = [w(f"wx{g}", [2, 2]) for g in "ifco"]
    wh = [w(f"wh{g}", [2, n_out]) for g in "ifco"]
    wc = [b.tensor(f"wc{g}", [2], "int16", scale=1e-4, data=[1, 1]) if peephole else -1
          for g in "ifo"]
    bias = [b.tensor(f"b{g}", [2], "int32", scale=2e-4, data=[0, 0]) for g in "ifco"]
    pw = w("pw", [n_out, 2]) if n_out != 2 else -1
    h = b.tensor("h", [1, n_out], "int8", scale=0.01, zero_point=0, is_variable=True)
    c = b.tensor("c", [1, 2], "int16", scale=cell_scale, zero_point=0, is_variable=True)
    inters = [b.tensor(f"i{k}", [1, 2], "int16", scale=2.0 ** -12) for k in range(4)]
    inters.append(b.tensor("hid", [1, 2], "int8", scale=0.01, zero_point=0))
    y = b.tensor("y", [1, 1, n_out], "int8", scale=0.01, zero_point=0)
    b.op("UNIDIRECTIONAL_SEQUENCE_LSTM", [x, *wx, *wh, *wc, *bias, pw, -1, h, c], [y],
         intermediates=inters[:intermediates], fused_activation_function="TANH",
         time_major=False)
    b.inputs([x])
    b.outputs([y])
    return b.build()


def test_small_model_runs() -> None:
    """The refusal tests' base model itself is accepted and matches TFLite."""
    check_model(_small_model(), [np.full((1, 1, 2), 50, np.int8)])


def test_missing_intermediates_refused() -> None:
    _refused(_small_model(intermediates=4), [1, 1, 2], "intermediate", "4")


def test_cell_scale_not_power_of_two_refused() -> None:
    _refused(_small_model(cell_scale=3e-4), [1, 1, 2], "cell state scale")


def test_cell_scale_out_of_range_refused() -> None:
    _refused(_small_model(cell_scale=2.0 ** -6), [1, 1, 2], "cell state scale")


def test_per_channel_weights_refused() -> None:
    _refused(_small_model(per_channel=True), [1, 1, 2], "per tensor")


def test_peephole_wider_output_refused() -> None:
    _refused(_small_model(n_out=3, peephole=True), [1, 1, 2], "peephole", "3")


def _with_intermediates(model: bytes, indices: list[int]) -> bytes:
    """`model` with operator 0's intermediates replaced (bypassing the writer's checks)."""
    import flatbuffers
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    m = schema.ModelT.InitFromObj(schema.Model.GetRootAs(model, 0))
    m.subgraphs[0].operators[0].intermediates = indices
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


@pytest.mark.parametrize("bad", [-1, 10_000])
def test_intermediate_index_out_of_range_refused(bad: int) -> None:
    """A hostile intermediates vector is a clear error naming the field, not a crash."""
    model = _with_intermediates(_small_model(), [0, 1, 2, 3, bad])
    run = run_ours_raw(model, [[np.zeros([1, 1, 2], np.int8)]])
    assert not run.transcript.passed
    messages = " ".join(m for _, m in run.transcript.errors)
    assert "intermediates" in messages and str(bad) in messages, messages
