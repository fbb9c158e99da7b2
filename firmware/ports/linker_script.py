"""Render a board's linker script from its port family's template.

The template is the ``linker.ld.j2`` of the first port folder of the board
(``firmware/ports/<port>/``) that has one; the memory map comes from the
board description (``[[memory]]``: regions ``flash`` and ``ram`` are
required; ``inputs_region`` names the region of the NOLOAD ``.tfm_inputs``).
The engine renders the script at build time for every board that names no
``linker_script`` of its own (the memory map is said once, in board.toml). To
write a starting point for a board's own script::

    .venv/bin/python firmware/ports/linker_script.py platforms/<board>
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jinja2

from tfm_ci.platform import Board

PORTS_DIR = Path(__file__).resolve().parent
TEMPLATE_NAME = "linker.ld.j2"


class LinkerScriptError(ValueError):
    """The board cannot be given a linker script (no template, missing region)."""


def region_symbol(name: str) -> str:
    """A board region name as a linker MEMORY name ("sram-top" -> "SRAM_TOP")."""
    return re.sub(r"\W", "_", name).upper()


def template_for(board: Board) -> Path:
    for port in board.ports:
        candidate = PORTS_DIR / port / TEMPLATE_NAME
        if candidate.is_file():
            return candidate
    raise LinkerScriptError(
        f"board {board.name}: none of its ports {list(board.ports)} has a {TEMPLATE_NAME}"
    )


def _region(board: Board, name: str, role: str):
    try:
        return board.region(name)
    except KeyError:
        names = [r.name for r in board.memory]
        raise LinkerScriptError(
            f"board {board.name}: {role} needs a memory region {name!r} (has {names})"
        ) from None


def render(board: Board) -> str:
    """The linker script text for ``board``."""
    template = template_for(board)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)
    env.filters["region"] = region_symbol
    ram = _region(board, "ram", "data/bss/arena/stack")
    inputs_name = getattr(board, "inputs_region", "ram") or "ram"
    return env.from_string(template.read_text()).render(
        header=(f"Linker script for board {board.name}, generated from "
                f"firmware/ports/{template.parent.name}/{TEMPLATE_NAME}: do not edit."),
        regions=board.memory,
        flash=_region(board, "flash", "code/rodata"),
        ram=ram,
        arena=ram,
        stack=ram,
        inputs=_region(board, inputs_name, ".tfm_inputs"),
        stack_size=board.stack_size,
    )


def write(board: Board) -> Path:
    """Render into ``<board dir>/linker.ld`` and return its path."""
    path = board.directory / "linker.ld"
    path.write_text(render(board))
    return path


def main(argv: list[str]) -> int:
    from tfm_ci.boards import load_board, platforms_dirs

    dirs = [Path(a) for a in argv] or [
        d for root in platforms_dirs() for d in sorted(root.iterdir())]
    for directory in dirs:
        toml = directory / "board.toml"
        if not toml.is_file():
            continue
        board = load_board(toml)
        if board.app != "embedded":
            continue
        print(write(board))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
