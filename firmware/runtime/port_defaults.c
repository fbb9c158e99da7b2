/* Weak defaults for the porting layer (tfm/port.h); a port overrides any of
 * them. tfm_port_write has no default: every port must provide it. */
#include "tfm/port.h"

__attribute__((weak)) uint64_t tfm_port_cost(void) { return 0; }
__attribute__((weak)) const char *tfm_port_cost_unit(void) { return "none"; }
__attribute__((weak)) int32_t tfm_port_stack_used(void) { return -1; }
__attribute__((weak)) int32_t tfm_port_stack_size(void) { return -1; }
__attribute__((weak)) void tfm_port_exit(int code) {
  (void)code;
  for (;;) {
  }
}
