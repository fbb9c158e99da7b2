/* Test-only FULLY_CONNECTED: the reference prepare, then an eval that branches
 * to an address with the Thumb bit clear, which Cortex-M refuses with a
 * UsageFault (INVSTATE, escalated to HardFault): the port's fault handler
 * must print `TFM FAULT ... pc=...` and exit with status 3. */
#define tfm_register_fully_connected tfm_reference_fully_connected
#include "reference/fully_connected.c"
#undef tfm_register_fully_connected

const tfm_kernel *tfm_reference_fully_connected(void);

static tfm_status fault_eval(tfm_context *ctx, tfm_node *node) {
  void (*volatile target)(void) = (void (*)(void))0x00000100u;
  target();
  return eval(ctx, node); /* not reached */
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel = {"FULLY_CONNECTED", 13, prepare, fault_eval};
  return &kernel;
}
