"""Keywords about plugins, boards, kernel sets and simulators."""

from __future__ import annotations

from robot.api import logger
from robot.api.deco import keyword

from tfm_ci.platform import Board
from tfm_ci.registry import UnknownNameError
from tfm_ci.robot.errors import TfmKeywordError
from tfm_ci.robot.state import LibraryState, import_plugin


class BoardKeywords:
    """Plugins and boards: what the registry holds."""

    state: LibraryState

    def _board(self, name: str) -> Board:
        try:
            return self.state.registry.board(name)
        except UnknownNameError as exc:
            raise TfmKeywordError(str(exc)) from None

    def _builtin(self, board: str) -> bool:
        reg = self.state.registry
        return reg.pm.sources.get(reg.owners.get(f"board:{board}", ""), "") == "builtin"

    @keyword("Built In Boards")
    def built_in_boards(self) -> list[str]:
        """Names of the boards supplied by the built-in plugins, sorted."""
        return sorted(b for b in self.state.registry.boards if self._builtin(b))

    @keyword("All Boards")
    def all_boards(self) -> list[str]:
        """Names of every board of every loaded plugin (built-in, entry point, loaded), sorted."""
        return sorted(self.state.registry.boards)

    @keyword("Boards With Available Simulator")
    def boards_with_available_simulator(self, boards: list[str] | None = None) -> list[str]:
        """The given boards (default: `Built In Boards`) that an installed simulator can run.

        Boards left out are logged with the reason.
        """
        reg = self.state.registry
        names = self.built_in_boards() if boards is None else list(boards)
        out = []
        for name in names:
            options = reg.simulator_options(self._board(name))
            if any(sim is not None and why is None for _b, sim, why in options):
                out.append(name)
            else:
                logger.info(f"{name}: no simulator: "
                            + "; ".join(f"{b}: {why}" for b, _s, why in options))
        return out

    @keyword("Board Should Exist")
    def board_should_exist(self, board: str) -> None:
        """Fail unless some plugin supplies `board` (the message lists the known boards)."""
        self._board(board)

    @keyword("Board Budget")
    def board_budget(self, board: str) -> dict[str, int]:
        """The real part's budget of `board` as a dictionary ``flash``, ``ram`` (bytes)."""
        b = self._board(board)
        return {"flash": b.flash_budget, "ram": b.ram_budget}

    @keyword("Board Platform")
    def board_platform(self, board: str) -> str:
        """The name of the platform that owns `board`."""
        return self._board(board).platform

    @keyword("Kernel Sets Of Board")
    def kernel_sets_of_board(self, board: str) -> list[str]:
        """Names of the kernel sets usable on `board` (its platform's, for its core)."""
        return [k.name for k in self.state.registry.kernel_sets(self._board(board))]

    @keyword("Plugin Should Be Loaded")
    def plugin_should_be_loaded(self, plugin: str) -> str:
        """Fail unless `plugin` is registered; returns where it came from.

        The source is ``builtin``, ``<distribution> <version>`` for an entry
        point, or ``loaded by Robot (...)`` for `Load Plugin`.
        """
        reg = self.state.registry
        if not reg.pm.has_plugin(plugin):
            names = sorted(n for n, p in reg.pm.list_name_plugin() if p is not None)
            errors = [str(e) for e in reg.errors if e.plugin == plugin]
            raise TfmKeywordError(f"plugin {plugin!r} is not loaded (loaded: {', '.join(names)})"
                                  + (f"; errors: {'; '.join(errors)}" if errors else ""))
        return reg.pm.sources.get(plugin, "?")

    @keyword("Plugin Errors Should Be Empty")
    def plugin_errors_should_be_empty(self) -> None:
        """Fail when a plugin failed to import, register or run, listing every error."""
        errors = self.state.registry.errors
        if errors:
            raise TfmKeywordError(f"{len(errors)} plugin error(s): "
                                  + "; ".join(str(e) for e in errors))

    @keyword("Load Plugin")
    def load_plugin(self, plugin: str, name: str | None = None) -> str:
        """Register a plugin module (importable name, ``.py`` file or package folder).

        The registry is reloaded with it; no core file or installation is
        needed, which suits test-only plugins. Returns the plugin's name.
        """
        module = import_plugin(plugin)
        name = name or module.__name__
        self.state.extra_plugins[name] = module
        reg = self.state.reload()
        for error in reg.errors:
            if error.plugin == name:
                raise TfmKeywordError(f"plugin {name}: {error.stage}: {error.error}")
        return name

    @keyword("Unload Plugin")
    def unload_plugin(self, name: str) -> None:
        """Forget a plugin added with `Load Plugin` and reload the registry."""
        if self.state.extra_plugins.pop(name, None) is None:
            raise TfmKeywordError(f"plugin {name!r} was not loaded with `Load Plugin`")
        self.state.reload()

    @keyword("Reload Plugins")
    def reload_plugins(self) -> None:
        """Build the plugin manager and registry again (after installing a plugin)."""
        self.state.reload()
