/* RV32IMAC decoder into timing classes (RISC-V unprivileged ISA, chapters
 * "RV32I", "M", "A" and "C"). Decoded from the instruction bytes; anything
 * unrecognised is charged as a single-cycle ALU op. */
#include <string.h>

#include "timing.h"

static void set(timing_insn *d, timing_class cls) { d->cls = (uint8_t)cls; }

static void compressed(unsigned c, timing_insn *d) {
  unsigned quadrant = c & 3u, funct3 = c >> 13;
  if (quadrant == 0u) {
    set(d, funct3 == 2u ? TC_LOAD : funct3 == 6u ? TC_STORE : TC_ALU);  /* C.LW, C.SW */
  } else if (quadrant == 1u) {
    if (funct3 == 1u || funct3 == 5u) {          /* C.JAL, C.J */
      set(d, TC_JUMP);
      d->writes_pc = 1;
    } else if (funct3 >= 6u) {                   /* C.BEQZ, C.BNEZ */
      set(d, TC_BRANCH);
      d->writes_pc = 1;
    } else {
      set(d, TC_ALU);
    }
  } else {
    unsigned rs1 = (c >> 7) & 0x1Fu, rs2 = (c >> 2) & 0x1Fu;
    if (funct3 == 2u) {
      set(d, TC_LOAD);                           /* C.LWSP */
    } else if (funct3 == 6u) {
      set(d, TC_STORE);                          /* C.SWSP */
    } else if (funct3 == 4u && rs2 == 0u && rs1 != 0u) {
      set(d, TC_JUMP);                           /* C.JR, C.JALR */
      d->writes_pc = 1;
    } else if (funct3 == 4u && rs1 == 0u && rs2 == 0u && (c & 0x1000u)) {
      set(d, TC_SYS);                            /* C.EBREAK */
    } else {
      set(d, TC_ALU);                            /* C.SLLI, C.MV, C.ADD */
    }
  }
}

static void full(uint32_t w, timing_insn *d) {
  unsigned opcode = w & 0x7Fu, funct3 = (w >> 12) & 7u, funct7 = w >> 25;
  switch (opcode) {
    case 0x03: set(d, TC_LOAD); return;
    case 0x23: set(d, TC_STORE); return;
    case 0x63: set(d, TC_BRANCH); d->writes_pc = 1; return;
    case 0x6F: case 0x67: set(d, TC_JUMP); d->writes_pc = 1; return;   /* JAL, JALR */
    case 0x73: case 0x0F: set(d, TC_SYS); return;                      /* CSR, ECALL, FENCE */
    case 0x2F: set(d, TC_AMO); return;
    case 0x33:
      if (funct7 == 1u) {                        /* M extension */
        set(d, funct3 == 0u ? TC_MUL : funct3 < 4u ? TC_MUL_LONG : TC_DIV);
        return;
      }
      set(d, TC_ALU);
      return;
    default: set(d, TC_ALU); return;             /* OP-IMM, LUI, AUIPC, ... */
  }
}

void timing_decode_rv32(const uint8_t *bytes, size_t size, timing_insn *out) {
  memset(out, 0, sizeof *out);
  out->load_rt = -1;
  if ((bytes[0] & 3u) == 3u && size >= 4) {     /* low bits 11: a 32-bit encoding */
    out->size = 4;
    full((uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) |
             ((uint32_t)bytes[3] << 24), out);
  } else {
    out->size = 2;
    compressed((unsigned)bytes[0] | ((unsigned)bytes[1] << 8), out);
  }
}
