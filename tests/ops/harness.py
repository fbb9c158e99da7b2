"""Run models on our host runner and compare with TensorFlow Lite.

    from tests.ops.harness import check_model
    check_model(model_bytes)              # random inputs, seed 0, bit-exact for integers

The host runner (`make -C firmware host` -> build/firmware/host/tfm-runner) is built once
per test process. TFM_HOST_RUNNER=asan builds and uses the ASan/UBSan flavour instead
(`make -C firmware host-asan`); any other value is the path of a runner binary to use.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tfm_ci.oracle import input_specs, op_names, random_inputs, run_reference
from tfm_ci.transcript import Transcript, parse

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "build" / "firmware" / "host" / "tfm-runner"
ASAN_RUNNER = REPO / "build" / "firmware" / "host-asan" / "tfm-runner"
RUN_TIMEOUT_S = 120
MAX_MISMATCHES_SHOWN = 8


class HarnessError(AssertionError):
    """The runner could not be built or run, or our outputs differ from TFLite's."""


def host_runner() -> Path:
    """Path of the host runner (see the module doc), built on first use in this process."""
    override = os.environ.get("TFM_HOST_RUNNER", "")
    if override == "asan":
        return build_runner("host-asan")
    if override:
        path = Path(override)
        if not path.is_file():
            raise HarnessError(f"TFM_HOST_RUNNER={override} does not exist")
        return path
    return build_runner("host")


@functools.cache
def build_runner(target: str = "host") -> Path:
    """`make -C firmware <target>` (host or host-asan), once per process; the binary path."""
    runner = ASAN_RUNNER if target == "host-asan" else RUNNER
    lock_path = REPO / "build" / ".host-runner.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # Several test processes may share the tree: serialise the make runs.
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(
            ["nice", "make", "-s", "-C", str(REPO / "firmware"), target],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0 or not runner.is_file():
            raise HarnessError(
                f"`make -C firmware {target}` failed (exit {proc.returncode}):\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        # Others rebuild the shared tree while we run: use a private copy of this build.
        private = Path(tempfile.mkdtemp(prefix="tfm-runner-")) / runner.name
        shutil.copy2(runner, private)
    atexit.register(shutil.rmtree, private.parent, True)
    return private


@dataclass
class RunResult:
    """One host-runner process: its parsed transcript, exit status and stderr."""

    transcript: Transcript
    returncode: int
    stdout: str
    stderr: str


def inputs_blob(model: bytes, inputs_per_invocation: Sequence[Sequence[np.ndarray]]) -> bytes:
    """For each invocation, every input's raw little-endian bytes, in input order."""
    specs = input_specs(model)
    chunks = []
    for k, arrays in enumerate(inputs_per_invocation):
        if len(arrays) != len(specs):
            raise HarnessError(f"invocation {k}: {len(arrays)} inputs, model has {len(specs)}")
        for spec, array in zip(specs, arrays, strict=True):
            a = np.ascontiguousarray(np.asarray(array).astype(spec.dtype))
            if a.nbytes != spec.nbytes:
                raise HarnessError(
                    f"input {spec.name!r}: shape {a.shape} does not fit {spec.shape}")
            chunks.append(a.tobytes())
    return b"".join(chunks)


def run_ours_raw(
    model: bytes,
    inputs_per_invocation: Sequence[Sequence[np.ndarray]],
    arena: int | None = None,
    runner: Path | None = None,
) -> RunResult:
    """Run the host runner on `model`; inputs_per_invocation[k][i] is input i of invoke k."""
    runner = runner or host_runner()
    blob = inputs_blob(model, inputs_per_invocation)
    with tempfile.TemporaryDirectory(prefix="tfm-ops-") as tmp:
        model_path = Path(tmp, "model.tflite")
        inputs_path = Path(tmp, "inputs.bin")
        model_path.write_bytes(model)
        inputs_path.write_bytes(blob)
        cmd = [str(runner), "--invocations", str(len(inputs_per_invocation))]
        if arena is not None:
            cmd += ["--arena", str(arena)]
        cmd += [str(model_path), str(inputs_path)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                                  timeout=RUN_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise HarnessError(f"host runner timed out after {RUN_TIMEOUT_S} s: {cmd}") from exc
    return RunResult(parse(proc.stdout), proc.returncode, proc.stdout, proc.stderr)


def run_ours(
    model: bytes,
    inputs_per_invocation: Sequence[Sequence[np.ndarray]],
    arena: int | None = None,
) -> Transcript:
    """Run the host runner; returns its parsed transcript (passed or not)."""
    return run_ours_raw(model, inputs_per_invocation, arena).transcript


def _per_invocation(
    model: bytes, inputs: Sequence[np.ndarray] | None, seed: int, invocations: int
) -> list[list[np.ndarray]]:
    if inputs is None:
        rng = np.random.default_rng(seed)
        return [random_inputs(model, rng) for _ in range(invocations)]
    if invocations == 1:
        return [[np.asarray(a) for a in inputs]]
    for a in inputs:
        if np.shape(a)[:1] != (invocations,):
            raise HarnessError(f"with invocations={invocations} every input needs a leading "
                               f"axis of that length, got shape {np.shape(a)}")
    return [[np.asarray(a)[k] for a in inputs] for k in range(invocations)]


def _describe_failure(run: RunResult) -> str:
    t = run.transcript
    lines = [f"our runner did not pass (exit {run.returncode}, end={t.end})"]
    lines += [f"  ERROR {status} {message}" for status, message in t.errors]
    if t.fault:
        lines.append(f"  FAULT {t.fault}")
    if run.stderr.strip():
        lines.append("  stderr: " + run.stderr.strip()[-2000:])
    if not t.begun:
        lines.append("  stdout: " + run.stdout.strip()[-1000:])
    return "\n".join(lines)


def compare_output(ours: np.ndarray, theirs: np.ndarray, float_tol: float) -> str | None:
    """None if equal (integers exactly; floats |a-b| <= tol*max(1,|b|)), else a report."""
    if ours.dtype != theirs.dtype or ours.shape != theirs.shape:
        return (f"ours is {ours.dtype}{list(ours.shape)}, "
                f"TFLite's is {theirs.dtype}{list(theirs.shape)}")
    if theirs.dtype.kind == "f":
        a, b = ours.astype(np.float64), theirs.astype(np.float64)
        with np.errstate(invalid="ignore"):
            # a non-finite reference must be met exactly (inf <= tol * inf passes anything)
            within = np.abs(a - b) <= float_tol * np.maximum(1.0, np.abs(b))
            close = np.where(np.isfinite(b), within, False)
        bad = ~(close | (np.isnan(a) & np.isnan(b)) | (a == b))
    else:
        bad = ours != theirs
    if not bad.any():
        return None
    where = np.argwhere(bad) if bad.ndim else np.zeros((1, 0), dtype=int)
    shown = [f"    {list(map(int, idx))}: ours={ours[tuple(idx)]!r} tflite={theirs[tuple(idx)]!r}"
             for idx in where[:MAX_MISMATCHES_SHOWN]]
    with np.errstate(invalid="ignore"):
        diff = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    return "\n".join([f"{int(bad.sum())} of {bad.size} elements differ "
                      f"(max |diff| {float(np.nanmax(diff)):g}); first:", *shown])


def check_model(
    model: bytes,
    inputs: Sequence[np.ndarray] | None = None,
    *,
    seed: int = 0,
    invocations: int = 1,
    float_tol: float = 1e-5,
    resolver: str = "ref",
    arena: int | None = None,
    runner: Path | None = None,
) -> Transcript:
    """Assert our runner passes `model` and every output equals TFLite's.

    `inputs` (one array per model input, with a leading invocation axis when
    invocations > 1) default to seeded random inputs. Integer outputs must match exactly,
    float outputs within `float_tol` (relative above 1, absolute below).
    :returns: our transcript (costs, arena, ...), for further checks.
    """
    per_inv = _per_invocation(model, inputs, seed, invocations)
    stacked = ([np.stack(arrays) for arrays in zip(*per_inv, strict=True)]
               if invocations > 1 else per_inv[0])
    expected = run_reference(model, stacked, resolver=resolver, invocations=invocations)
    run = run_ours_raw(model, per_inv, arena, runner)
    context = f"model ops: {', '.join(op_names(model))}"
    if not run.transcript.passed:
        raise HarnessError(f"{context}\n{_describe_failure(run)}")
    problems = []
    for k in range(invocations):
        ours = run.transcript.outputs_of(k)
        if len(ours) != len(expected[k]):
            problems.append(f"invocation {k}: {len(ours)} outputs, TFLite has {len(expected[k])}")
            continue
        for i, (a, b) in enumerate(zip(ours, expected[k], strict=True)):
            report = compare_output(a, b, float_tol)
            if report:
                problems.append(f"invocation {k} output {i}: {report}")
    if problems:
        raise HarnessError("\n".join([context, *problems]))
    return run.transcript
