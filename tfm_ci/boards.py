"""Board descriptions: ``platforms/<board>/board.toml`` -> :class:`tfm_ci.platform.Board`.

A board file is data validated by a small schema: every field has a declared
type, a default (or is required) and, for enums, its allowed values. Errors
name the file and the field. See docs/architecture.md for the format.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (Ubuntu 22.04)
    import tomli as tomllib

from tfm_ci import paths
from tfm_ci.platform import ISA_FEATURES, Board, MemoryRegion
from tfm_ci.units import parse_size

APP_KINDS = ("embedded", "runner")
#: Compile-time defines the engine derives from the board data (a board says each fact
#: once: in its table, never again in cflags).
DERIVED_DEFINES = {
    "TFM_UART_BASE": "[uart] base",
    "TFM_ARENA_SIZE": "the RAM budget (or --arena)",
    "TFM_INPUTS_CAPACITY": "inputs_capacity",
}
_REQUIRED = object()


class BoardError(ValueError):
    """A board description that does not follow the schema."""


@dataclass(frozen=True)
class Field:
    """One top-level field of board.toml."""

    kind: str                 # "str", "strlist", "size", "hz", "enum", "table"
    default: Any = _REQUIRED
    choices: tuple[str, ...] = ()
    doc: str = ""


SCHEMA: dict[str, Field] = {
    "name": Field("str", doc="board name; must equal its folder name"),
    "platform": Field("str", doc="platform plugin that owns the board"),
    "description": Field("str", "", doc="one line for `tfm-ci boards`"),
    "core": Field("str", doc="key into the toolchain's core_flags"),
    "isa_features": Field("strlist", ()),
    "ports": Field("strlist", (), doc="firmware/ports/<dir> folders compiled in, in order"),
    "app": Field("enum", "embedded", APP_KINDS),
    "linker_script": Field("str", None, doc="relative to the board folder"),
    "stack_size": Field("size", 16 * 1024),
    "inputs_capacity": Field("size", 256 * 1024),
    "inputs_region": Field("str", "ram", doc="memory region holding .tfm_inputs"),
    "cflags": Field("strlist", ()),
    "budget": Field("table", doc="the real part's flash and ram"),
    "memory": Field("table", (), doc="array of {name, origin, length}"),
    "uart": Field("table", {"kind": "stdout"}),
    "simulators": Field("table", doc="backend name -> settings"),
    "clock_hz": Field("hz", None, doc="core clock of the real part, for estimated ms"),
}


def _where(path: Path, field: str) -> str:
    return f"{path}: field {field!r}"


def _check(path: Path, field: str, value: Any, spec: Field) -> Any:
    if spec.kind == "str":
        if not isinstance(value, str):
            raise BoardError(f"{_where(path, field)}: expected a string, got {value!r}")
        return value
    if spec.kind == "strlist":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise BoardError(f"{_where(path, field)}: expected a list of strings, got {value!r}")
        return tuple(value)
    if spec.kind == "size":
        return _size(path, field, value)
    if spec.kind == "hz":
        return _hertz(path, field, value)
    if spec.kind == "enum":
        if value not in spec.choices:
            raise BoardError(f"{_where(path, field)}: {value!r} is not one of "
                             f"{', '.join(spec.choices)}")
        return value
    return value


def _size(path: Path, field: str, value: Any) -> int:
    try:
        return parse_size(value)
    except (ValueError, TypeError) as exc:
        raise BoardError(f"{_where(path, field)}: {exc}") from None


_HZ_UNITS = {"hz": 1, "khz": 10**3, "mhz": 10**6, "ghz": 10**9}


def _hertz(path: Path, field: str, value: Any) -> int | None:
    """A clock: a positive integer (Hz) or a string such as "80MHz" / "168 MHz"."""
    if value is None:
        return None
    hz: float | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        hz = value
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "").replace("_", "")
        for unit in sorted(_HZ_UNITS, key=len, reverse=True):
            if text.endswith(unit):
                try:
                    hz = float(text[: -len(unit)]) * _HZ_UNITS[unit]
                except ValueError:
                    hz = None
                break
    if hz is None or hz <= 0 or hz != int(hz):
        raise BoardError(f"{_where(path, field)}: expected a clock frequency such as "
                         f"80000000 or \"80MHz\", got {value!r}")
    return int(hz)


def _address(path: Path, field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BoardError(f"{_where(path, field)}: expected an address, got {value!r}")
    try:
        return int(value, 0) if isinstance(value, str) else value
    except ValueError:
        raise BoardError(f"{_where(path, field)}: not an address: {value!r}") from None


def _memory(path: Path, regions: Any) -> tuple[MemoryRegion, ...]:
    if not isinstance(regions, list | tuple):
        raise BoardError(f"{_where(path, 'memory')}: expected an array of tables")
    out: list[MemoryRegion] = []
    for i, region in enumerate(regions):
        where = f"memory[{i}]"
        if not isinstance(region, dict):
            raise BoardError(f"{_where(path, where)}: expected a table")
        extra = set(region) - {"name", "origin", "length"}
        if extra:
            raise BoardError(f"{_where(path, where)}: unknown keys {sorted(extra)}")
        for key in ("name", "origin", "length"):
            if key not in region:
                raise BoardError(f"{_where(path, where + '.' + key)}: required")
        name = _check(path, where + ".name", region["name"], Field("str"))
        if any(r.name == name for r in out):
            raise BoardError(f"{_where(path, where + '.name')}: duplicate region {name!r}")
        out.append(MemoryRegion(name, _address(path, where + ".origin", region["origin"]),
                                _size(path, where + ".length", region["length"])))
    return tuple(out)


def _uart(path: Path, uart: Any, app: str) -> dict[str, object]:
    """``kind`` is checked by the platform that owns the board (its ports know the
    kinds they drive, see Platform.uart_kinds); the engine checks the shape."""
    if not isinstance(uart, dict):
        raise BoardError(f"{_where(path, 'uart')}: expected a table")
    kind = _check(path, "uart.kind", uart.get("kind", "stdout"), Field("str"))
    extra = set(uart) - {"kind", "base"}
    if extra:
        raise BoardError(f"{_where(path, 'uart')}: unknown keys {sorted(extra)}")
    out: dict[str, object] = {"kind": kind}
    if "base" in uart:
        out["base"] = _address(path, "uart.base", uart["base"])
    elif app == "embedded":
        raise BoardError(f"{_where(path, 'uart.base')}: required for an embedded board "
                         f"(uart kind {kind!r}): the address of the UART's registers")
    return out


def _isa_features(path: Path, features: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [f for f in features if f not in ISA_FEATURES]
    if unknown:
        raise BoardError(f"{_where(path, 'isa_features')}: unknown {unknown} (known: "
                         f"{', '.join(ISA_FEATURES)}; see docs/plugin-guide.md)")
    return features


def _cflags(path: Path, cflags: tuple[str, ...]) -> tuple[str, ...]:
    for flag in cflags:
        name = flag[2:].split("=")[0] if flag.startswith("-D") else ""
        if name in DERIVED_DEFINES:
            raise BoardError(f"{_where(path, 'cflags')}: {flag!r}: {name} is derived from "
                             f"{DERIVED_DEFINES[name]}; state it there only")
    return cflags


def derived_defines(board: Board) -> list[str]:
    """The board's compile-time defines derived from its data (the arena and inputs
    sizes are added by the build, which computes the arena)."""
    base = board.uart.get("base")
    return [f"-DTFM_UART_BASE=0x{int(base):x}"] if base is not None else []  # type: ignore


def _budget(path: Path, budget: Any) -> tuple[int, int]:
    if not isinstance(budget, dict):
        raise BoardError(f"{_where(path, 'budget')}: expected a table with flash and ram")
    extra = set(budget) - {"flash", "ram"}
    if extra:
        raise BoardError(f"{_where(path, 'budget')}: unknown keys {sorted(extra)}")
    for key in ("flash", "ram"):
        if key not in budget:
            raise BoardError(f"{_where(path, 'budget.' + key)}: required")
    return _size(path, "budget.flash", budget["flash"]), _size(path, "budget.ram", budget["ram"])


def _simulators(path: Path, sims: Any) -> dict[str, dict[str, object]]:
    if not isinstance(sims, dict) or not sims:
        raise BoardError(f"{_where(path, 'simulators')}: expected a table naming at least one "
                         "backend, e.g. [simulators.qemu]")
    for name, settings in sims.items():
        if not isinstance(settings, dict):
            raise BoardError(f"{_where(path, 'simulators.' + name)}: expected a table")
    return {name: dict(settings) for name, settings in sims.items()}


def parse_board(data: dict[str, Any], path: Path) -> Board:
    """Validate parsed TOML `data` (from `path`) into a Board."""
    unknown = set(data) - set(SCHEMA)
    if unknown:
        raise BoardError(f"{path}: unknown fields {sorted(unknown)} "
                         f"(known: {', '.join(SCHEMA)})")
    values: dict[str, Any] = {}
    for key, spec in SCHEMA.items():
        if key not in data:
            if spec.default is _REQUIRED:
                raise BoardError(f"{_where(path, key)}: required ({spec.doc or spec.kind})")
            values[key] = spec.default
        else:
            values[key] = _check(path, key, data[key], spec)
    directory = path.parent
    if values["name"] != directory.name:
        raise BoardError(f"{_where(path, 'name')}: {values['name']!r} must equal the folder "
                         f"name {directory.name!r}")
    flash_budget, ram_budget = _budget(path, values["budget"])
    memory = _memory(path, values["memory"])
    names = {r.name for r in memory}
    if values["app"] == "embedded":
        for needed in ("flash", "ram", values["inputs_region"]):
            if needed not in names:
                raise BoardError(f"{_where(path, 'memory')}: an embedded board needs a region "
                                 f"named {needed!r} (has {sorted(names) or 'none'})")
        if values["inputs_capacity"] < 16:
            raise BoardError(f"{_where(path, 'inputs_capacity')}: must hold the 16-byte header")
    script = values["linker_script"]
    # No linker_script: the engine renders one from the memory map (firmware/ports/*/
    # linker.ld.j2), so the memory map is said once, in board.toml.
    linker = directory / script if script else None
    return Board(
        name=values["name"], platform=values["platform"], description=values["description"],
        core=values["core"], isa_features=_isa_features(path, values["isa_features"]),
        ports=values["ports"],
        memory=memory, flash_budget=flash_budget, ram_budget=ram_budget,
        stack_size=values["stack_size"], uart=_uart(path, values["uart"], values["app"]),
        simulators=_simulators(path, values["simulators"]), directory=directory,
        linker_script=linker, cflags=_cflags(path, values["cflags"]), app=values["app"],
        inputs_capacity=values["inputs_capacity"], inputs_region=values["inputs_region"],
        clock_hz=values["clock_hz"],
    )


def load_board(path: Path) -> Board:
    """Read and validate one board.toml."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise BoardError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise BoardError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_board(data, path)


def repo_root() -> Path:
    """The folder holding firmware/ and platforms/: the checkout, or the installed package
    data. Kept for older callers; new code asks :mod:`tfm_ci.paths`."""
    return paths.data_root()


def platforms_dirs() -> list[Path]:
    """Board folders' parents: the built-in platforms/, then TFM_CI_PLATFORMS_PATH entries."""
    dirs = [paths.platforms_dir()]
    extra = os.environ.get("TFM_CI_PLATFORMS_PATH", "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs


def load_boards(platform: str, dirs: Iterable[Path] | None = None,
                on_error: Callable[[BoardError], None] | None = None) -> tuple[Board, ...]:
    """Every board under `dirs` (default: :func:`platforms_dirs`) whose platform is `platform`.

    A broken board file raises BoardError, or is passed to `on_error` and skipped.
    """
    boards: list[Board] = []
    for root in platforms_dirs() if dirs is None else dirs:
        for path in sorted(Path(root).glob("*/board.toml")):
            try:
                board = load_board(path)
            except BoardError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                continue
            if board.platform == platform:
                boards.append(board)
    return tuple(boards)
