"""Where things live, answered once: firmware sources, board data, build outputs, models.

tfm-ci runs from a source checkout (``pip install -e .``) or from an installed
wheel. Every other module asks this one instead of walking up from its own file:

============  =========================================  ===================================
what          source checkout                            installed wheel
============  =========================================  ===================================
data root     the repository (holds firmware/, platforms/)  ``<site-packages>/tfm_ci/_data``
build root    ``<repo>/build``                           ``$XDG_CACHE_HOME/tfm-ci`` or
                                                         ``~/.cache/tfm-ci``
============  =========================================  ===================================

``TFM_CI_BUILD_DIR`` overrides the build root, ``TFM_CI_CACHE`` the build cache,
``TFM_SHARED_MODELS`` the folder of TFLM's models.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: Folder inside the package where the wheel puts firmware/ and platforms/ (pyproject.toml).
DATA_FOLDER = "_data"


class DataNotFoundError(RuntimeError):
    """Neither a checkout nor the installed package data holds the firmware."""


#: PACKAGE -> its checkout, once found: every job asks (two stats each time), and a
#: checkout's package does not move within a process. Keyed by PACKAGE (tests point it
#: elsewhere); a folder found not to be a checkout is looked at again on every call.
_CHECKOUTS: dict[Path, Path] = {}


def checkout_root() -> Path | None:
    """The source checkout holding this package, or None when installed from a wheel."""
    known = _CHECKOUTS.get(PACKAGE)
    if known is not None:
        return known
    root = PACKAGE.parent
    if (root / "pyproject.toml").is_file() and (root / "firmware").is_dir():
        _CHECKOUTS[PACKAGE] = root
        return root
    return None


def data_root() -> Path:
    """The folder holding ``firmware/`` and ``platforms/``."""
    root = checkout_root()
    if root is not None:
        return root
    data = PACKAGE / DATA_FOLDER
    if (data / "firmware").is_dir():
        return data
    raise DataNotFoundError(f"tfm-ci's firmware sources are missing: neither {PACKAGE.parent} "
                            f"(a checkout) nor {data} (package data) holds firmware/; "
                            "reinstall tfm-ci")


def firmware_dir() -> Path:
    """The micro interpreter's C sources (runtime, kernels, app, ports)."""
    return data_root() / "firmware"


def platforms_dir() -> Path:
    """The built-in boards' folders (``<board>/board.toml``)."""
    return data_root() / "platforms"


def user_cache_root() -> Path:
    """``$XDG_CACHE_HOME/tfm-ci``, else ``~/.cache/tfm-ci``."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "tfm-ci"


def build_root() -> Path:
    """Builds, job folders and the QEMU plugin: ``$TFM_CI_BUILD_DIR``, else ``<repo>/build``
    in a checkout, else the user cache folder (never inside site-packages)."""
    env = os.environ.get("TFM_CI_BUILD_DIR")
    if env:
        return Path(env)
    root = checkout_root()
    return root / "build" if root is not None else user_cache_root()


def cache_dir() -> Path:
    """The content-addressed firmware build cache: ``$TFM_CI_CACHE`` or ``<build root>/cache``."""
    env = os.environ.get("TFM_CI_CACHE")
    return Path(env) if env else build_root() / "cache"


def jobs_dir() -> Path:
    """Parent of per-job work folders (removed after a passing job unless kept)."""
    return build_root() / "jobs"


def shared_models_dir() -> Path:
    """TFLM's models for tests and benchmarks: $TFM_SHARED_MODELS, else ../shared/models
    beside the checkout (CI has it there; the files are never copied into the repo)."""
    env = os.environ.get("TFM_SHARED_MODELS")
    if env:
        return Path(env)
    root = checkout_root()
    return (root if root is not None else Path.cwd()).parent / "shared" / "models"

