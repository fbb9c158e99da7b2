/* Test-only FULLY_CONNECTED: the reference prepare, then an eval that branches
 * to an address with the Thumb bit clear, which Cortex-M refuses with a
 * UsageFault (INVSTATE, escalated to HardFault): the port's fault handler
 * must print `TFM FAULT ... pc=...` and exit with status 3. */
#include "common/fully_connected.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static tfm_status fault_eval(tfm_context *ctx, tfm_node *node) {
  void (*volatile target)(void) = (void (*)(void))0x00000100u;
  target();
  return tfm_fully_connected_eval_reference(ctx, node); /* not reached */
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare,
                                                       fault_eval);
  return &kernel;
}
