"""Parse the firmware's line protocol (docs/protocol.md) into a record."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

# Schema type names the firmware prints -> numpy dtypes.
DTYPES: dict[str, np.dtype] = {
    "FLOAT32": np.dtype("<f4"),
    "INT32": np.dtype("<i4"),
    "UINT8": np.dtype("u1"),
    "INT64": np.dtype("<i8"),
    "BOOL": np.dtype("?"),
    "INT16": np.dtype("<i2"),
    "INT8": np.dtype("i1"),
    "FLOAT64": np.dtype("<f8"),
    "UINT32": np.dtype("<u4"),
    "UINT16": np.dtype("<u2"),
}


class TranscriptError(ValueError):
    """A protocol line that cannot be parsed."""


@dataclass
class OpCost:
    invocation: int
    subgraph: int
    op_index: int
    op_name: str
    cost: int


@dataclass
class Transcript:
    """Everything the firmware reported for one job."""

    begun: bool = False
    end: str | None = None                      # "PASS", "FAIL" or None (no end marker)
    model: dict[str, int] = field(default_factory=dict)
    arena: dict[str, int] = field(default_factory=dict)
    init_cost: int | None = None
    ops: list[OpCost] = field(default_factory=list)
    invoke_costs: dict[int, int] = field(default_factory=dict)
    outputs: dict[int, dict[int, np.ndarray]] = field(default_factory=dict)
    stack: dict[str, int] = field(default_factory=dict)
    cost_unit: str | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)   # (status, message)
    fault: dict[str, str] | None = None
    other_lines: list[str] = field(default_factory=list)
    truncated: str | None = None                # a last line cut off without its newline

    @property
    def passed(self) -> bool:
        return self.begun and self.end == "PASS" and not self.errors and self.fault is None

    def outputs_of(self, invocation: int) -> list[np.ndarray]:
        by_index = self.outputs.get(invocation, {})
        return [by_index[i] for i in sorted(by_index)]


_KV = re.compile(r"(\w+)=(\S+)")


def _kv(rest: str) -> dict[str, str]:
    return dict(_KV.findall(rest))


def _ints(rest: str) -> dict[str, int]:
    return {k: int(v, 0) for k, v in _kv(rest).items()}


def _cost(fields: list[str], rest: str) -> int:
    """``_ints(rest)["cost"]``. The usual line (INIT, OP, INVOKE: one ``=``, in a last
    field ``cost=N``) is read without the regex: there the regex finds just that pair."""
    if fields:
        last = fields[-1]
        if len(last) > 5 and last.startswith("cost=") and rest.count("=") == 1:
            return int(last[5:], 0)
    return _ints(rest)["cost"]


def parse_output(fields: list[str]) -> tuple[int, int, np.ndarray]:
    """`<inv> <idx> <TYPE> <shape> <hex>` -> (invocation, index, array)."""
    if len(fields) not in (4, 5):
        raise TranscriptError(f"OUTPUT needs 5 fields, got {len(fields)}")
    invocation, index, type_name, shape_text = fields[:4]
    hex_data = fields[4] if len(fields) == 5 else ""
    if type_name not in DTYPES:
        raise TranscriptError(f"OUTPUT type {type_name!r} unknown")
    shape = () if shape_text == "scalar" else tuple(int(d) for d in shape_text.split("x"))
    raw = bytes.fromhex(hex_data)
    dtype = DTYPES[type_name]
    expected = math.prod(shape) * dtype.itemsize
    if len(raw) != expected:
        raise TranscriptError(
            f"OUTPUT {index} of invocation {invocation}: {len(raw)} bytes, shape {shape_text} "
            f"{type_name} needs {expected}"
        )
    if type_name == "BOOL" and raw.strip(b"\x00\x01"):
        # numpy would take any byte as a bool; a firmware BOOL is 0 or 1
        raise TranscriptError(f"OUTPUT {index} of invocation {invocation}: BOOL bytes must be "
                              "00 or 01")
    return int(invocation), int(index), np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def parse(text: str) -> Transcript:
    """Parse a console transcript. Lines not starting with ``TFM `` are kept aside.

    A last line without its newline is what a killed (timed out) process or a
    bounded capture leaves behind, e.g. ``TFM OP 0 1 0 ADD cost=``: it is kept in
    ``truncated``, never parsed. Raises only :class:`TranscriptError`.
    """
    t = Transcript()
    lines = text.split("\n")
    last = lines.pop()          # "" when the text ends with a newline
    if last.strip():
        t.truncated = last.rstrip("\r")
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if not line.startswith("TFM "):
            if line.strip():
                t.other_lines.append(line)
            continue
        kind, _, rest = line[4:].partition(" ")
        try:
            _parse_line(t, kind, rest)
        except TranscriptError as exc:
            raise TranscriptError(f"transcript line {number}: {exc}: {line[:120]!r}") from None
        except (ValueError, IndexError, KeyError, TypeError, OverflowError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise TranscriptError(f"transcript line {number}: {what}: {line[:120]!r}") from None
    return t


def _parse_line(t: Transcript, kind: str, rest: str) -> None:
    fields = rest.split()
    # BEGIN comes first and exactly one END comes last (docs/protocol.md); a port's fault
    # handler may print FAULT at any time.
    if kind != "FAULT":
        if t.end is not None:
            raise TranscriptError(f"{kind} line after END {t.end}")
        if not t.begun and kind != "BEGIN":
            raise TranscriptError(f"{kind} line before BEGIN")
        if t.begun and kind == "BEGIN":
            raise TranscriptError("second BEGIN line")
    if kind == "BEGIN":
        t.begun = True
    elif kind == "END":
        t.end = fields[0]
    elif kind == "MODEL":
        t.model = _ints(rest)
    elif kind == "ARENA":
        t.arena = _ints(rest)
    elif kind == "INIT":
        t.init_cost = _cost(fields, rest)
    elif kind == "OP":
        t.ops.append(OpCost(int(fields[0]), int(fields[1]), int(fields[2]), fields[3],
                            _cost(fields, rest)))
    elif kind == "INVOKE":
        t.invoke_costs[int(fields[0])] = _cost(fields, rest)
    elif kind == "OUTPUT":
        invocation, index, array = parse_output(fields)
        t.outputs.setdefault(invocation, {})[index] = array
    elif kind == "STACK":
        t.stack = _ints(rest)
    elif kind == "COST":
        t.cost_unit = _kv(rest).get("unit")
    elif kind == "ERROR":
        status, _, message = rest.partition(" ")
        t.errors.append((status, message))
    elif kind == "FAULT":
        t.fault = {"kind": fields[0], **_kv(rest)}
    else:
        t.other_lines.append("TFM " + kind + " " + rest)
