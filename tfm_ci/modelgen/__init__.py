"""Our own .tflite writer (schema object API from the tflite-micro package).

`ModelBuilder` writes models; `quant` has TFLite-style quantization helpers.
"""

from tfm_ci.modelgen.builder import DTYPES, ModelBuilder, SubgraphBuilder
from tfm_ci.modelgen.options import ModelGenError, builtin_code, builtin_name, options_name

__all__ = [
    "DTYPES",
    "ModelBuilder",
    "ModelGenError",
    "SubgraphBuilder",
    "builtin_code",
    "builtin_name",
    "options_name",
]
