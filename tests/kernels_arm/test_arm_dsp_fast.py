"""The arm-dsp fast paths: dsp_rqf.h's rescale against TFLite's (host, bit for bit), and
generated models aimed at the 4-pixel GEMM (dsp_mat4 / dsp_quad_s8), the 3x3 depthwise
interior path, the scratch-free one-input-channel depthwise and their fallbacks for
channels off the fast rescale (right shifts of 0, 1 or more than 23), on QEMU."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tfm_ci.boards import repo_root
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

from .cases import ACTIVATIONS, Batch, _pick
from .conftest import DSP_BOARDS

RQF_PROGRAM = r"""
#include <stdio.h>
#include "dsp_rqf.h"
#include "internal/quant.h"

static uint64_t state = 0x2545F4914F6CDD1Dull;
static uint32_t next(void) { /* xorshift64 */
  state ^= state << 13; state ^= state >> 7; state ^= state << 17;
  return (uint32_t)(state >> 32);
}

int main(void) {
  static const int32_t edges[] = {0, 1, -1, 2, -2, 127, -128, INT32_MAX, INT32_MIN,
                                  INT32_MAX - 1, INT32_MIN + 1, 1 << 30, -(1 << 30)};
  const int n_edges = (int)(sizeof edges / sizeof edges[0]);
  long bad = 0, checked = 0, fast = 0;
  for (long i = 0; i < 4000000; ++i) {
    int32_t x = i < n_edges ? edges[i] : (int32_t)next();
    if (i >= n_edges && (i & 1)) x >>= (next() % 31);
    int32_t m = (int32_t)(0x40000000u | (next() & 0x3FFFFFFFu));
    if ((i & 15) == 0) m = 0;
    if ((i & 15) == 1) m = INT32_MAX;
    if ((i & 15) == 2) m = 0x40000000;
    const int shift = (int)(next() % 40) - 33; /* [-33, 6]: outside the fast range too */
    const int32_t off = (int32_t)(next() % 256) - 128;
    if (!dsp_rqf_ok(m, shift)) continue;
    ++fast;
    const int32_t want =
        (int32_t)((uint32_t)tfm_multiply_by_quantized_multiplier(x, m, shift) + (uint32_t)off);
    const int32_t got = dsp_rqf_apply(x, m, dsp_rqf_sh(shift), dsp_rqf_khi(shift, off));
    ++checked;
    if (got != want && bad++ < 10) {
      printf("x=%ld m=%ld shift=%d off=%ld: want %ld got %ld\n", (long)x, (long)m, shift,
             (long)off, (long)want, (long)got);
    }
  }
  /* a zero multiplier: 0 for every x and shift in TFLite, the output offset here
   * through dsp_rqf_shift's stand-in shift */
  long zero_checked = 0;
  for (long i = 0; i < 300000; ++i) {
    const int32_t x = i < n_edges ? edges[i] : (int32_t)next();
    const int shift = -(int)(next() % 32); /* [-31, 0]: QuantizeMultiplier's range */
    const int32_t off = (int32_t)(next() % 256) - 128;
    const int s = dsp_rqf_shift(0, shift);
    const int32_t want =
        (int32_t)((uint32_t)tfm_multiply_by_quantized_multiplier(x, 0, shift) + (uint32_t)off);
    const int32_t got = dsp_rqf_apply(x, 0, dsp_rqf_sh(s), dsp_rqf_khi(s, off));
    ++zero_checked;
    if ((got != want || !dsp_rqf_ok(0, s)) && bad++ < 10) {
      printf("m=0 x=%ld shift=%d off=%ld: want %ld got %ld\n", (long)x, shift, (long)off,
             (long)want, (long)got);
    }
  }
  if (zero_checked != 300000 || dsp_rqf_shift(5, -7) != -7) bad++;
  /* the range itself: shifts -23..-2 with m >= 0 only */
  if (dsp_rqf_ok(1 << 30, -1) || dsp_rqf_ok(1 << 30, -24) || !dsp_rqf_ok(1 << 30, -2) ||
      !dsp_rqf_ok(1 << 30, -23) || dsp_rqf_ok(-1, -5)) {
    printf("range wrong\n");
    bad++;
  }
  printf("checked %ld fast %ld bad %ld\n", checked, fast, bad);
  return bad != 0;
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="host gcc not installed")
def test_fast_rescale_matches_tflite(tmp_path: Path) -> None:
    root = repo_root()
    src = tmp_path / "rqf_test.c"
    src.write_text(RQF_PROGRAM)
    exe = tmp_path / "rqf_test"
    cmd = ["gcc", "-std=c99", "-O1", "-Wall", "-Wextra", "-Werror",
           "-fsanitize=undefined", "-fno-sanitize-recover=undefined",
           f"-I{root / 'tfm_ci/plugins/arm/kernels'}", f"-I{root / 'firmware/include'}",
           f"-I{root / 'firmware/kernels'}", str(src),
           str(root / "firmware/kernels/internal/quant.c"), "-lm", "-o", str(exe)]
    build = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    checked = int(run.stdout.split("checked ")[1].split()[0])
    assert checked > 1_000_000 and "bad 0" in run.stdout, run.stdout


ADD_PROGRAM = r"""
#include <stdio.h>
#include "dsp_add.h"
#include "internal/quant.h"

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t next(void) {
  state ^= state << 13; state ^= state >> 7; state ^= state << 17;
  return (uint32_t)(state >> 32);
}

int main(void) {
  long bad = 0, checked = 0;
  for (int k = 0; k < 600; ++k) {
    int32_t m = (int32_t)(0x40000000u | (next() & 0x3FFFFFFFu));
    if (k == 0) m = 0;
    if (k == 1) m = INT32_MAX;
    if (k == 2) m = 0x40000000;
    for (int shift = -30; shift <= 0; ++shift) {
      dsp_add_in q;
      if (!dsp_add_in_make(0, m, shift, &q)) { printf("refused %d\n", shift); return 1; }
      for (int32_t v = -255; v <= 255; ++v) { /* every x + offset of int8 operands */
        const int32_t want = tfm_multiply_by_quantized_multiplier(v * (1 << 20), m, shift);
        const int32_t got = dsp_add_scale(&q, v);
        ++checked;
        if (got != want && bad++ < 10) {
          printf("v=%ld m=%ld shift=%d: want %ld got %ld\n", (long)v, (long)m, shift,
                 (long)want, (long)got);
        }
      }
    }
  }
  dsp_add_in q;
  if (dsp_add_in_make(0, 1 << 30, 1, &q) || dsp_add_in_make(0, 1 << 30, -31, &q)) {
    printf("range wrong\n");
    bad++;
  }
  printf("checked %ld bad %ld\n", checked, bad);
  return bad != 0;
}
"""


def _host_run(tmp_path: Path, name: str, program: str) -> str:
    root = repo_root()
    src = tmp_path / f"{name}.c"
    src.write_text(program)
    exe = tmp_path / name
    cmd = ["gcc", "-std=c99", "-O1", "-Wall", "-Wextra", "-Werror",
           "-fsanitize=undefined", "-fno-sanitize-recover=undefined",
           f"-I{root / 'tfm_ci/plugins/arm/kernels'}", f"-I{root / 'firmware/include'}",
           f"-I{root / 'firmware/kernels'}", str(src),
           str(root / "firmware/kernels/internal/quant.c"), "-lm", "-o", str(exe)]
    build = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


@pytest.mark.skipif(shutil.which("gcc") is None, reason="host gcc not installed")
def test_add_input_rescale_matches_tflite(tmp_path: Path) -> None:
    """dsp_add.h == TFLite's input rescale of ADD for every int8 operand value, 600
    multipliers (0, 2^30, INT32_MAX among them) and every shift it takes (-30..0)."""
    out = _host_run(tmp_path, "add_test", ADD_PROGRAM)
    assert "checked 9504600 bad 0" in out, out


class ExtremeBatch(Batch):
    """Batch whose per-channel filter scales are sometimes stretched so that a few
    channels land off the fast rescale (right shift 0 or 1, or more than 23)."""

    def __init__(self, seed: int, extreme: bool) -> None:
        super().__init__(seed)
        self.extreme = extreme

    def _filter(self, name: str, shape: list[int], dtype: str, axis: int,
                per_channel: bool) -> tuple[int, np.ndarray]:
        if not (self.extreme and per_channel and dtype == "int8"):
            return super()._filter(name, shape, dtype, axis, per_channel)
        channels = shape[axis]
        w = self.rng.integers(-128, 128, size=shape)
        scales = self.rng.uniform(0.002, 0.02, size=channels)
        stretch = self.rng.choice([1.0, 1.0, 1.0, 60.0, 250.0, 2e-6], size=channels)
        scales = scales * stretch
        t = self.b.tensor(name, shape, "int8", data=w.astype(np.int8),
                          scale=[float(s) for s in scales], zero_point=[0] * channels,
                          quantized_dimension=axis)
        return t, scales / stretch  # the output scale follows the unstretched channels


def fast_batch(seed: int, count: int) -> Batch:
    """1x1 convs (pixel counts not multiples of 4, every k % 4), general convs, 3x3
    depthwise (interior and border pixels, strides 1 and 2, channels with a tail of 4),
    one-input-channel depthwise with large filters (micro_speech-like) and multipliers;
    every other op with some channels off the fast rescale."""
    bt = ExtremeBatch(seed, extreme=False)
    rng = bt.rng
    for i in range(count):
        bt.extreme = i % 2 == 1
        kind = i % 4
        act = ACTIVATIONS[(i // 2) % 2]  # NONE, RELU: the fast paths' full int8 range mostly
        if kind == 0:
            cin = int(_pick(rng, (4, 5, 6, 7, 8, 12, 16, 19)))
            cout = int(_pick(rng, (1, 3, 4, 7, 16)))
            bt.add_conv("int8", 1, int(rng.integers(1, 8)), int(rng.integers(1, 8)), cin, cout,
                        (1, 1), (1, 1), (1, 1), "VALID", act, per_channel=True)
        elif kind == 1:
            ch = int(_pick(rng, (4, 5, 8, 12, 13, 16)))
            s = int(rng.integers(1, 3))
            bt.add_dw("int8", 1, int(rng.integers(3, 10)), int(rng.integers(3, 10)), ch, 1,
                      (3, 3), (s, s), (1, 1), "SAME" if rng.random() < 0.7 else "VALID", act,
                      per_channel=True, bias=i % 8 != 5)
        elif kind == 2:
            kh, kw = int(rng.integers(1, 11)), int(rng.integers(1, 9))
            dil = ((2, 1), (1, 2), (1, 1))[i % 3]
            bt.add_dw("int8", int(rng.integers(1, 3)), int(rng.integers((kh - 1) * dil[0] + 1,
                                                                        (kh - 1) * dil[0] + 5)),
                      int(rng.integers((kw - 1) * dil[1] + 1, (kw - 1) * dil[1] + 5)), 1,
                      int(_pick(rng, (1, 3, 8, 9, 16))),
                      (kh, kw), (int(rng.integers(1, 3)), int(rng.integers(1, 3))), dil,
                      "SAME" if rng.random() < 0.5 else "VALID", act, per_channel=True)
        else:
            kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            bt.add_conv("int8", 1, int(rng.integers(kh, 9)), int(rng.integers(kw, 9)),
                        int(_pick(rng, (1, 3, 4, 8))), int(_pick(rng, (2, 5, 8))), (kh, kw),
                        (int(rng.integers(1, 3)), int(rng.integers(1, 3))), (1, 1),
                        "SAME" if rng.random() < 0.5 else "VALID", act, per_channel=True)
    return bt


@pytest.mark.slow
@pytest.mark.parametrize("board", DSP_BOARDS)
def test_fast_paths_bit_exact(board: str, registry: Registry, cache_dir: Path,
                              tmp_path: Path) -> None:
    for seed in (51, 52, 53):
        model = tmp_path / f"fast_{seed}.tflite"
        model.write_bytes(fast_batch(seed, 32).build())
        rec = run_job(JobSpec(model=str(model), board=board, kernel_set="arm-dsp",
                              invocations=2, seed=seed, cache_dir=str(cache_dir), timeout=120),
                      registry)
        detail = (rec.reason, rec.comparison.get("mismatching"), (rec.transcript or "")[-600:])
        assert rec.status is Status.PASS, detail
        assert rec.comparison["match"] is True and len(rec.outputs) == 2 * 32, detail
