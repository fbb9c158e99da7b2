/* C API test: a custom kernel registered by name, reset of a stateful model,
 * and out-of-order calls.
 *   custom_op_test CUSTOM_MODEL COUNTER_MODEL
 * CUSTOM_MODEL: y = TfmTestScale(x), int32 [1,4], custom option byte = factor.
 * COUNTER_MODEL: tests/runtime/models.py counter_model (var = 10; var += x).
 * Prints one line per check; exits 0 only if all pass. */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tfm/interpreter.h"

static uint8_t g_arena[64 * 1024] __attribute__((aligned(16)));
static int g_failures;

void tfm_port_write(const char *bytes, size_t len) { fwrite(bytes, 1, len, stdout); }

#define CHECK(cond)                                            \
  do {                                                         \
    if (!(cond)) {                                             \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
      g_failures++;                                            \
    }                                                          \
  } while (0)

static tfm_status scale_prepare(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0), *out = tfm_output(ctx, node, 0);
  if (in == NULL || out == NULL || in->type != TFM_INT32 || tfm_tensor_bytes(out) != tfm_tensor_bytes(in)) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "needs int32 in and out of equal size");
  }
  if (node->custom_options_size != 1) return tfm_fail(ctx, TFM_BAD_MODEL, "one option byte");
  return TFM_OK;
}

static tfm_status scale_eval(tfm_context *ctx, tfm_node *node) {
  const tfm_tensor *in = tfm_input(ctx, node, 0);
  tfm_tensor *out = tfm_output(ctx, node, 0);
  const int32_t *x = (const int32_t *)in->data;
  int32_t *y = (int32_t *)out->data;
  for (int32_t i = 0; i < tfm_tensor_elements(in); ++i) y[i] = x[i] * node->custom_options[0];
  return TFM_OK;
}

static const tfm_kernel kScale = {"TfmTestScale", 1, scale_prepare, scale_eval};

static uint8_t *load(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  void *p = NULL;
  if (posix_memalign(&p, 16, 1 << 20) != 0) return NULL;
  *size = fread(p, 1, 1 << 20, f);
  fclose(f);
  return p;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  size_t n1, n2;
  uint8_t *custom = load(argv[1], &n1), *counter = load(argv[2], &n2);
  if (!custom || !counter) return 2;
  static tfm_interpreter it;
  tfm_resolver_entry entries[256];
  tfm_resolver r;
  tfm_resolver_init(&r, entries, (int)(sizeof entries / sizeof entries[0]));
  tfm_app_register_ops(&r);
  CHECK(tfm_resolver_add_custom(&r, "TfmTestScale", &kScale) == TFM_OK);
  CHECK(tfm_resolver_add_custom(&r, "TfmTestScale", &kScale) == TFM_BAD_ARGUMENT);

  /* custom op */
  CHECK(tfm_interpreter_init(&it, custom, n1, &r, g_arena, sizeof g_arena) == TFM_OK);
  CHECK(tfm_interpreter_invoke(&it) == TFM_BAD_STATE);
  CHECK(tfm_interpreter_allocate(&it) == TFM_OK);
  int32_t *x = (int32_t *)tfm_interpreter_input(&it, 0)->data;
  for (int i = 0; i < 4; ++i) x[i] = i - 1;
  CHECK(tfm_interpreter_invoke(&it) == TFM_OK);
  const int32_t *y = (const int32_t *)tfm_interpreter_output(&it, 0)->data;
  CHECK(y[0] == -3 && y[1] == 0 && y[2] == 3 && y[3] == 6);
  CHECK(tfm_interpreter_allocate(&it) == TFM_BAD_STATE);

  /* reset re-arms CALL_ONCE and restarts the counter */
  CHECK(tfm_interpreter_init(&it, counter, n2, &r, g_arena, sizeof g_arena) == TFM_OK);
  CHECK(tfm_interpreter_allocate(&it) == TFM_OK);
  int32_t results[4];
  for (int k = 0; k < 4; ++k) {
    if (k == 2) CHECK(tfm_interpreter_reset(&it) == TFM_OK);
    *(int32_t *)tfm_interpreter_input(&it, 0)->data = 5;
    CHECK(tfm_interpreter_invoke(&it) == TFM_OK);
    results[k] = *(const int32_t *)tfm_interpreter_output(&it, 0)->data;
  }
  CHECK(results[0] == 15 && results[1] == 20 && results[2] == 15 && results[3] == 20);

  /* bad arguments */
  CHECK(tfm_interpreter_init(&it, custom + 2, n1, &r, g_arena, sizeof g_arena) ==
        TFM_BAD_ARGUMENT);
  printf("%s %d failures\n", g_failures ? "FAIL" : "PASS", g_failures);
  free(custom);
  free(counter);
  return g_failures ? 1 : 0;
}
