/* Test-only FULLY_CONNECTED: the reference prepare, then an eval that spins
 * forever, so the job must end in TIMEOUT. */
#define tfm_register_fully_connected tfm_reference_fully_connected
#include "reference/fully_connected.c"
#undef tfm_register_fully_connected

const tfm_kernel *tfm_reference_fully_connected(void);

static volatile uint32_t hang_spins;

static tfm_status hang_eval(tfm_context *ctx, tfm_node *node) {
  while (hang_spins != 0xFFFFFFFFu) {
    hang_spins = (hang_spins + 1u) % 0xFFFFFFFEu; /* never reaches the exit value */
  }
  return eval(ctx, node); /* not reached */
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = {"FULLY_CONNECTED", 13, prepare, hang_eval};
  return &kernel;
}
