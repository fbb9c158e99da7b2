/* DETECTION_POSTPROCESS reference kernel (custom op
 * "TFLite_Detection_PostProcess", kernels/custom_ops.def): the shared prepare
 * and reference eval of common/detection_postprocess.h. */
#include "common/detection_postprocess.h"

const tfm_kernel *tfm_register_detection_postprocess(void) {
  static const tfm_kernel kernel = {"TFLite_Detection_PostProcess", 1,
                                    tfm_detection_postprocess_prepare,
                                    tfm_detection_postprocess_eval_reference};
  return &kernel;
}
