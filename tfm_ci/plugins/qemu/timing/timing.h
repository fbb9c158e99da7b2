/* Cycle-estimate timing models for the count plugin (see docs/cycle-model.md).
 *
 * Every instruction is decoded once, when QEMU translates its block, into a
 * timing class; a core's model charges each class its cycles from the core's
 * Technical Reference Manual at zero wait states. The plugin sums them per
 * translated block and adds a pipeline refill when a block ending in a
 * PC-writing instruction is followed by a block that does not start at its
 * fall-through address (a taken branch). */
#ifndef TFM_TIMING_H
#define TFM_TIMING_H

#include <stddef.h>
#include <stdint.h>

/* X(enum suffix, name in the log) */
#define TIMING_CLASSES(X)                                                              \
  X(ALU, "alu") X(IT, "it") X(NOP, "nop") X(SYS, "system")                          \
  X(LOAD, "load") X(STORE, "store") X(STORE_REG, "store-reg")                       \
  X(LOAD_DUAL, "load-dual") X(STORE_DUAL, "store-dual") X(LDM, "ldm") X(STM, "stm") \
  X(LOAD_PC, "load-pc") X(MUL, "mul") X(MAC, "mac") X(MUL_LONG, "mul-long")         \
  X(MAC_LONG, "mac-long") X(DSP_ALU, "dsp-alu") X(DSP_MAC, "dsp-mac") X(DIV, "div") \
  X(BRANCH, "branch") X(BRANCH_IND, "branch-ind") X(TABLE_BRANCH, "table-branch")   \
  X(ALU_PC, "alu-pc") X(LOOP_END, "loop-end") X(JUMP, "jump") X(AMO, "amo")         \
  X(FP_ALU, "fp-alu") X(FP_MUL, "fp-mul") X(FP_MAC, "fp-mac") X(FP_DIV, "fp-div")   \
  X(FP_MOV, "fp-mov") X(FP_LOAD, "fp-load") X(FP_STORE, "fp-store")                 \
  X(FP_LDM, "fp-ldm") X(FP_STM, "fp-stm") X(MVE, "mve") X(MVE_LDST, "mve-ldst")

#define TIMING_ENUM(e, s) TC_##e,
typedef enum { TIMING_CLASSES(TIMING_ENUM) TC_COUNT } timing_class;
#undef TIMING_ENUM

extern const char *const timing_class_names[TC_COUNT];

typedef enum { ISA_THUMB, ISA_RV32 } timing_isa;

/* What the decoder learnt about one instruction. */
typedef struct timing_insn {
  uint8_t cls;          /* timing_class */
  uint8_t nregs;        /* registers moved by LDM/STM/PUSH/POP/VLDM/VSTM */
  uint8_t writes_pc;    /* may redirect fetch: branches, POP {pc}, LDR pc, ... */
  int8_t load_rt;       /* destination of a single-register load, else -1 */
  uint16_t addr_regs;   /* registers the address is computed from (bit mask) */
  uint8_t size;         /* encoding width in bytes (2 or 4), from the first halfword */
  uint16_t dest_regs;   /* registers a data-processing op (ALU, multiply) writes */
} timing_insn;

typedef struct timing_model {
  const char *name;
  timing_isa isa;
  uint8_t cost[TC_COUNT];     /* cycles when the next instruction is the fall-through */
  uint8_t refill[TC_COUNT];   /* extra cycles when it is not (taken branch) */
  uint8_t regs_per_cycle;     /* LDM/STM/VLDM transfer rate: cost + ceil(n / rate) */
  uint8_t pipelined_loads;    /* Cortex-M3/M4: a load/store after a load is 1 cycle less */
  uint8_t agu_stall;          /* Cortex-M3/M4: +1 when the address needs the previous
                                 data-processing result (no forwarding path) */
} timing_model;

/* The model called `name`, or NULL. */
const timing_model *timing_find(const char *name);

/* A comma-free list of the model names, for error messages. */
const char *timing_model_names(void);

/* Decode one instruction from `size` bytes (guest byte order). The width comes
 * from the encoding, not from `size`: QEMU 7.2 may report extra bytes for a
 * 16-bit Thumb instruction at a page end (it peeks at the next halfword). */
void timing_decode_thumb(const uint8_t *bytes, size_t size, timing_insn *out);
void timing_decode_rv32(const uint8_t *bytes, size_t size, timing_insn *out);

/* Cycles of `cur` when it executes right after `prev` (NULL: first of a block). */
unsigned timing_cycles(const timing_model *m, const timing_insn *prev, const timing_insn *cur);

#endif
