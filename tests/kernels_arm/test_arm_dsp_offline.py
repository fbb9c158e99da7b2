"""arm-dsp's offline prep records (tfm_ci/offline_prep_dsp.py): the CONV_W16 filter copy
(its word layout against SXTB16's unpacking, which layers get one), the table kernel set
arm-dsp gets (CONV_S8 and CONV_W16 only), and on QEMU the same bit-exact outputs with and
without the table, fewer instructions with it, a malformed record refused by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tflite

from tfm_ci import offline_prep, offline_prep_dsp
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.registry import Registry

from .cases import BATCHES, Batch
from .test_arm_dsp_fast import fast_batch


def _sxtb16(word: int, ror: int) -> tuple[int, int]:
    """SXTB16 (ror 0) / SXTB16 ROR #8 of a packed 32-bit word: its lanes (low, high)."""
    v = ((word >> ror) | (word << (32 - ror))) & 0xFFFFFFFF if ror else word & 0xFFFFFFFF
    b0, b2 = v & 0xFF, (v >> 16) & 0xFF
    return (b0 - 256 if b0 > 127 else b0), (b2 - 256 if b2 > 127 else b2)


def test_w16_words_are_what_sxtb16_gives() -> None:
    rng = np.random.default_rng(5)
    for k in (1, 3, 4, 7, 8, 27, 64):
        w = rng.integers(-128, 128, size=(3, k)).astype(np.int8)
        words = offline_prep_dsp.w16_words(w)
        kc = (k + 3) & ~3
        assert words.dtype == np.int32 and words.size == 3 * kc // 2
        padded = np.zeros((3, kc), np.int8)
        padded[:, :k] = w
        got = words.reshape(3, kc // 4, 2)
        for oc in range(3):
            for g in range(kc // 4):
                packed = int.from_bytes(padded[oc, 4 * g:4 * g + 4].tobytes(), "little")
                for j, ror in enumerate((0, 8)):
                    u = int(got[oc, g, j]) & 0xFFFFFFFF
                    lanes = tuple(h - 65536 if h > 32767 else h
                                  for h in (u & 0xFFFF, u >> 16))
                    assert lanes == _sxtb16(packed, ror), (k, oc, g, j)


def _firmware_full_range(act: int, scale: float, zp: int) -> bool:
    """tfm_activation_range_quantized's range is all of int8 (float32 division, rounding
    half away from zero)."""
    def q(v: float) -> int:
        x = float(np.float32(v) / np.float32(scale))
        return zp + int(np.sign(x) * np.floor(abs(x) + 0.5))
    kinds = tflite.ActivationFunctionType
    lo, hi = -128, 127
    if act in (kinds.RELU, kinds.RELU6):
        lo = max(q(0.0), -128)
    if act == kinds.RELU6:
        hi = min(q(6.0), 127)
    if act == kinds.RELU_N1_TO_1:
        lo, hi = max(q(-1.0), -128), min(q(1.0), 127)
    return (lo, hi) == (-128, 127)


def test_full_range_as_the_firmware_computes_it() -> None:
    """Records only where the firmware's range is all of int8; missed only at a rounding
    boundary (within 1e-3 of a half step)."""
    rng = np.random.default_rng(11)
    kinds = tflite.ActivationFunctionType
    acts = (kinds.NONE, kinds.RELU, kinds.RELU6, kinds.RELU_N1_TO_1)
    seen = {True: 0, False: 0}
    for i in range(20000):
        act = acts[i % 4]
        scale = float(np.float32(rng.choice([6 / 255, 1 / 128, 6 / 254]) if i % 5 == 0
                                 else rng.uniform(1e-3, 0.06)))
        zp = -128 if i % 3 else int(rng.integers(-128, 128))
        ours = offline_prep_dsp.full_int8_range(act, scale, zp)
        theirs = _firmware_full_range(act, scale, zp)
        seen[theirs] += 1
        assert not ours or theirs, (act, scale, zp)
        if theirs and not ours:   # only at a boundary: v / scale within 1e-3 of x.5
            edges = [v / scale for v in (6.0, 1.0)]
            assert any(abs(e - np.floor(e) - 0.5) < 2e-3 for e in edges), (act, scale, zp)
    assert seen[True] > 1000 and seen[False] > 1000


def _conv_model(cins: tuple[int, ...], groups: int = 1) -> bytes:
    bt = Batch(7)
    for cin in cins:
        bt.add_conv("int8", 1, 6, 6, cin * groups, 4 * groups, (3, 3), (1, 1), (1, 1),
                    "SAME", "NONE", per_channel=True, groups=groups)
    return bt.build()


def test_records_of_arm_dsp() -> None:
    data = _conv_model((1, 3, 4, 5, 16))
    table = offline_prep.make_table(data, kernel_set="arm-dsp")
    kinds = {r.kind for r in table.records}
    assert kinds == {offline_prep.KIND_CONV_S8, offline_prep_dsp.KIND_CONV_W16,
                     offline_prep_dsp.KIND_CONV_W16_STRIP}
    w16 = [r for r in table.records if r.kind == offline_prep_dsp.KIND_CONV_W16]
    strip = [r for r in table.records if r.kind == offline_prep_dsp.KIND_CONV_W16_STRIP]
    # 1 and 3 input channels: the strip path, rows in its (fx, fy, c) order
    assert len(w16) == 3 and [r.op for r in strip] == [0, 1]
    model = tflite.Model.GetRootAsModel(data, 0)
    for r in strip:
        op = model.Subgraphs(0).Operators(r.op)
        t = model.Subgraphs(0).Tensors(op.Inputs(1))
        filt = model.Buffers(t.Buffer()).DataAsNumpy().view(np.int8).reshape(
            t.ShapeAsNumpy())
        out_d, kc = r.words[:2]
        want = offline_prep_dsp.w16_words(
            np.ascontiguousarray(filt.transpose(0, 2, 1, 3)).reshape(out_d, -1))
        body = np.array(r.words[2:]).reshape(out_d, 4 + kc // 2)
        assert (body[:, 1:1 + kc // 2].reshape(-1) == want).all()
    conv_s8 = {r.op: r for r in table.records if r.kind == offline_prep.KIND_CONV_S8}
    for r, cin in zip(w16, (4, 5, 16), strict=True):
        kc = (9 * cin + 3) & ~3
        assert r.words[:2] == (4, kc) and len(r.words) == 2 + 4 * (4 + kc // 2)
        assert r.size == 4 * len(r.words)
        # per channel: bias, the int16 row, then dsp_rqf.h's words from CONV_S8's
        # multiplier / shift (checked again by the firmware's prepare)
        q = conv_s8[r.op].words
        shifts = np.frombuffer(b"".join((w & 0xFFFFFFFF).to_bytes(4, "little")
                                        for w in q[5:]), np.int8)
        for c in range(4):
            row = r.words[2 + c * (4 + kc // 2):2 + (c + 1) * (4 + kc // 2)]
            m, sh, khi = row[-3:]
            assert m == q[1 + c] and sh == -int(shifts[c]) - 1 and khi & ((1 << sh) - 1) == \
                1 << (sh - 1)
    assert offline_prep_dsp.KIND_CONV_W16 in offline_prep.SPEED_KINDS
    assert not any(r.kind == offline_prep_dsp.KIND_CONV_W16
                   for r in offline_prep.make_table(data).records)        # other sets
    small = offline_prep.make_table(data, speed=False, kernel_set="arm-dsp")  # over budget
    assert {r.kind for r in small.records} == {offline_prep.KIND_CONV_S8}
    grouped = offline_prep.make_table(_conv_model((4,), groups=2), kernel_set="arm-dsp")
    assert not any(r.kind == offline_prep_dsp.KIND_CONV_W16 for r in grouped.records)
    bt = Batch(8)
    bt.add_conv("int8", 1, 4, 4, 8, 4, (1, 1), (1, 1), (1, 1), "VALID", "NONE",
                per_channel=True, bias=False)
    no_bias = offline_prep.make_table(bt.build(), kernel_set="arm-dsp")
    assert not any(r.kind == offline_prep_dsp.KIND_CONV_W16 for r in no_bias.records)
    assert offline_prep_dsp.rescale_words(1 << 30, -1, 0) is None      # shift off range
    assert offline_prep_dsp.rescale_words(1 << 30, -24, 0) is None
    assert offline_prep_dsp.rescale_words(1 << 30, -5, -3) == (1 << 30, 4, 8 - (3 << 4))
    # FC models: none of opt's FC records (arm-dsp's FC does not read them)
    fc = offline_prep.make_table(BATCHES["fc"](3, 6).build(), kernel_set="arm-dsp")
    assert not fc.records
    assert offline_prep_dsp.wants("arm-dsp") and offline_prep_dsp.wants("arm-dsp-noasm")
    assert not offline_prep_dsp.wants("arm-mve") and not offline_prep_dsp.wants("opt")


def _run(registry: Registry, cache: Path, model: Path, board: str) -> JobRecord:
    return run_job(JobSpec(model=str(model), board=board, kernel_set="arm-dsp",
                           invocations=2, seed=3, cache_dir=str(cache), timeout=180), registry)


@pytest.mark.slow
@pytest.mark.parametrize("board", ("mps2-an386", "mps3-an547"))
def test_with_and_without_records(board: str, registry: Registry, cache_dir: Path,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "conv.tflite"
    model.write_bytes(fast_batch(57, 32).build())
    monkeypatch.setenv("TFM_CI_OFFLINE_PREP", "1")
    with_prep = _run(registry, cache_dir, model, board)
    monkeypatch.setenv("TFM_CI_OFFLINE_PREP", "0")
    without = _run(registry, cache_dir, model, board)
    for rec in (with_prep, without):
        assert rec.status is Status.PASS, (rec.reason, rec.comparison.get("mismatching"))
        assert rec.comparison["match"] is True
    assert with_prep.build["offline_prep"]["speed_records"] > 0
    assert "offline_prep" not in without.build
    assert [o["data"] for o in with_prep.outputs] == [o["data"] for o in without.outputs]
    assert with_prep.instructions["invocations"][0] < without.instructions["invocations"][0]


@pytest.mark.slow
def test_malformed_w16_record_refused(registry: Registry, cache_dir: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real = offline_prep.make_table

    def truncated(data: bytes, **kw: object) -> offline_prep.Table:
        t = real(data, **kw)  # type: ignore[arg-type]
        recs = tuple(offline_prep.Record(r.subgraph, r.op, r.kind, r.words[:-2])
                     if r.kind == offline_prep_dsp.KIND_CONV_W16 else r for r in t.records)
        return offline_prep.Table(t.model_size, t.model_hash, recs)

    monkeypatch.setattr(offline_prep, "make_table", truncated)
    model = tmp_path / "conv4.tflite"
    model.write_bytes(_conv_model((4,)))
    rec = _run(registry, cache_dir, model, "mps2-an386")
    assert rec.status in (Status.FAIL, Status.ERROR), (rec.status, rec.reason)
    text = " ".join([rec.reason or "", *rec.errors, rec.transcript or ""])
    assert "CONV_W16 record malformed" in text, text[-600:]


@pytest.mark.slow
def test_w16_left_out_over_the_flash_budget(registry: Registry, cache_dir: Path,
                                            tmp_path: Path) -> None:
    """A 1x1 conv with 512 KiB of int8 weights: with its CONV_W16 copy (1 MiB more) the
    image would exceed m4-256k's 1 MiB flash budget, so the build leaves the copy out,
    keeps CONV_S8, and the int8 path gives TFLite's outputs within budget."""
    bt = Batch(9)
    bt.add_conv("int8", 1, 1, 2, 1024, 512, (1, 1), (1, 1), (1, 1), "VALID", "NONE",
                per_channel=True)
    model = tmp_path / "wide.tflite"
    model.write_bytes(bt.build())
    rec = _run(registry, cache_dir, model, "m4-256k")
    assert rec.status is Status.PASS, (rec.reason, rec.comparison.get("mismatching"))
    prep = rec.build["offline_prep"]
    assert "dropped" in prep and prep["speed_records"] == 0 and prep["records"] > 0, prep
    assert rec.sizes["flash"] <= registry.board("m4-256k").flash_budget
    full = offline_prep.make_table(model.read_bytes(), kernel_set="arm-dsp")
    assert any(r.kind == offline_prep_dsp.KIND_CONV_W16 for r in full.records)


class _DeadChannelBatch(Batch):
    """Per-channel filters whose channel 1 has a scale of ~1e-13: TFLite's
    QuantizeMultiplier gives it multiplier 0 (every output the zero point)."""

    def _filter(self, name: str, shape: list[int], dtype: str, axis: int,
                per_channel: bool) -> tuple[int, np.ndarray]:
        channels = shape[axis]
        w = self.rng.integers(-128, 128, size=shape)
        scales = self.rng.uniform(0.002, 0.02, size=channels)
        tiny = scales.copy()
        tiny[1] = 1e-13
        t = self.b.tensor(name, shape, "int8", data=w.astype(np.int8),
                          scale=[float(s) for s in tiny], zero_point=[0] * channels,
                          quantized_dimension=axis)
        return t, scales


@pytest.mark.slow
def test_zero_multiplier_channel_keeps_the_fast_paths(registry: Registry, cache_dir: Path,
                                                      tmp_path: Path) -> None:
    """A channel with multiplier 0 (e.g. a pruned one) no longer sends its whole layer
    to the general kernels: it is on the fast rescale (dsp_rqf_shift), the layer gets its
    CONV_W16 record and the outputs are TFLite's."""
    bt = _DeadChannelBatch(10)
    bt.add_conv("int8", 1, 5, 7, 8, 6, (1, 1), (1, 1), (1, 1), "VALID", "NONE",
                per_channel=True)
    bt.add_conv("int8", 1, 6, 5, 5, 4, (3, 3), (2, 1), (1, 1), "SAME", "NONE",
                per_channel=True)
    model = tmp_path / "dead.tflite"
    model.write_bytes(bt.build())
    table = offline_prep.make_table(model.read_bytes(), kernel_set="arm-dsp")
    w16 = [r for r in table.records if r.kind == offline_prep_dsp.KIND_CONV_W16]
    assert len(w16) == 2
    conv_s8 = [r for r in table.records if r.kind == offline_prep.KIND_CONV_S8]
    assert all(r.words[2] == 0 for r in conv_s8)          # channel 1's multiplier
    rec = _run(registry, cache_dir, model, "mps2-an386")
    assert rec.status is Status.PASS, (rec.reason, rec.comparison.get("mismatching"))
    assert rec.comparison["match"] is True and len(rec.outputs) == 4
