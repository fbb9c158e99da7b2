/* Signal-op state across invocations and tfm_interpreter_reset:
 *   signal_state_test MODEL.tflite
 * MODEL: int16 input of at most 480 samples (an audio preprocessor, or a
 * one-op Signal model with a delay line), output 0 compared.
 * Frames of pseudo-random speech-like audio; pass 1 on a fresh interpreter,
 * pass 2 repeats the same frames without reset (the noise estimate has moved:
 * some output must differ), pass 3 after reset must equal pass 1 exactly.
 * Prints one line per check; exits 0 only if all pass. */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tfm/interpreter.h"

enum { FRAMES = 12, SAMPLES = 480, MAX_OUT = 4096 };

static uint8_t g_arena[32 * 1024] __attribute__((aligned(16)));
static int g_failures;

void tfm_port_write(const char *bytes, size_t len) { fwrite(bytes, 1, len, stdout); }

#define CHECK(cond)                                            \
  do {                                                         \
    if (!(cond)) {                                             \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
      g_failures++;                                            \
    }                                                          \
  } while (0)

static int16_t g_audio[FRAMES][SAMPLES];

static void make_audio(void) {
  uint32_t s = 12345;
  for (int f = 0; f < FRAMES; ++f) {
    int amp = f < FRAMES / 2 ? 12000 : 200;   /* loud, then quiet */
    for (int i = 0; i < SAMPLES; ++i) {
      s = s * 1664525u + 1013904223u;
      g_audio[f][i] = (int16_t)((int32_t)(s >> 16) % amp);
    }
  }
}

static void run_pass(tfm_interpreter *it, uint8_t out[FRAMES][MAX_OUT], size_t *bytes) {
  for (int f = 0; f < FRAMES; ++f) {
    tfm_tensor *in = tfm_interpreter_input(it, 0);
    size_t n = (size_t)tfm_tensor_bytes(in);
    memcpy(in->data, g_audio[f], n < sizeof g_audio[f] ? n : sizeof g_audio[f]);
    CHECK(tfm_interpreter_invoke(it) == TFM_OK);
    const tfm_tensor *o = tfm_interpreter_output(it, 0);
    *bytes = (size_t)tfm_tensor_bytes(o);
    CHECK(*bytes <= MAX_OUT);
    memcpy(out[f], o->data, *bytes);
    /* Framer/Stacker leave the frames unwritten while output_valid (a BOOL
     * scalar output 1) is false: only valid frames are compared. */
    if (tfm_interpreter_num_outputs(it) > 1) {
      const tfm_tensor *v = tfm_interpreter_output(it, 1);
      if (v->type == TFM_BOOL && !*(const bool *)v->data) memset(out[f], 0x5a, *bytes);
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) return 2;
  void *model = NULL;
  if (posix_memalign(&model, 16, 1 << 16) != 0) return 2;
  size_t n = fread(model, 1, 1 << 16, fp);
  fclose(fp);
  make_audio();
  static tfm_interpreter it;
  tfm_resolver_entry entries[80];
  tfm_resolver r;
  tfm_resolver_init(&r, entries, 80);
  tfm_app_register_ops(&r);
  CHECK(tfm_interpreter_init(&it, model, n, &r, g_arena, sizeof g_arena) == TFM_OK);
  CHECK(tfm_interpreter_allocate(&it) == TFM_OK);
  CHECK(tfm_interpreter_input(&it, 0)->type == TFM_INT16);
  CHECK(tfm_tensor_bytes(tfm_interpreter_input(&it, 0)) <= (int32_t)sizeof g_audio[0]);
  static uint8_t p1[FRAMES][MAX_OUT], p2[FRAMES][MAX_OUT], p3[FRAMES][MAX_OUT];
  size_t bytes = 0;
  run_pass(&it, p1, &bytes);
  run_pass(&it, p2, &bytes);
  CHECK(memcmp(p1, p2, sizeof p1) != 0);
  CHECK(tfm_interpreter_reset(&it) == TFM_OK);
  run_pass(&it, p3, &bytes);
  CHECK(memcmp(p1, p3, sizeof p1) == 0);
  /* Pass 1 itself is not constant. */
  CHECK(memcmp(p1[0], p1[FRAMES - 1], bytes) != 0);
  printf("%s %d failures\n", g_failures ? "FAIL" : "PASS", g_failures);
  free(model);
  return g_failures ? 1 : 0;
}
