"""The inputs blob a job loads into the board: 16-byte header + raw input bytes.

Layout: magic "TFMI", uint32 invocations, uint32 data bytes, uint32 reserved
(little endian), then for each invocation every model input's raw
little-endian bytes in order.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

MAGIC = b"TFMI"
HEADER = struct.Struct("<4sIII")


class BlobError(ValueError):
    """Bytes that are not a valid inputs blob."""


def _raw(array: np.ndarray) -> bytes:
    arr = np.ascontiguousarray(array)
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return arr.tobytes()


def pack(invocations: Sequence[Sequence[np.ndarray]]) -> bytes:
    """Header + blob for a list of invocations, each a list of input arrays."""
    data = b"".join(_raw(a) for inputs in invocations for a in inputs)
    return HEADER.pack(MAGIC, len(invocations), len(data), 0) + data


def unpack(blob: bytes) -> tuple[int, bytes]:
    """(invocations, data) from header + blob; BlobError when malformed."""
    if len(blob) < HEADER.size:
        raise BlobError(f"inputs blob has {len(blob)} bytes, less than the 16-byte header")
    magic, invocations, size, _reserved = HEADER.unpack_from(blob)
    if magic != MAGIC:
        raise BlobError(f"inputs blob magic is {magic!r}, expected {MAGIC!r}")
    if len(blob) - HEADER.size != size:
        raise BlobError(f"inputs blob header says {size} data bytes, has "
                        f"{len(blob) - HEADER.size}")
    return invocations, blob[HEADER.size:]


def split(data: bytes, invocations: int,
          specs: Sequence[tuple[np.dtype, tuple[int, ...]]]) -> list[list[np.ndarray]]:
    """Inverse of :func:`pack`'s data part given each input's (dtype, shape)."""
    out: list[list[np.ndarray]] = []
    offset = 0
    for _ in range(invocations):
        arrays = []
        for dtype, shape in specs:
            dt = np.dtype(dtype).newbyteorder("<")
            count = int(np.prod(shape, dtype=np.int64))
            nbytes = count * dt.itemsize
            if offset + nbytes > len(data):
                raise BlobError(f"inputs blob too short: needs more than {len(data)} bytes")
            arrays.append(np.frombuffer(data, dt, count, offset).reshape(shape).copy())
            offset += nbytes
        out.append(arrays)
    if offset != len(data):
        raise BlobError(f"inputs blob has {len(data) - offset} bytes left over")
    return out
