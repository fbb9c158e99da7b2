/* X-macro table of TFLM Signal-library custom ops (no include guard: included
 * with TFM_SIGNAL_OP defined): TFM_SIGNAL_OP(custom name in the model,
 * registration suffix); tfm_register_signal_<suffix>() is in
 * kernels/signal/<suffix>.c. Used by app/all_ops.c and tfm_ci/custom_ops.py. */
TFM_SIGNAL_OP(SignalWindow, window)
TFM_SIGNAL_OP(SignalFftAutoScale, fft_auto_scale)
TFM_SIGNAL_OP(SignalRfft, rfft)
TFM_SIGNAL_OP(SignalEnergy, energy)
TFM_SIGNAL_OP(SignalFilterBank, filter_bank)
TFM_SIGNAL_OP(SignalFilterBankSquareRoot, filter_bank_square_root)
TFM_SIGNAL_OP(SignalFilterBankSpectralSubtraction, filter_bank_spectral_subtraction)
TFM_SIGNAL_OP(SignalPCAN, pcan)
TFM_SIGNAL_OP(SignalFilterBankLog, filter_bank_log)
TFM_SIGNAL_OP(SignalIrfft, irfft)
TFM_SIGNAL_OP(SignalFramer, framer)
TFM_SIGNAL_OP(SignalStacker, stacker)
TFM_SIGNAL_OP(SignalDelay, delay)
TFM_SIGNAL_OP(SignalOverlapAdd, overlap_add)
