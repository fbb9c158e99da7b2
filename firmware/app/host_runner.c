#define _POSIX_C_SOURCE 200112L
/* tfm-runner: the job runner on the host.
 *   tfm-runner [--arena BYTES] [--invocations N] MODEL.tflite [INPUTS.bin]
 * Loads the files (the host may use stdio and malloc), copies the model into
 * an aligned buffer and runs tfm_app_run; exits with its status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tfm/port.h"

static int usage(void) {
  fprintf(stderr, "usage: tfm-runner [--arena BYTES] [--invocations N] MODEL.tflite "
                  "[INPUTS.bin]\n");
  return 2;
}

/* Whole file into a 16-byte aligned buffer; NULL on error. */
static uint8_t *load(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  uint8_t *data = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      void *p = NULL;
      if (posix_memalign(&p, 16, cap) != 0) break;
      if (data) memcpy(p, data, n);
      free(data);
      data = p;
    }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(data);
    return NULL;
  }
  *size = n;
  return data;
}

static int parse_size(const char *s, size_t *out) {
  char *end;
  unsigned long long v = strtoull(s, &end, 0);
  if (*s == '\0' || *end != '\0' || s[0] == '-') return -1;
  *out = (size_t)v;
  return 0;
}

int main(int argc, char **argv) {
  size_t arena_size = 4u << 20, invocations = 1;
  const char *paths[2] = {NULL, NULL};
  int npaths = 0;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--arena") == 0 && i + 1 < argc) {
      if (parse_size(argv[++i], &arena_size) != 0) return usage();
    } else if (strcmp(argv[i], "--invocations") == 0 && i + 1 < argc) {
      if (parse_size(argv[++i], &invocations) != 0 || invocations > 0xffffffffu) return usage();
    } else if (argv[i][0] == '-' || npaths == 2) {
      return usage();
    } else {
      paths[npaths++] = argv[i];
    }
  }
  if (npaths == 0) return usage();
  tfm_app_job job;
  memset(&job, 0, sizeof job);
  uint8_t *model = load(paths[0], &job.model_size);
  if (model == NULL) {
    fprintf(stderr, "tfm-runner: cannot read %s\n", paths[0]);
    return 2;
  }
  uint8_t *inputs = NULL;
  if (paths[1] != NULL) {
    inputs = load(paths[1], &job.inputs_size);
    if (inputs == NULL) {
      fprintf(stderr, "tfm-runner: cannot read %s\n", paths[1]);
      return 2;
    }
  }
  /* An arena of exactly `arena_size` bytes at a 16-byte aligned address. */
  void *arena = NULL;
  if (posix_memalign(&arena, 16, arena_size ? arena_size : 1) != 0) return 2;
  job.model = model;
  job.inputs = inputs;
  job.invocations = (uint32_t)invocations;
  job.arena = arena;
  job.arena_size = arena_size;
  /* Spare memory to measure the whole need when the arena is too small
   * (pages the measure does not touch are never committed). */
  void *measure = NULL;
  size_t measure_size = arena_size < (256u << 20) ? (256u << 20) : 0;
  if (measure_size && posix_memalign(&measure, 16, measure_size) == 0) {
    job.measure = measure;
    job.measure_size = measure_size;
  }
  int status = tfm_app_run(&job);
  free(measure);
  free(arena);
  free(inputs);
  free(model);
  return status;
}
