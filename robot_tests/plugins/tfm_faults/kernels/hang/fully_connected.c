/* Test-only FULLY_CONNECTED: the reference prepare, then an eval that spins
 * forever, so the job must end in TIMEOUT. */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static volatile uint32_t hang_spins;

static tfm_status hang_eval(tfm_context *ctx, tfm_node *node) {
  while (hang_spins != 0xFFFFFFFFu) {
    hang_spins = (hang_spins + 1u) % 0xFFFFFFFEu; /* never reaches the exit value */
  }
  return tfm_fully_connected_eval_reference(ctx, node); /* not reached */
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare,
                                                       hang_eval);
  return &kernel;
}
