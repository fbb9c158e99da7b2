/* Per-core timing tables (cycles at zero wait states). Sources and the
 * reasoning behind every figure: docs/cycle-model.md. */
#include <stddef.h>
#include <string.h>

#include "timing.h"

#define TIMING_NAME(e, s) s,
const char *const timing_class_names[TC_COUNT] = {TIMING_CLASSES(TIMING_NAME)};
#undef TIMING_NAME

/* Pipeline refill P of the Cortex-M3/M4 TRMs ("1 to 3 depending on the
 * alignment and width of the target"): we charge the middle value. */
#define P_V7M 2

/* Cortex-M4 with FPv4-SP: Cortex-M4 TRM r0p1 (ARM DDI 0439B) 3.3.1 Table 3-1
 * and 3.3.2 load/store timings; FPU: 7.2.3 Table 7-1. Data-dependent
 * SDIV/UDIV (2-12 cycles) is charged its worst case. */
static const timing_model cortex_m4 = {
  .name = "cortex-m4", .isa = ISA_THUMB, .regs_per_cycle = 1, .pipelined_loads = 1,
  .agu_stall = 1,
  .cost = {
    [TC_ALU] = 1, [TC_IT] = 1, [TC_NOP] = 1, [TC_SYS] = 1,
    [TC_LOAD] = 2, [TC_STORE] = 1, [TC_STORE_REG] = 2, [TC_LOAD_DUAL] = 3,
    [TC_STORE_DUAL] = 3, [TC_LDM] = 1, [TC_STM] = 1, [TC_LOAD_PC] = 2,
    [TC_MUL] = 1, [TC_MAC] = 1, [TC_MUL_LONG] = 1, [TC_MAC_LONG] = 1,
    [TC_DSP_ALU] = 1, [TC_DSP_MAC] = 1, [TC_DIV] = 12,
    [TC_BRANCH] = 1, [TC_BRANCH_IND] = 1, [TC_TABLE_BRANCH] = 2, [TC_ALU_PC] = 1,
    [TC_LOOP_END] = 1, [TC_JUMP] = 1, [TC_AMO] = 2,
    [TC_FP_ALU] = 1, [TC_FP_MUL] = 1, [TC_FP_MAC] = 3, [TC_FP_DIV] = 14, [TC_FP_MOV] = 1,
    [TC_FP_LOAD] = 2, [TC_FP_STORE] = 2, [TC_FP_LDM] = 1, [TC_FP_STM] = 1,
    [TC_MVE] = 1, [TC_MVE_LDST] = 1,
  },
  .refill = {
    [TC_LDM] = P_V7M, [TC_LOAD_PC] = P_V7M, [TC_BRANCH] = P_V7M, [TC_BRANCH_IND] = P_V7M,
    [TC_TABLE_BRANCH] = P_V7M, [TC_ALU_PC] = P_V7M, [TC_LOOP_END] = P_V7M, [TC_JUMP] = P_V7M,
  },
};

/* Cortex-M3: Cortex-M3 TRM r2p1 (ARM DDI 0337I) 3.3 Table 3-1 and its load/store timings.
 * As the M4 but MLA/MLS 2, UMULL/SMULL 3-5 and UMLAL/SMLAL 4-7 cycles
 * (worst case charged), no DSP extension, no FPU. */
static const timing_model cortex_m3 = {
  .name = "cortex-m3", .isa = ISA_THUMB, .regs_per_cycle = 1, .pipelined_loads = 1,
  .agu_stall = 1,
  .cost = {
    [TC_ALU] = 1, [TC_IT] = 1, [TC_NOP] = 1, [TC_SYS] = 1,
    [TC_LOAD] = 2, [TC_STORE] = 1, [TC_STORE_REG] = 2, [TC_LOAD_DUAL] = 3,
    [TC_STORE_DUAL] = 3, [TC_LDM] = 1, [TC_STM] = 1, [TC_LOAD_PC] = 2,
    [TC_MUL] = 1, [TC_MAC] = 2, [TC_MUL_LONG] = 5, [TC_MAC_LONG] = 7,
    [TC_DSP_ALU] = 1, [TC_DSP_MAC] = 1, [TC_DIV] = 12,
    [TC_BRANCH] = 1, [TC_BRANCH_IND] = 1, [TC_TABLE_BRANCH] = 2, [TC_ALU_PC] = 1,
    [TC_LOOP_END] = 1, [TC_JUMP] = 1, [TC_AMO] = 2,
    [TC_FP_ALU] = 1, [TC_FP_MUL] = 1, [TC_FP_MAC] = 1, [TC_FP_DIV] = 1, [TC_FP_MOV] = 1,
    [TC_FP_LOAD] = 1, [TC_FP_STORE] = 1, [TC_FP_LDM] = 1, [TC_FP_STM] = 1,
    [TC_MVE] = 1, [TC_MVE_LDST] = 1,
  },
  .refill = {
    [TC_LDM] = P_V7M, [TC_LOAD_PC] = P_V7M, [TC_BRANCH] = P_V7M, [TC_BRANCH_IND] = P_V7M,
    [TC_TABLE_BRANCH] = P_V7M, [TC_ALU_PC] = P_V7M, [TC_LOOP_END] = P_V7M, [TC_JUMP] = P_V7M,
  },
};

/* Cortex-M7 with FPv5: the TRM (ARM DDI 0489) publishes no per-instruction
 * table. Simplification: single issue (no dual issue), every integer, load,
 * store, multiply and MAC instruction issues in 1 cycle (loads pipelined from
 * TCM), LDM/STM move 2 registers per cycle over the 64-bit path, a taken
 * branch costs 1 refill cycle (branch target cache hit), SDIV/UDIV worst case
 * 12, VDIV/VSQRT.F32 14, FP multiply-accumulate issues in 1 (latency not
 * modelled). */
static const timing_model cortex_m7 = {
  .name = "cortex-m7", .isa = ISA_THUMB, .regs_per_cycle = 2, .pipelined_loads = 0,
  .cost = {
    [TC_ALU] = 1, [TC_IT] = 1, [TC_NOP] = 1, [TC_SYS] = 1,
    [TC_LOAD] = 1, [TC_STORE] = 1, [TC_STORE_REG] = 1, [TC_LOAD_DUAL] = 1,
    [TC_STORE_DUAL] = 1, [TC_LDM] = 1, [TC_STM] = 1, [TC_LOAD_PC] = 1,
    [TC_MUL] = 1, [TC_MAC] = 1, [TC_MUL_LONG] = 1, [TC_MAC_LONG] = 1,
    [TC_DSP_ALU] = 1, [TC_DSP_MAC] = 1, [TC_DIV] = 12,
    [TC_BRANCH] = 1, [TC_BRANCH_IND] = 1, [TC_TABLE_BRANCH] = 2, [TC_ALU_PC] = 1,
    [TC_LOOP_END] = 1, [TC_JUMP] = 1, [TC_AMO] = 2,
    [TC_FP_ALU] = 1, [TC_FP_MUL] = 1, [TC_FP_MAC] = 1, [TC_FP_DIV] = 14, [TC_FP_MOV] = 1,
    [TC_FP_LOAD] = 1, [TC_FP_STORE] = 1, [TC_FP_LDM] = 1, [TC_FP_STM] = 1,
    [TC_MVE] = 1, [TC_MVE_LDST] = 1,
  },
  .refill = {
    [TC_LDM] = 1, [TC_LOAD_PC] = 1, [TC_BRANCH] = 1, [TC_BRANCH_IND] = 1,
    [TC_TABLE_BRANCH] = 1, [TC_ALU_PC] = 1, [TC_LOOP_END] = 1, [TC_JUMP] = 1,
  },
};

/* Cortex-M55 (Armv8.1-M, MVE): Cortex-M55 TRM (ARM 101051) and Software
 * Optimization Guide. Scalar: 1-cycle issue of integer, load, store and
 * multiply/MAC instructions, LDM/STM 2 registers per cycle, taken branch
 * refill 2, LE (low-overhead loop end) 0 refill (loop cache hit). MVE: a
 * 128-bit instruction is 4 beats and the M55 executes 2 beats per cycle, so
 * 2 cycles each; overlap of consecutive vector instructions is not modelled. */
static const timing_model cortex_m55 = {
  .name = "cortex-m55", .isa = ISA_THUMB, .regs_per_cycle = 2, .pipelined_loads = 0,
  .cost = {
    [TC_ALU] = 1, [TC_IT] = 1, [TC_NOP] = 1, [TC_SYS] = 1,
    [TC_LOAD] = 1, [TC_STORE] = 1, [TC_STORE_REG] = 1, [TC_LOAD_DUAL] = 1,
    [TC_STORE_DUAL] = 1, [TC_LDM] = 1, [TC_STM] = 1, [TC_LOAD_PC] = 1,
    [TC_MUL] = 1, [TC_MAC] = 1, [TC_MUL_LONG] = 1, [TC_MAC_LONG] = 1,
    [TC_DSP_ALU] = 1, [TC_DSP_MAC] = 1, [TC_DIV] = 12,
    [TC_BRANCH] = 1, [TC_BRANCH_IND] = 1, [TC_TABLE_BRANCH] = 2, [TC_ALU_PC] = 1,
    [TC_LOOP_END] = 1, [TC_JUMP] = 1, [TC_AMO] = 2,
    [TC_FP_ALU] = 1, [TC_FP_MUL] = 1, [TC_FP_MAC] = 1, [TC_FP_DIV] = 14, [TC_FP_MOV] = 1,
    [TC_FP_LOAD] = 1, [TC_FP_STORE] = 1, [TC_FP_LDM] = 1, [TC_FP_STM] = 1,
    [TC_MVE] = 2, [TC_MVE_LDST] = 2,
  },
  .refill = {
    [TC_LDM] = 2, [TC_LOAD_PC] = 2, [TC_BRANCH] = 2, [TC_BRANCH_IND] = 2,
    [TC_TABLE_BRANCH] = 2, [TC_ALU_PC] = 2, [TC_LOOP_END] = 0, [TC_JUMP] = 2,
  },
};

/* RV32IMAC: lowRISC Ibex "small" configuration (2-stage pipeline, fast
 * multiplier, no branch-target ALU), Ibex documentation "Pipeline Details":
 * loads/stores 2, MUL 3, MULH* 4, DIV/REM 38 (1 + 37, divide-by-zero
 * shortcut ignored), taken branch 1 + 2, jump 1 + 1. Ibex has no A
 * extension: an AMO is charged as a load plus a store. */
static const timing_model rv32_ibex = {
  .name = "rv32-ibex", .isa = ISA_RV32, .regs_per_cycle = 1, .pipelined_loads = 0,
  .cost = {
    [TC_ALU] = 1, [TC_SYS] = 1, [TC_LOAD] = 2, [TC_STORE] = 2,
    [TC_MUL] = 3, [TC_MUL_LONG] = 4, [TC_DIV] = 38,
    [TC_BRANCH] = 1, [TC_JUMP] = 1, [TC_AMO] = 4,
  },
  .refill = {[TC_BRANCH] = 2, [TC_JUMP] = 1},
};

static const timing_model *const models[] = {&cortex_m3, &cortex_m4, &cortex_m7, &cortex_m55,
                                             &rv32_ibex};

const timing_model *timing_find(const char *name) {
  for (size_t i = 0; i < sizeof models / sizeof models[0]; ++i) {
    if (strcmp(models[i]->name, name) == 0) return models[i];
  }
  return NULL;
}

const char *timing_model_names(void) { return "cortex-m3 cortex-m4 cortex-m7 cortex-m55 rv32-ibex"; }

static int is_memory(unsigned cls) {
  switch (cls) {
    case TC_LOAD: case TC_STORE: case TC_STORE_REG: case TC_LOAD_DUAL: case TC_STORE_DUAL:
    case TC_LDM: case TC_STM: case TC_LOAD_PC: case TC_TABLE_BRANCH:
    case TC_FP_LOAD: case TC_FP_STORE: case TC_FP_LDM: case TC_FP_STM:
      return 1;
    default:
      return 0;
  }
}

unsigned timing_cycles(const timing_model *m, const timing_insn *prev, const timing_insn *cur) {
  unsigned cycles = m->cost[cur->cls];
  /* Cortex-M3/M4: "any load or store that generates an address dependent on
   * the result of a preceding data processing operation will stall the
   * pipeline for an additional cycle" (no forwarding path to the AGU). */
  if (m->agu_stall && prev != NULL && is_memory(cur->cls) &&
      (prev->dest_regs & cur->addr_regs)) {
    cycles += 1u;
  }
  switch (cur->cls) {
    case TC_LDM: case TC_STM: case TC_FP_LDM: case TC_FP_STM:
      cycles += (cur->nregs + m->regs_per_cycle - 1u) / m->regs_per_cycle;
      break;
    case TC_LOAD: case TC_STORE: case TC_STORE_REG:
      /* Cortex-M3/M4: "LDR [any] are pipelined when possible": a load or
       * store right after a single load whose result it does not use for its
       * address is one cycle less. */
      if (m->pipelined_loads && prev != NULL && prev->cls == TC_LOAD &&
          prev->load_rt >= 0 && !(cur->addr_regs & (1u << prev->load_rt)) && cycles > 1u) {
        cycles -= 1u;
      }
      break;
    default:
      break;
  }
  return cycles;
}
