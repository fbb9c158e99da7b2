"""Keywords that run jobs and check their verdicts."""

from __future__ import annotations

import re
from pathlib import Path

from robot.api import logger
from robot.api.deco import keyword
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.robot.errors import TfmKeywordError
from tfm_ci.robot.state import LibraryState


def split_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """A Robot argument given as a list, or one string with items separated by commas."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def describe(rec: JobRecord) -> str:
    """`STATUS (category): reason` of a record, for failure messages."""
    category = f" ({rec.category})" if rec.category else ""
    return f"{rec.status.value}{category}: {rec.reason}"


def _records_dir() -> Path | None:
    try:
        out = BuiltIn().get_variable_value("${OUTPUT DIR}")
    except RobotNotRunningError:
        return None
    return Path(out) / "jobs" if out else None


class JobKeywords:
    """Jobs: run a model on a board, then check status, reason and outputs."""

    state: LibraryState

    @keyword("Run Model On Board")
    def run_model_on_board(self, model: str, board: str, kernels: str = "reference",
                           limits: str | list[str] | None = None,
                           inputs: str | list[str] | None = None, timeout: float = 120.0,
                           arena: str | None = None, invocations: int = 1, seed: int = 0,
                           simulator: str | None = None, float_tolerance: float | None = None,
                           name: str | None = None) -> JobRecord:
        """Build, simulate, verify and budget `model` on `board`; returns the job record.

        Never fails by itself: check the record with `Job Should Pass`,
        `Job Should Fail With` or the budget keywords (they default to the
        last record). ``limits`` are ``KIND=SIZE`` items (``ram=128KiB``,
        ``arena=2KiB``, ``instructions=2M``) as a list or comma separated;
        ``inputs`` are ``.npy`` files, one per model input (default: random
        inputs from ``seed``, ``invocations`` of them). The record is also
        written as JSON under ``${OUTPUT DIR}/jobs/``.
        """
        spec = JobSpec(model=str(model), board=board, kernel_set=kernels,
                       limits=split_list(limits), inputs=split_list(inputs) or None,
                       timeout=float(timeout), arena_size=arena, invocations=int(invocations),
                       seed=int(seed), simulator=simulator, cache_dir=self.state.cache_dir,
                       name=name)
        if float_tolerance is not None:
            spec.float_tolerance = float(float_tolerance)
        rec = run_job(spec, self.state.registry)
        self.state.last_record = rec
        logger.info(f"{spec.label} [{kernels}]: {describe(rec)} ({rec.seconds:.1f} s)")
        for check in rec.budgets:
            logger.info(("ok   " if check["ok"] else "FAIL " if check["ok"] is False
                         else "??   ") + check["text"])
        if rec.transcript:
            logger.debug("transcript:\n" + rec.transcript)
        for error in rec.errors:
            logger.debug(error)
        folder = _records_dir()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            safe = re.sub(r"[^\w.@-]", "_", f"{spec.label}-{kernels}")
            path = folder / f"{safe}.json"
            path.write_text(rec.to_json(indent=1))
            logger.info(f"record: {path}")
        return rec

    @keyword("Job Should Pass")
    def job_should_pass(self, record: JobRecord | None = None) -> None:
        """Fail unless the job's status is PASS (outputs match TFLite, budgets hold)."""
        rec = self.state.record(record)
        if rec.status is not Status.PASS:
            raise TfmKeywordError(f"{rec.spec.get('name') or _label(rec)}: {describe(rec)}")

    @keyword("Job Status Should Be")
    def job_status_should_be(self, status: str, record: JobRecord | None = None) -> None:
        """Fail unless the job's status is `status` (PASS, FAIL, ERROR, TIMEOUT, FAULT, SKIP)."""
        rec = self.state.record(record)
        wanted = _status(status)
        if rec.status is not wanted:
            raise TfmKeywordError(f"{_label(rec)}: expected {wanted.value}, got {describe(rec)}")

    @keyword("Job Should Fail With")
    def job_should_fail_with(self, status: str, pattern: str,
                             record: JobRecord | None = None) -> str:
        """Fail unless the job has `status` and its reason matches regexp `pattern`.

        `status` is FAIL, ERROR, TIMEOUT, FAULT or SKIP; the regexp is searched
        (``re.search``) in the reason. Returns the reason.
        """
        rec = self.state.record(record)
        wanted = _status(status)
        if wanted is Status.PASS:
            raise TfmKeywordError("use `Job Should Pass` to expect PASS")
        if rec.status is not wanted or not re.search(pattern, rec.reason):
            raise TfmKeywordError(f"{_label(rec)}: expected {wanted.value} matching "
                                  f"{pattern!r}, got {describe(rec)}")
        return rec.reason

    @keyword("Outputs Should Match TFLite")
    def outputs_should_match_tflite(self, record: JobRecord | None = None) -> None:
        """Fail unless every output was compared with TFLite (BUILTIN_REF) and matched."""
        rec = self.state.record(record)
        cmp = rec.comparison
        if not cmp or not cmp.get("compared"):
            raise TfmKeywordError(f"{_label(rec)}: outputs were not compared with TFLite: "
                                  f"{describe(rec)}")
        if not cmp.get("match"):
            raise TfmKeywordError(f"{_label(rec)}: outputs differ from {cmp.get('oracle')}: "
                                  + "; ".join(cmp.get("mismatching") or [rec.reason]))
        logger.info(f"{cmp['compared']} output tensor(s) match {cmp.get('oracle')}")

    @keyword("Outputs Should Be Identical")
    def outputs_should_be_identical(self, first: JobRecord, second: JobRecord) -> None:
        """Fail unless two jobs printed the same outputs, bit for bit (e.g. two kernel sets)."""
        a, b = self.state.record(first), self.state.record(second)
        if not a.outputs or not b.outputs:
            raise TfmKeywordError(f"no outputs to compare: {_label(a)} {describe(a)}; "
                                  f"{_label(b)} {describe(b)}")
        pairs = [(x["invocation"], x["index"], x["dtype"], x["data"]) for x in a.outputs]
        others = [(x["invocation"], x["index"], x["dtype"], x["data"]) for x in b.outputs]
        if len(pairs) != len(others):
            raise TfmKeywordError(f"{_label(a)} has {len(pairs)} outputs, {_label(b)} "
                                  f"{len(others)}")
        for (inv, idx, dtype, da), (_i, _j, dtype_b, db) in zip(pairs, others, strict=True):
            if dtype != dtype_b or da != db:
                diff = next((k for k, (u, v) in enumerate(zip(da, db, strict=False)) if u != v),
                            min(len(da), len(db)))
                raise TfmKeywordError(f"invocation {inv} output {idx}: {_label(a)} and "
                                      f"{_label(b)} differ first at flat index {diff}")
        logger.info(f"{len(pairs)} output tensor(s) identical")

    @keyword("Job Record As Dictionary")
    def job_record_as_dictionary(self, record: JobRecord | None = None) -> dict:
        """The record as a plain dictionary (what ``tfm-ci run --json`` writes)."""
        return self.state.record(record).to_dict()


def _label(rec: JobRecord) -> str:
    return f"{Path(rec.model).stem}@{rec.board} [{rec.kernel_set}]"


def _status(text: str) -> Status:
    try:
        return Status(str(text).upper())
    except ValueError:
        raise TfmKeywordError(f"unknown status {text!r} (known: "
                              f"{', '.join(s.value for s in Status)})") from None
