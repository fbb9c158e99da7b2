"""The fleet keywords of TfmLibrary, called directly (the Robot suite is robot_tests/
fleet_spec.robot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.robot import TfmLibrary
from tfm_ci.robot.errors import TfmKeywordError

from .conftest import write_spec

pytestmark = pytest.mark.slow


def test_fleet_keywords(project: Path, cache: Path) -> None:
    lib = TfmLibrary(cache_dir=str(cache))
    with pytest.raises(TfmKeywordError, match="call `Run Fleet Spec` first"):
        lib.fleet_should_pass()
    spec = write_spec(project, 'boards = ["host"]\nmodels = ["models/sine.tflite", '
                               '"models/kws.tflite"]\nkernel_sets = ["reference", "arm-dsp"]\n'
                               'invocations = 2\n')
    with pytest.raises(TfmKeywordError, match="no chosen board offers kernel set 'arm-dsp'"):
        lib.run_fleet_spec(str(spec), results=str(project / "r"))
    write_spec(project, spec.read_text().replace('"arm-dsp"', '"reference"'))
    fleet = lib.run_fleet_spec(str(spec), results=str(project / "r"))
    lib.fleet_job_count_should_be(2, fleet=fleet)
    lib.fleet_should_pass(fleet)
    rec = lib.fleet_job_record("host", "sine.tflite")
    assert rec.invocations == 2 and rec.passed
    lib.outputs_should_match_tflite()          # the fleet record became the last record
    with pytest.raises(TfmKeywordError, match="has no job"):
        lib.fleet_job_record("host", "nope.tflite")
    (project / "models" / "kws.tflite").write_bytes(b"not a model")
    fleet = lib.run_fleet_spec(str(spec), results=str(project / "r"))
    assert len(fleet.reused) == 1
    with pytest.raises(TfmKeywordError, match=r"1 of 2 job\(s\) did not pass:\n"
                       r"models/kws.tflite@host \[reference\]: ERROR \(model\)"):
        lib.fleet_should_pass(fleet)
    with pytest.raises(TfmKeywordError, match="expected 3 job"):
        lib.fleet_job_count_should_be(3, fleet=fleet)
    lib.fleet_job_count_should_be(1, "error", fleet=fleet)
