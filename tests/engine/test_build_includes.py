"""An override that #includes a reference .c file is rebuilt when that file changes."""

from __future__ import annotations

from pathlib import Path

from tfm_ci.build import included_sources

REPO = Path(__file__).resolve().parents[2]


def test_included_sources_are_followed_recursively(tmp_path: Path) -> None:
    (tmp_path / "ref").mkdir()
    (tmp_path / "vendor.c").write_text('#include "tfm/kernel.h"\n#include "ref/conv.c"\n')
    (tmp_path / "ref" / "conv.c").write_text('  #  include "common.c"\nint conv;\n')
    (tmp_path / "ref" / "common.c").write_text('#include "conv.c"\n')  # a cycle ends
    found = included_sources(tmp_path / "vendor.c", [tmp_path])
    assert found == [(tmp_path / "ref" / "conv.c").resolve(),
                     (tmp_path / "ref" / "common.c").resolve()]


def test_arm_dsp_conv_override_depends_on_the_reference_file() -> None:
    override = REPO / "tfm_ci/plugins/arm/kernels/conv_2d.c"
    search = [REPO / "firmware/kernels", REPO / "firmware/include"]
    assert (REPO / "firmware/kernels/reference/conv_2d.c").resolve() in included_sources(
        override, search)
