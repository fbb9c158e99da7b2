"""A job whose runner itself fails is that job's ERROR record; the other jobs go on."""

from __future__ import annotations

from typing import Any

import pytest

from tfm_ci.fleet import executors
from tfm_ci.fleet.worker import Task
from tfm_ci.job import JobRecord, JobSpec, Status


def test_a_crashing_task_is_its_own_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def run_task(task: Task, registry: Any = None) -> dict[str, Any]:
        if task.job_id == "bad":
            raise MemoryError("worker out of memory")
        return JobRecord(spec=task.spec, board="host").finish(
            Status.PASS, "", "ok").to_dict()

    monkeypatch.setattr(executors, "run_task", run_task)
    tasks = [Task(name, JobSpec(model=f"{name}.tflite", board="host").to_dict())
             for name in ("a", "bad", "c")]
    got: dict[str, dict[str, Any]] = {}
    executors.LocalExecutor(registry=None, workers=2).run(  # type: ignore[arg-type]
        tasks, lambda t, r: got.__setitem__(t.job_id, r))
    assert sorted(got) == ["a", "bad", "c"]
    assert got["a"]["status"] == got["c"]["status"] == "PASS"
    bad = got["bad"]
    assert (bad["status"], bad["category"]) == ("ERROR", "executor")
    assert bad["reason"] == "local worker: MemoryError: worker out of memory"
    assert bad["model"] == "bad.tflite" and "MemoryError" in bad["errors"][0]
    JobRecord.from_dict(bad)
