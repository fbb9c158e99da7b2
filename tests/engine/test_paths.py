"""tfm_ci.paths: checkout vs installed package, build root and cache overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci import paths

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in ("TFM_CI_BUILD_DIR", "TFM_CI_CACHE", "XDG_CACHE_HOME", "TFM_SHARED_MODELS"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_checkout(clean: pytest.MonkeyPatch) -> None:
    assert paths.checkout_root() == REPO and paths.data_root() == REPO
    assert paths.firmware_dir() == REPO / "firmware"
    assert (paths.platforms_dir() / "mps2-an386" / "board.toml").is_file()
    assert paths.build_root() == REPO / "build"
    assert paths.cache_dir() == REPO / "build" / "cache"
    assert paths.jobs_dir() == REPO / "build" / "jobs"
    assert paths.shared_models_dir() == REPO.parent / "shared" / "models"


def test_overrides(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean.setenv("TFM_CI_BUILD_DIR", str(tmp_path / "b"))
    assert paths.cache_dir() == tmp_path / "b" / "cache"
    clean.setenv("TFM_CI_CACHE", str(tmp_path / "c"))
    assert paths.cache_dir() == tmp_path / "c" and paths.jobs_dir() == tmp_path / "b" / "jobs"
    clean.setenv("TFM_SHARED_MODELS", str(tmp_path / "m"))
    assert paths.shared_models_dir() == tmp_path / "m"


def test_installed_layout(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A wheel: <site-packages>/tfm_ci/_data holds the data; builds go to the user cache."""
    package = tmp_path / "site-packages" / "tfm_ci"
    (package / "_data" / "firmware").mkdir(parents=True)
    (package / "_data" / "platforms").mkdir()
    clean.setattr(paths, "PACKAGE", package)
    clean.setenv("HOME", str(tmp_path / "home"))
    assert paths.checkout_root() is None
    assert paths.data_root() == package / "_data"
    assert paths.platforms_dir() == package / "_data" / "platforms"
    assert paths.build_root() == tmp_path / "home" / ".cache" / "tfm-ci"
    clean.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "tfm-ci" / "cache"


def test_missing_data_is_a_clear_error(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean.setattr(paths, "PACKAGE", tmp_path / "tfm_ci")
    with pytest.raises(paths.DataNotFoundError, match=r"firmware sources are missing.*reinstall"):
        paths.data_root()


def test_checkout_answer_follows_the_package(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """checkout_root() is remembered per package folder: pointing PACKAGE at another
    folder (a wheel's, another checkout's) gives that folder's answer at once, as do
    the build root and cache derived from it; env overrides still win on every call."""
    assert paths.checkout_root() == REPO and paths.checkout_root() == REPO
    other = tmp_path / "other"
    (other / "firmware").mkdir(parents=True)
    (other / "pyproject.toml").write_text("")
    clean.setattr(paths, "PACKAGE", other / "tfm_ci")
    assert paths.checkout_root() == other and paths.cache_dir() == other / "build" / "cache"
    clean.setenv("TFM_CI_BUILD_DIR", str(tmp_path / "b"))
    assert paths.cache_dir() == tmp_path / "b" / "cache"
    clean.delenv("TFM_CI_BUILD_DIR")
    wheel = tmp_path / "site-packages" / "tfm_ci"
    (wheel / "_data" / "firmware").mkdir(parents=True)
    clean.setattr(paths, "PACKAGE", wheel)
    clean.setenv("HOME", str(tmp_path / "home"))
    assert paths.checkout_root() is None
    assert paths.build_root() == tmp_path / "home" / ".cache" / "tfm-ci"
    # A folder that was no checkout is looked at again: one made into a checkout counts.
    (wheel.parent / "firmware").mkdir()
    (wheel.parent / "pyproject.toml").write_text("")
    assert paths.checkout_root() == wheel.parent
    clean.setattr(paths, "PACKAGE", other / "tfm_ci")
    assert paths.checkout_root() == other
