"""The Robot keyword library: keyword docs, verdict and budget keywords, plugin loading."""

from __future__ import annotations

from pathlib import Path

import pytest
from robot.api import SkipExecution
from robot.libdocpkg import LibraryDocumentation

from tfm_ci import budgets, demo_models
from tfm_ci.job import JobRecord, Status
from tfm_ci.robot import TfmKeywordError, TfmLibrary
from tfm_ci.robot.libdoc import main as libdoc_main

REQUIRED_KEYWORDS = {
    "Run Model On Board", "Job Should Pass", "Outputs Should Match TFLite",
    "Job Should Fail With", "Flash Should Be Within Budget", "RAM Should Be Within Budget",
    "Arena Should Be At Most", "Stack Should Be At Most", "Instructions Should Be At Most",
    "Built In Boards", "Boards With Available Simulator", "Demo Model Path",
    "Shared Model Paths", "Load Plugin",
}


def record(status: Status = Status.PASS, reason: str = "ok", **kw: object) -> JobRecord:
    rec = JobRecord(spec={}, status=status, reason=reason, board="netduinoplus2",
                    model="m.tflite", kernel_set="reference")
    for key, value in kw.items():
        setattr(rec, key, value)
    return rec


def over_budget() -> JobRecord:
    m = budgets.Measures(flash=50_000, static_ram=40_960, arena_used=150_112,
                         stack_used=10_272, instructions=5_000)
    checks = budgets.check("netduinoplus2", 1024 * 1024, 128 * 1024, m)
    return record(Status.FAIL, "; ".join(budgets.failures(checks)), category="budget",
                  budgets=[c.to_dict() for c in checks],
                  sizes={"flash": 50_000, "static_ram": 40_960, "arena_used": 150_112,
                         "stack_used": 10_272},
                  instructions={"unit": "instructions", "invocations": [4_000, 5_000]})


def test_every_keyword_is_explicit_documented_and_global() -> None:
    doc = LibraryDocumentation("tfm_ci.robot.TfmLibrary")
    names = {kw.name for kw in doc.keywords}
    assert not REQUIRED_KEYWORDS - names
    assert doc.scope == "GLOBAL"
    for kw in doc.keywords:
        assert kw.short_doc and len(kw.short_doc) < 100, (kw.name, kw.short_doc)
    # auto_keywords=False: helpers without @keyword are not keywords
    assert not any(n.startswith("_") or n.islower() for n in names)


def test_error_base_suppresses_its_name() -> None:
    assert TfmKeywordError.ROBOT_SUPPRESS_NAME is True
    assert issubclass(TfmKeywordError, AssertionError)


def test_ram_budget_failure_is_the_engine_text() -> None:
    lib = TfmLibrary()
    with pytest.raises(TfmKeywordError) as exc:
        lib.ram_should_be_within_budget(over_budget())
    assert str(exc.value) == ("RAM 201,344 B > 131,072 B on netduinoplus2 "
                              "(static 40,960 + arena 150,112 + stack 10,272)")
    lib.flash_should_be_within_budget(over_budget())


def test_limit_keywords_pass_and_fail_at_the_boundary() -> None:
    lib, rec = TfmLibrary(), over_budget()
    lib.arena_should_be_at_most("150112", rec)
    with pytest.raises(TfmKeywordError, match=r"^arena 150,112 B > 150,111 B \(user limit\)$"):
        lib.arena_should_be_at_most("150111", rec)
    lib.stack_should_be_at_most("10272B", rec)
    with pytest.raises(TfmKeywordError, match=r"^stack 10,272 B > 10,240 B \(user limit\)$"):
        lib.stack_should_be_at_most("10KiB", rec)
    lib.instructions_should_be_at_most("5000", rec)
    with pytest.raises(TfmKeywordError, match=r"^instructions 5,000 > 4,999 \(user limit\)$"):
        lib.instructions_should_be_at_most("4999", rec)
    with pytest.raises(TfmKeywordError, match="bad limit"):
        lib.arena_should_be_at_most("lots", rec)
    assert lib.instructions_per_invocation(rec) == 5_000


def test_unmeasured_limit_fails() -> None:
    with pytest.raises(TfmKeywordError, match="arena unknown"):
        TfmLibrary().arena_should_be_at_most("1KiB", record(sizes={}))


def test_status_keywords() -> None:
    lib = TfmLibrary()
    fault = record(Status.FAULT, "HardFault at pc=0x00000100", category="fault")
    assert lib.job_should_fail_with("FAULT", r"pc=0x0*100$", fault).startswith("HardFault")
    with pytest.raises(TfmKeywordError, match=r"expected TIMEOUT matching .*got FAULT \(fault\)"):
        lib.job_should_fail_with("timeout", "no END", fault)
    with pytest.raises(TfmKeywordError, match="expected FAULT matching 'pc=0x1234'"):
        lib.job_should_fail_with("FAULT", "pc=0x1234", fault)
    with pytest.raises(TfmKeywordError, match="FAULT \\(fault\\): HardFault"):
        lib.job_should_pass(fault)
    with pytest.raises(TfmKeywordError, match="unknown status 'BROKEN'"):
        lib.job_status_should_be("BROKEN", fault)
    with pytest.raises(TfmKeywordError, match="no job record"):
        lib.job_should_pass()


def test_outputs_keywords() -> None:
    lib = TfmLibrary()
    out = [{"invocation": 0, "index": 0, "dtype": "int8", "data": [1, 2, 3]}]
    good = record(outputs=out, comparison={"compared": 1, "match": True, "oracle": "x"})
    lib.outputs_should_match_tflite(good)
    bad = record(Status.FAIL, "mismatch", outputs=[{**out[0], "data": [1, 2, 4]}],
                 comparison={"compared": 1, "match": False, "mismatching": ["1 of 3 differ"]})
    with pytest.raises(TfmKeywordError, match="1 of 3 differ"):
        lib.outputs_should_match_tflite(bad)
    with pytest.raises(TfmKeywordError, match="not compared"):
        lib.outputs_should_match_tflite(record(Status.TIMEOUT, "no END"))
    lib.outputs_should_be_identical(good, good)
    with pytest.raises(TfmKeywordError, match="differ first at flat index 2"):
        lib.outputs_should_be_identical(good, bad)


def test_demo_and_shared_model_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = TfmLibrary()
    path = Path(lib.demo_model_path("sine", str(tmp_path)))
    assert path.read_bytes() == demo_models.build("sine")
    assert set(lib.demo_model_paths(str(tmp_path))) == set(demo_models.DEMO_MODELS)
    with pytest.raises(TfmKeywordError, match="unknown demo model"):
        lib.demo_model_path("nope", str(tmp_path))
    monkeypatch.setenv("TFM_SHARED_MODELS", str(tmp_path / "absent"))
    assert lib.shared_model_paths() == {}
    with pytest.raises(SkipExecution, match="person_detect not found"):
        lib.shared_model_path("person_detect")
    (tmp_path / "shared" / "x").mkdir(parents=True)
    (tmp_path / "shared" / "x" / "person_detect.tflite").write_bytes(b"model")
    (tmp_path / "shared" / "x" / "audio_preprocessor_int8.tflite").write_bytes(b"model")
    monkeypatch.setenv("TFM_SHARED_MODELS", str(tmp_path / "shared"))
    assert list(lib.shared_model_paths()) == ["person_detect"]


PLUGIN = '''
from pathlib import Path
import tfm_ci
from tfm_ci.boards import load_boards
from tfm_ci.platform import KernelSet, Platform, Toolchain

@tfm_ci.hookimpl
def tfm_platforms():
    tc = Toolchain("tc", "gcc", (), {"host": ()})
    return [Platform("robot-test", tc, load_boards("robot-test", [Path(__file__).parent]),
                     (KernelSet("reference", "ref"), KernelSet("extra", "more")))]
'''

BOARD = '''
name = "robot-board"
platform = "robot-test"
core = "host"
app = "runner"
[budget]
flash = "1MiB"
ram = "1MiB"
[simulators.native]
'''


def test_load_and_unload_plugin(tmp_path: Path) -> None:
    (tmp_path / "robot_board_plugin.py").write_text(PLUGIN)
    (tmp_path / "robot-board").mkdir()
    (tmp_path / "robot-board" / "board.toml").write_text(BOARD)
    lib = TfmLibrary()
    builtin = lib.built_in_boards()
    name = lib.load_plugin(str(tmp_path / "robot_board_plugin.py"))
    assert lib.plugin_should_be_loaded(name).startswith("loaded by Robot")
    assert lib.kernel_sets_of_board("robot-board") == ["reference", "extra"]
    assert lib.built_in_boards() == builtin          # not built in
    assert "robot-board" in lib.all_boards()
    lib.unload_plugin(name)
    with pytest.raises(TfmKeywordError, match="unknown board 'robot-board'"):
        lib.board_should_exist("robot-board")
    with pytest.raises(TfmKeywordError, match="is not loaded"):
        lib.plugin_should_be_loaded(name)


def test_built_in_boards_and_budgets() -> None:
    lib = TfmLibrary()
    boards = lib.built_in_boards()
    for name in ("host", "mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547",
                 "netduinoplus2", "riscv32-virt"):
        assert name in boards
    assert lib.board_budget("netduinoplus2") == {"flash": 1024 * 1024, "ram": 128 * 1024}
    assert "reference" in lib.kernel_sets_of_board("mps2-an386")


def test_run_on_host_passes_and_user_limit_fails(tmp_path: Path) -> None:
    lib = TfmLibrary()
    model = lib.demo_model_path("sine", str(tmp_path))
    rec = lib.run_model_on_board(model, "host", invocations=2, limits="arena=64B")
    assert rec is lib.state.last_record
    lib.job_should_fail_with("FAIL", r"^arena [\d,]+ B > 64 B \(user limit\)$")
    lib.outputs_should_match_tflite()
    rec = lib.run_model_on_board(model, "host", invocations=2)
    lib.job_should_pass(rec)


def test_libdoc_writes_html(tmp_path: Path) -> None:
    assert libdoc_main([str(tmp_path)]) == 0
    assert "### Run Model On Board" in (tmp_path / "robot-keywords.md").read_text()
    text = (tmp_path / "robot-keywords.html").read_text()
    assert "Run Model On Board" in text and "RAM Should Be Within Budget" in text
