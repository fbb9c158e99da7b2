"""Keywords that run a fleet spec (the engine behind `tfm-ci fleet run`) and check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from robot.api import logger
from robot.api.deco import keyword
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from tfm_ci.fleet import FleetSpecError, Shard, ShardError, load_spec, run_fleet_spec
from tfm_ci.fleet.executors import ExecutorError, make_executor
from tfm_ci.fleet.runner import FleetResult
from tfm_ci.job import JobRecord
from tfm_ci.robot.errors import TfmKeywordError
from tfm_ci.robot.state import LibraryState


def _default_results(spec: Path) -> Path:
    try:
        out = BuiltIn().get_variable_value("${OUTPUT DIR}")
    except RobotNotRunningError:
        out = None
    return Path(out or ".") / "fleets" / spec.stem


def _line(rec: dict[str, Any]) -> str:
    job = rec["job"]
    category = f" ({rec['category']})" if rec.get("category") else ""
    return (f"{job['model']}@{job['board']} [{job['kernel_set']}]: {rec['status']}{category}: "
            f"{rec.get('reason', '')}")


class FleetKeywords:
    """Fleets: every job of a fleet spec (boards x models x kernel sets), one record each."""

    state: LibraryState
    _last_fleet: FleetResult | None = None

    @keyword("Run Fleet Spec")
    def run_fleet_spec(self, spec: str, results: str | None = None, shard: str | None = None,
                       fresh: bool = False, jobs: int | None = None, executor: str = "local",
                       scheduler: str | None = None) -> FleetResult:
        """Run every job of fleet spec `spec` (TOML, see docs/fleets.md); returns the fleet.

        Records go to ``results`` (default ``${OUTPUT DIR}/fleets/<spec name>``);
        jobs already recorded there with the same fingerprint are not run again
        unless ``fresh``. ``shard`` is ``K/N``; ``executor`` is ``local`` or ``dask``
        (``scheduler`` ``tcp://host:port``). Never fails for the jobs' outcomes:
        check them with `Fleet Should Pass`. Fails for a bad spec, naming the key.
        """
        path = Path(spec)
        try:
            fleet_spec = load_spec(path, self.state.registry)
            part = Shard.parse(shard) if shard else None
            ex = make_executor(executor, self.state.registry,
                               workers=int(jobs) if jobs else None, scheduler=scheduler)
        except (FleetSpecError, ShardError, ExecutorError) as exc:
            raise TfmKeywordError(str(exc)) from None
        folder = Path(results) if results else _default_results(path)
        try:
            result = run_fleet_spec(fleet_spec, self.state.registry, folder, executor=ex,
                                    shard=part, fresh=bool(fresh),
                                    cache_dir=self.state.cache_dir)
        finally:
            ex.close()
        self._last_fleet = result
        for rec in result.ordered():
            logger.info(_line(rec))
        logger.info(f"{len(result.jobs)} job(s), {len(result.reused)} reused, records in "
                    f"{folder / 'records'}")
        return result

    def _fleet(self, fleet: FleetResult | None) -> FleetResult:
        fleet = fleet if fleet is not None else self._last_fleet
        if fleet is None:
            raise TfmKeywordError("no fleet: call `Run Fleet Spec` first")
        if not isinstance(fleet, FleetResult):
            raise TfmKeywordError(f"not a fleet: {fleet!r}")
        return fleet

    @keyword("Fleet Should Pass")
    def fleet_should_pass(self, fleet: FleetResult | None = None) -> None:
        """Fail unless every job passed or was skipped with a reason, listing those that did not."""
        result = self._fleet(fleet)
        if not result.jobs:
            raise TfmKeywordError("the fleet has no jobs")
        if not result.ok:
            bad = [_line(r) for r in result.ordered()
                   if r["status"] != "PASS" and not (r["status"] == "SKIP" and r.get("reason"))]
            raise TfmKeywordError(f"{len(bad)} of {len(result.jobs)} job(s) did not pass:\n"
                                  + "\n".join(bad))

    @keyword("Fleet Job Count Should Be")
    def fleet_job_count_should_be(self, count: int, status: str | None = None,
                                  fleet: FleetResult | None = None) -> None:
        """Fail unless the fleet has `count` jobs (of `status`, when given)."""
        result = self._fleet(fleet)
        recs = [r for r in result.ordered() if status is None or r["status"] == status.upper()]
        if len(recs) != int(count):
            what = f" with status {status.upper()}" if status else ""
            raise TfmKeywordError(f"expected {int(count)} job(s){what}, got {len(recs)}")

    @keyword("Fleet Job Record")
    def fleet_job_record(self, board: str, model: str, kernels: str = "reference",
                         fleet: FleetResult | None = None) -> JobRecord:
        """The record of one fleet job (`model` as written in the spec), for the job keywords."""
        result = self._fleet(fleet)
        for rec in result.ordered():
            job = rec["job"]
            if (job["board"], job["kernel_set"]) == (board, kernels) and \
                    model in (job["model"], Path(job["model"]).name):
                record = JobRecord.from_dict({k: v for k, v in rec.items() if k != "job"})
                self.state.last_record = record
                return record
        raise TfmKeywordError(f"the fleet has no job {model}@{board} [{kernels}]")
