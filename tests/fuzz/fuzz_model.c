/* libFuzzer target: load + allocate + invoke (zeroed inputs; not with
 * -DTFM_FUZZ_NO_INVOKE) any byte string
 * as a model, with every linked kernel. The runtime must never crash, hang
 * or read out of bounds; a failure must come with a status and a message.
 * Built by tests/fuzz/test_fuzz.py; also linked with tests/runtime/mutate_main.c
 * (gcc + ASan/UBSan) for the deterministic truncation / byte-flip sweep. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tfm/interpreter.h"

#define MAX_MODEL (512u * 1024u)
#define ARENA_SIZE (256u * 1024u)

static uint8_t g_model[MAX_MODEL] __attribute__((aligned(16)));
static uint8_t g_arena[ARENA_SIZE] __attribute__((aligned(16)));
static tfm_interpreter g_it;

void tfm_port_write(const char *bytes, size_t len) {
  (void)bytes;
  (void)len;
}

/* Returns the status of the first failing step (TFM_OK if all passed). */
int tfm_fuzz_one(const uint8_t *data, size_t size) {
  static tfm_resolver_entry entries[256];
  tfm_resolver resolver;
  if (size > MAX_MODEL) return TFM_OK;
  memcpy(g_model, data, size);
  tfm_resolver_init(&resolver, entries, (int)(sizeof entries / sizeof entries[0]));
  tfm_app_register_ops(&resolver);
  tfm_status st = tfm_interpreter_init(&g_it, g_model, size, &resolver, g_arena, ARENA_SIZE);
  if (st == TFM_OK) st = tfm_interpreter_allocate(&g_it);
#ifndef TFM_FUZZ_NO_INVOKE
  if (st == TFM_OK) {
    for (int i = 0; i < tfm_interpreter_num_inputs(&g_it); ++i) {
      tfm_tensor *t = tfm_interpreter_input(&g_it, i);
      if (t->data) memset(t->data, 0, (size_t)tfm_tensor_bytes(t));
    }
    st = tfm_interpreter_invoke(&g_it);
  }
#endif
  if (st != TFM_OK && tfm_interpreter_error(&g_it)[0] == '\0') abort(); /* silent failure */
  if (st != TFM_OK && strcmp(tfm_status_name(st), "ERROR") == 0 && st != TFM_ERROR) abort();
  return (int)st;
}

#ifndef TFM_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tfm_fuzz_one(data, size);
  return 0;
}
#endif
