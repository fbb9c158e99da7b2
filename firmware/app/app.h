/* The job runner shared by every board: run a model on inputs and print the
 * transcript protocol (docs/protocol.md) through tfm_port_write.
 *
 * Inputs blob layout: for invocation 0..invocations-1, for every model input
 * in order, that tensor's raw bytes (little endian). The blob size must be
 * invocations * sum(input bytes); otherwise the job is refused (exit 2). */
#ifndef TFM_APP_H
#define TFM_APP_H

#include <stddef.h>
#include <stdint.h>

#include "tfm/resolver.h"

typedef struct tfm_app_job {
  const uint8_t *model;
  size_t model_size;
  const uint8_t *inputs;
  size_t inputs_size;
  uint32_t invocations;
  uint8_t *arena;           /* owned by the caller */
  size_t arena_size;
  /* Optional memory the job may spend once allocate has failed for lack of
   * arena: allocate runs again in it to measure the model's whole need
   * (otherwise only the failing allocation is known). NULL = none. */
  uint8_t *measure;
  size_t measure_size;
} tfm_app_job;

/* Registers the kernels this firmware links. Builds for a board define it in
 * a generated file naming only the model's ops; the host runner registers
 * every kernel that is linked (firmware/app/all_ops.c). */
void tfm_app_register_ops(tfm_resolver *resolver);

/* Runs the job; returns the exit status (0 pass, 1 job failed, 2 bad input). */
int tfm_app_run(const tfm_app_job *job);

#endif /* TFM_APP_H */
