"""The built-in plugins, one sub-package each: platforms ``host``, ``arm``, ``riscv``;
simulators ``native``, ``qemu``, ``renode``. They are registered under the plugin names
``tfm_host``, ``tfm_arm``, ... (see :mod:`tfm_ci.pluginmanager`) and, like a third-party
plugin, use only :mod:`tfm_ci.api`.

The names below are re-exported for code written when this module was the plugin
manager (``from tfm_ci.plugins import make_plugin_manager``); new code imports
:mod:`tfm_ci.pluginmanager`.
"""

from tfm_ci.pluginmanager import (
    BUILTIN_PLUGINS,
    ENTRY_POINT_GROUP,
    PluginError,
    TfmPluginManager,
    disabled_plugins,
    load_entry_point_plugins,
    make_plugin_manager,
    plugin_path,
)

__all__ = [
    "BUILTIN_PLUGINS", "ENTRY_POINT_GROUP", "PluginError", "TfmPluginManager",
    "disabled_plugins", "load_entry_point_plugins", "make_plugin_manager", "plugin_path",
]
