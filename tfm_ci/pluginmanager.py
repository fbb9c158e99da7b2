"""The plugin manager: built-in plugins, entry points, blocking, error isolation.

Built-ins are modules inside this package (``tfm_ci.plugins.<name>``), listed in
:data:`BUILTIN_PLUGINS` under their plugin names (``tfm_arm``, ...); third-party
plugins come from the ``tfm_ci`` entry-point group. Both go through the same
loading path (:func:`_load`), pytest's model. The built-ins are listed here rather
than declared as entry points of tfm-ci's own distribution so that they load the
same way whatever the install (a wheel, an editable install made before a plugin
existed, a checkout on ``PYTHONPATH``) and cannot go missing from stale metadata.
``TFM_CI_DISABLE_PLUGINS=a,b`` blocks plugins by name, ``TFM_CI_NO_AUTOLOAD=1``
skips entry points. A plugin that
fails to import, register or run is recorded in ``pm.errors`` (reported by
``tfm-ci plugins``/``doctor``) and the others carry on. Nothing happens at
import time: call :func:`make_plugin_manager`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from tfm_ci import hookspec

#: Plugin name -> module of the built-in plugins (names as TFM_CI_DISABLE_PLUGINS uses them).
BUILTIN_MODULES: dict[str, str] = {
    "tfm_host": "tfm_ci.plugins.host",
    "tfm_arm": "tfm_ci.plugins.arm",
    "tfm_riscv": "tfm_ci.plugins.riscv",
    "tfm_native": "tfm_ci.plugins.native",
    "tfm_qemu": "tfm_ci.plugins.qemu",
    "tfm_renode": "tfm_ci.plugins.renode",
    "tfm_report": "tfm_ci.report.writers",
}
BUILTIN_PLUGINS: tuple[str, ...] = tuple(BUILTIN_MODULES)
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


def _register(pm: TfmPluginManager, plugin: object, name: str, source: str) -> None:
    try:
        pm.register(plugin, name=name)
        pm.sources[name] = source
    except Exception as exc:  # PluginValidationError, bad hook signature, ...
        pm.record(name, "register", exc)


def _load(pm: TfmPluginManager, name: str, load: Callable[[], object], source: str) -> None:
    """Import one plugin (built-in or entry point) and register it; errors are recorded."""
    if name in disabled_plugins() or pm.is_blocked(name) or pm.has_plugin(name):
        return
    try:
        plugin = load()
    except Exception as exc:
        pm.record(name, "import", exc)
        return
    _register(pm, plugin, name, source)


def load_builtin_plugins(pm: TfmPluginManager,
                         builtins: tuple[str, ...] = BUILTIN_PLUGINS) -> None:
    """Register the built-in plugins named in `builtins` (keys of :data:`BUILTIN_MODULES`,
    or dotted module names of other in-tree plugins)."""
    for name in builtins:
        module = BUILTIN_MODULES.get(name, name)
        _load(pm, name, lambda m=module: importlib.import_module(m), "builtin")


def load_entry_point_plugins(pm: TfmPluginManager,
                             eps: list[EntryPoint] | None = None) -> None:
    """Register every plugin of the ``tfm_ci`` entry-point group (errors recorded)."""
    for ep in eps if eps is not None else list(entry_points(group=ENTRY_POINT_GROUP)):
        dist = getattr(ep, "dist", None)
        _load(pm, ep.name, ep.load, f"{dist.name} {dist.version}" if dist else ep.value)


def make_plugin_manager(*, load_entry_points: bool = True,
                        builtins: tuple[str, ...] = BUILTIN_PLUGINS) -> TfmPluginManager:
    """Build the plugin manager: hook specs, built-ins, then entry points."""
    pm = TfmPluginManager()
    pm.add_hookspecs(hookspec)
    for name in disabled_plugins():
        pm.set_blocked(name)
    load_builtin_plugins(pm, builtins)
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
