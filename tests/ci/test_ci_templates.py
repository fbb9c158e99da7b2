"""The CI templates' own `tfm-ci` command lines, read out of examples/ci/*.yml and run in
order on a small fleet (2 shards, merge, reports, the regression gate), so the templates
and the CLI cannot drift apart."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tfm_ci import demo_models

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "examples" / "ci"
SPEC = 'boards = ["host", "mps2-an386"]\nmodels = ["models/*.tflite"]\n'


def _commands(script_lines: list[str]) -> list[str]:
    """Every `tfm-ci ...` command in the script lines, without `|| true` or shell glue."""
    out = []
    for line in script_lines:
        for m in re.finditer(r"tfm-ci [^;\n]*", line):
            out.append(m.group(0).split("||")[0].strip())
    return out


def github_commands() -> dict[str, list[str]]:
    wf = yaml.safe_load((TEMPLATES / "github-actions.yml").read_text())
    return {job: _commands([line for step in spec["steps"] if "run" in step
                            for line in step["run"].splitlines()])
            for job, spec in wf["jobs"].items()}


def gitlab_commands() -> dict[str, list[str]]:
    ci = yaml.safe_load((TEMPLATES / "gitlab-ci.yml").read_text())
    return {job: _commands([str(line) for line in ci[job]["script"]])
            for job in ("shard", "merge")}


def _run(cmd: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    args = shlex.split(cmd)
    # The shell's glob (results/shard-*), as CI's shell expands it.
    expanded = [a for arg in args
                for a in (sorted(str(p.relative_to(cwd)) for p in cwd.glob(arg))
                          if "*" in arg else [arg])]
    return subprocess.run([sys.executable, "-m", "tfm_ci.cli", *expanded[1:]], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models").mkdir()
    for name in ("sine", "kws"):
        (tmp_path / "models" / f"{name}.tflite").write_bytes(demo_models.build(name))
    (tmp_path / "fleet.toml").write_text(SPEC)
    return tmp_path


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "TFM_CI_CACHE": str(cache), "COLUMNS": "200"}


def _slower(merged: Path, baseline: Path) -> None:
    """A baseline 10 % cheaper than the new run: the new run is a regression."""
    shutil.copytree(merged, baseline)
    for path in (baseline / "records").glob("*.json"):
        rec = json.loads(path.read_text())
        inv = rec.get("instructions", {}).get("invocations")
        if rec["status"] == "PASS" and inv:
            rec["instructions"]["invocations"] = [int(n / 1.1) for n in inv]
        path.write_text(json.dumps(rec))


def _gate(merge_cmds: list[str], project: Path, env: dict[str, str]) -> None:
    """Reports, then the diff against an equal baseline (exit 0) and a cheaper one
    (exit 1, the regression named), then the failures gate."""
    report = next(c for c in merge_cmds if c.startswith("tfm-ci fleet report merged --html"))
    proc = _run(report, project, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("fleet.html", "junit.xml", "fleet.json", "summary.md"):
        assert (project / "report" / name).is_file(), name
    summary = json.loads((project / "report" / "fleet.json").read_text())["summary"]
    assert summary["jobs"] == 4 and summary["passed"]
    diff = next(c for c in merge_cmds if c.startswith("tfm-ci fleet diff baseline merged"))
    shutil.copytree(project / "merged", project / "baseline")
    proc = _run(diff, project, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shutil.rmtree(project / "baseline")
    _slower(project / "merged", project / "baseline")
    proc = _run(diff, project, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "instructions" in (project / "report" / "diff.md").read_text()
    gate = next(c for c in merge_cmds if "--fail-on-failures" in c)
    assert _run(gate, project, env).returncode == 0


@pytest.mark.slow
def test_github_actions_sequence(project: Path, tmp_path: Path) -> None:
    cmds = github_commands()
    (shard_cmd,) = cmds["shard"]
    env = _env(tmp_path / "cache")
    for k in (1, 2):
        cmd = shard_cmd.replace("${{ matrix.shard }}", str(k)).replace("${{ env.SHARDS }}", "2")
        proc = _run(cmd, project, env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        # upload-artifact `fleet-shard-K` of results/shard-K, then download-artifact with
        # pattern fleet-shard-* into results/: the folder is named after the artifact
        (project / "results" / f"shard-{k}").rename(project / "results" / f"fleet-shard-{k}")
    merge = next(c for c in cmds["merge"] if c.startswith("tfm-ci fleet merge"))
    proc = _run(merge, project, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(list((project / "merged" / "records").glob("*.json"))) == 4
    _gate(cmds["merge"], project, env)


@pytest.mark.slow
def test_gitlab_ci_sequence(project: Path, tmp_path: Path) -> None:
    cmds = gitlab_commands()
    (shard_cmd,) = cmds["shard"]
    env = _env(tmp_path / "cache")
    for k in (1, 2):
        proc = _run(shard_cmd.replace("$CI_NODE_INDEX", str(k))
                    .replace("$CI_NODE_TOTAL", "2"), project, env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    shards = [json.loads(p.read_text())["job"]["id"]
              for k in (1, 2) for p in (project / "results" / f"shard-{k}" / "records").glob("*")]
    assert len(shards) == len(set(shards)) == 4          # the shards split, no overlap
    merge = next(c for c in cmds["merge"] if c.startswith("tfm-ci fleet merge"))
    proc = _run(merge, project, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _gate(cmds["merge"], project, env)


def test_failures_gate_fails_on_a_failed_job(project: Path, tmp_path: Path) -> None:
    env = _env(tmp_path / "cache")
    (project / "fleet.toml").write_text('boards = ["host"]\nmodels = ["models/sine.tflite"]\n'
                                        '[limits]\narena = "16B"\n')
    run = _run("tfm-ci fleet run fleet.toml --results r", project, env)
    assert run.returncode == 1, run.stdout + run.stderr
    proc = _run("tfm-ci fleet report r --fail-on-failures", project, env)
    assert proc.returncode == 1
    assert "1 job(s) failed" in proc.stderr and "host models/sine.tflite[reference]" in \
        proc.stderr
