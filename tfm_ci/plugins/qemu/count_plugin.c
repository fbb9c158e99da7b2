/* QEMU TCG plugin: exact guest instruction count at marker addresses.
 *
 * Usage: -plugin libtfmcount.so,out=<log>,marker=<name>:<hex addr>,...[,cycles=<model>]
 * (one `marker=` argument per address; the Thumb bit already cleared).
 * Writes one line per marker hit, in execution order:
 *   <name> <instructions executed before the marker's first instruction>
 * and a final `total <n>` line at exit. With `cycles=<model>` (a core timing
 * model of timing/models.c) every line gets a third field, the estimated
 * cycles, and `class <name> <instructions> <cycles>` lines precede `total`.
 *
 * Counting: every translated block adds its instruction count to one inline
 * counter when it starts (cheap, no helper call). A block that contains a
 * marker address also gets an exec callback on that instruction, which
 * subtracts the block's instructions at and after the marker, so the count is
 * exact at the marker even when the marker is not the block's first
 * instruction. Single vCPU machines only (the boards are single-core).
 *
 * Cycle estimate (timing/): each instruction is decoded once, at translation,
 * into a timing class and charged its model cycles; the block's sum is added
 * by one exec callback per block, which also adds the pipeline refill of the
 * previous block's last instruction when it wrote the PC and this block does
 * not start at its fall-through address (a taken branch). Without `cycles=`
 * no callback is registered and the plugin is the plain counter.
 *
 * Debian's QEMU 7.2 ships no qemu-plugin.h: the few declarations used are
 * written here from QEMU's documented plugin API (docs/devel/tcg-plugins,
 * include/qemu/qemu-plugin.h of 7.2, QEMU_PLUGIN_VERSION 1). */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing/timing.h"

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;

typedef struct {
  const char *target_name;
  struct {
    int min;
    int cur;
  } version;
  bool system_emulation;
  union {
    struct {
      int smp_vcpus;
      int max_vcpus;
    } system;
  };
} qemu_info_t;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
                                    void *userdata);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
                                          qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;

#define MAX_MARKERS 16
#define MAX_SITES 1024

typedef struct marker {
  char name[32];
  uint64_t addr;
} marker;

/* One (block, marker instruction) pair: the instructions of that block from
 * the marker on were already added by the block's inline counter. */
typedef struct site {
  int marker;
  uint64_t after;
  uint64_t after_cycles;   /* the block's estimated cycles from the marker on */
} site;

/* One translated block, for the cycle estimate. */
typedef struct tb_timing {
  uint64_t pc;             /* first instruction */
  uint64_t fall_through;   /* address after the last instruction */
  uint64_t cycles;         /* sum of the instructions' cycles */
  uint64_t execs;
  uint64_t taken;          /* times the next block was not the fall-through */
  unsigned refill;         /* last instruction writes the PC: refill when taken */
  uint8_t last_class;
  uint16_t class_insns[TC_COUNT];
  uint32_t class_cycles[TC_COUNT];
  struct tb_timing *next;
} tb_timing;

static marker markers[MAX_MARKERS];
static int marker_count;
static site sites[MAX_SITES];
static int site_count;
static uint64_t executed;
static FILE *out;

static const timing_model *model;   /* NULL: no cycle estimate */
static uint64_t cycles;
static tb_timing *blocks;           /* every translation, for the class totals */
static tb_timing *pending;          /* last block, when it ended in a PC write */

static void on_marker(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  const site *s = userdata;
  if (model != NULL) {
    fprintf(out, "%s %" PRIu64 " %" PRIu64 "\n", markers[s->marker].name, executed - s->after,
            cycles - s->after_cycles);
  } else {
    fprintf(out, "%s %" PRIu64 "\n", markers[s->marker].name, executed - s->after);
  }
}

static void on_tb_exec(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  tb_timing *t = userdata;
  if (pending != NULL && t->pc != pending->fall_through) {
    cycles += pending->refill;
    pending->taken++;
  }
  cycles += t->cycles;
  t->execs++;
  pending = t->refill ? t : NULL;
}

/* Sites are shared by value: a retranslated block reuses its old site. */
static site *find_site(int m, uint64_t after, uint64_t after_cycles) {
  for (int i = 0; i < site_count; ++i) {
    if (sites[i].marker == m && sites[i].after == after &&
        sites[i].after_cycles == after_cycles) {
      return &sites[i];
    }
  }
  if (site_count == MAX_SITES) return NULL;
  sites[site_count].marker = m;
  sites[site_count].after = after;
  sites[site_count].after_cycles = after_cycles;
  return &sites[site_count++];
}

/* Decode the block's instructions once; cost[i] gets each one's cycles. */
static tb_timing *time_block(struct qemu_plugin_tb *tb, size_t n, unsigned *cost) {
  tb_timing *t = calloc(1, sizeof *t);
  if (t == NULL) {
    qemu_plugin_outs("tfm count plugin: out of memory\n");
    abort();
  }
  t->pc = qemu_plugin_tb_vaddr(tb);
  timing_insn prev, cur;
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    const uint8_t *bytes = qemu_plugin_insn_data(insn);
    size_t size = qemu_plugin_insn_size(insn);
    if (model->isa == ISA_RV32) {
      timing_decode_rv32(bytes, size, &cur);
    } else {
      timing_decode_thumb(bytes, size, &cur);
    }
    cost[i] = timing_cycles(model, i ? &prev : NULL, &cur);
    t->cycles += cost[i];
    t->class_insns[cur.cls]++;
    t->class_cycles[cur.cls] += cost[i];
    if (i + 1 == n) {
      t->fall_through = qemu_plugin_insn_vaddr(insn) + cur.size;
      t->refill = cur.writes_pc ? model->refill[cur.cls] : 0;
      t->last_class = cur.cls;
    }
    prev = cur;
  }
  t->next = blocks;
  blocks = t;
  return t;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  unsigned cost[n ? n : 1];
  if (model != NULL && n > 0) {
    tb_timing *t = time_block(tb, n, cost);
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, t);
  }
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t addr = qemu_plugin_insn_vaddr(insn);
    for (int m = 0; m < marker_count; ++m) {
      if (markers[m].addr != addr) continue;
      uint64_t after_cycles = 0;
      if (model != NULL) {
        for (size_t j = i; j < n; ++j) after_cycles += cost[j];
      }
      site *s = find_site(m, n - i, after_cycles);
      if (s == NULL) {
        qemu_plugin_outs("tfm count plugin: too many marker sites\n");
        abort();
      }
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS, s);
    }
  }
}

static void on_plugin_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  if (model != NULL) {
    uint64_t insns[TC_COUNT] = {0}, charged[TC_COUNT] = {0};
    for (const tb_timing *t = blocks; t != NULL; t = t->next) {
      for (int c = 0; c < TC_COUNT; ++c) {
        insns[c] += t->execs * t->class_insns[c];
        charged[c] += t->execs * t->class_cycles[c];
      }
      charged[t->last_class] += t->taken * t->refill;
    }
    for (int c = 0; c < TC_COUNT; ++c) {
      if (insns[c] == 0) continue;
      fprintf(out, "class %s %" PRIu64 " %" PRIu64 "\n", timing_class_names[c], insns[c],
              charged[c]);
    }
    fprintf(out, "total %" PRIu64 " %" PRIu64 "\n", executed, cycles);
  } else {
    fprintf(out, "total %" PRIu64 "\n", executed);
  }
  fclose(out);
}

static int add_marker(const char *spec) {
  const char *colon = strchr(spec, ':');
  if (colon == NULL || marker_count == MAX_MARKERS) return -1;
  size_t len = (size_t)(colon - spec);
  if (len == 0 || len >= sizeof markers[0].name) return -1;
  char *end = NULL;
  uint64_t addr = strtoull(colon + 1, &end, 16);
  if (end == colon + 1 || *end != '\0') return -1;
  memcpy(markers[marker_count].name, spec, len);
  markers[marker_count].name[len] = '\0';
  markers[marker_count].addr = addr;
  ++marker_count;
  return 0;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                               char **argv) {
  (void)info;
  const char *path = NULL;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "out=", 4) == 0) {
      path = argv[i] + 4;
    } else if (strncmp(argv[i], "cycles=", 7) == 0) {
      model = timing_find(argv[i] + 7);
      if (model == NULL) {
        fprintf(stderr, "tfm count plugin: unknown cycle model '%s' (known: %s)\n",
                argv[i] + 7, timing_model_names());
        return -1;
      }
    } else if (strncmp(argv[i], "marker=", 7) == 0) {
      if (add_marker(argv[i] + 7) != 0) {
        fprintf(stderr, "tfm count plugin: bad marker argument '%s'\n", argv[i]);
        return -1;
      }
    } else {
      fprintf(stderr, "tfm count plugin: unknown argument '%s'\n", argv[i]);
      return -1;
    }
  }
  if (path == NULL) {
    fprintf(stderr, "tfm count plugin: out=<file> is required\n");
    return -1;
  }
  out = fopen(path, "w");
  if (out == NULL) {
    fprintf(stderr, "tfm count plugin: cannot open '%s'\n", path);
    return -1;
  }
  setvbuf(out, NULL, _IOLBF, 0); /* whole lines survive a kill on timeout */
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
  return 0;
}
