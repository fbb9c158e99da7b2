"""Offline preparation (tfm_ci.offline_prep + the firmware's tfm_offline_data).

- the Python QuantizeMultiplier equals the firmware's own (quant.c compiled on the host,
  with FULLY_CONNECTED's float / double scale products) over many random scales;
- opt images with and without the table give the same bit-exact outputs (vs TFLite;
  float32 FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D within the default tolerance,
  1e-5 relative);
  with it invoke takes fewer instructions, the arena is smaller and flash grows by what
  the table states;
- the firmware's model hash equals the Python one (full and sampled, every size mod 4),
  and a table made for other model bytes (a flipped hash, or the same model with one
  layer's weights retrained) is refused at init with a clear error;
- kernel sets without offline prep (reference) build the same image either way.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import tflite

from tests.kernels_arm.cases import ACTIVATIONS, BATCHES, Batch
from tfm_ci import demo_models, offline_prep
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.paths import firmware_dir
from tfm_ci.registry import Registry

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include "internal/quant.h"
int main(void) {
  unsigned a, b, c; int mode;
  while (scanf("%d %x %x %x", &mode, &a, &b, &c) == 4) {
    float x, w, o; memcpy(&x, &a, 4); memcpy(&w, &b, 4); memcpy(&o, &c, 4);
    const double real = mode == 0 ? (double)(x * w) / (double)o
                                  : (double)x * (double)w / (double)o;
    int32_t m; int s; tfm_quantize_multiplier(real, &m, &s);
    printf("%ld %d\n", (long)m, s);
  }
  return 0;
}
"""


def _bits(v: np.float32) -> str:
    return f"{struct.unpack('<I', struct.pack('<f', float(v)))[0]:x}"


@pytest.mark.skipif(shutil.which("gcc") is None, reason="host gcc not installed")
def test_quantize_multiplier_equals_firmware(tmp_path: Path) -> None:
    fw = firmware_dir()
    src = tmp_path / "h.c"
    src.write_text(HARNESS)
    exe = tmp_path / "h"
    subprocess.run(["gcc", "-O2", f"-I{fw / 'include'}", f"-I{fw / 'kernels'}", str(src),
                    str(fw / "kernels" / "internal" / "quant.c"), "-lm", "-o", str(exe)],
                   check=True, capture_output=True)
    rng = np.random.default_rng(5)
    n = 4000
    # scales over many decades, plus edge values (tiny / huge ratios, exact powers of two)
    xs = np.float32(10.0) ** rng.uniform(-6, 1, n).astype(np.float32)
    ws = np.float32(10.0) ** rng.uniform(-6, 1, n).astype(np.float32)
    os_ = np.float32(10.0) ** rng.uniform(-6, 1, n).astype(np.float32)
    xs[:4], ws[:4], os_[:4] = [0.5, 1e-30, 1e30, 0.25], [0.5, 1e-10, 1e10, 1.0], [1, 1e10, 1e-10, 1]
    lines: list[str] = []
    with np.errstate(over="ignore", under="ignore"):
        expected = _expected(xs, ws, os_, lines)
    out = subprocess.run([str(exe)], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=True).stdout.split("\n")[:-1]
    assert out == expected


def _expected(xs: np.ndarray, ws: np.ndarray, os_: np.ndarray, lines: list[str]) -> list[str]:
    expected = []
    for i in range(len(xs)):
        x, w, o = np.float32(xs[i]), np.float32(ws[i]), np.float32(os_[i])
        for mode in (0, 1):
            lines.append(f"{mode} {_bits(x)} {_bits(w)} {_bits(o)}")
            real = (float(np.float32(x * w)) / float(o) if mode == 0
                    else float(x) * float(w) / float(o))
            m, s = offline_prep.quantize_multiplier(real)
            expected.append(f"{m} {s}")
    return expected


def test_model_hash_known_value() -> None:
    # FNV-1a over words, seeded with the size: 5 bytes = one word + a zero-padded one
    data = bytes([1, 2, 3, 4, 5])
    h = (2166136261 ^ 5) & 0xFFFFFFFF
    for w in (0x04030201, 0x05):
        h = ((h ^ w) * 16777619) & 0xFFFFFFFF
    assert offline_prep.model_hash(data) == h
    assert offline_prep.model_hash(data) != offline_prep.model_hash(data[:4] + b"\x06")


HASH_HARNESS = r"""
#include <stdio.h>
#include <stdlib.h>
#include "runtime.h"
/* offline.c's only outside call (check_table's error): not reached here */
tfm_status tfm_rt_fail(tfm_context *ctx, tfm_status status, const char *fmt, ...) {
  (void)ctx; (void)fmt; return status;
}
int main(int argc, char **argv) {
  for (int a = 1; a < argc; ++a) {
    FILE *f = fopen(argv[a], "rb");
    if (!f) return 1;
    fseek(f, 0, SEEK_END);
    const long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint32_t *buf = malloc((size_t)size + 4); /* word aligned, as a model must be */
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) return 1;
    fclose(f);
    printf("%08x\n", (unsigned)tfm_offline_hash((const uint8_t *)buf, (uint32_t)size));
    free(buf);
  }
  return 0;
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="host gcc not installed")
def test_model_hash_equals_firmware(tmp_path: Path) -> None:
    """offline.c's tfm_offline_hash (compiled on the host) = offline_prep.model_hash on
    sizes around the full / sampled boundary, every size mod 4, and large models."""
    fw = firmware_dir()
    src = tmp_path / "h.c"
    src.write_text(HASH_HARNESS)
    exe = tmp_path / "h"
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", f"-I{fw / 'include'}",
                    f"-I{fw / 'runtime'}", str(src), str(fw / "runtime" / "offline.c"),
                    "-o", str(exe)], check=True, capture_output=True)
    rng = np.random.default_rng(9)
    full = 4 * offline_prep.HASH_FULL
    sizes = [0, 1, 2, 3, 4, 5, 17, full - 1, full, full + 1, full + 2, full + 3, full + 4,
             full + 4 * 2048 + 7, 300_568, 1_000_003]
    paths = []
    for size in sizes:
        path = tmp_path / f"m{size}.bin"
        path.write_bytes(rng.integers(0, 256, size=size, dtype=np.uint8).tobytes())
        paths.append(path)
    out = subprocess.run([str(exe), *map(str, paths)], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [f"{offline_prep.model_hash(p.read_bytes()):08x}" for p in paths]


def test_model_hash_sampled_catches_and_misses() -> None:
    """A model over HASH_FULL words: any change to its size, its first or last KiB, a
    sampled word, or a whole layer's weights changes the hash; a lone word between the
    samples does not (the documented cost of a cheap check)."""
    rng = np.random.default_rng(4)
    data = rng.integers(0, 256, size=100_002, dtype=np.uint8).tobytes()
    h = offline_prep.model_hash(data)
    n = (len(data) + 3) // 4
    stride = (n - offline_prep.HASH_HEAD - offline_prep.HASH_TAIL) // offline_prep.HASH_SAMPLES
    assert stride >= 2

    def flipped(word: int, count: int = 1) -> bytes:
        b = bytearray(data)
        for k in range(word, word + count):
            b[4 * k] ^= 0x5A
        return bytes(b)

    assert offline_prep.model_hash(data[:-1]) != h
    assert offline_prep.model_hash(data + b"\0") != h
    for word in (0, 1, offline_prep.HASH_HEAD - 1, n - offline_prep.HASH_TAIL, n - 2):
        assert offline_prep.model_hash(flipped(word)) != h, word
    sampled = offline_prep.HASH_HEAD + 777 * stride     # sample 777
    assert offline_prep.model_hash(flipped(sampled)) != h
    assert offline_prep.model_hash(flipped(n // 2, stride)) != h   # a retrained layer
    assert offline_prep.model_hash(flipped(sampled + 1)) == h      # between two samples
    # up to HASH_FULL words: every word counts
    small = data[: 4 * offline_prep.HASH_FULL]
    b = bytearray(small)
    b[4 * 1000 + 2] ^= 1
    assert offline_prep.model_hash(bytes(b)) != offline_prep.model_hash(small)


def _run(registry: Registry, cache: Path, model: Path, board: str, kset: str = "opt",
         seed: int = 3) -> JobRecord:
    spec = JobSpec(model=str(model), board=board, kernel_set=kset, invocations=2, seed=seed,
                   cache_dir=str(cache), timeout=300)
    return run_job(spec, registry)


def _exact(rec: JobRecord) -> None:
    assert rec.status is Status.PASS, (rec.reason, rec.errors, (rec.transcript or "")[-400:])
    assert rec.comparison["match"] is True and rec.comparison["compared"] > 0


def float_fc_batch(seed: int, count: int) -> Batch:
    """float32 fully connected (opt's block floating point): depths 1..300, every unit
    count mod 4, 1-3 batches, every activation, with and without bias."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        bt.add_fc("float32", int(rng.integers(1, 4)), int(rng.integers(1, 300)),
                  int(rng.integers(1, 13)), ACTIVATIONS[i % 4], per_channel=False,
                  bias=i % 5 != 4)
    return bt


def float_conv_batch(seed: int, count: int) -> Batch:
    """float32 CONV_2D (opt's block floating point with the F32_BFP filter record):
    1x1 and larger windows, strides, dilations, SAME / VALID, every activation."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        kh, kw = (1, 1) if i % 4 == 0 else (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        dil = (2, 1) if i % 5 == 3 else (1, 1)
        h = int(rng.integers((kh - 1) * dil[0] + 1, 9))
        w = int(rng.integers((kw - 1) * dil[1] + 1, 9))
        bt.add_conv("float32", int(rng.integers(1, 3)), h, w, int(rng.integers(1, 20)),
                    int(rng.integers(1, 12)), (kh, kw),
                    (int(rng.integers(1, 3)), int(rng.integers(1, 3))), dil,
                    "SAME" if i % 2 == 0 else "VALID", ACTIVATIONS[i % 4], per_channel=False)
    return bt


def float_dw_batch(seed: int, count: int) -> Batch:
    """float32 DEPTHWISE_CONV_2D (block floating point with the F32_BFP filter record):
    multipliers 1-3, windows 1-5, strides, dilations, SAME / VALID, every activation."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        k = (3, 3) if i % 3 == 0 else (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        dil = (1, 2) if i % 5 == 4 else (1, 1)
        h = int(rng.integers((k[0] - 1) * dil[0] + 1, 10))
        w = int(rng.integers((k[1] - 1) * dil[1] + 1, 10))
        bt.add_dw("float32", int(rng.integers(1, 3)), h, w, int(rng.integers(1, 9)),
                  1 + i % 3, k, (int(rng.integers(1, 3)), int(rng.integers(1, 3))), dil,
                  "SAME" if i % 2 == 0 else "VALID", ACTIVATIONS[i % 4], per_channel=False,
                  bias=i % 4 != 3)
    return bt


def _models(tmp_path: Path) -> list[Path]:
    fc = tmp_path / "fc.tflite"
    fc.write_bytes(BATCHES["fc"](331, 16).build())
    sine = tmp_path / "sine.tflite"
    sine.write_bytes(demo_models.build("sine"))
    ffc = tmp_path / "float_fc.tflite"
    ffc.write_bytes(float_fc_batch(341, 12).build())
    conv = tmp_path / "conv.tflite"       # CONV_S8 records (int8 and 16x8, fallbacks too)
    conv.write_bytes(BATCHES["conv"](351, 16).build())
    dw = tmp_path / "dw.tflite"
    dw.write_bytes(BATCHES["dw"](361, 16).build())
    fconv = tmp_path / "float_conv.tflite"
    fconv.write_bytes(float_conv_batch(371, 12).build())
    fdw = tmp_path / "float_dw.tflite"
    fdw.write_bytes(float_dw_batch(381, 12).build())
    return [fc, sine, ffc, conv, dw, fconv, fdw]


@pytest.mark.slow
@pytest.mark.parametrize("board", ("riscv32-virt", "mps2-an385"))
def test_with_and_without_prep(board: str, registry: Registry, cache_dir: Path,
                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for model in _models(tmp_path):
        monkeypatch.setenv("TFM_CI_OFFLINE_PREP", "1")
        with_prep = _run(registry, cache_dir, model, board)
        monkeypatch.setenv("TFM_CI_OFFLINE_PREP", "0")
        without = _run(registry, cache_dir, model, board)
        _exact(with_prep)
        _exact(without)
        prep = with_prep.build.get("offline_prep")
        assert prep and prep["records"] > 0, model
        assert "offline_prep" not in without.build
        # quantized outputs identical; float FC too (the F32_BFP record holds the
        # mantissas the firmware would convert); float conv runs the reference kernel
        # without a record (both within tolerance of TFLite, checked above)
        for a, b in zip(with_prep.outputs, without.outputs, strict=True):
            if model.stem in ("fc", "sine", "float_fc") or not a["dtype"].startswith("float"):
                assert a["data"] == b["data"], (model.stem, a["name"])
        # interleaved weights (W4_S8) make the FC inner loops shorter, never longer
        # (conv / depthwise records only move prepare's multipliers to flash)
        assert all(a <= b for a, b in zip(with_prep.instructions["invocations"],
                                          without.instructions["invocations"], strict=True))
        if model.stem in ("conv", "dw"):   # no per-channel QuantizeMultiplier at init
            assert with_prep.instructions["init"] < without.instructions["init"]
        if model.stem not in ("float_conv", "float_dw"):   # prep adds opt's patch scratch
            assert with_prep.sizes["arena_used"] < without.sizes["arena_used"], model
        grown = with_prep.sizes["flash"] - without.sizes["flash"]
        # the table replaces the runtime's empty 24-byte default; the image with it
        # also has the shared prepares' hooks (-DTFM_OFFLINE_PREP=1) and, for
        # conv-only models, the lookup code: under 1 KiB together
        slack = 1024
        if model.stem in ("float_conv", "float_dw"):   # float conv paths: only with records
            assert with_prep.instructions["invocations"][0] < \
                0.6 * without.instructions["invocations"][0]
        assert prep["flash_bytes"] - 24 <= grown <= prep["flash_bytes"] + slack, (grown, prep)


@pytest.mark.slow
def test_stale_table_refused(registry: Registry, cache_dir: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = offline_prep.make_table

    def other_model(data: bytes, **kw: bool) -> offline_prep.Table:
        t = real(data, **kw)
        return offline_prep.Table(t.model_size, t.model_hash ^ 0x1, t.records)

    monkeypatch.setattr(offline_prep, "make_table", other_model)
    rec = _run(registry, cache_dir, _models(tmp_path)[1], "riscv32-virt")
    assert rec.status in (Status.FAIL, Status.ERROR), (rec.status, rec.reason)
    text = " ".join([rec.reason or "", *rec.errors, rec.transcript or ""])
    assert "offline prep table" in text and "rebuild the firmware" in text, text[-600:]


@pytest.mark.slow
@pytest.mark.parametrize("board", ("riscv32-virt", "mps2-an385"))
def test_table_for_retrained_weights_refused(board: str, registry: Registry,
                                             cache_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo kws model (over HASH_FULL words: the sampled hash) with a table made for
    the same model with its largest weight buffer retrained (same size, same structure):
    the firmware's hash of the bytes it runs differs, and init refuses the table naming
    both sizes and hashes. The untouched model's table is accepted."""
    data = demo_models.build("kws")
    assert len(data) > 4 * offline_prep.HASH_FULL
    model = tflite.Model.GetRootAsModel(data, 0)
    weights = max((model.Buffers(i).DataAsNumpy() for i in range(model.BuffersLength())
                   if model.Buffers(i).DataLength() > 0), key=len).tobytes()
    at = data.find(weights)
    assert at > 0 and data.find(weights, at + 1) < 0
    retrained = data[:at] + bytes(b ^ 0x24 for b in weights) + data[at + len(weights):]
    assert len(retrained) == len(data)
    path = tmp_path / "kws.tflite"
    path.write_bytes(data)
    _exact(_run(registry, cache_dir, path, board))          # its own table: accepted
    real = offline_prep.make_table

    def for_retrained(model_bytes: bytes, **kw: bool) -> offline_prep.Table:
        t = real(model_bytes, **kw)
        return offline_prep.Table(len(retrained), offline_prep.model_hash(retrained),
                                  t.records)

    monkeypatch.setattr(offline_prep, "make_table", for_retrained)
    rec = _run(registry, cache_dir, path, board)
    assert rec.status in (Status.FAIL, Status.ERROR), (rec.status, rec.reason)
    text = " ".join([rec.reason or "", *rec.errors, rec.transcript or ""])
    want = f"hash {offline_prep.model_hash(retrained):x}; this model has {len(data)} B, " \
           f"hash {offline_prep.model_hash(data):x}: rebuild the firmware"
    assert want in text, text[-600:]


@pytest.mark.slow
def test_reference_image_unchanged(registry: Registry, cache_dir: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    model = _models(tmp_path)[1]
    keys = []
    for flag in ("1", "0"):
        monkeypatch.setenv("TFM_CI_OFFLINE_PREP", flag)
        rec = _run(registry, cache_dir, model, "riscv32-virt", kset="reference")
        _exact(rec)
        assert "offline_prep" not in rec.build
        keys.append(rec.build["key"])
    assert keys[0] == keys[1]


@pytest.mark.slow
def test_malformed_record_refused(registry: Registry, cache_dir: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A record whose size does not fit the node fails prepare naming the record."""
    real = offline_prep.make_table

    def truncated(data: bytes, **kw: bool) -> offline_prep.Table:
        t = real(data, **kw)
        recs = tuple(offline_prep.Record(r.subgraph, r.op, r.kind, r.words[:-1])
                     if r.kind == offline_prep.KIND_FC_S8 else r for r in t.records)
        return offline_prep.Table(t.model_size, t.model_hash, recs)

    monkeypatch.setattr(offline_prep, "make_table", truncated)
    rec = _run(registry, cache_dir, _models(tmp_path)[1], "riscv32-virt")
    assert rec.status in (Status.FAIL, Status.ERROR), (rec.status, rec.reason)
    text = " ".join([rec.reason or "", *rec.errors, rec.transcript or ""])
    assert "offline FC record" in text and "malformed" in text, text[-600:]


@pytest.mark.slow
def test_weight_copies_left_out_over_the_flash_budget(registry: Registry, cache_dir: Path,
                                                      tmp_path: Path) -> None:
    """The MLPerf FC autoencoder (270 KB of FC weights) with W4_S8 copies would exceed
    riscv32-virt's 512 KiB flash budget: the build drops the copies, keeps the small
    per-channel records, and the job passes within budget."""
    model = tmp_path / "anomaly_ae.tflite"
    model.write_bytes(demo_models.build("anomaly_ae"))
    rec = _run(registry, cache_dir, model, "riscv32-virt")
    _exact(rec)
    prep = rec.build["offline_prep"]
    assert "dropped" in prep and prep["speed_records"] == 0 and prep["records"] > 0, prep
    assert rec.sizes["flash"] <= registry.board("riscv32-virt").flash_budget
    assert len(offline_prep.make_table(model.read_bytes()).records) > prep["records"]
