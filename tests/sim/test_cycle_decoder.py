"""The timing decoder (tfm_ci/plugins/qemu/timing/) against binutils' disassembler.

Every instruction of real interpreter firmware (the kws demo model, with the
board's optimized kernel set) is decoded by our C decoder, built here as a
host library, and its timing class must be the one its objdump mnemonic says.
This checks the bit-field decoding over thousands of compiler-generated
encodings, which the micro-benchmarks (test_cycles.py) cannot.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from tfm_ci import demo_models
from tfm_ci.boards import repo_root
from tfm_ci.build import build


def timing_dir() -> Path:
    from tfm_ci.plugins.qemu import counting  # the plugin's sources, wherever the package lives

    return counting.TIMING_DIR

pytestmark = pytest.mark.slow


class TimingInsn(ctypes.Structure):
    _fields_ = [("cls", ctypes.c_uint8), ("nregs", ctypes.c_uint8), ("writes_pc", ctypes.c_uint8),
                ("load_rt", ctypes.c_int8), ("addr_regs", ctypes.c_uint16),
                ("size", ctypes.c_uint8), ("dest_regs", ctypes.c_uint16)]


def class_names() -> list[str]:
    text = (timing_dir() / "timing.h").read_text()
    block = text[text.index("#define TIMING_CLASSES"):text.index("#define TIMING_ENUM")]
    return re.findall(r'X\(\w+, "([\w-]+)"\)', block)


@pytest.fixture(scope="module")
def decoder(tmp_path_factory: pytest.TempPathFactory):
    lib = tmp_path_factory.mktemp("timing") / "libtiming.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", str(lib),
                    *map(str, sorted(timing_dir().glob("*.c")))], check=True)
    so = ctypes.CDLL(str(lib))
    names = class_names()

    def decode(isa: str, data: bytes) -> tuple[str, TimingInsn]:
        out = TimingInsn()
        fn = so.timing_decode_rv32 if isa == "rv32" else so.timing_decode_thumb
        fn(ctypes.c_char_p(data), ctypes.c_size_t(len(data)), ctypes.byref(out))
        return names[out.cls], out
    return decode


CONDS = {"eq", "ne", "cs", "cc", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt",
         "gt", "le", "al"}
ARM_ROOTS: dict[str, set[str]] = {}
for names, classes in [
    ("mov movw movt mvn add addw adc sub subw sbc rsb neg cmp cmn tst teq and orr orn eor bic "
     "lsl lsr asr ror rrx adr uxtb uxth sxtb sxth ubfx sbfx bfi bfc ssat usat dls dlstp", {"alu"}),
    # Armv8.1-M scalar: conditional select and long shifts
    ("csel csinc csinv csneg cset csetm cinc cinv cneg lsll lsrl asrl uqshl uqshll sqshl sqshll "
     "srshr srshrl urshr urshrl uqrshl uqrshll sqrshr sqrshrl", {"alu"}),
    ("clz rev rev16 revsh rbit sxtb16 sxtab16 uxtb16 uxtab16 uxtab uxtah sxtab sxtah ssat16 "
     "usat16 pkhbt pkhtb", {"alu", "dsp-alu"}),
    ("ldr ldrb ldrh ldrsb ldrsh ldrex ldrexb ldrexh", {"load"}),
    ("str strb strh strex strexb strexh", {"store", "store-reg"}),
    ("ldrd", {"load-dual"}), ("strd", {"store-dual"}),
    ("ldm ldmia ldmdb ldmfd", {"ldm"}), ("pop", {"ldm", "load"}),
    ("stm stmia stmdb stmea", {"stm"}), ("push", {"stm", "store"}),
    ("b bl cbz cbnz wls wlstp", {"branch"}), ("bx blx", {"branch-ind"}),
    ("tbb tbh", {"table-branch"}), ("le letp", {"loop-end"}),
    ("mul", {"mul"}), ("mla mls", {"mac"}), ("smull umull", {"mul-long"}),
    ("smlal umlal", {"mac-long"}), ("sdiv udiv", {"div"}),
    ("umaal smlald smlaldx smlsld smlsldx smlalbb smlalbt smlaltb smlaltt usad8 usada8",
     {"dsp-mac"}),
    ("sel", {"dsp-alu"}),
    ("nop yield wfi wfe sev pld pli", {"nop"}),
    ("mrs msr isb dsb dmb cpsid cpsie bkpt svc udf", {"system"}),
    ("vadd vsub vabs vneg vcmp vcmpe vcvt vcvtr vcvtb vcvtt vcvta vcvtn vcvtp vcvtm vrintr "
     "vrintz vrintx vrinta vrintn vrintp vrintm vsel vselgt vselge vseleq vselvs vmaxnm vminnm",
     {"fp-alu"}),
    ("vmul vnmul", {"fp-mul"}),
    ("vmla vmls vnmla vnmls vfma vfms vfnma vfnms", {"fp-mac"}),
    ("vdiv vsqrt", {"fp-div"}), ("vldr", {"fp-load"}), ("vstr", {"fp-store"}),
    ("vldmia vldmdb vldm vpop", {"fp-ldm"}), ("vstmia vstmdb vstm vpush", {"fp-stm"}),
    ("vmov", {"fp-mov", "fp-alu"}), ("vmrs vmsr", {"fp-mov"}),
    # binutils 2.40 prints some MVE encodings as generic coprocessor operations
    ("ldc ldcl stc stcl cdp cdp2 mcr mrc mcrr mrrc ldc2 stc2 ldc2l stc2l", {"mve", "mve-ldst"}),
]:
    for name in names.split():
        ARM_ROOTS[name] = classes
RV_CLASSES: dict[str, set[str]] = {}
for names, classes in [
    ("lw lh lhu lb lbu c.lw c.lwsp", {"load"}), ("sw sh sb c.sw c.swsp", {"store"}),
    ("beq bne blt bge bltu bgeu c.beqz c.bnez", {"branch"}),
    ("jal jalr c.j c.jal c.jr c.jalr", {"jump"}), ("mul", {"mul"}),
    ("mulh mulhu mulhsu", {"mul-long"}), ("div divu rem remu", {"div"}),
    ("ecall ebreak c.ebreak fence fence.i mret wfi csrrw csrrs csrrc csrrwi csrrsi csrrci",
     {"system"}),
]:
    for name in names.split():
        RV_CLASSES[name] = classes


def arm_expected(mnemonic: str, operands: str) -> tuple[str, set[str] | None]:
    """(mnemonic root without condition/flags suffix, the classes it may decode to)."""
    base = mnemonic.split(".")[0]
    if re.fullmatch(r"it[te]{0,3}", base):
        return "it", {"it"}
    if re.search(r"\bq\d", operands):
        if base.startswith(("vldr", "vstr")):
            return base, {"mve-ldst"}
        return base, {"fp-mov"} if base == "vmov" and "[" in operands else {"mve"}
    for cand in (base, base[:-1]):
        for root in (cand, cand[:-2] if cand[-2:] in CONDS else ""):
            for r in (root, root[:-1] if root.endswith("s") else ""):
                if r in ARM_ROOTS:
                    return r, _arm_refine(r, ARM_ROOTS[r], operands)
                if re.fullmatch(r"(q|s|u|sh|uh|uq)(add|sub|asx|sax)(8|16)?|q(d)?(add|sub)", r):
                    return r, {"dsp-alu"}
                if re.fullmatch(r"sm(la|ul|ua|us|ls|mul|mla|mls)\w*", r):
                    return r, {"dsp-mac"}
    return base, None


REGS = {**{f"r{i}": i for i in range(13)}, "sb": 9, "sl": 10, "fp": 11, "ip": 12, "sp": 13,
        "lr": 14, "pc": 15}
DATA_CLASSES = {"alu", "dsp-alu", "mul", "mac", "mul-long", "mac-long", "dsp-mac", "div"}
# no destination register (flags only), or Armv8.1-M long shifts whose RdaLo is encoded apart
NO_DEST_CHECK = {"cmp", "cmn", "tst", "teq", "lsll", "lsrl", "asrl", "uqshll", "sqshll",
                 "srshrl", "urshrl", "uqrshll", "sqrshrl"}


def _arm_refine(root: str, classes: set[str], operands: str) -> set[str]:
    first = operands.split(",")[0].strip()
    if root in ("ldr",) and first == "pc":
        return {"load-pc"}
    if root in ("mov", "add") and first == "pc":
        return {"alu-pc"}
    if root in ("str", "strb", "strh"):
        offset_reg = re.search(r"\[\w+, (r\d+|ip|lr|sl|fp|sb|sp)\b", operands)
        return {"store-reg"} if offset_reg else {"store"}
    if root == "pop" and "pc" in operands:
        return {"ldm", "load-pc"}
    return classes


@cache
def firmware(board_name: str, kernel_set: str) -> Path:
    from tfm_ci.registry import Registry

    registry = Registry.load()
    board = registry.board(board_name)
    model = repo_root() / "build" / "test-cache" / "kws.tflite"
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_bytes(demo_models.build("kws"))
    return build(board, model, registry.kernel_set(board, kernel_set),
                 toolchain=registry.platform_of(board).toolchain,
                 cache_dir=repo_root() / "build" / "test-cache").elf


def disassembly(objdump: str, elf: Path, *extra: str) -> list[tuple[int, bytes, str, str]]:
    """(address, instruction bytes in memory order, mnemonic, operands) of every
    instruction in .text (data words in literal pools are left out)."""
    out = subprocess.run([objdump, "-d", "-j", ".text", *extra, str(elf)], capture_output=True,
                         text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(\S+)\s*(.*)", line)
        if not m or m.group(3).startswith("."):
            continue
        data = b"".join(bytes.fromhex(h)[::-1] for h in m.group(2).split())
        rows.append((int(m.group(1), 16), data, m.group(3), m.group(4).split(";")[0]))
    return rows


@pytest.mark.parametrize(("board_name", "kernel_set"), [
    ("mps2-an385", "reference"), ("mps2-an386", "arm-dsp"), ("mps2-an500", "arm-dsp"),
    ("mps3-an547", "arm-dsp")])
def test_thumb_decoder_agrees_with_objdump(decoder, board_name: str, kernel_set: str) -> None:
    # binutils needs the architecture to print MVE and Armv8.1-M scalar encodings
    extra = ("-m", "armv8.1-m.main") if board_name == "mps3-an547" else ()
    rows = disassembly("arm-none-eabi-objdump", firmware(board_name, kernel_set), *extra)
    assert len(rows) > 3000
    wrong, unknown = [], set()
    for address, data, mnemonic, operands in rows:
        root, want = arm_expected(mnemonic, operands)
        if want is None:
            unknown.add(mnemonic)
            continue
        got, insn = decoder("thumb", data)
        if got not in want:
            wrong.append(f"{address:08x} {data.hex()} {mnemonic} {operands}: {got}, want {want}")
        if mnemonic.startswith(("b", "cb", "tb", "le")) and got in want and "branch" in got:
            assert insn.writes_pc, (mnemonic, operands)
        assert insn.size == len(data), (mnemonic, operands)
        first = REGS.get(operands.split(",")[0].strip().rstrip("!"))
        # the M3/M4 address-generation stall needs the register an op writes
        if (got in DATA_CLASSES and root not in NO_DEST_CHECK and first is not None
                and not insn.dest_regs & (1 << first)):
            wrong.append(f"{address:08x} {mnemonic} {operands}: dest {insn.dest_regs:#x}")
        if len(data) == 2:
            # QEMU 7.2 hands over 4 bytes for a 16-bit instruction at a page end
            padded, _ = decoder("thumb", data + b"\xff\xf7")
            assert padded == got, (mnemonic, operands)
    assert not unknown, f"mnemonics the test does not classify: {sorted(unknown)}"
    assert not wrong, "\n".join(wrong[:30]) + f"\n({len(wrong)} of {len(rows)} wrong)"


def test_rv32_decoder_agrees_with_objdump(decoder) -> None:
    objdump = "riscv64-unknown-elf-objdump"
    if shutil.which(objdump) is None:
        pytest.fail(f"{objdump} not installed")
    rows = disassembly(objdump, firmware("riscv32-virt", "reference"), "-M", "no-aliases")
    assert len(rows) > 3000
    wrong = []
    for address, data, mnemonic, operands in rows:
        want = RV_CLASSES.get(mnemonic, {"amo"} if mnemonic.startswith(("amo", "lr.", "sc."))
                              else {"alu"})
        got, insn = decoder("rv32", data)
        assert insn.size == len(data), (mnemonic, operands)
        if got not in want:
            wrong.append(f"{address:08x} {data.hex()} {mnemonic} {operands}: {got}, want {want}")
    assert not wrong, "\n".join(wrong[:30]) + f"\n({len(wrong)} of {len(rows)} wrong)"
