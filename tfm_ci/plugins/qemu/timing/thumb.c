/* Thumb / Thumb-2 (Armv7-M, Armv7E-M, Armv8.1-M) decoder into timing classes.
 *
 * Decoded from the instruction bytes (qemu_plugin_insn_data) rather than the
 * disassembly string: no string formatting or parsing per translated
 * instruction, and the bit fields give register lists and addressing modes
 * directly. Field layouts follow the Armv7-M / Armv8-M Architecture Reference
 * Manuals' Thumb encoding tables (A5.2, A5.3). Only what the timing needs is
 * decoded; anything unrecognised is charged as a single-cycle ALU op. */
#include <string.h>

#include "timing.h"

static unsigned popcount16(unsigned x) { return (unsigned)__builtin_popcount(x & 0xFFFFu); }

static void set(timing_insn *d, timing_class cls) { d->cls = (uint8_t)cls; }

static void single_load(timing_insn *d, unsigned rt, unsigned addr_regs) {
  set(d, TC_LOAD);
  d->load_rt = (int8_t)rt;
  d->addr_regs = (uint16_t)addr_regs;
}

static void single_store(timing_insn *d, timing_class cls, unsigned addr_regs) {
  set(d, cls);
  d->addr_regs = (uint16_t)addr_regs;
}

/* A data-processing op of class `cls` writing register `rd` (15: none, the
 * encodings' "flags only" form such as CMP/TST). */
static void data_op(timing_insn *d, timing_class cls, unsigned rd) {
  set(d, cls);
  d->dest_regs = rd == 15u ? 0u : (uint16_t)(1u << rd);
}

static void multiple(timing_insn *d, timing_class cls, unsigned nregs, unsigned rn) {
  set(d, cls);
  d->nregs = (uint8_t)nregs;
  d->addr_regs = (uint16_t)(1u << rn);
}

static void decode16(unsigned h, timing_insn *d) {
  unsigned rt = h & 7u, rn = (h >> 3) & 7u, rm = (h >> 6) & 7u;
  switch (h >> 12) {
    case 0x4:
      if ((h & 0xFC00u) == 0x4000u) {            /* data processing (register) */
        unsigned op = (h >> 6) & 0xFu;           /* TST, CMP, CMN write flags only */
        data_op(d, op == 0xDu ? TC_MUL : TC_ALU,
                (op == 0x8u || op == 0xAu || op == 0xBu) ? 15u : (h & 7u));
      } else if ((h & 0xFC00u) == 0x4400u) {     /* special data, BX/BLX */
        unsigned op = (h >> 8) & 3u, rd = (h & 7u) | ((h >> 4) & 8u);
        if (op == 3u) {
          set(d, TC_BRANCH_IND);
          d->writes_pc = 1;
        } else if (op != 1u && rd == 15u) {      /* ADD PC / MOV PC */
          set(d, TC_ALU_PC);
          d->writes_pc = 1;
        } else {
          data_op(d, TC_ALU, op == 1u ? 15u : rd);   /* ADD, CMP (flags only), MOV */
        }
      } else {                                   /* LDR (literal) */
        single_load(d, (h >> 8) & 7u, 1u << 15);
      }
      return;
    case 0x5: {                                  /* load/store, register offset */
      unsigned regs = (1u << rn) | (1u << rm);
      if (((h >> 9) & 7u) < 3u) {
        single_store(d, TC_STORE_REG, regs);
      } else {
        single_load(d, rt, regs);
      }
      return;
    }
    case 0x6: case 0x7: case 0x8:               /* load/store, immediate offset */
      if (h & 0x0800u) {
        single_load(d, rt, 1u << rn);
      } else {
        single_store(d, TC_STORE, 1u << rn);
      }
      return;
    case 0x9:                                    /* SP-relative */
      if (h & 0x0800u) {
        single_load(d, (h >> 8) & 7u, 1u << 13);
      } else {
        single_store(d, TC_STORE, 1u << 13);
      }
      return;
    case 0xB:
      if ((h & 0x0F00u) == 0x0F00u) {            /* IT, or a hint (NOP, WFI, ...) */
        set(d, (h & 0xFu) ? TC_IT : TC_NOP);
      } else if ((h & 0xF500u) == 0xB100u) {     /* CBZ / CBNZ */
        set(d, TC_BRANCH);
        d->writes_pc = 1;
      } else if ((h & 0xFE00u) == 0xB400u) {     /* PUSH */
        multiple(d, TC_STM, popcount16(h & 0xFFu) + ((h >> 8) & 1u), 13u);
      } else if ((h & 0xFE00u) == 0xBC00u) {     /* POP */
        multiple(d, TC_LDM, popcount16(h & 0xFFu) + ((h >> 8) & 1u), 13u);
        d->writes_pc = (uint8_t)((h >> 8) & 1u);
      } else if ((h & 0xFF00u) == 0xBE00u || (h & 0xFFE0u) == 0xB660u) {
        set(d, TC_SYS);                          /* BKPT, CPS */
      } else if ((h & 0x0F00u) == 0x0000u) {
        data_op(d, TC_ALU, 13u);                 /* ADD/SUB SP, #imm */
      } else {
        data_op(d, TC_ALU, h & 7u);              /* extend, REV */
      }
      return;
    case 0xC:                                    /* STM / LDM */
      multiple(d, (h & 0x0800u) ? TC_LDM : TC_STM, popcount16(h & 0xFFu), (h >> 8) & 7u);
      return;
    case 0xD: {
      unsigned cond = (h >> 8) & 0xFu;
      if (cond >= 0xEu) {
        set(d, TC_SYS);                          /* UDF, SVC */
      } else {
        set(d, TC_BRANCH);
        d->writes_pc = 1;
      }
      return;
    }
    case 0xE:                                    /* B (16-bit, unconditional) */
      set(d, TC_BRANCH);
      d->writes_pc = 1;
      return;
    case 0x2: case 0x3:                          /* MOV, CMP, ADD, SUB (8-bit immediate) */
      data_op(d, TC_ALU, ((h >> 11) & 3u) == 1u ? 15u : (h >> 8) & 7u);
      return;
    case 0xA:                                    /* ADR, ADD Rd, SP, #imm */
      data_op(d, TC_ALU, (h >> 8) & 7u);
      return;
    default:                                     /* shifts (immediate), add/sub (3-bit) */
      data_op(d, TC_ALU, h & 7u);
      return;
  }
}

/* VFP data processing (A7.5 / C2.1 "floating-point data-processing"). */
static void fp_data_processing(unsigned h1, unsigned h2, timing_insn *d) {
  unsigned opc1 = ((h1 >> 5) & 4u) | ((h1 >> 4) & 3u);
  unsigned opc2 = h1 & 0xFu, opc3 = (h2 >> 6) & 3u;
  switch (opc1) {
    case 0: case 1: case 5: case 6: set(d, TC_FP_MAC); return;   /* VMLA.. VFMA.. */
    case 2: set(d, TC_FP_MUL); return;                          /* VMUL, VNMUL */
    case 3: set(d, TC_FP_ALU); return;                          /* VADD, VSUB */
    case 4: set(d, TC_FP_DIV); return;                          /* VDIV */
    default:
      set(d, (opc2 == 1u && opc3 == 3u) ? TC_FP_DIV : TC_FP_ALU);  /* VSQRT; others */
      return;
  }
}

/* Coprocessor space: the FPU (coprocessors 10/11) and, on Armv8.1-M, MVE. */
static void coprocessor(unsigned h1, unsigned h2, timing_insn *d) {
  unsigned cp = (h2 >> 8) & 0xFu, op1 = (h1 >> 4) & 0x3Fu;
  if ((h1 & 0xEF00u) == 0xEF00u) {               /* vector data processing (MVE) */
    set(d, TC_MVE);
    return;
  }
  if ((cp & 0xEu) != 0xAu) {                     /* MVE loads/stores and other ops */
    set(d, (op1 & 0x20u) == 0 && (op1 & 0x3Au) != 0 ? TC_MVE_LDST : TC_MVE);
    return;
  }
  if ((op1 & 0x3Eu) == 0x04u) {                  /* VMOV two core registers */
    set(d, TC_FP_MOV);
  } else if ((op1 & 0x20u) == 0) {               /* VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP */
    unsigned p = (h1 >> 8) & 1u, w = (h1 >> 5) & 1u, load = (h1 >> 4) & 1u;
    if (p && !w) {
      set(d, load ? TC_FP_LOAD : TC_FP_STORE);
      d->addr_regs = (uint16_t)(1u << (h1 & 0xFu));
    } else {
      unsigned words = h2 & 0xFFu;
      multiple(d, load ? TC_FP_LDM : TC_FP_STM, cp == 0xBu ? words / 2u : words, h1 & 0xFu);
    }
  } else if ((op1 & 0x30u) == 0x20u && !(h2 & 0x10u)) {
    if ((h1 & 0xFF00u) == 0xFE00u) {
      set(d, TC_FP_ALU);                         /* VSEL, VMAXNM, VRINTx, VCVTx (Armv8-M) */
    } else {
      fp_data_processing(h1, h2, d);
    }
  } else {
    set(d, TC_FP_MOV);                           /* core <-> FP transfers, VMRS/VMSR */
  }
}

/* Armv8.1-M low-overhead branches share the BLX(imm) slot of Armv7-M. */
static void low_overhead_branch(unsigned h1, unsigned h2, timing_insn *d) {
  if (((h2 >> 12) & 7u) == 6u) {
    data_op(d, TC_ALU, 14u);                     /* DLS / DLSTP: set up the loop in LR */
  } else if ((h1 & 0xFu) == 0xFu) {
    set(d, TC_LOOP_END);                         /* LE / LETP */
    d->writes_pc = 1;
  } else {
    set(d, TC_BRANCH);                           /* WLS / WLSTP: skip a zero-trip loop */
    d->writes_pc = 1;
  }
}

static void decode32(unsigned h1, unsigned h2, timing_insn *d) {
  unsigned op1 = (h1 >> 11) & 3u, op2 = (h1 >> 4) & 0x7Fu, rn = h1 & 0xFu, rt = h2 >> 12;
  if (op1 == 1u) {
    if ((op2 & 0x64u) == 0x00u) {                /* LDM / STM (.W), PUSH/POP.W */
      unsigned load = (h1 >> 4) & 1u;
      multiple(d, load ? TC_LDM : TC_STM, popcount16(h2), rn);
      d->writes_pc = (uint8_t)(load && (h2 & 0x8000u));
    } else if ((op2 & 0x64u) == 0x04u) {         /* dual, exclusive, table branch */
      unsigned o1 = (h1 >> 7) & 3u, o2 = (h1 >> 4) & 3u, o3 = (h2 >> 4) & 0xFu;
      if (o1 == 1u && o2 == 1u && o3 <= 1u) {
        set(d, TC_TABLE_BRANCH);                 /* TBB / TBH */
        d->writes_pc = 1;
        d->addr_regs = (uint16_t)((1u << rn) | (1u << (h2 & 0xFu)));
      } else if (o1 <= 1u && o2 == 1u) {
        single_load(d, rt, 1u << rn);            /* LDREX{B,H} */
      } else if (o1 <= 1u && o2 == 0u) {
        single_store(d, TC_STORE, 1u << rn);     /* STREX{B,H} */
      } else {
        set(d, (h1 & 0x10u) ? TC_LOAD_DUAL : TC_STORE_DUAL);
        d->addr_regs = (uint16_t)(1u << rn);
      }
    } else if ((op2 & 0x60u) == 0x20u) {
      data_op(d, TC_ALU, (h2 >> 8) & 0xFu);      /* data processing (shifted register) */
    } else {
      coprocessor(h1, h2, d);
    }
    return;
  }
  if (op1 == 2u) {
    if (!(h2 & 0x8000u)) {
      data_op(d, TC_ALU, (h2 >> 8) & 0xFu);      /* data processing (immediate) */
      return;
    }
    unsigned b = (h2 >> 12) & 7u;
    if ((b & 5u) == 0u) {
      if (((h1 >> 7) & 7u) != 7u) {
        set(d, TC_BRANCH);                       /* B<cond>.W */
        d->writes_pc = 1;
      } else if ((h1 & 0xFFF0u) == 0xF3A0u && (h2 & 0xD700u) == 0x8000u) {
        set(d, TC_NOP);                          /* NOP.W, YIELD.W, WFI.W, ... hints */
      } else {
        set(d, TC_SYS);                          /* MSR, MRS, barriers */
      }
    } else if ((b & 5u) == 1u || (b & 5u) == 5u) {
      set(d, TC_BRANCH);                         /* B.W, BL */
      d->writes_pc = 1;
    } else {
      low_overhead_branch(h1, h2, d);
    }
    return;
  }
  /* op1 == 3 */
  if ((op2 & 0x71u) == 0x00u) {                  /* store single */
    int reg_offset = !(h1 & 0x80u) && !(h2 & 0x800u);
    unsigned regs = (1u << rn) | (reg_offset ? 1u << (h2 & 0xFu) : 0u);
    single_store(d, reg_offset ? TC_STORE_REG : TC_STORE, regs);
  } else if ((op2 & 0x67u) == 0x01u || (op2 & 0x67u) == 0x03u || (op2 & 0x67u) == 0x05u) {
    unsigned size = (op2 >> 1) & 3u;             /* 0 byte, 1 halfword, 2 word */
    int reg_offset = rn != 15u && !(h1 & 0x80u) && !(h2 & 0x800u);
    unsigned regs = (1u << rn) | (reg_offset ? 1u << (h2 & 0xFu) : 0u);
    if (rt == 15u && size != 2u) {
      set(d, TC_NOP);                            /* PLD / PLI */
    } else if (rt == 15u) {
      set(d, TC_LOAD_PC);
      d->writes_pc = 1;
    } else {
      single_load(d, rt, regs);
    }
  } else if ((op2 & 0x70u) == 0x20u) {           /* data processing (register), SIMD add */
    data_op(d, (op2 & 0x08u) ? TC_DSP_ALU : TC_ALU, (h2 >> 8) & 0xFu);
  } else if ((op2 & 0x78u) == 0x30u) {           /* multiply, MAC, SIMD multiply */
    unsigned o1 = (h1 >> 4) & 7u, o2 = (h2 >> 4) & 3u;
    if (o1 == 0u) {
      data_op(d, (o2 == 0u && rt == 15u) ? TC_MUL : TC_MAC, (h2 >> 8) & 0xFu);
    } else {
      data_op(d, TC_DSP_MAC, (h2 >> 8) & 0xFu);  /* SMLAxy, SMLAD, SMUAD, SMMLA, ... */
    }
  } else if ((op2 & 0x78u) == 0x38u) {           /* long multiply, divide */
    unsigned o1 = (h1 >> 4) & 7u, o2 = (h2 >> 4) & 0xFu;
    if (o1 == 1u || o1 == 3u) {
      data_op(d, TC_DIV, (h2 >> 8) & 0xFu);
      return;
    }
    if (o1 == 0u || o1 == 2u) {
      set(d, TC_MUL_LONG);                       /* SMULL, UMULL */
    } else if ((o1 == 4u || o1 == 6u) && o2 == 0u) {
      set(d, TC_MAC_LONG);                       /* SMLAL, UMLAL */
    } else {
      set(d, TC_DSP_MAC);                        /* SMLALxy, SMLALD, SMLSLD, UMAAL */
    }
    d->dest_regs = (uint16_t)((1u << rt) | (1u << ((h2 >> 8) & 0xFu)));   /* RdLo, RdHi */
  } else if (op2 & 0x40u) {
    coprocessor(h1, h2, d);
  } else {
    set(d, TC_SYS);                              /* undefined */
  }
}

void timing_decode_thumb(const uint8_t *bytes, size_t size, timing_insn *out) {
  memset(out, 0, sizeof *out);
  out->load_rt = -1;
  unsigned h1 = (unsigned)bytes[0] | ((unsigned)bytes[1] << 8);
  if ((h1 >> 11) >= 0x1Du && size >= 4) {        /* 0b11101, 0b11110, 0b11111: 32-bit */
    out->size = 4;
    decode32(h1, (unsigned)bytes[2] | ((unsigned)bytes[3] << 8), out);
  } else {
    out->size = 2;
    decode16(h1, out);
  }
}
