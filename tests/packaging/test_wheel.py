"""The built wheel installed (not editable) into a fresh venv works from any folder.

Builds the wheel, installs it with pip into a new venv (dependencies from pip's
configured indexes and cache: ~30 s here), then from a temporary folder outside
the checkout runs ``tfm-ci boards``, ``doctor`` and ``run`` of the sine demo model
on QEMU's mps2-an386 and checks PASS. Builds and job folders must land in the user
cache folder (HOME is a temporary folder), never inside site-packages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    assert proc.returncode == 0, f"$ {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO)])
    (built,) = out.glob("tfm_ci-*.whl")
    return built


def test_wheel_ships_the_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("tfm_ci/_data/firmware/kernels/ops.def",
                   "tfm_ci/_data/firmware/ports/cortex-m/linker.ld.j2",
                   "tfm_ci/_data/firmware/ports/linker_script.py",
                   "tfm_ci/_data/platforms/mps2-an386/board.toml",
                   "tfm_ci/_data/platforms/mps2-an386/renode.repl",
                   "tfm_ci/plugins/qemu/count_plugin.c",
                   "tfm_ci/plugins/arm/kernels/conv_2d.c",
                   "tfm_ci/plugins/renode/run.resc.j2",
                   "tfm_ci/plugins/renode/tfm_renode.resource",
                   "tfm_ci/api.py"):
        assert needed in names, needed
    assert not [n for n in names if "__pycache__" in n or n.endswith((".o", ".so", ".pyc"))]
    assert not [n for n in names if n.startswith(("plugins/", "tests/", "build/"))]


def test_installed_wheel_runs_a_model_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)])
    work, home = tmp_path / "elsewhere", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TFM_CI_", "XDG_CACHE", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), COLUMNS="200", TFM_CI_NO_AUTOLOAD="1")
    python, cli = str(venv / "bin" / "python"), str(venv / "bin" / "tfm-ci")

    where = _run([python, "-c", "import tfm_ci.paths as p; print(p.PACKAGE); "
                  "print(p.checkout_root()); print(p.data_root()); print(p.cache_dir())"],
                 cwd=work, env=env).stdout.split()
    assert where[0].startswith(str(venv)) and where[1] == "None"
    assert where[2] == str(Path(where[0]) / "_data")
    assert where[3] == str(home / ".cache" / "tfm-ci" / "cache")

    boards = _run([cli, "boards"], cwd=work, env=env).stdout
    assert "mps2-an386" in boards and "riscv32-virt" in boards and "host" in boards
    doctor = subprocess.run([cli, "doctor"], cwd=work, env=env, capture_output=True, text=True,
                            timeout=300)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "all good" in doctor.stdout

    _run([python, "-c", "from tfm_ci import demo_models; "
          "open('sine.tflite', 'wb').write(demo_models.build('sine'))"], cwd=work, env=env)
    run = subprocess.run([cli, "run", "--model", "sine.tflite", "--board", "mps2-an386",
                          "--invocations", "2", "--json", "rec.json"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    rec = json.loads((work / "rec.json").read_text())
    assert rec["status"] == "PASS" and rec["simulator"] == "qemu" and rec["invocations"] == 2
    assert rec["instructions"]["unit"] == "instructions"     # the count plugin was built
    assert rec["build"]["elf"].startswith(str(home / ".cache" / "tfm-ci"))
    assert rec["simulation"]["work_dir_removed"] is True
    assert list((home / ".cache" / "tfm-ci" / "jobs").iterdir()) == []
    site = Path(where[0])
    assert not list(site.rglob("*.o")) and not (site / "build").exists()
