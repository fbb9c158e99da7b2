"""TensorFlow Lite Micro as the oracle for models with TFLM-only ops (Signal library).

ai-edge-litert has no kernels for TFLM's ``Signal*`` custom ops; the ``tflite-micro``
package's interpreter (``tflite_micro.runtime``) runs them with TFLM's reference
kernels. Stateful ops (noise estimates, delay lines) keep their state between
invocations, as on the board.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tfm_ci.inspect import ModelError, read_model
from tfm_ci.oracle import OracleError, output_specs

ORACLE = "tflite-micro interpreter (TFLM reference kernels)"
#: Custom-op name prefixes only TFLM implements.
TFLM_ONLY_PREFIXES = ("Signal",)
DEFAULT_ARENA = 1 << 20


def tflm_only_ops(model: bytes) -> list[str]:
    """The model's custom ops that only TFLM implements (e.g. ``SignalRfft``)."""
    try:
        info = read_model(model)
    except ModelError:
        return []
    return [name for name in info.custom_ops if name.startswith(TFLM_ONLY_PREFIXES)]


def needs_tflm(model: bytes) -> bool:
    return bool(tflm_only_ops(model))


def run_tflm(model: bytes, invocations: Sequence[Sequence[np.ndarray]], *,
             arena_size: int = DEFAULT_ARENA) -> list[list[np.ndarray]]:
    """outputs[invocation][output index] of TFLM run over the invocations in order."""
    from tflite_micro import runtime

    n_out = len(output_specs(model))
    try:
        it = runtime.Interpreter.from_bytes(bytes(model), arena_size=arena_size)
    except (RuntimeError, ValueError) as exc:
        raise OracleError(f"TFLM cannot load the model: {exc}") from exc
    results: list[list[np.ndarray]] = []
    for k, inputs in enumerate(invocations):
        for i, array in enumerate(inputs):
            detail = it.get_input_details(i)
            value = np.asarray(array).astype(detail["dtype"]).reshape(detail["shape"])
            try:
                it.set_input(value, i)
            except (RuntimeError, ValueError, IndexError) as exc:
                raise OracleError(f"TFLM input {i}: {exc}") from exc
        try:
            it.invoke()
        except RuntimeError as exc:
            raise OracleError(f"TFLM invoke {k} failed: {exc}") from exc
        results.append([it.get_output(j).copy() for j in range(n_out)])
    return results
