"""Every op follows the kernel layout of docs/firmware.md: a registration-only reference
file and a header under kernels/common declaring the op's prepare and reference eval."""

from __future__ import annotations

import re
from pathlib import Path

from tfm_ci.opcodes import read_ops_def

KERNELS = Path(__file__).resolve().parents[2] / "firmware" / "kernels"
# Registered straight from the shape family (common/shape_common.h): no op header.
SHAPE_FAMILY = {"reshape", "squeeze", "expand_dims"}
FUNCTION = re.compile(r"^[a-z][\w \*]*\b(\w+)\([^;]*\)\s*\{", re.MULTILINE)


def test_reference_files_only_register() -> None:
    for op in read_ops_def().values():
        text = (KERNELS / "reference" / op.source_name).read_text()
        assert FUNCTION.findall(text) == [f"tfm_register_{op.suffix}"], op.source_name
        assert f"TFM_BUILTIN_KERNEL({op.name}," in text, op.source_name
        if op.suffix not in SHAPE_FAMILY:
            assert f'#include "common/{op.suffix}.h"' in text, op.source_name
            assert f"tfm_{op.suffix}_prepare" in text and \
                f"tfm_{op.suffix}_eval_reference" in text, op.source_name


def test_op_headers_declare_prepare_and_reference_eval() -> None:
    for op in read_ops_def().values():
        if op.suffix in SHAPE_FAMILY:
            continue
        header = (KERNELS / "common" / f"{op.suffix}.h").read_text()
        assert f"TFM_KERNELS_{op.name}_H" in header
        assert header.startswith("/*"), f"{op.suffix}.h has no leading doc comment"
        # the header or a family header it includes declares them
        included = re.findall(r'^#include "(common/\w+\.h)"', header, re.MULTILINE)
        text = header + "".join((KERNELS / inc).read_text() for inc in included)
        for name in (f"tfm_{op.suffix}_prepare", f"tfm_{op.suffix}_eval_reference"):
            declared = re.search(rf"tfm_status {name}\(tfm_context \*ctx, tfm_node \*node\);",
                                 text) or re.search(rf"#define {name} \w+", text)
            assert declared, f"{op.suffix}.h: {name}"
