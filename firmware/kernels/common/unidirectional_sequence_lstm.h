/* UNIDIRECTIONAL_SEQUENCE_LSTM: the op's prepare and reference eval, defined in
 * common/unidirectional_sequence_lstm_common.c; a kernel set's override of reference/unidirectional_sequence_lstm.c
 * includes this header, reuses prepare and replaces eval. */
#ifndef TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_H
#define TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_H

#include "tfm/kernel.h"

tfm_status tfm_unidirectional_sequence_lstm_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_unidirectional_sequence_lstm_eval_reference(tfm_context *ctx, tfm_node *node);

#endif /* TFM_KERNELS_UNIDIRECTIONAL_SEQUENCE_LSTM_H */
