"""dsp_requant.h (branch-free rescale) == kernels/internal/quant.h, bit for bit (host gcc,
UBSan), over edge values and 6 million random (value, multiplier, shift) triples."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tfm_ci.boards import repo_root

PROGRAM = r"""
#include <stdio.h>
#include "dsp_requant.h"

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t next(void) { /* xorshift64 */
  state ^= state << 13; state ^= state >> 7; state ^= state << 17;
  return (uint32_t)(state >> 32);
}

int main(void) {
  static const int32_t edges[] = {0, 1, -1, 2, -2, 127, -128, 255, -256, 65535, -65536,
                                  INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1,
                                  1 << 30, -(1 << 30), (1 << 30) - 1, -(1 << 30) - 1};
  const int n_edges = (int)(sizeof edges / sizeof edges[0]);
  long bad = 0, checked = 0;
  for (int i = 0; i < 3000000; ++i) {
    int32_t x = i < n_edges * n_edges ? edges[i % n_edges] : (int32_t)next();
    if (i >= n_edges * n_edges && (i & 3) == 1) x >>= (next() % 31); /* small values too */
    /* what tfm_quantize_multiplier makes: 0 or [2^30, 2^31) */
    int32_t m = (int32_t)(0x40000000u | (next() & 0x3FFFFFFFu));
    if (i < n_edges * n_edges) {
      m = edges[i / n_edges] < 0 ? (int32_t)0x40000000 : INT32_MAX;
    } else if ((i & 7) == 0) {
      m = 0;
    }
    const int shift = (int)(next() % 33) - 31; /* [-31, 1] */
    const int shift2 = (int)(next() % 8);      /* small left shifts */
    for (int s = 0; s < 2; ++s) {
      const int sh = s ? shift2 : shift;
      const int32_t want = tfm_multiply_by_quantized_multiplier(x, m, sh);
      const int32_t got = dsp_rq_apply(dsp_rq_make(m, sh), x);
      ++checked;
      if (got != want && bad++ < 10) {
        printf("x=%ld m=%ld shift=%d: want %ld got %ld\n", (long)x, (long)m, sh, (long)want,
               (long)got);
      }
    }
  }
  printf("checked %ld bad %ld\n", checked, bad);
  return bad != 0;
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="host gcc not installed")
def test_requant_matches_reference(tmp_path: Path) -> None:
    root = repo_root()
    src = tmp_path / "requant_test.c"
    src.write_text(PROGRAM)
    exe = tmp_path / "requant_test"
    # UBSan: the branch-free forms must be free of undefined behaviour too
    cmd = ["gcc", "-std=c99", "-O1", "-Wall", "-Wextra", "-Werror",
           "-fsanitize=undefined", "-fno-sanitize-recover=undefined",
           f"-I{root / 'tfm_ci/plugins/arm/kernels'}", f"-I{root / 'firmware/include'}",
           f"-I{root / 'firmware/kernels'}", str(src),
           str(root / "firmware/kernels/internal/quant.c"), "-lm", "-o", str(exe)]
    build = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "bad 0" in run.stdout
