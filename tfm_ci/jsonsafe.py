"""JSON that every parser reads: no NaN/Infinity tokens (Python's json writes them)."""

from __future__ import annotations

import json
import math
from typing import Any

#: Non-finite floats are written as these strings (JavaScript's names for them).
NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def json_safe(value: Any) -> Any:
    """`value` with every non-finite float replaced by its name ("NaN", "Infinity", ...)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else NON_FINITE[repr(value)]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def dumps(value: Any, **kw: Any) -> str:
    """json.dumps of json_safe(value); raises ValueError rather than write a NaN token."""
    return json.dumps(json_safe(value), allow_nan=False, **kw)
