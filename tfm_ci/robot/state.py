"""State shared by the keyword classes: the registry, extra plugins, the last job."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from tfm_ci.job import JobRecord
from tfm_ci.pluginmanager import make_plugin_manager
from tfm_ci.registry import Registry
from tfm_ci.robot.errors import TfmKeywordError


def import_plugin(spec: str) -> ModuleType:
    """A plugin module from an importable name or a path to a ``.py`` file / package folder."""
    path = Path(spec)
    if path.suffix == ".py" or path.is_dir():
        init = path / "__init__.py" if path.is_dir() else path
        if not init.is_file():
            raise TfmKeywordError(f"plugin {spec}: {init} does not exist")
        name = init.parent.name if path.is_dir() else path.stem
        mod_spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(init.parent)] if path.is_dir() else None)
        if mod_spec is None or mod_spec.loader is None:
            raise TfmKeywordError(f"plugin {spec}: cannot import {init}")
        module = importlib.util.module_from_spec(mod_spec)
        mod_spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(spec)
    except ImportError as exc:
        raise TfmKeywordError(f"plugin {spec}: cannot import: {exc}") from None


@dataclass
class LibraryState:
    """What the keyword classes share (one instance per TfmLibrary)."""

    extra_plugins: dict[str, ModuleType] = field(default_factory=dict)
    last_record: JobRecord | None = None
    cache_dir: str | None = None
    _registry: Registry | None = None

    @property
    def registry(self) -> Registry:
        """Built-ins + entry points + plugins added with `Load Plugin`, loaded once."""
        if self._registry is None:
            pm = make_plugin_manager()
            for name, module in self.extra_plugins.items():
                if not pm.has_plugin(name):
                    pm.register(module, name=name)
                    pm.sources[name] = f"loaded by Robot ({module.__file__})"
            pm.check_pending()
            self._registry = Registry.load(pm)
        return self._registry

    def reload(self) -> Registry:
        self._registry = None
        return self.registry

    def record(self, record: JobRecord | None) -> JobRecord:
        """The given job record, or the last one `Run Model On Board` returned."""
        if record is None:
            record = self.last_record
        if record is None:
            raise TfmKeywordError("no job record: call `Run Model On Board` first")
        if isinstance(record, dict):
            return JobRecord.from_dict(record)
        if not isinstance(record, JobRecord):
            raise TfmKeywordError(f"not a job record: {record!r}")
        return record
