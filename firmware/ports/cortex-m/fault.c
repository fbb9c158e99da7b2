/* Cortex-M fault report: one `TFM FAULT` line from the stacked frame and the
 * SCB fault status registers, then exit status 3 (docs/protocol.md). */
#if defined(__arm__)

#include <stdint.h>

#include "../common/hexfmt.h"
#include "cortex_m.h"
#include "tfm/port.h"

static const char *const kFaultKinds[] = {"HardFault",  "MemManage",   "BusFault",
                                          "UsageFault", "SecureFault", "UnexpectedException"};

void tfm_cm_fault_report(const uint32_t *frame, uint32_t kind, uint32_t exc_return) {
  /* Basic frame: r0 r1 r2 r3 r12 lr pc xpsr; +18 words with FP state
   * (EXC_RETURN bit 4 clear); +1 word when xPSR bit 9 says it was realigned. */
  uint32_t words = (exc_return & 0x10u) ? 8u : 26u;
  if (frame[7] & 0x200u) words += 1u;
  char buf[160];
  tfm_line line = {buf, sizeof buf - 1, 0};
  /* Leading newline: the fault may interrupt a half-written line. */
  tfm_line_str(&line, "\nTFM FAULT ");
  tfm_line_str(&line, kFaultKinds[kind < 6 ? kind : 5]);
  tfm_line_hex(&line, "pc", frame[6]);
  tfm_line_hex(&line, "lr", frame[5]);
  tfm_line_hex(&line, "sp", (uint32_t)(uintptr_t)(frame + words));
#if __ARM_ARCH_ISA_THUMB >= 2 /* Armv6-M (Cortex-M0/M0+) has no fault status registers */
  tfm_line_hex(&line, "cfsr", TFM_SCB_CFSR);
  tfm_line_hex(&line, "hfsr", TFM_SCB_HFSR);
  tfm_line_hex(&line, "mmfar", TFM_SCB_MMFAR);
  tfm_line_hex(&line, "bfar", TFM_SCB_BFAR);
#endif
  tfm_line_hex(&line, "exc_return", exc_return);
  buf[line.len++] = '\n';
  tfm_port_write(buf, line.len);
  tfm_port_exit(3);
}

#endif /* __arm__ */
