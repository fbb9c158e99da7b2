/* Entry of an embedded (board) firmware: runs the job whose model is linked
 * in flash and whose inputs the simulator loaded into RAM.
 *
 * The build links the model with a generated model_blob.S
 * (tfm_model_data .. tfm_model_data_end in .rodata.tfm_model) and passes
 * -DTFM_ARENA_SIZE / -DTFM_INPUTS_CAPACITY. The simulator writes the inputs
 * file at the symbol tfm_inputs_region before the core starts:
 *   16-byte header {"TFMI", u32 invocations, u32 data bytes, u32 reserved}
 *   then the blob (per invocation, every model input's raw bytes in order).
 * The port's reset handler calls main(); main's status is the exit status.
 *
 * Test hooks: -DTFM_TEST_FAULT jumps to an invalid address (fault report),
 * -DTFM_TEST_HANG never finishes (simulator timeout). */
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "tfm/port.h"

#ifndef TFM_ARENA_SIZE
#define TFM_ARENA_SIZE (64 * 1024)
#endif
#ifndef TFM_INPUTS_CAPACITY
#define TFM_INPUTS_CAPACITY (16 * 1024)
#endif

#define TFM_INPUTS_HEADER 16u

extern const uint8_t tfm_model_data[];
extern const uint8_t tfm_model_data_end[];

/* NOLOAD sections: neither is copied nor zeroed at reset. */
static uint8_t tfm_arena[TFM_ARENA_SIZE] __attribute__((aligned(16), section(".tfm_arena")));
uint8_t tfm_inputs_region[TFM_INPUTS_CAPACITY] __attribute__((aligned(16), section(".tfm_inputs")));

static uint32_t read_u32(const volatile uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void write_line(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  tfm_port_write(s, n);
}

#if defined(TFM_TEST_FAULT)
static void test_fault(void) {
  /* An address with no memory and an even (non-Thumb) value: faults on Arm
   * (UsageFault/HardFault) and RISC-V (instruction access fault). */
  void (*volatile bad)(void) = (void (*)(void))(uintptr_t)0xFFFFFFF0u;
  bad();
}
#endif

int main(void) {
#if defined(TFM_TEST_FAULT)
  test_fault();
#endif
#if defined(TFM_TEST_HANG)
  for (volatile int forever = 1; forever;) {
  }
#endif
  const volatile uint8_t *region = tfm_inputs_region;
  uint32_t invocations = read_u32(region + 4);
  uint32_t bytes = read_u32(region + 8);
  if (region[0] != 'T' || region[1] != 'F' || region[2] != 'M' || region[3] != 'I' ||
      bytes > TFM_INPUTS_CAPACITY - TFM_INPUTS_HEADER) {
    write_line("TFM BEGIN v1\n");
    write_line("TFM ERROR BAD_ARGUMENT no inputs loaded\n");
    write_line("TFM END FAIL\n");
    tfm_port_exit(2);
    return 2;
  }
  tfm_app_job job = {
      .model = tfm_model_data,
      .model_size = (size_t)(tfm_model_data_end - tfm_model_data),
      .inputs = tfm_inputs_region + TFM_INPUTS_HEADER,
      .inputs_size = bytes,
      .invocations = invocations,
      .arena = tfm_arena,
      .arena_size = sizeof tfm_arena,
      /* Only used once the job has failed (arena too small): inputs are dead then. */
      .measure = tfm_inputs_region,
      .measure_size = sizeof tfm_inputs_region,
  };
  int status = tfm_app_run(&job);
  tfm_port_exit(status);
  return status;
}
