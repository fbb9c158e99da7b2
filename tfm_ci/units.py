"""Parsing and printing of sizes ("64KiB") and counts ("2M")."""

from __future__ import annotations

import re

_SIZE_UNITS = {"": 1, "B": 1, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3,
               "KB": 1000, "MB": 1000**2, "GB": 1000**3, "K": 1024, "M": 1024**2}
_COUNT_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def parse_size(value: int | str) -> int:
    """Bytes from an int or a string like "512B", "64KiB", "1MiB", "4MB", "0x1000".

    Binary units (KiB/MiB, and bare K/M) are powers of 1024; KB/MB are powers of 1000.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a size: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"size must not be negative: {value}")
        return value
    if isinstance(value, str) and value.strip().lower().startswith("0x"):
        return int(value.strip(), 16)
    match = _NUMBER.match(str(value).replace("_", "").replace(",", ""))
    if not match or match.group(2).upper() not in _SIZE_UNITS:
        raise ValueError(f"not a size: {value!r} (use e.g. 512B, 64KiB, 1MiB)")
    number = float(match.group(1)) * _SIZE_UNITS[match.group(2).upper()]
    if number != int(number):
        raise ValueError(f"size {value!r} is not a whole number of bytes")
    return int(number)


def parse_count(value: int | str) -> int:
    """A count from an int or "2M", "500K", "1.5G" (powers of 1000)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _NUMBER.match(str(value).replace("_", "").replace(",", ""))
    if not match or match.group(2).upper() not in _COUNT_UNITS:
        raise ValueError(f"not a count: {value!r} (use e.g. 2M, 500K, 1200)")
    return round(float(match.group(1)) * _COUNT_UNITS[match.group(2).upper()])


def fmt_bytes(n: int | None) -> str:
    """`201,344 B` (or `-` for unknown)."""
    return "-" if n is None else f"{n:,} B"


def fmt_count(n: int | None) -> str:
    """`1,234,567` (or `-` for unknown)."""
    return "-" if n is None else f"{n:,}"
