"""The plugin manager: built-in plugins, entry points, blocking, error isolation.

Built-ins are a plain tuple of module names; third-party plugins come from
the ``tfm_ci`` entry-point group. ``TFM_CI_DISABLE_PLUGINS=a,b`` blocks
plugins by name, ``TFM_CI_NO_AUTOLOAD=1`` skips entry points. A plugin that
fails to import, register or run is recorded in ``pm.errors`` (reported by
``tfm-ci plugins``/``doctor``) and the others carry on. Nothing happens at
import time: call :func:`make_plugin_manager`.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from tfm_ci import hookspec
from tfm_ci.boards import repo_root

BUILTIN_PLUGINS: tuple[str, ...] = (
    "tfm_host", "tfm_arm", "tfm_riscv", "tfm_native", "tfm_qemu", "tfm_renode",
    "tfm_ci.report.writers",
)
ENTRY_POINT_GROUP = "tfm_ci"


@dataclass(frozen=True)
class PluginError:
    """A plugin that could not be loaded or whose hook failed."""

    plugin: str
    stage: str          # "import", "register", "hook tfm_platforms", "registry", ...
    error: str

    def __str__(self) -> str:
        return f"{self.plugin}: {self.stage}: {self.error}"


class TfmPluginManager(pluggy.PluginManager):
    """A pluggy PluginManager that also keeps the errors of broken plugins."""

    def __init__(self) -> None:
        super().__init__("tfm_ci")
        self.errors: list[PluginError] = []
        self.sources: dict[str, str] = {}     # plugin name -> "builtin" / distribution

    def record(self, plugin: str, stage: str, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        self.errors.append(PluginError(plugin, stage, text))


def disabled_plugins() -> set[str]:
    """Names listed in TFM_CI_DISABLE_PLUGINS (comma separated)."""
    raw = os.environ.get("TFM_CI_DISABLE_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


class _SourcePluginFinder(importlib.abc.MetaPathFinder):
    """Finds built-in plugin packages in <repo>/plugins when they are not installed
    (a source checkout or an editable install made before the plugin existed)."""

    def __init__(self, root: Path, names: tuple[str, ...]) -> None:
        self.root, self.names = root, names

    def find_spec(self, fullname: str, path: object = None, target: object = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        init = self.root / fullname / "__init__.py"
        if not init.is_file():
            return None
        return importlib.util.spec_from_file_location(
            fullname, init, submodule_search_locations=[str(init.parent)])


def _install_source_finder() -> None:
    if not any(isinstance(f, _SourcePluginFinder) for f in sys.meta_path):
        # Last, so an installed package of the same name wins.
        sys.meta_path.append(_SourcePluginFinder(repo_root() / "plugins", BUILTIN_PLUGINS))


def _register(pm: TfmPluginManager, plugin: object, name: str, source: str) -> None:
    try:
        pm.register(plugin, name=name)
        pm.sources[name] = source
    except Exception as exc:  # PluginValidationError, bad hook signature, ...
        pm.record(name, "register", exc)


def load_entry_point_plugins(pm: TfmPluginManager,
                             eps: list[EntryPoint] | None = None) -> None:
    """Register every plugin of the ``tfm_ci`` entry-point group (errors recorded)."""
    blocked = disabled_plugins()
    for ep in eps if eps is not None else list(entry_points(group=ENTRY_POINT_GROUP)):
        if ep.name in blocked or pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            pm.record(ep.name, "import", exc)
            continue
        dist = getattr(ep, "dist", None)
        _register(pm, plugin, ep.name, f"{dist.name} {dist.version}" if dist else ep.value)


def make_plugin_manager(*, load_entry_points: bool = True,
                        builtins: tuple[str, ...] = BUILTIN_PLUGINS) -> TfmPluginManager:
    """Build the plugin manager: hook specs, built-ins, then entry points."""
    pm = TfmPluginManager()
    pm.add_hookspecs(hookspec)
    _install_source_finder()
    blocked = disabled_plugins()
    for name in blocked:
        pm.set_blocked(name)
    for name in builtins:
        if name in blocked:
            continue
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            pm.record(name, "import", exc)
            continue
        _register(pm, module, name, "builtin")
    if load_entry_points and os.environ.get("TFM_CI_NO_AUTOLOAD", "") not in ("1", "true"):
        load_entry_point_plugins(pm)
    while True:  # hook implementations without a spec: drop that plugin, keep the rest
        try:
            pm.check_pending()
            break
        except pluggy.PluginValidationError as exc:
            name = pm.get_name(exc.plugin) or repr(exc.plugin)
            pm.record(name, "check_pending", exc)
            pm.unregister(exc.plugin)
    return pm


def plugin_path(module: ModuleType) -> Path:
    """Folder of a plugin module (for data files next to it)."""
    return Path(module.__file__ or ".").resolve().parent
