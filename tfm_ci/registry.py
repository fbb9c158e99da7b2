"""What all plugins supply, collected once: platforms, boards, kernel sets, simulators.

Each plugin's hook is called on its own, so one raising plugin is recorded
(``registry.errors``) without hiding the others. Unknown or duplicate names
are clear errors listing what exists.
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field

from tfm_ci.inspect import KernelSetError, added_ops
from tfm_ci.platform import REFERENCE, Board, KernelSet, Platform
from tfm_ci.pluginmanager import PluginError, TfmPluginManager, make_plugin_manager
from tfm_ci.simulator import Simulator, SimulatorSettingsError


class UnknownNameError(LookupError):
    """A board, platform, kernel set or simulator name nobody supplies."""

    def __init__(self, kind: str, name: str, known: list[str], hint: str = "") -> None:
        self.kind, self.name, self.known = kind, name, known
        listing = ", ".join(sorted(known)) if known else "none"
        super().__init__(f"unknown {kind} {name!r} (known: {listing}){hint}")


class NoSimulatorError(LookupError):
    """No installed simulator backend can run the board."""


class BoardRefusedError(UnknownNameError):
    """A board that was supplied but refused when loaded (its reason says why)."""

    def __init__(self, name: str, reason: str) -> None:
        LookupError.__init__(self, f"board {name} was refused when loaded: {reason}")
        self.kind, self.name, self.known, self.reason = "board", name, [], reason


def simulator_problem(sim: object) -> str | None:
    """Why `sim` is not a usable backend (missing method, old ``run`` signature), or None."""
    if not isinstance(getattr(sim, "name", None), str):
        return "no string attribute 'name'"
    missing = [m for m in ("unavailable_reason", "can_run", "validate", "run")
               if not callable(getattr(sim, m, None))]
    if missing:
        return f"missing method(s) {', '.join(missing)}"
    try:
        params = list(inspect.signature(sim.run).parameters.values())  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    required = [p for p in params if p.default is p.empty
                and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if len(required) != 1 or required[0].kind is required[0].KEYWORD_ONLY:
        return (f"run{inspect.signature(sim.run)} must take one SimRequest "  # type: ignore
                "(run(self, request))")
    return None


@dataclass
class Registry:
    """Platforms, boards and simulators from every loaded plugin."""

    pm: TfmPluginManager
    platforms: dict[str, Platform] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)
    simulators: dict[str, Simulator] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)   # "board:x" / "platform:x" -> plugin
    errors: list[PluginError] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # board name -> why it was refused

    @classmethod
    def load(cls, pm: TfmPluginManager | None = None) -> Registry:
        """Ask every plugin for its platforms and simulators."""
        pm = pm if pm is not None else make_plugin_manager()
        reg = cls(pm=pm, errors=list(pm.errors))
        # Simulators first: each board's [simulators.<backend>] data is checked by its backend.
        for impl in pm.hook.tfm_simulators.get_hookimpls():
            for sim in reg._call(impl, "tfm_simulators"):
                reg._add_simulator(sim, impl.plugin_name)
        for impl in pm.hook.tfm_platforms.get_hookimpls():
            for platform in reg._call(impl, "tfm_platforms"):
                reg._add_platform(platform, impl.plugin_name)
        return reg

    def _call(self, impl: object, hook: str) -> list:
        try:
            result = impl.function()  # type: ignore[attr-defined]
            return list(result or ())
        except Exception as exc:
            self.errors.append(PluginError(impl.plugin_name, f"hook {hook}",  # type: ignore
                                           f"{type(exc).__name__}: {exc}"))
            return []

    def _duplicate(self, kind: str, name: str, plugin: str) -> bool:
        key = f"{kind}:{name}"
        if key in self.owners:
            self.errors.append(PluginError(plugin, "registry",
                                           f"duplicate {kind} {name!r}: already supplied by "
                                           f"plugin {self.owners[key]!r}; ignored"))
            return True
        self.owners[key] = plugin
        return False

    def _add_platform(self, platform: Platform, plugin: str) -> None:
        if not isinstance(platform, Platform):
            self.errors.append(PluginError(plugin, "hook tfm_platforms",
                                           f"returned {type(platform).__name__}, not Platform"))
            return
        if self._duplicate("platform", platform.name, plugin):
            return
        platform = self._with_reference(platform, plugin)
        self.platforms[platform.name] = platform
        for board in platform.boards:
            if self._duplicate("board", board.name, plugin):
                continue
            problem = self.board_problem(platform, board)
            if problem:
                self.refused[board.name] = problem
                self.errors.append(PluginError(plugin, "board", problem))
            else:
                self.boards[board.name] = board

    def board_problem(self, platform: Platform, board: Board) -> str | None:
        """Why `board` cannot be used with `platform` and the loaded simulators, or None."""
        tc = platform.toolchain
        if board.core not in tc.core_flags:
            return (f"board {board.name}: toolchain {tc.name} has no flags for core "
                    f"{board.core!r} (it knows: {', '.join(sorted(tc.core_flags)) or 'none'})")
        kind = str(board.uart.get("kind", ""))
        if platform.uart_kinds and kind not in platform.uart_kinds:
            return (f"board {board.name}: uart.kind {kind!r} is not driven by platform "
                    f"{platform.name}'s ports (known: {', '.join(platform.uart_kinds)})")
        for backend in board.simulators:
            sim = self.simulators.get(backend)
            validate = getattr(sim, "validate", None)
            if validate is None:
                continue      # no such backend loaded: reported when a job asks for it
            try:
                validate(board)
            except SimulatorSettingsError as exc:
                return str(exc)
            except Exception as exc:  # a backend's validate bug must not hide the board
                return (f"board {board.name}: [simulators.{backend}] check failed: "
                        f"{type(exc).__name__}: {exc}")
        return None

    def _with_reference(self, platform: Platform, plugin: str) -> Platform:
        """The platform with the engine's reference kernel set first (a platform may
        still list its own plain "reference"; one that changes kernels is refused)."""
        own = [k for k in platform.kernel_sets if k.name == REFERENCE.name]
        if any(dataclasses.replace(k, description=REFERENCE.description) != REFERENCE
               for k in own):
            self.errors.append(PluginError(plugin, "registry",
                                           f"platform {platform.name!r}: kernel set 'reference' "
                                           "is the engine's; the platform's is ignored (give "
                                           "its kernels another name)"))
        rest = []
        for kset in platform.kernel_sets:
            if kset.name == REFERENCE.name:
                continue
            try:
                added_ops(kset)
            except KernelSetError as exc:
                self.errors.append(PluginError(plugin, "registry", f"{exc}; kernel set ignored"))
                continue
            rest.append(kset)
        return dataclasses.replace(platform, kernel_sets=(REFERENCE, *rest))

    def _add_simulator(self, sim: Simulator, plugin: str) -> None:
        problem = simulator_problem(sim)
        if problem:
            self.errors.append(PluginError(plugin, "hook tfm_simulators",
                                           f"{sim!r} does not follow the Simulator protocol "
                                           f"(docs/simulators.md): {problem}"))
            return
        if not self._duplicate("simulator", sim.name, plugin):
            self.simulators[sim.name] = sim

    # -- look-ups ------------------------------------------------------------------------
    def board(self, name: str) -> Board:
        if name in self.refused:
            raise BoardRefusedError(name, self.refused[name])
        if name not in self.boards:
            raise UnknownNameError("board", name, list(self.boards))
        return self.boards[name]

    def platform(self, name: str) -> Platform:
        if name not in self.platforms:
            raise UnknownNameError("platform", name, list(self.platforms))
        return self.platforms[name]

    def platform_of(self, board: Board) -> Platform:
        return self.platform(board.platform)

    def kernel_sets(self, board: Board) -> list[KernelSet]:
        """Kernel sets of the board's platform that support its core."""
        return [k for k in self.platform_of(board).kernel_sets if k.supports(board.core)]

    def kernel_set(self, board: Board, name: str = "reference") -> KernelSet:
        platform = self.platform_of(board)
        for kset in platform.kernel_sets:
            if kset.name == name:
                if not kset.supports(board.core):
                    raise UnknownNameError(
                        "kernel set", name, [k.name for k in self.kernel_sets(board)],
                        f" for core {board.core} of {board.name} "
                        f"(it needs {', '.join(kset.cores)})")
                return kset
        raise UnknownNameError("kernel set", name, [k.name for k in platform.kernel_sets],
                               f" on platform {platform.name}")

    def simulator(self, name: str) -> Simulator:
        if name not in self.simulators:
            raise UnknownNameError("simulator", name, list(self.simulators))
        return self.simulators[name]

    def simulator_options(self, board: Board) -> list[tuple[str, Simulator | None, str | None]]:
        """(backend, simulator or None, why unavailable or None) in the board's order."""
        return [self._simulator_option(board, backend) for backend in board.simulators]

    def _simulator_option(self, board: Board,
                          backend: str) -> tuple[str, Simulator | None, str | None]:
        sim = self.simulators.get(backend)
        if sim is None:
            return backend, None, f"no plugin supplies simulator {backend!r}"
        try:
            reason = sim.unavailable_reason()
            if reason is None and not sim.can_run(board):
                reason = f"{backend} cannot run {board.name}"
        except Exception as exc:
            reason = f"{backend} check failed: {type(exc).__name__}: {exc}"
        return backend, sim, reason

    def simulator_for(self, board: Board, prefer: str | None = None) -> Simulator:
        """The first available simulator in the board's order (or the preferred one).
        Backends after the first available one are not asked (a fleet asks once per job)."""
        if prefer is not None and prefer not in board.simulators:
            raise NoSimulatorError(f"no simulator can run board {board.name}: {prefer}: board "
                                   f"{board.name} has no [simulators.{prefer}] settings")
        tried = []
        for backend in [prefer] if prefer is not None else board.simulators:
            option = self._simulator_option(board, backend)
            if option[1] is not None and option[2] is None:
                return option[1]
            tried.append(option)
        why = "; ".join(f"{b}: {r}" for b, _s, r in tried) or "no simulators listed"
        raise NoSimulatorError(f"no simulator can run board {board.name}: {why}")
