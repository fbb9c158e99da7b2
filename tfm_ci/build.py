"""Build the firmware for (board, model, kernel set) into an ELF, cached by content.

Sources (see docs/architecture.md): firmware/runtime, kernels/internal,
kernels/common, kernels/reference (each replaced by the kernel set's override
of the same name), the set's extra sources and added-op kernels, app/app.c,
then app/target_main.c + generated ops.c and model_blob.S (embedded boards)
or app/all_ops.c + app/host_runner.c (+ generated added_ops.c) (runner
boards), then every .c/.S of the board's ports in order.

Objects are cached by what the compiler reports it read (``-MD``; see
:mod:`tfm_ci.objcache`), the ELF under ``<cache>/elf/<hash>/`` by the objects,
the linker script and link flags, with its sha256 checked on reuse. A repeated
job therefore rebuilds nothing (``BuildResult.cached``). A link that overflows
the board's memory is re-linked with a relaxed memory map to measure it and
reported as a budget failure (:class:`MemoryOverflowError`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tfm_ci import budgets, memfit, paths
from tfm_ci import offline_prep as offline_prep_mod
from tfm_ci.boards import derived_defines
from tfm_ci.custom_ops import signal_sources
from tfm_ci.elfsize import SectionSizes, section_sizes
from tfm_ci.inspect import ModelInfo, added_ops, coverage, kernel_sources, read_model
from tfm_ci.objcache import (
    FileHashes,
    elf_intact,
    find_object,
    parse_depfile,
    store_object,
    write_elf_meta,
)
from tfm_ci.opcodes import OpDef, builtin_codes, firmware_dir, read_ops_def
from tfm_ci.platform import Board, KernelOp, KernelSet, Toolchain
from tfm_ci.statcache import StatCache, settled, signature

#: RAM kept for static data (.data + .bss) when no first link measured it.
STATIC_RAM_RESERVE = 8 * 1024
ARENA_ALIGN = 16


class BuildError(RuntimeError):
    """The firmware could not be built; ``log`` holds the compiler output (or details)."""

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(message if not log else f"{message}\n{log}")
        self.log = log


class UnsupportedModelError(BuildError):
    """The model uses ops the kernel set lacks (found before compiling)."""


class MemoryOverflowError(BuildError):
    """The image does not fit the board's budgets: ``sizes`` were measured by a re-link
    with a relaxed memory map, ``checks`` are the board budget checks on them."""

    def __init__(self, message: str, log: str, sizes: SectionSizes,
                 checks: list[budgets.BudgetCheck]) -> None:
        super().__init__(message, log)
        self.sizes = sizes
        self.checks = checks


@dataclass
class BuildResult:
    elf: Path
    cached: bool
    flags: list[str]
    sources: list[Path]
    log: str = ""
    arena_size: int | None = None
    key: str = ""
    seconds: float = 0.0
    compiled: int = 0                     # objects compiled (not from cache)
    extra: dict[str, object] = field(default_factory=dict)
    sizes: SectionSizes | None = None     # the ELF's section sizes (elfsize), when read
    objects: list[Path] = field(default_factory=list)   # the objects linked into `elf`


def default_cache_dir() -> Path:
    """``$TFM_CI_CACHE``, else ``<build root>/cache`` (:mod:`tfm_ci.paths`)."""
    return paths.cache_dir()


@functools.cache
def compiler_version(cc: str) -> str:
    try:
        out = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=30)
    except OSError as exc:
        raise BuildError(f"compiler {cc!r} not found: {exc.strerror}") from None
    return out.stdout.splitlines()[0] if out.stdout else cc


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:24]


# -- generated files ---------------------------------------------------------------------------
def _added_lines(ops: Sequence[KernelOp]) -> tuple[list[str], list[str]]:
    """(declarations, registrations) of a kernel set's added ops."""
    codes = builtin_codes()
    decls = list(dict.fromkeys(f"const tfm_kernel *{op.register}(void);" for op in ops))
    regs = []
    for op in ops:
        if op.custom:
            name = op.name.replace("\\", "\\\\").replace('"', '\\"')
            regs.append(f'  (void)tfm_resolver_add_custom(resolver, "{name}", {op.register}());')
        else:
            regs.append(f"  (void)tfm_resolver_add_builtin(resolver, {codes[op.name]}, "
                        f"{op.register}()); /* {op.name} (added) */")
    return decls, regs


def generate_ops_c(ops: list[OpDef], added: Sequence[KernelOp] = ()) -> str:
    """tfm_app_register_ops() naming only `ops` and the model's `added` ops (selective
    linking)."""
    decls, regs = _added_lines(added)
    lines = ["/* Generated by tfm_ci.build: registers only this model's ops. */",
             '#include "app.h"', '#include "tfm/kernels.h"', *decls, "",
             "void tfm_app_register_ops(tfm_resolver *resolver) {"]
    if not ops and not added:
        lines.append("  (void)resolver;")
    for op in ops:
        lines.append(f"  (void)tfm_resolver_add_builtin(resolver, {op.code}, "
                     f"tfm_register_{op.suffix}()); /* {op.name} */")
    lines += regs
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate_added_ops_c(added: list[KernelOp]) -> str:
    """tfm_app_register_added_ops() for the runner's all-ops resolver (app/all_ops.c)."""
    decls, regs = _added_lines(added)
    return "\n".join(["/* Generated by tfm_ci.build: the kernel set's added ops. */",
                      '#include "app.h"', *decls, "",
                      "void tfm_app_register_added_ops(tfm_resolver *resolver) {",
                      *regs, "}"]) + "\n"


def generate_model_blob(model: Path) -> str:
    """Assembly that links the model into flash as tfm_model_data..tfm_model_data_end."""
    return (
        "/* Generated by tfm_ci.build: the model, read in place from flash. */\n"
        '  .section .rodata.tfm_model, "a"\n'
        "  .balign 16\n"
        "  .global tfm_model_data\n"
        "tfm_model_data:\n"
        f'  .incbin "{model}"\n'
        "  .global tfm_model_data_end\n"
        "tfm_model_data_end:\n"
    )


def model_ops(info: ModelInfo, kernel_set: KernelSet) -> tuple[list[OpDef], list[KernelOp]]:
    """The core OpDefs and the kernel set's added ops the model needs;
    UnsupportedModelError naming every op the set lacks."""
    cov = coverage(info, kernel_set)
    if not cov.complete:
        more = f" (+{len(cov.missing) - 1} more)" if len(cov.missing) > 1 else ""
        raise UnsupportedModelError(f"{cov.missing[0]}{more}", "\n".join(cov.missing))
    table = read_ops_def()
    added_builtin, added_custom = added_ops(kernel_set)
    used = [op for sg in info.subgraphs for op in sg.ops]
    codes = sorted({op.builtin_code for op in used if not op.custom})
    ops = [table[c] for c in codes if c in table]
    names = {op.name for op in used if op.custom}
    added = [op for code, op in sorted(added_builtin.items()) if code in codes]
    added += [op for name, op in sorted(added_custom.items()) if name in names]
    return ops, added


# -- sources -----------------------------------------------------------------------------------
def include_dirs(board: Board, kernel_set: KernelSet) -> list[Path]:
    fw = firmware_dir()
    dirs = [fw / "include", fw / "kernels", fw / "app"]
    return dirs + [fw / "ports" / p for p in board.ports] + list(kernel_set.include_dirs)


def firmware_sources(board: Board, kernel_set: KernelSet) -> list[Path]:
    """The checked-in sources for the board (generated files come on top)."""
    fw = firmware_dir()
    srcs = sorted((fw / "runtime").glob("*.c"))
    srcs += sorted((fw / "kernels" / "internal").glob("*.c"))
    srcs += sorted((fw / "kernels" / "common").glob("*.c"))
    srcs += list(kernel_sources(kernel_set).values()) + list(kernel_set.extra_sources)
    srcs += list(dict.fromkeys(op.source for op in kernel_set.added_ops))
    srcs += signal_sources()
    srcs.append(fw / "app" / "app.c")
    if board.app == "runner":
        srcs += [fw / "app" / "all_ops.c", fw / "app" / "host_runner.c"]
    else:
        srcs.append(fw / "app" / "target_main.c")
    for port in board.ports:
        folder = fw / "ports" / port
        if not folder.is_dir():
            raise BuildError(f"board {board.name}: port folder {folder} does not exist")
        srcs += sorted([*folder.glob("*.c"), *folder.glob("*.S")])
    missing = [str(s) for s in srcs if not s.is_file()]
    if missing:
        raise BuildError(f"board {board.name}: missing firmware sources: {', '.join(missing)}")
    return srcs


def linker_script(board: Board, gen: Path) -> Path:
    """The board's linker script, or one rendered from its port family's template
    (firmware/ports/linker_script.py), e.g. for a third-party virtual board."""
    if board.linker_script is not None:
        if not board.linker_script.is_file():
            raise BuildError(f"board {board.name}: linker script {board.linker_script} "
                             "does not exist")
        return board.linker_script
    renderer = firmware_dir() / "ports" / "linker_script.py"
    text = _render_linker_script(board, renderer)
    return _write_gen(gen, f"{board.name}.ld", text)


_RENDERED: dict[tuple[object, ...], str] = {}
_RENDERED_LOCK = threading.Lock()


def _render_linker_script(board: Board, renderer: Path) -> str:
    """The rendered script, once per (board, state of the renderer and of every file in
    the board's port folders, where its template lives): rendering compiles a jinja2
    template, milliseconds per build."""
    try:
        files = [renderer, *(f for port in board.ports
                             for f in sorted((firmware_dir() / "ports" / port).glob("*"))
                             if f.is_file())]
        stats = [f.stat() for f in files]
    except OSError:
        return _render_linker_script_now(board, renderer)
    key = (repr(board), *((str(f), signature(st)) for f, st in zip(files, stats, strict=True)))
    with _RENDERED_LOCK:
        if key in _RENDERED:
            return _RENDERED[key]
    text = _render_linker_script_now(board, renderer)
    if not all(settled(st) for st in stats):
        return text                         # a file just written: render it again next time
    with _RENDERED_LOCK:
        if len(_RENDERED) > 64:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


def _render_linker_script_now(board: Board, renderer: Path) -> str:
    spec = importlib.util.spec_from_file_location("tfm_linker_script", renderer)
    if spec is None or spec.loader is None or not renderer.is_file():
        raise BuildError(f"board {board.name}: no linker.ld and no renderer {renderer}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        return module.render(board)
    except ValueError as exc:  # LinkerScriptError
        raise BuildError(f"board {board.name}: {exc}") from None


def default_arena_size(board: Board, static_ram: int = STATIC_RAM_RESERVE) -> int:
    """RAM budget - static RAM - stack, capped by what the simulated RAM region holds.

    `static_ram` is the measured .data + .bss of a first link (or a reserve).
    Inputs placed in the RAM region are a test fixture: they reduce what the
    simulated region can hold but are not charged to the budget.
    """
    if board.app == "runner":
        return 4 * 1024 * 1024
    ram = board.region("ram").length - static_ram - board.stack_size
    if board.inputs_region == "ram":
        ram -= board.inputs_capacity
    size = min(board.ram_budget - static_ram - board.stack_size, ram)
    if size <= 0:
        raise BuildError(f"board {board.name}: no RAM left for an arena (budget "
                         f"{board.ram_budget:,} B, static {static_ram:,} B, stack "
                         f"{board.stack_size:,} B)")
    return size - size % ARENA_ALIGN


# -- compiling ---------------------------------------------------------------------------------
def _run(cmd: list[str], cwd: Path, what: str) -> str:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    except OSError as exc:
        raise BuildError(f"{what}: cannot run {cmd[0]}: {exc.strerror}") from None
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        first = next((ln for ln in out.splitlines() if "error" in ln), "")
        raise BuildError(f"{what} failed{': ' + first if first else ''}",
                         f"$ {' '.join(cmd)}\n{out}")
    return out


@dataclass
class _Compiler:
    toolchain: Toolchain
    flags: list[str]
    app_defines: list[str]
    cache: Path
    hashes: FileHashes              # one per build: the tree is read in one state
    compiled: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _command(self, src: Path) -> tuple[list[str], Path]:
        defines = self.app_defines if src.parent.name == "app" else []
        cmd = [self.toolchain.cc, *self.flags, *defines, "-c", str(src)]
        key = _command_key(compiler_version(self.toolchain.cc), " ".join(cmd[1:-1]), src)
        return cmd, self.cache / "obj" / key

    def cached_object(self, src: Path) -> Path | None:
        """The cached object for `src`, or None (it must be compiled)."""
        return find_object(self._command(src)[1], self.hashes)

    def object_for(self, src: Path) -> tuple[Path, bool, str]:
        """Compile one source (or reuse its cached object): (object, cached, log)."""
        cmd, entry = self._command(src)
        hit = find_object(entry, self.hashes)
        if hit is not None:
            return hit, True, ""
        entry.mkdir(parents=True, exist_ok=True)
        tmp = entry / f"{os.getpid()}.{threading.get_ident()}.{time.monotonic_ns()}.tmp"
        depfile = tmp.with_suffix(".d")
        try:
            log = _run([*cmd, "-MD", "-MF", str(depfile), "-o", str(tmp)], cwd=src.parent,
                       what=f"compiling {src.name}")
            try:
                deps = parse_depfile(depfile.read_text(), src.parent)
                obj = store_object(entry, tmp, deps, self.hashes)
            except (OSError, ValueError) as exc:
                raise BuildError(f"compiling {src.name}: no usable dependency list from "
                                 f"{self.toolchain.cc} -MD: {exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
            depfile.unlink(missing_ok=True)
        with self._lock:
            self.compiled += 1
        return obj, False, log


def _command_key(version: str, command: str, src: Path) -> str:
    """The object's command key: compiler version, flags, the source's name and bytes
    (computed once per source state and command, :mod:`tfm_ci.statcache`)."""
    return _COMMAND_KEYS.get(src, (version, command), lambda p: _digest(
        version, command, p.name, p.read_bytes()))


_COMMAND_KEYS: StatCache[str] = StatCache(lambda p: "", maxsize=8192)


def offline_prep_enabled(kernel_set: KernelSet, board: Board,
                         requested: bool | None = None) -> bool:
    """Whether the image gets offline prep records: embedded boards (the model is known
    at build time) of a kernel set that asks for them, unless `requested` is False or
    ``$TFM_CI_OFFLINE_PREP`` is ``0`` (to measure or test images without)."""
    if requested is None:
        requested = os.environ.get("TFM_CI_OFFLINE_PREP", "1") != "0"
    return requested and kernel_set.offline_prep and board.app == "embedded"


def build(board: Board, model_path: Path | str, kernel_set: KernelSet, *,
          toolchain: Toolchain, arena_size: int | None = None,
          cache_dir: Path | None = None, jobs: int = 2,
          offline_prep: bool | None = None, hashes: FileHashes | None = None,
          model_bytes: bytes | None = None) -> BuildResult:
    """Build (or fetch from the cache) the firmware ELF for one job.

    `hashes`: shared by the builds of one batch (a fleet's images) that see one state
    of the tree, so each file is hashed and each cached object found once per batch;
    default: one per build. `model_bytes`: the model file's bytes when the caller has
    read them already (its key is of these bytes, whatever the file holds by now).

    Raises UnsupportedModelError before compiling when the kernel set lacks an op,
    MemoryOverflowError when the image does not fit the board (with the sizes),
    BuildError for anything else. An offline prep table's weight copies (speed-only
    records, :data:`tfm_ci.offline_prep.SPEED_KINDS`) are left out when the image with
    them would exceed the board's flash budget (``extra["offline_prep"]["dropped"]``)."""
    args = (board, model_path, kernel_set, toolchain, arena_size, cache_dir, jobs,
            offline_prep, hashes, model_bytes)
    try:
        result = _build(*args, speed_records=True)
    except MemoryOverflowError:
        # Without the weight copies it may fit; if it has none, the same error again.
        return _without_copies(_build(*args, speed_records=False))
    prep = result.extra.get("offline_prep") or {}
    if prep.get("speed_records") and result.sizes and result.sizes.flash > board.flash_budget:
        return _without_copies(_build(*args, speed_records=False))
    return result


def _without_copies(result: BuildResult) -> BuildResult:
    prep = result.extra.get("offline_prep")
    if isinstance(prep, dict):
        prep["dropped"] = "weight copies (W4_S8 / F32_BFP): over the flash budget with them"
    return result


def _build(board: Board, model_path: Path | str, kernel_set: KernelSet, toolchain: Toolchain,
           arena_size: int | None, cache_dir: Path | None, jobs: int,
           offline_prep: bool | None, hashes: FileHashes | None, model_bytes: bytes | None,
           *, speed_records: bool) -> BuildResult:
    start = time.monotonic()
    model_path = Path(model_path)
    if not kernel_set.supports(board.core):
        raise BuildError(f"kernel set {kernel_set.name!r} needs cores "
                         f"{', '.join(kernel_set.cores)}; board {board.name} has {board.core}")
    model = model_path.read_bytes() if model_bytes is None else model_bytes
    ops, added = model_ops(read_model(model), kernel_set)     # refuse before compiling
    cache = (cache_dir or default_cache_dir()).resolve()
    gen = cache / "gen"
    gen.mkdir(parents=True, exist_ok=True)
    flags = [*toolchain.flags_for(board.core), *derived_defines(board), *board.cflags,
             *(f"-I{d}" for d in include_dirs(board, kernel_set)),
             *_prefix_maps(cache, kernel_set)]
    sources = firmware_sources(board, kernel_set)
    extra: dict[str, object] = {}
    with_prep = offline_prep_enabled(kernel_set, board, offline_prep)
    if with_prep:   # the shared prepares look records up (tfm/kernel.h)
        flags.append("-DTFM_OFFLINE_PREP=1")
    script: Path | None = None
    if board.app == "embedded":
        script = linker_script(board, gen)
        model_copy = cache / "models" / f"{_digest(model)}.tflite"
        if not model_copy.is_file():  # atomic: a concurrent build must not .incbin half a file
            model_copy.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=model_copy.parent, delete=False) as f:
                f.write(model)
            os.replace(f.name, model_copy)
        sources += [_write_gen(gen, "ops.c", generate_ops_c(ops, added)),
                    _write_gen(gen, "model_blob.S", generate_model_blob(model_copy))]
        if with_prep:
            table = offline_prep_mod.make_table(
                model, speed=speed_records,
                float_records=not offline_prep_mod.has_float_unit(board.isa_features),
                kernel_set=kernel_set.name)
            if table.records:   # no records: no table (the runtime's empty default)
                text = offline_prep_mod.generate_c(table, model_path.name)
                sources.append(_write_gen(gen, "offline_prep.c", text))
                extra["offline_prep"] = {
                    "records": len(table.records), "flash_bytes": table.flash_bytes,
                    "model_hash": f"{table.model_hash:08x}",
                    "speed_records": sum(r.kind in offline_prep_mod.SPEED_KINDS
                                         for r in table.records)}
    elif kernel_set.added_ops:
        sources.append(_write_gen(gen, "added_ops.c",
                                  generate_added_ops_c(list(kernel_set.added_ops))))
    hashes = hashes if hashes is not None else FileHashes()
    compiled = 0
    objects: list[Path] = []

    def link(arena: int) -> tuple[Path, bool, str]:
        nonlocal compiled, objects
        defines = [f"-DTFM_ARENA_SIZE={arena}", f"-DTFM_INPUTS_CAPACITY={board.inputs_capacity}"]
        comp = _Compiler(toolchain, flags, defines, cache, hashes)
        # Cache lookups are Python work (threads would only contend for the GIL):
        # in this thread; only the compilations left go to the pool.
        hits = [comp.cached_object(src) for src in sources]
        missing = [src for src, hit in zip(sources, hits, strict=True) if hit is None]
        compiled_now: dict[Path, tuple[Path, bool, str]] = {}
        if missing:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                compiled_now = dict(zip(missing, pool.map(comp.object_for, missing),
                                        strict=True))
        results = [(hit, True, "") if hit is not None else compiled_now[src]
                   for src, hit in zip(sources, hits, strict=True)]
        compiled += comp.compiled
        objs = objects = [r[0] for r in results]
        logs = "\n".join(r[2] for r in results if r[2])
        elf, cached, link_log = _link(toolchain, board, objs, script, cache)
        return elf, cached and comp.compiled == 0, "\n".join(x for x in (logs, link_log) if x)

    if arena_size is None and board.app == "embedded":
        # First link with a token arena to measure static RAM, then size the arena.
        first, _c, _l = link(ARENA_ALIGN)
        sizes = section_sizes(first)
        arena_size = default_arena_size(board, sizes.static_ram)
    elif arena_size is None:
        arena_size = default_arena_size(board)
    elf, cached, log = link(arena_size)
    all_flags = [*flags, f"-DTFM_ARENA_SIZE={arena_size}",
                 f"-DTFM_INPUTS_CAPACITY={board.inputs_capacity}"]
    return BuildResult(elf=elf, cached=cached and compiled == 0, flags=all_flags,
                       sources=sources, log=log, arena_size=arena_size, key=elf.parent.name,
                       seconds=time.monotonic() - start, compiled=compiled,
                       sizes=section_sizes(elf), extra=extra, objects=objects)


def _write_gen(gen: Path, name: str, text: str) -> Path:
    """Generated sources live in content-named folders so concurrent builds never clash."""
    folder = gen / _digest(name, text)
    path = folder / "gen" / name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as f:
            f.write(text)
        os.replace(f.name, path)
    return path


def _prefix_maps(cache: Path, kernel_set: KernelSet) -> list[str]:
    """__FILE__ (in TFM_ENSURE messages) without this machine's folders, so the same
    sources give the same image, flash size included, in any checkout, install or plugin
    location: a fleet diff across CI machines compares like with like."""
    kset_dirs = {p.resolve().parent for p in [*kernel_set.overrides.values(),
                                               *kernel_set.extra_sources,
                                               *(op.source for op in kernel_set.added_ops)]}
    maps = [(firmware_dir().resolve(), "firmware"), (paths.PACKAGE, "tfm_ci"),
            (cache, "cache"), *((d, f"kernels-{kernel_set.name}") for d in sorted(kset_dirs))]
    return [f"-fmacro-prefix-map={folder}/={label}/" for folder, label in maps]


def _link(toolchain: Toolchain, board: Board, objs: list[Path], script: Path | None,
          cache: Path) -> tuple[Path, bool, str]:
    link_flags = [*toolchain.flags_for(board.core), *toolchain.link_flags]
    if script is not None:
        link_flags.append(f"-T{script}")
    key = _digest(compiler_version(toolchain.cc), " ".join(link_flags), " ".join(toolchain.libs),
                  script.read_bytes() if script else b"",
                  *(f"{o.parent.name}/{o.name}" for o in objs))
    out_dir = cache / "elf" / key
    name = "tfm-runner" if board.app == "runner" else "firmware.elf"
    elf = out_dir / name
    if elf_intact(out_dir, name):
        return elf, True, ""
    if out_dir.exists():  # truncated, corrupt or from before metadata: link it again
        shutil.rmtree(out_dir, ignore_errors=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix="link-", dir=cache))
    try:
        tmp_elf = tmp_dir / name
        cmd = [toolchain.cc, *link_flags, *map(str, objs), *toolchain.libs, "-o", str(tmp_elf)]
        if board.app == "embedded":
            cmd.append(f"-Wl,-Map={tmp_dir / 'firmware.map'}")
        try:
            log = _run(cmd, cwd=cache, what=f"linking {board.name} firmware")
        except BuildError as exc:
            if script is not None and memfit.overflowed(exc.log):
                raise overflow_error(board, toolchain, objs, script, tmp_dir, exc) from None
            raise
        write_elf_meta(tmp_dir, name)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(tmp_dir, out_dir)
        except OSError:  # another build linked the same ELF first: use theirs
            if not elf_intact(out_dir, name):
                raise
            shutil.rmtree(tmp_dir, ignore_errors=True)
    finally:
        if tmp_dir.exists():
            shutil.rmtree(tmp_dir, ignore_errors=True)
    return elf, False, log


def overflow_error(board: Board, toolchain: Toolchain, objs: list[Path], script: Path,
                   folder: Path, failed: BuildError) -> BuildError:
    """The failed link as MemoryOverflowError with the measured sizes and failed budgets
    (memfit.measure); the original error when it cannot be measured; a BuildError
    naming the sizes when every budget holds (the simulated memory is the limit)."""

    def run(cmd: list[str]) -> None:
        _run(cmd, cwd=folder, what=f"measuring {board.name} firmware (relaxed memory map)")

    try:
        fit = memfit.measure(board, toolchain, objs, script, folder, run)
    except (BuildError, OSError, ValueError):
        return failed
    linker = memfit.linker_lines(failed.log)
    fails = budgets.failures(fit.checks)
    if not fails:
        return BuildError(f"linking {board.name} firmware failed: {linker} (flash "
                          f"{fit.sizes.flash:,} B, static RAM {fit.sizes.static_ram:,} B, arena "
                          f"{fit.sizes.arena:,} B fit the budgets but not the simulated memory)",
                          failed.log)
    return MemoryOverflowError("; ".join(fails) + f" (linker: {linker})", failed.log,
                               fit.sizes, fit.checks)
