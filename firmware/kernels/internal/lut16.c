#include "internal/lut16.h"

#include "internal/quant.h"

static float clamp16(float v) { return v < -32768.0f ? -32768.0f : (v > 32767.0f ? 32767.0f : v); }

void tfm_lut_populate_i16(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                          float (*fn)(float), int16_t *lut) {
  const float input_min = in_scale * (float)(-32768 - in_zp);
  const float input_max = in_scale * (float)(32767 - in_zp);
  const float output_min = out_scale * (float)(-32768 - out_zp);
  const float output_max = out_scale * (float)(32767 - out_zp);
  const int steps = TFM_LUT16_SIZE - 1;
  const float step = (input_max - input_min) / (float)steps;
  const float half_step = step / 2.0f;
  const float inv = 65536.0f / (output_max - output_min);
  for (int i = 0; i < steps; ++i) {
    const float val = fn(input_min + (float)i * step);
    const float val_mid = fn(input_min + (float)i * step + half_step);
    const float val_next = fn(input_min + (float)(i + 1) * step);
    const float sample = tfm_roundf(val * inv);
    const float mid_interp = tfm_roundf((val_next * inv + tfm_roundf(val * inv)) / 2.0f);
    const float mid = tfm_roundf(val_mid * inv);
    const float bias = tfm_roundf((mid_interp - mid) / 2.0f);
    lut[i] = (int16_t)clamp16(sample - bias);
  }
  lut[steps] = (int16_t)clamp16(tfm_roundf(fn(input_max) * inv));
}
