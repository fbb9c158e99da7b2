"""run_job's verdicts from what a simulator reports (a scripted simulator backend).

The firmware is really built (cached); only the simulation is scripted, so every
outcome (timeout, fault, crash, mismatch, arena too small) is reached on purpose.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.oracle import run_reference
from tfm_ci.platform import Board
from tfm_ci.registry import Registry
from tfm_ci.simulator import MarkerHit, SimRequest, SimResult


class ScriptedSimulator:
    name = "scripted"

    def __init__(self, result: SimResult) -> None:
        self.result = result
        self.seen: list[Path] = []

    def unavailable_reason(self) -> str | None:
        return None

    def can_run(self, board: Board) -> bool:
        return True

    def validate(self, board: Board) -> None:
        pass

    def run(self, request: SimRequest) -> SimResult:
        self.seen = sorted(p.name for p in request.workdir.iterdir())
        self.request = request
        return self.result


def _registry(base: Registry, sim: ScriptedSimulator) -> Registry:
    board = dataclasses.replace(base.board("mps2-an386"), name="scripted-board",
                                simulators={"scripted": {}})
    return Registry(pm=base.pm, platforms=base.platforms, boards={board.name: board},
                    simulators={sim.name: sim})


def _lines(*body: str) -> str:
    return "\n".join(["TFM BEGIN v1", "TFM MODEL bytes=1 subgraphs=1 ops=3 inputs=1 outputs=1",
                      *body]) + "\n"


@pytest.fixture
def job(sine_model: Path, registry: Registry, shared_cache: Path, tmp_path: Path):
    x = np.array([[[5]], [[-20]]], dtype=np.int8)
    ref = run_reference(sine_model.read_bytes(), [x], invocations=2)
    outputs = [f"TFM OUTPUT {k} 0 INT8 1x1 {int(r[0].ravel()[0]) & 0xFF:02x}"
               for k, r in enumerate(ref)]

    def run(result: SimResult, **spec_kw):
        sim = ScriptedSimulator(result)
        spec = JobSpec(model=str(sine_model), board="scripted-board", inputs=[x],
                       cache_dir=str(shared_cache), work_dir=str(tmp_path / "w"), **spec_kw)
        rec = run_job(spec, _registry(registry, sim))
        return rec, sim
    return run, outputs, ref


GOOD_TAIL = ["TFM STACK used=700 size=16384", "TFM COST unit=none", "TFM END PASS"]
ARENA = "TFM ARENA head=32 tail=600 total=900 size=4000"


def test_pass_with_markers(job) -> None:
    run, outputs, _ref = job
    markers = [MarkerHit("tfm_marker_init_begin", 0), MarkerHit("tfm_marker_init_end", 500)]
    for k in range(2):
        base = 1000 * (k + 1)
        markers += [MarkerHit("tfm_marker_invoke_begin", base)]
        for i in range(3):
            markers += [MarkerHit("tfm_marker_op_begin", base + 10 + 100 * i),
                        MarkerHit("tfm_marker_op_end", base + 60 + 100 * i)]
        markers += [MarkerHit("tfm_marker_invoke_end", base + 400)]
    ops = [f"TFM OP {k} 0 {i} FULLY_CONNECTED cost=0" for k in range(2) for i in range(3)]
    text = _lines(ARENA, "TFM INIT cost=0", *ops[:3], "TFM INVOKE 0 cost=0", outputs[0],
                  *ops[3:], "TFM INVOKE 1 cost=0", outputs[1], *GOOD_TAIL)
    rec, sim = run(SimResult(text, 0, markers=markers))
    assert sim.seen == ["inputs.bin", "model.tflite"]
    assert rec.status is Status.PASS, rec.reason
    assert rec.instructions["init"] == 500 and rec.instructions["invocations"] == [400, 400]
    assert [o["instructions"] for o in rec.instructions["ops"]] == [50] * 6
    assert rec.sizes["arena_used"] == 900 and rec.sizes["stack_used"] == 700


def test_wrong_output_is_a_mismatch(job) -> None:
    run, outputs, ref = job
    wrong = int(ref[1][0].ravel()[0]) ^ 1
    text = _lines(ARENA, outputs[0], f"TFM OUTPUT 1 0 INT8 1x1 {wrong & 0xFF:02x}", *GOOD_TAIL)
    rec, _ = run(SimResult(text, 0))
    assert rec.status is Status.FAIL and rec.category == "mismatch"
    assert "invocation 1 output 0" in rec.reason
    assert rec.outputs[1]["first_mismatch"]["ours"] == np.int8(wrong)
    assert rec.outputs[0]["match"] is True


@pytest.mark.parametrize(("result", "status", "category", "needle"), [
    (SimResult(_lines(ARENA), None, timed_out=True), Status.TIMEOUT, "timeout", "no END"),
    (SimResult(_lines("TFM FAULT HardFault pc=0x00001234 lr=0x1 sp=0x2 cfsr=0x8200"), 3,
               error="exited with status 3"), Status.FAULT, "fault", "pc=0x00001234"),
    (SimResult(_lines(ARENA), 0), Status.ERROR, "crash", "no END line"),
    (SimResult("", None, error="qemu: fatal: bad ELF"), Status.ERROR, "simulator", "bad ELF"),
    (SimResult(_lines("TFM OUTPUT 0 0 WEIRD 1 00"), 0), Status.ERROR, "protocol", "WEIRD"),
    (SimResult(_lines("TFM ERROR UNSUPPORTED op 0: no kernel", "TFM END FAIL"), 1),
     Status.FAIL, "firmware", "UNSUPPORTED op 0"),
    (SimResult(_lines(*GOOD_TAIL), 0), Status.FAIL, "protocol", "no OUTPUT lines"),
])
def test_bad_outcomes_are_never_a_pass(job, result, status, category, needle) -> None:
    run, _outputs, _ref = job
    rec, _ = run(result)
    assert (rec.status, rec.category) == (status, category), rec.reason
    assert needle in rec.reason + " ".join(rec.errors)
    assert rec.sizes["flash"] > 0          # what was measured before is kept


def test_arena_too_small_is_a_budget_failure(job) -> None:
    run, _outputs, _ref = job
    text = _lines("TFM ERROR ARENA_TOO_SMALL arena too small: needs 5000000 bytes, has 16 "
                  "needed=5000000", "TFM STACK used=100 size=16384", "TFM END FAIL")
    rec, _ = run(SimResult(text, 1))
    assert rec.status is Status.FAIL and rec.category == "budget"
    assert rec.sizes["arena_used"] == 5_000_000
    static = rec.sizes["static_ram"]
    assert rec.reason == (f"RAM {static + 5_000_100:,} B > 4,194,304 B on scripted-board "
                          f"(static {static:,} + arena 5,000,000 + stack 100)")


def test_fleet_keeps_spec_order_and_shards(sine_model: Path, registry: Registry,
                                           shared_cache: Path) -> None:
    from tfm_ci.fleet import run_fleet, shard

    sim = ScriptedSimulator(SimResult("", None, error="scripted crash"))
    reg = _registry(registry, sim)
    specs = [JobSpec(model=str(sine_model), board=b, cache_dir=str(shared_cache), name=str(i))
             for i, b in enumerate(["scripted-board", "nope", "scripted-board"])]
    seen: list[str] = []
    records = run_fleet(specs, reg, workers=2, on_done=lambda r: seen.append(r.spec["name"]))
    assert [r.spec["name"] for r in records] == ["0", "1", "2"] and sorted(seen) == ["0", "1", "2"]
    assert [(r.status, r.category) for r in records] == [
        (Status.ERROR, "simulator"), (Status.ERROR, "config"), (Status.ERROR, "simulator")]
    assert [s.name for s in shard(specs, 1, 2)] == ["1"]
    with pytest.raises(ValueError):
        shard(specs, 2, 2)


class ExplodingSimulator(ScriptedSimulator):
    def run(self, *args, **kwargs) -> SimResult:
        raise RuntimeError("plugin bug")


def test_simulator_exception_is_an_error_record(sine_model: Path, registry: Registry,
                                                shared_cache: Path) -> None:
    reg = _registry(registry, ExplodingSimulator(SimResult("", 0)))
    rec = run_job(JobSpec(model=str(sine_model), board="scripted-board",
                          cache_dir=str(shared_cache)), reg)
    assert rec.status is Status.ERROR and rec.category == "simulator"
    assert "plugin bug" in rec.reason and rec.sizes["flash"] > 0


def test_transcript_breaking_begin_end_rules_is_never_a_pass(job) -> None:
    run, outputs, _ref = job
    good = _lines(ARENA, *outputs, *GOOD_TAIL)
    rec, _ = run(SimResult(good, 0))
    assert rec.status is Status.PASS, rec.reason
    for text, needle in [
        (good + good, "BEGIN line after END PASS"),                  # board rebooted, reran
        (good + "TFM END FAIL\n", "END line after END PASS"),
        ("TFM END PASS\n" + _lines(ARENA, outputs[0]), "END line before BEGIN"),
        (good + outputs[1] + "\n", "OUTPUT line after END PASS"),
    ]:
        rec, _ = run(SimResult(text, 0))
        assert (rec.status, rec.category) == (Status.ERROR, "protocol"), (needle, rec.reason)
        assert needle in rec.reason
    # a fault handler may still report after END: the fault wins
    rec, _ = run(SimResult(good + "TFM FAULT HardFault pc=0x00000010 lr=0x1 sp=0x2\n", 3))
    assert rec.status is Status.FAULT


def test_work_folder_removed_after_a_pass_kept_on_failure_or_keep(
        job, sine_model: Path, registry: Registry, shared_cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _run, outputs, _ref = job
    monkeypatch.setenv("TFM_CI_BUILD_DIR", str(tmp_path / "b"))
    jobs = tmp_path / "b" / "jobs"
    good = SimResult(_lines(ARENA, *outputs, *GOOD_TAIL), 0)
    x = np.array([[[5]], [[-20]]], dtype=np.int8)

    def run(result: SimResult, **kw):
        sim = ScriptedSimulator(result)
        spec = JobSpec(model=str(sine_model), board="scripted-board", inputs=[x],
                       cache_dir=str(shared_cache), **kw)
        return run_job(spec, _registry(registry, sim)), sim

    rec, sim = run(good)
    assert rec.status is Status.PASS and rec.simulation["work_dir_removed"] is True
    assert sim.seen == ["inputs.bin", "model.tflite"]        # it existed while running
    assert not Path(rec.simulation["work_dir"]).exists() and list(jobs.iterdir()) == []
    kept, _ = run(good, keep=True)
    assert Path(kept.simulation["work_dir"]).is_dir()
    failed, _ = run(SimResult(_lines(ARENA), 0))                 # crash: kept for debugging
    assert failed.status is Status.ERROR and Path(failed.simulation["work_dir"]).is_dir()
    assert len(list(jobs.iterdir())) == 2


def test_request_carries_inputs_placement_and_markers(job) -> None:
    run, outputs, _ref = job
    rec, sim = run(SimResult(_lines(ARENA, *outputs, *GOOD_TAIL), 0))
    assert rec.status is Status.PASS, rec.reason
    req = sim.request
    assert req.inputs == (req.workdir / "inputs.bin").read_bytes() and req.inputs[:4] == b"TFMI"
    assert req.invocations()[0] == 2
    assert req.placement is not None and req.placement.region == "ram"
    assert req.placement.capacity == 256 * 1024
    assert set(req.markers) == {"init_begin", "init_end", "invoke_begin", "invoke_end",
                                "op_begin", "op_end"}
    assert req.timeout == 120.0 and req.count_instructions
