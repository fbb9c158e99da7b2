/* QEMU TCG plugin: exact guest instruction count at marker addresses.
 *
 * Usage: -plugin libtfmcount.so,out=<log>,marker=<name>:<hex addr>,...
 * (one `marker=` argument per address; the Thumb bit already cleared).
 * Writes one line per marker hit, in execution order:
 *   <name> <instructions executed before the marker's first instruction>
 * and a final `total <n>` line at exit.
 *
 * Counting: every translated block adds its instruction count to one inline
 * counter when it starts (cheap, no helper call). A block that contains a
 * marker address also gets an exec callback on that instruction, which
 * subtracts the block's instructions at and after the marker, so the count is
 * exact at the marker even when the marker is not the block's first
 * instruction. Single vCPU machines only (the boards are single-core).
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
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
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
} site;

static marker markers[MAX_MARKERS];
static int marker_count;
static site sites[MAX_SITES];
static int site_count;
static uint64_t executed;
static FILE *out;

static void on_marker(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  const site *s = userdata;
  fprintf(out, "%s %" PRIu64 "\n", markers[s->marker].name, executed - s->after);
}

/* Sites are shared by value: a retranslated block reuses its old site. */
static site *find_site(int m, uint64_t after) {
  for (int i = 0; i < site_count; ++i) {
    if (sites[i].marker == m && sites[i].after == after) return &sites[i];
  }
  if (site_count == MAX_SITES) return NULL;
  sites[site_count].marker = m;
  sites[site_count].after = after;
  return &sites[site_count++];
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t addr = qemu_plugin_insn_vaddr(insn);
    for (int m = 0; m < marker_count; ++m) {
      if (markers[m].addr != addr) continue;
      site *s = find_site(m, n - i);
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
  fprintf(out, "total %" PRIu64 "\n", executed);
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
