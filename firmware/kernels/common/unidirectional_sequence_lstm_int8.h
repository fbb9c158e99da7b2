/* The full-integer UNIDIRECTIONAL_SEQUENCE_LSTM (int8 activations, int16 cell
 * state), defined in common/unidirectional_sequence_lstm_int8.c; the op's
 * prepare hands INT8 inputs to it and its reference eval dispatches here. */
#ifndef TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_INT8_H
#define TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_INT8_H

#include "tfm/kernel.h"

tfm_status tfm_lstm_int8_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_lstm_int8_eval(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_INT8_H */
