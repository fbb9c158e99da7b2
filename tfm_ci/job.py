"""One job: (model, board, kernel set, inputs) -> build, size, simulate, parse, verify, budget.

:class:`JobSpec` and :class:`JobRecord` are plain data (``to_dict``/``from_dict``),
so a fleet executor (threads, processes, shards, Dask) can ship specs out and
records back without touching :func:`run_job`. Nothing measured is lost when a
later step fails: the record keeps every figure obtained so far.
"""

from __future__ import annotations

import copy
import hashlib
import math
import shutil
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tfm_ci import budgets, costs, cycles, inputs_blob, jsonsafe, paths, simrun, verdict
from tfm_ci.build import (
    BuildError,
    BuildResult,
    MemoryOverflowError,
    UnsupportedModelError,
    build,
    default_cache_dir,
)
from tfm_ci.elfsize import SectionSizes, section_sizes
from tfm_ci.inspect import ModelError, read_model
from tfm_ci.jobinputs import InputsError, load_inputs
from tfm_ci.modelcheck import check_model, read_model_file
from tfm_ci.oracle import OracleError
from tfm_ci.platform import Board, KernelSet, Platform
from tfm_ci.registry import NoSimulatorError, Registry, UnknownNameError
from tfm_ci.simulator import Simulator
from tfm_ci.transcript import Transcript, TranscriptError, parse
from tfm_ci.units import parse_size
from tfm_ci.verdict import Status
from tfm_ci.verify import compare_outputs
from tfm_ci.writable import NotWritableError, check_writable_dir

DEFAULT_FLOAT_TOLERANCE = 1e-5

__all__ = ["DEFAULT_FLOAT_TOLERANCE", "JobRecord", "JobSpec", "Prebuilt", "Sizes", "Status",
           "run_job"]


@dataclass
class Sizes:
    """Sizes from the ELF and the transcript (bytes); ``None`` = not measured (left out of
    the record's ``sizes`` dict, whose keys stay those of earlier versions)."""

    flash: int
    static_ram: int
    arena_size: int | None
    inputs_capacity: int
    stack_size: int
    arena_used: int | None = None
    arena_head: int | None = None
    arena_tail: int | None = None
    stack_used: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"flash": self.flash, "static_ram": self.static_ram,
                             "arena_size": self.arena_size,
                             "inputs_capacity": self.inputs_capacity,
                             "stack_size": self.stack_size}
        for k in ("arena_used", "arena_head", "arena_tail", "stack_used"):   # optional
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d


@dataclass
class JobSpec:
    """What to run. Plain data: paths, names, numbers (arrays only in `inputs`)."""

    model: str
    board: str
    kernel_set: str = "reference"
    inputs: list[Any] | None = None      # .npy paths or arrays, one per model input
    limits: list[str] = field(default_factory=list)     # "ram=128KiB", "instructions=2M"
    timeout: float = 120.0
    arena_size: int | str | None = None
    invocations: int = 1                 # for random inputs
    seed: int = 0
    simulator: str | None = None         # backend name; default: the board's first available
    float_tolerance: float = DEFAULT_FLOAT_TOLERANCE
    work_dir: str | None = None
    cache_dir: str | None = None
    name: str | None = None
    keep: bool = False                   # keep the work folder of a passing job too

    def to_dict(self) -> dict[str, Any]:
        """A deep copy as plain data (what ``dataclasses.asdict`` gives, faster)."""
        d = {name: _plain(getattr(self, name)) if name != "inputs" else None
             for name in _SPEC_FIELDS}
        if self.inputs is not None:
            d["inputs"] = [_array_dict(a) if isinstance(a, np.ndarray) else str(a)
                           for a in self.inputs]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JobSpec:
        d = dict(d)
        if d.get("inputs") is not None:
            d["inputs"] = [_array_from(a) if isinstance(a, dict) else a for a in d["inputs"]]
        return cls(**d)

    @property
    def label(self) -> str:
        return self.name or f"{Path(self.model).stem}@{self.board}"


#: Immutable leaf types, returned as they are (a set: one hash lookup per value).
_SCALARS = frozenset((str, int, float, bool, type(None)))
_SPEC_FIELDS = tuple(f.name for f in fields(JobSpec))


def _plain(value: Any) -> Any:
    """``dataclasses.asdict``'s deep copy of a field, with plain JSON-like data (the
    record's dicts, lists and scalars) copied directly: asdict deep-copies every leaf
    through ``copy.deepcopy``, which made up most of a warm job's record cost. Scalar
    values inside dicts and lists are taken without a call of their own."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {k if type(k) in _SCALARS else copy.deepcopy(k):
                v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if kind is tuple:
        return tuple(_plain(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return copy.deepcopy(value)


def _array_dict(a: np.ndarray) -> dict[str, Any]:
    return {"dtype": a.dtype.str, "shape": list(a.shape), "data": a.ravel().tolist()}


def _array_from(d: dict[str, Any]) -> np.ndarray:
    return np.asarray(d["data"], dtype=np.dtype(d["dtype"])).reshape(d["shape"])


@dataclass
class JobRecord:
    """Everything one job measured and decided. JSON-serialisable via to_dict()."""

    spec: dict[str, Any]
    status: Status = Status.ERROR
    reason: str = ""
    category: str = ""                  # "build", "unsupported", "mismatch", "budget", ...
    board: str = ""
    model: str = ""
    kernel_set: str = ""
    simulator: str | None = None
    invocations: int = 0
    outputs: list[dict[str, Any]] = field(default_factory=list)
    comparison: dict[str, Any] = field(default_factory=dict)
    sizes: dict[str, Any] = field(default_factory=dict)   # flash, static_ram, arena_used, ...
    instructions: dict[str, Any] = field(default_factory=dict)
    budgets: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    build: dict[str, Any] = field(default_factory=dict)
    simulation: dict[str, Any] = field(default_factory=dict)
    transcript: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def to_dict(self) -> dict[str, Any]:
        """A deep copy as plain data (what ``dataclasses.asdict`` gives, faster)."""
        d = {name: _plain(getattr(self, name)) for name in _RECORD_FIELDS}
        d["status"] = self.status.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JobRecord:
        d = dict(d)
        d["status"] = Status(d["status"])
        return cls(**d)

    def to_json(self, **kw: Any) -> str:
        """Strict JSON: non-finite floats are written as "NaN", "Infinity", "-Infinity"."""
        return jsonsafe.dumps(self.to_dict(), **kw)

    def finish(self, status: Status, category: str, reason: str) -> JobRecord:
        self.status, self.category, self.reason = status, category, reason
        return self


_RECORD_FIELDS = tuple(f.name for f in fields(JobRecord))


@dataclass(frozen=True)
class Prebuilt:
    """An image built before the job (a fleet's build phase), or why it could not be.

    :func:`run_job` uses it in place of its own build when it is for the job's board,
    kernel set, model bytes and requested arena (otherwise it builds as usual), so
    the record is the one a build of its own would give: `result` as `build`
    returns it (its ``sizes`` spare reading the ELF again), or `error` raised as
    `build` raised it.
    """

    board: str
    kernel_set: str
    model_sha256: str
    arena_size: int | None = None            # as requested (None: the board's default)
    result: BuildResult | None = None
    error: BuildError | None = None

    def serves(self, board: str, kernel_set: str, model: bytes, arena: int | None,
               model_sha256: str | None = None) -> bool:
        """`model_sha256`: the model's hex sha256, when the caller has it."""
        return ((self.board, self.kernel_set, self.arena_size) == (board, kernel_set, arena)
                and self.model_sha256 == (model_sha256 or hashlib.sha256(model).hexdigest())
                and (self.result is not None or self.error is not None))


def _work_dir(spec: JobSpec) -> tuple[Path, bool]:
    """(work folder, whether this job created it and may remove it)."""
    if spec.work_dir:
        path = Path(spec.work_dir)
        path.mkdir(parents=True, exist_ok=True)
        return path, False
    root = paths.jobs_dir()
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{spec.board}-{Path(spec.model).stem}-",
                                 dir=root)), True


def run_job(spec: JobSpec, registry: Registry, *, prebuilt: Prebuilt | None = None
            ) -> JobRecord:
    """Run one job; never raises for job-level problems (they become the record's status).

    `prebuilt`: the job's image, already built (see :class:`Prebuilt`)."""
    start = time.monotonic()
    rec = JobRecord(spec=spec.to_dict(), board=spec.board, model=str(spec.model),
                    kernel_set=spec.kernel_set)
    try:
        _run(spec, registry, rec, prebuilt)
    except Exception as exc:  # an engine bug must still yield a record, not kill a fleet
        rec.errors.append(traceback.format_exc())
        rec.finish(Status.ERROR, "internal", f"{type(exc).__name__}: {exc}")
    rec.seconds = round(time.monotonic() - start, 3)
    return rec


def _build(board: Board, spec: JobSpec, kset: KernelSet, platform: Platform, model: bytes,
           arena: int | None, cache_dir: Path, prebuilt: Prebuilt | None,
           model_sha256: bytes) -> BuildResult:
    if prebuilt is not None and prebuilt.serves(board.name, kset.name, model, arena,
                                                model_sha256.hex()):
        if prebuilt.error is not None:
            raise prebuilt.error
        assert prebuilt.result is not None
        return prebuilt.result
    return build(board, spec.model, kset, toolchain=platform.toolchain, arena_size=arena,
                 cache_dir=cache_dir)


def _run(spec: JobSpec, registry: Registry, rec: JobRecord,
         prebuilt: Prebuilt | None = None) -> JobRecord:
    # 1. names, model, inputs: all refused before any compiling
    try:
        board = registry.board(spec.board)
        platform = registry.platform_of(board)
        kset = registry.kernel_set(board, spec.kernel_set)
    except UnknownNameError as exc:
        return rec.finish(Status.ERROR, "config", str(exc))
    if not (isinstance(spec.timeout, int | float) and math.isfinite(spec.timeout)
            and spec.timeout > 0):
        return rec.finish(Status.ERROR, "config", f"timeout must be a finite number of seconds "
                          f"> 0, got {spec.timeout!r}")
    cache_dir = Path(spec.cache_dir) if spec.cache_dir else default_cache_dir()
    try:
        check_writable_dir(cache_dir, "build cache" if spec.cache_dir else
                           "build cache (TFM_CI_CACHE)")
    except NotWritableError as exc:
        return rec.finish(Status.ERROR, "config", str(exc))
    try:
        model = read_model_file(spec.model)
        info = read_model(model)
        check_model(info)
    except OSError as exc:
        return rec.finish(Status.ERROR, "model", f"cannot read model {spec.model}: {exc.strerror}")
    except ModelError as exc:
        return rec.finish(Status.ERROR, "model", f"{spec.model}: {exc}")
    # Hashed once: the inputs memo, the prebuilt check, the verifier and the oracle
    # cache all key on it.
    model_sha256 = hashlib.sha256(model).digest()
    if spec.inputs and spec.invocations != 1:
        return rec.finish(Status.ERROR, "inputs", f"invocations={spec.invocations} applies to "
                          "random inputs only: with input files the number of invocations is "
                          "their leading axis")
    try:
        limits = [budgets.parse_limit(t) for t in spec.limits]
        arena = parse_size(spec.arena_size) if spec.arena_size is not None else None
        invocations = load_inputs(model, info, spec.inputs, spec.invocations, spec.seed,
                                  max_bytes=board.inputs_capacity, model_sha256=model_sha256)
    except (ValueError, InputsError, OracleError) as exc:
        return rec.finish(Status.ERROR, "inputs", str(exc))
    rec.invocations = len(invocations)
    if arena is not None and board.app == "runner":
        rec.errors.append(f"arena size {arena:,} B not applied: board {board.name} runs "
                          "tfm-runner, which uses its own default arena")
    blob = inputs_blob.pack(invocations)
    if board.app == "embedded" and len(blob) > board.inputs_capacity:
        return rec.finish(Status.ERROR, "inputs",
                          f"inputs need {len(blob):,} B (with header), board {board.name} holds "
                          f"{board.inputs_capacity:,} B (inputs_capacity)")
    sim, no_sim = None, ""
    try:
        sim = registry.simulator_for(board, spec.simulator)
        rec.simulator = sim.name
    except NoSimulatorError as exc:
        no_sim = str(exc)
    # A limit the simulator cannot measure would only ever be "unknown": refuse it now.
    unmeasured = getattr(sim, "unmeasured", ()) if sim is not None else ()
    for lim in limits:
        if lim.kind in unmeasured:
            return rec.finish(Status.ERROR, "config", f"limit {lim} cannot be checked on "
                              f"{board.name}: the {sim.name} simulator measures no {lim.kind}")

    # 2. build and size
    try:
        built = _build(board, spec, kset, platform, model, arena, cache_dir, prebuilt,
                       model_sha256)
    except UnsupportedModelError as exc:
        rec.errors.extend(exc.log.splitlines())
        return rec.finish(Status.SKIP, "unsupported", str(exc).splitlines()[0])
    except MemoryOverflowError as exc:  # the linker found it; the sizes are measured
        rec.errors.append(exc.log)
        rec.sizes = Sizes(flash=exc.sizes.flash, static_ram=exc.sizes.static_ram,
                          arena_size=exc.sizes.arena, inputs_capacity=exc.sizes.inputs,
                          stack_size=exc.sizes.stack or board.stack_size).to_dict()
        rec.budgets = [c.to_dict() for c in exc.checks]
        return rec.finish(Status.FAIL, "budget", "; ".join(budgets.failures(exc.checks)))
    except BuildError as exc:
        rec.errors.append(exc.log)
        return rec.finish(Status.ERROR, "build", str(exc).splitlines()[0])
    rec.build = {"elf": str(built.elf), "cached": built.cached, "key": built.key,
                 "seconds": round(built.seconds, 3), "compiled": built.compiled,
                 "flags": built.flags, "toolchain": platform.toolchain.name}
    if built.extra.get("offline_prep"):
        rec.build["offline_prep"] = built.extra["offline_prep"]
    sizes = built.sizes if built.sizes is not None else section_sizes(built.elf)
    rec.sizes = Sizes(flash=sizes.flash, static_ram=sizes.static_ram,
                      arena_size=built.arena_size, inputs_capacity=sizes.inputs,
                      stack_size=sizes.stack or board.stack_size).to_dict()
    if sim is None:
        return rec.finish(Status.SKIP, "no-simulator", no_sim)

    # 3. simulate (the work folder of a passing job is removed unless kept)
    work, owned = _work_dir(spec)
    try:
        _simulate(spec, board, sim, built.elf, model, blob, invocations, sizes, limits, rec,
                  work, cache_dir, model_sha256)
    finally:
        rec.simulation["work_dir"] = str(work)
        if owned and rec.status is Status.PASS and not spec.keep:
            shutil.rmtree(work, ignore_errors=True)
            rec.simulation["work_dir_removed"] = True
    return rec


def _simulate(spec: JobSpec, board: Board, sim: Simulator, elf: Path, model: bytes,
              blob: bytes, invocations: list, sizes: SectionSizes, limits: list[budgets.Limit],
              rec: JobRecord, work: Path, cache_dir: Path | None = None,
              model_sha256: bytes | None = None) -> JobRecord:
    request = simrun.make_request(elf, board, workdir=work, timeout=spec.timeout, inputs=blob,
                                  model=model)
    result, trace = simrun.simulate(sim, request)
    if trace is not None:
        rec.errors.append(trace)
        return rec.finish(Status.ERROR, "simulator", result.error or "simulator failed")
    rec.transcript = result.transcript
    rec.simulation = {"command": result.command, "exit_code": result.exit_code,
                      "timed_out": result.timed_out, "seconds": round(result.seconds, 3),
                      "error": result.error, "work_dir": str(work),
                      "marker_hits": len(result.markers),
                      "dropped_bytes": result.dropped_bytes}
    if result.cycle_classes:
        rec.simulation["cycle_classes"] = {k: list(v) for k, v in result.cycle_classes.items()}
    protocol_error = ""
    try:
        t = parse(result.transcript)
    except TranscriptError as exc:
        t = None
        protocol_error = str(exc)
        rec.errors.append(protocol_error)
    if t is not None:
        _record_transcript(rec, t, result.markers)
        cycles.annotate(rec.instructions, board.core, board.clock_hz)
    checks = budgets.check(board.name, board.flash_budget, board.ram_budget, budgets.Measures(
        flash=sizes.flash, static_ram=sizes.static_ram, arena_used=rec.sizes.get("arena_used"),
        stack_used=rec.sizes.get("stack_used"),
        instructions=_max_instructions(rec.instructions)), limits)
    rec.budgets = [c.to_dict() for c in checks]

    # 4. verdict: a pure function of the facts (tfm_ci.verdict)
    facts = verdict.RunFacts(
        timeout=spec.timeout, timed_out=result.timed_out, sim_error=result.error,
        exit_code=result.exit_code, output_lines=len(result.transcript.splitlines()),
        dropped_bytes=result.dropped_bytes, transcript=t, protocol_error=protocol_error,
        invocations=len(invocations), arena_measured="arena_used" in rec.sizes,
        budget_failures=tuple(budgets.failures(checks)))
    early = verdict.precheck(facts)
    comparison = None
    if early is None and t is not None:
        # The oracle's outputs are kept in the build cache (tfm_ci.oracle_cache).
        compared = compare_outputs(model, invocations, t, spec.float_tolerance, cache_dir,
                                   model_sha256=model_sha256)
        rec.outputs, rec.comparison = compared.outputs, compared.summary
        comparison = verdict.Comparison(compared.match, compared.reason, compared.error)
    final = early or verdict.decide(facts, comparison)
    return rec.finish(final.status, final.category, final.reason)


def _max_instructions(instructions: dict[str, Any]) -> int | None:
    if instructions.get("unit") != "instructions" or not instructions.get("invocations"):
        return None
    return max(instructions["invocations"])


def _record_transcript(rec: JobRecord, t: Transcript, markers: list) -> None:
    if t.arena:
        rec.sizes["arena_used"] = t.arena.get("total")
        rec.sizes["arena_head"] = t.arena.get("head")
        rec.sizes["arena_tail"] = t.arena.get("tail")
    for status, message in t.errors:
        rec.errors.append(f"{status} {message}")
        if status == "ARENA_TOO_SMALL" and "needed=" in message:
            # The arena the model needs, charged to RAM as if it had been there.
            needed = message.split("needed=")[1].split()[0]
            if needed.isdigit():
                rec.sizes["arena_used"] = int(needed)
    if t.stack and t.stack.get("used", -1) >= 0:
        rec.sizes["stack_used"] = t.stack["used"]
    if markers:
        try:
            c = costs.from_markers(markers, t.ops)
        except costs.CostError as exc:
            c = costs.Costs("none", unit="none", warnings=[f"markers: {exc}"])
    else:
        c = costs.from_transcript(t.init_cost, t.invoke_costs, t.ops, t.cost_unit)
    rec.instructions = c.to_dict()
    rec.errors.extend(c.warnings)
    if t.fault is not None:
        rec.errors.append("FAULT " + " ".join(f"{k}={v}" for k, v in t.fault.items()))
