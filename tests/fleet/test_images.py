"""The build phase's images reach run_job: the job runs the image it was handed
(even a copy elsewhere, as on a Dask worker), and a build failure is recorded as run_job
records a failed build of its own."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from tfm_ci.fleet import images
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

pytestmark = pytest.mark.slow


def test_jobs_run_the_image_they_are_handed(project: Path, registry: Registry,
                                            cache: Path) -> None:
    model = project / "models" / "sine.tflite"
    image = images.build_image(registry, "host", "reference", model, cache_dir=cache)
    assert image is not None and image.error is None
    copy = project / "elsewhere" / image.elf_name
    copy.parent.mkdir()
    shutil.copy(image.elf, copy)
    spec = JobSpec(model=str(model), board="host", cache_dir=str(cache))
    handed = images.prebuilt(replace(image, elf=str(copy)))
    rec = run_job(spec, registry, prebuilt=handed)
    assert rec.status is Status.PASS, rec.reason
    assert rec.build["elf"] == str(copy) and rec.build["key"] == image.build_key
    assert rec.build["cached"] and rec.build["compiled"] == 0
    assert rec.sizes["flash"] == image.sizes["flash"] > 0
    # The image handed to a job of another model, or of another arena, or no image:
    # the ordinary build.
    other = JobSpec(model=str(project / "models" / "kws.tflite"), board="host",
                    cache_dir=str(cache))
    assert run_job(other, registry, prebuilt=handed).build["elf"].startswith(
        str(cache.resolve()))
    sized = JobSpec(model=str(model), board="host", cache_dir=str(cache), arena_size="64KiB")
    assert run_job(sized, registry, prebuilt=handed).build["elf"] != str(copy)
    assert run_job(spec, registry).build["elf"] == image.elf


def test_shipped_bytes_and_recorded_build_errors(project: Path, registry: Registry,
                                                 cache: Path) -> None:
    model = project / "models" / "kws.tflite"
    image = images.build_image(registry, "mps2-an386", "reference", model, cache_dir=cache)
    assert image is not None
    shipped = image.shipped()
    assert shipped.elf_bytes == Path(image.elf).read_bytes()
    spec = JobSpec(model=str(model), board="mps2-an386", cache_dir=str(cache))
    rec = run_job(spec, registry,
                  prebuilt=images.prebuilt(replace(shipped, elf="/nonexistent/firmware.elf")))
    assert rec.status is Status.PASS, rec.reason
    assert rec.build["elf"].startswith(str(images.ship_dir()))
    failed = images.Image(key=image.key, error=("unsupported", "FANCY_OP (+1 more)",
                                                "FANCY_OP\nOTHER_OP"))
    rec = run_job(spec, registry, prebuilt=images.prebuilt(failed))
    assert (rec.status, rec.category, rec.reason) == (Status.SKIP, "unsupported",
                                                      "FANCY_OP (+1 more)")
    assert rec.errors == ["FANCY_OP", "OTHER_OP"]


def test_an_unsupported_model_records_alike(registry: Registry, cache: Path) -> None:
    from tests.runtime.models import unsupported_builtin

    model = cache.parent / "unsupported-lsh-projection.tflite"
    model.write_bytes(unsupported_builtin())
    spec = JobSpec(model=str(model), board="mps2-an386", cache_dir=str(cache))
    direct = run_job(spec, registry)
    assert direct.status is Status.SKIP and direct.category == "unsupported"
    image = images.build_image(registry, "mps2-an386", "reference", model, cache_dir=cache)
    assert image is not None and image.error is not None
    via = run_job(spec, registry, prebuilt=images.prebuilt(image))
    assert (via.status, via.category, via.reason, via.errors) == \
        (direct.status, direct.category, direct.reason, direct.errors)
