"""Fleets: many (board, model, kernel set) jobs from one spec, on every core, on
N CI machines (shards) or on a Dask cluster, each record written as it finishes.

    from tfm_ci.fleet import load_spec, run_fleet_spec
    spec = load_spec("fleet.toml", registry)
    result = run_fleet_spec(spec, registry, "results/")   # result.ok, result.records

See docs/fleets.md. :func:`run_fleet` is the plain thread pool over JobSpecs.
"""

from tfm_ci.fleet.identity import FleetJob, Shard, ShardError, job_id, select_shard
from tfm_ci.fleet.merge import MergeError, merge
from tfm_ci.fleet.pool import default_workers, run_fleet, shard
from tfm_ci.fleet.results import ResultsDir
from tfm_ci.fleet.runner import FleetResult, run_fleet_spec
from tfm_ci.fleet.spec import FleetSpec, FleetSpecError
from tfm_ci.fleet.spec import load as load_spec

__all__ = ["FleetJob", "FleetResult", "FleetSpec", "FleetSpecError", "MergeError",
           "ResultsDir", "Shard", "ShardError", "default_workers", "job_id", "load_spec",
           "merge", "run_fleet", "run_fleet_spec", "select_shard", "shard"]
