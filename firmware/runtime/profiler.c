/* Profiler markers. Each writes a different value to a volatile global so no
 * two have identical code (identical-code folding would merge their
 * addresses, and the instruction counter tells them apart by address). */
#include "runtime.h"

volatile uint32_t tfm_marker_sink;

#define TFM_MARKER(name, value) \
  __attribute__((noinline)) void name(void) { tfm_marker_sink = (value); }

TFM_MARKER(tfm_marker_init_begin, 0x11u)
TFM_MARKER(tfm_marker_init_end, 0x12u)
TFM_MARKER(tfm_marker_invoke_begin, 0x21u)
TFM_MARKER(tfm_marker_invoke_end, 0x22u)
TFM_MARKER(tfm_marker_op_begin, 0x31u)
TFM_MARKER(tfm_marker_op_end, 0x32u)
