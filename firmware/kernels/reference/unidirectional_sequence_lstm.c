/* UNIDIRECTIONAL_SEQUENCE_LSTM reference kernel: the shared prepare and reference eval of
 * common/unidirectional_sequence_lstm.h. */
#include "common/unidirectional_sequence_lstm.h"
#include "common/ops.h"
#include "tfm/kernels.h"

const tfm_kernel *tfm_register_unidirectional_sequence_lstm(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(UNIDIRECTIONAL_SEQUENCE_LSTM, tfm_unidirectional_sequence_lstm_prepare, tfm_unidirectional_sequence_lstm_eval_reference);
  return &kernel;
}
