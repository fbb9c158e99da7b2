"""The custom-op table (firmware/kernels/custom_ops.def): the kernel layout of each row,
what the engine reads from it (coverage, the generated resolver) and the docs' op list."""

from __future__ import annotations

import re
from pathlib import Path

from tests.ops.detection_cases import build as build_case
from tests.ops.detection_cases import draw_case
from tfm_ci import opdocs
from tfm_ci.build import generate_ops_c, model_ops
from tfm_ci.custom_ops import core_custom_ops, read_other_custom_ops
from tfm_ci.inspect import coverage, read_model
from tfm_ci.platform import KernelSet

KERNELS = Path(__file__).resolve().parents[2] / "firmware" / "kernels"


def test_table_lists_detection_postprocess() -> None:
    rows = read_other_custom_ops()
    assert rows["TFLite_Detection_PostProcess"].suffix == "detection_postprocess"
    assert rows["TFLite_Detection_PostProcess"].max_version == 1


def test_rows_follow_the_kernel_layout() -> None:
    for op in read_other_custom_ops().values():
        header = (KERNELS / "common" / f"{op.suffix}.h").read_text()
        assert header.startswith("/*")
        for fn in (f"tfm_{op.suffix}_prepare", f"tfm_{op.suffix}_eval_reference"):
            assert re.search(rf"tfm_status {fn}\(tfm_context \*ctx, tfm_node \*node\);", header)
        assert (KERNELS / "common" / f"{op.suffix}_common.c").is_file()
        ref = (KERNELS / "reference" / f"{op.suffix}.c").read_text()
        assert f'#include "common/{op.suffix}.h"' in ref
        assert re.findall(r"^const tfm_kernel \*(\w+)\(void\)", ref, re.MULTILINE) == [
            op.register]
        assert f'{{"{op.name}", {op.max_version},' in ref    # kernel name and version


def test_engine_resolves_it_by_custom_name(tmp_path: Path) -> None:
    ops = core_custom_ops()
    dp = ops["TFLite_Detection_PostProcess"]
    assert dp.custom and dp.register == "tfm_register_detection_postprocess"
    assert dp.source == KERNELS / "reference" / "detection_postprocess.c"
    path = tmp_path / "m.tflite"
    path.write_bytes(build_case(draw_case(0))[0])
    info = read_model(path)
    kset = KernelSet("reference", "reference kernels")
    cov = coverage(info, kset)
    assert cov.complete and cov.supported == [("TFLite_Detection_PostProcess", 1)], cov
    builtin, added = model_ops(info, kset)
    assert builtin == [] and [op.name for op in added] == ["TFLite_Detection_PostProcess"]
    text = generate_ops_c(builtin, added)
    assert ('tfm_resolver_add_custom(resolver, "TFLite_Detection_PostProcess", '
            "tfm_register_detection_postprocess());") in text


def test_docs_list_the_custom_op() -> None:
    assert opdocs.main(["--check"]) == 0, "run `make docs`"
    text = opdocs.doc_path().read_text()
    assert ("| TFLite_Detection_PostProcess | 1 | `kernels/reference/detection_postprocess.c` |"
            in text)
