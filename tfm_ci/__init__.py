"""tfm-ci: build, simulate, verify and budget TinyML models on many boards."""

import pluggy

__version__ = "0.1.0"

#: Marker for plugin hook implementations: ``@tfm_ci.hookimpl``.
hookimpl = pluggy.HookimplMarker("tfm_ci")
