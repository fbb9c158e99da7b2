"""Fleet specs: every mistake is a clear error naming the key and the file, before any job."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.fleet import FleetSpecError, Shard, ShardError, job_id, load_spec, select_shard
from tfm_ci.fleet.identity import fingerprint
from tfm_ci.registry import Registry

from .conftest import write_spec

GOOD = 'boards = ["host"]\nmodels = ["models/sine.tflite"]\n'


@pytest.mark.parametrize(("text", "key", "message"), [
    (GOOD + "datasets = 1\n", "datasets", "expected an array of tables"),
    (GOOD + "invocation = 2\n", "invocation", "unknown key"),
    ('models = ["models/sine.tflite"]\n', "boards", "missing"),
    ('boards = ["host"]\n', "models", "missing"),
    ('boards = ["no-such-board"]\nmodels = ["models/sine.tflite"]\n', "boards",
     "unknown board 'no-such-board'"),
    ('boards = ["zz-*"]\nmodels = ["models/sine.tflite"]\n', "boards",
     "pattern 'zz-*' matches no board"),
    ('boards = ["host"]\nmodels = ["models/*.onnx"]\n', "models",
     "pattern 'models/*.onnx' matches no file"),
    ('boards = ["host"]\nmodels = ["models/missing.tflite"]\n', "models", "does not exist"),
    ('boards = []\nmodels = ["models/sine.tflite"]\n', "boards", "non-empty list"),
    (GOOD + 'kernel_sets = ["arm-dsq"]\n', "kernel_sets", "no chosen board offers"),
    (GOOD + "invocations = 0\n", "invocations", "integer >= 1"),
    (GOOD + 'seed = "one"\n', "seed", "integer"),
    (GOOD + "timeout = -1\n", "timeout", "number"),
    (GOOD + '[limits]\nram = "lots"\n', "limits.ram", "bad limit"),
    (GOOD + '[limits]\nspeed = "1M"\n', "limits.speed", "KIND one of"),
    (GOOD + 'limits = "ram=1KiB"\n', "limits", "table"),
])
def test_spec_errors_name_file_and_key(project: Path, registry: Registry, text: str, key: str,
                                       message: str) -> None:
    path = write_spec(project, text)
    with pytest.raises(FleetSpecError) as exc:
        load_spec(path, registry)
    assert str(exc.value).startswith(f"{path}: {key}: ")
    assert message in str(exc.value)


def test_unreadable_and_invalid_toml(project: Path, registry: Registry) -> None:
    with pytest.raises(FleetSpecError, match="cannot read"):
        load_spec(project / "nope.toml", registry)
    path = write_spec(project, "boards = [\n")
    with pytest.raises(FleetSpecError, match=f"{path}: not valid TOML"):
        load_spec(path, registry)


def test_globs_relative_paths_and_defaults(project: Path, registry: Registry) -> None:
    sub = project / "ci"
    sub.mkdir()
    path = write_spec(sub, 'boards = ["mps2-an38*", "host", "host"]\n'
                           'models = ["../models/*.tflite", "../models/sine.tflite"]\n')
    spec = load_spec(path, registry)
    assert spec.boards == ["mps2-an385", "mps2-an386", "host"]
    names = [m.name for m in spec.models]
    assert "../models/sine.tflite" in names and len(names) == len(set(names))
    assert spec.kernel_sets == ["reference"]
    assert (spec.invocations, spec.seed, spec.timeout, spec.limits) == (1, 0, 120.0, [])
    jobs = spec.jobs()
    assert len(jobs) == len(spec.boards) * len(spec.models)
    assert len({j.id for j in jobs}) == len(jobs)


def test_limits_as_in_run(project: Path, registry: Registry) -> None:
    path = write_spec(project, GOOD + 'timeout = 30\n[limits]\narena = "96KiB"\n'
                                      "instructions = 2000000\n")
    spec = load_spec(path, registry)
    assert spec.limits == ["arena=96KiB", "instructions=2000000"]
    assert spec.timeout == 30.0


def test_job_id_is_safe_stable_and_unique() -> None:
    a = job_id("mps2-an386", "models/sub dir/a+b.tflite", "arm-dsp")
    assert a == job_id("mps2-an386", "models/sub dir/a+b.tflite", "arm-dsp")
    assert a.startswith("mps2-an386__models-sub-dir-a-b__arm-dsp-")
    assert all(c.isalnum() or c in "._-" for c in a)
    # Names that sanitise alike still differ by the hash of the identity.
    assert job_id("b", "m/x.tflite", "k") != job_id("b", "m-x.tflite", "k")


def test_fingerprint_covers_model_board_kernels_settings_version() -> None:
    base = fingerprint("aa", "host", "reference", {"seed": 1})
    assert base == fingerprint("aa", "host", "reference", {"seed": 1})
    for other in (fingerprint("ab", "host", "reference", {"seed": 1}),
                  fingerprint("aa", "mps2-an386", "reference", {"seed": 1}),
                  fingerprint("aa", "host", "arm-dsp", {"seed": 1}),
                  fingerprint("aa", "host", "reference", {"seed": 2}),
                  fingerprint("aa", "host", "reference", {"seed": 1}, tool_version="tfm-ci 9")):
        assert other != base


def test_changed_model_bytes_change_the_fingerprint(project: Path, registry: Registry) -> None:
    path = write_spec(project, GOOD)
    before = load_spec(path, registry).jobs()[0]
    (project / "models" / "sine.tflite").write_bytes(
        (project / "models" / "kws.tflite").read_bytes())
    after = load_spec(path, registry).jobs()[0]
    assert before.id == after.id and before.fingerprint != after.fingerprint


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", "-1/2"])
def test_bad_shards(text: str) -> None:
    with pytest.raises(ShardError):
        Shard.parse(text)


def test_shards_partition_the_fleet(project: Path, registry: Registry) -> None:
    path = write_spec(project, 'boards = ["*"]\nmodels = ["models/*.tflite"]\n'
                               'kernel_sets = ["reference", "arm-dsp"]\n')
    jobs = load_spec(path, registry).jobs()
    everything = sorted(j.id for j in jobs)
    for n in (1, 2, 3, 7):
        parts = [[j.id for j in select_shard(jobs, Shard(k, n))] for k in range(1, n + 1)]
        union = [jid for part in parts for jid in part]
        assert sorted(union) == everything and len(union) == len(set(union))
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
        # Stable whatever order the spec expanded in.
        again = [[j.id for j in select_shard(list(reversed(jobs)), Shard(k, n))]
                 for k in range(1, n + 1)]
        assert again == parts
