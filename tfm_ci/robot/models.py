"""Keywords that locate models: the built-in demo models and the shared real models."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from robot.api import SkipExecution
from robot.api.deco import keyword
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from tfm_ci import demo_models
from tfm_ci.paths import shared_models_dir
from tfm_ci.robot.errors import TfmKeywordError

#: The real models the suites run (the audio preprocessors are not models of a job).
SHARED_MODELS: tuple[str, ...] = (
    "hello_world_int8", "hello_world_float", "micro_speech_quantized", "person_detect",
)


def default_model_dir() -> Path:
    """${OUTPUT DIR}/models inside a Robot run, else a folder under the temp dir."""
    try:
        out = BuiltIn().get_variable_value("${OUTPUT DIR}")
    except RobotNotRunningError:
        out = None
    return Path(out) / "models" if out else Path(tempfile.gettempdir()) / "tfm-ci-models"


def write_demo_model(name: str, directory: Path) -> Path:
    """Write demo model `name` as <directory>/<name>.tflite (atomic: parallel suites share it)."""
    try:
        data = demo_models.build(name)
    except ValueError as exc:
        raise TfmKeywordError(str(exc)) from None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.tflite"
    if path.is_file() and path.read_bytes() == data:
        return path
    fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=directory)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


class ModelKeywords:
    """Models: demo models written on demand and the shared real models."""

    @keyword("Demo Model Names")
    def demo_model_names(self) -> list[str]:
        """Names of the built-in demo models (``tfm_ci.demo_models``)."""
        return list(demo_models.DEMO_MODELS)

    @keyword("Demo Model Path")
    def demo_model_path(self, name: str, directory: str | None = None) -> str:
        """Write demo model `name` to `directory` (default ``${OUTPUT DIR}/models``); its path."""
        folder = Path(directory) if directory else default_model_dir()
        return str(write_demo_model(name, folder))

    @keyword("Demo Model Paths")
    def demo_model_paths(self, directory: str | None = None) -> dict[str, str]:
        """Write every demo model; a dictionary name -> path."""
        return {n: self.demo_model_path(n, directory) for n in demo_models.DEMO_MODELS}

    @keyword("Shared Model Paths")
    def shared_model_paths(self) -> dict[str, str]:
        """The shared real models found, as name -> path (empty without the shared folder).

        The folder is ``$TFM_SHARED_MODELS`` or ``<repo>/../shared/models``;
        the audio preprocessors are left out.
        """
        root = shared_models_dir()
        found: dict[str, str] = {}
        if root.is_dir():
            for name in SHARED_MODELS:
                hits = sorted(root.rglob(f"{name}.tflite"))
                if hits:
                    found[name] = str(hits[0])
        return found

    @keyword("Shared Model Path")
    def shared_model_path(self, name: str) -> str:
        """Path of shared model `name`; the test is SKIPPED (with the reason) when absent."""
        if name not in SHARED_MODELS:
            raise TfmKeywordError(f"unknown shared model {name!r} "
                                  f"(known: {', '.join(SHARED_MODELS)})")
        path = self.shared_model_paths().get(name)
        if path is None:
            raise SkipExecution(f"shared model {name} not found under {shared_models_dir()} "
                                "(set TFM_SHARED_MODELS)")
        return path

    @keyword("Model Path")
    def model_path(self, name: str) -> str:
        """A demo model (written on demand), a shared model, or an existing file path."""
        if name in demo_models.DEMO_MODELS:
            return self.demo_model_path(name)
        if name in SHARED_MODELS:
            return self.shared_model_path(name)
        if Path(name).is_file():
            return name
        raise TfmKeywordError(f"no model {name!r}: not a demo model "
                              f"({', '.join(demo_models.DEMO_MODELS)}), not a shared model "
                              f"({', '.join(SHARED_MODELS)}) and not a file")
