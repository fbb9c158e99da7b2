/* DETECTION_POSTPROCESS (custom op "TFLite_Detection_PostProcess"): SSD
 * post-processing as TFLite's kernels/detection_postprocess.cc. Inputs box
 * encodings [1, N, >=4] (y, x, h, w per anchor), class predictions
 * [1, N, num_classes (+1 background)], anchors [N, 4] (y, x, h, w); float32 or
 * uint8 (dequantized as TFLite; anchors have the box encodings' type). Outputs
 * four float32 tensors: boxes [1, D, 4] (ymin, xmin, ymax, xmax), classes
 * [1, D], scores [1, D], num detections [1], D = max_detections *
 * max_classes_per_detection. Fast NMS (one NMS over each anchor's best class)
 * or regular NMS (per class, then the best max_detections overall), with
 * TFLite's sort and tie-breaking, found against ai-edge-litert: a stable sort
 * inside NMS and for regular NMS's top max_detections; libstdc++'s heap
 * partial sort (first maximum for one class) for fast NMS's classes per
 * anchor. Rows TFLite leaves unwritten are zero here.
 *
 * Options are a FlexBuffer map (node->custom_options), read with the bounds-
 * checked reader of tfm/flexbuffer.h; every value is range-checked in prepare
 * and a bad one fails naming the option. All working memory is one scratch
 * buffer from the arena. */
#ifndef TFM_KERNELS_DETECTION_POSTPROCESS_H
#define TFM_KERNELS_DETECTION_POSTPROCESS_H

#include "tfm/kernel.h"

/* TFLite's default for a missing detections_per_class. */
#define TFM_DETECTION_PER_CLASS_DEFAULT 100

typedef struct TfmDetectionPostprocessData {
  int32_t max_detections, max_classes_per_detection, detections_per_class, num_classes;
  bool use_regular_nms;
  float score_threshold, iou_threshold;
  float y_scale, x_scale, h_scale, w_scale;
  int32_t num_boxes, box_stride, classes_with_background;
  int scratch_index;
  /* byte offsets of the working arrays in the scratch buffer */
  uint32_t off_boxes, off_scores, off_values, off_keep_scores, off_keep_idx, off_sorted,
      off_merge, off_selected, off_class_idx, off_work, off_bi, off_sa, off_si, off_sv,
      off_active, off_decoded;
} TfmDetectionPostprocessData;

tfm_status tfm_detection_postprocess_prepare(tfm_context *ctx, tfm_node *node);
tfm_status tfm_detection_postprocess_eval_reference(tfm_context *ctx, tfm_node *node);
const tfm_kernel *tfm_register_detection_postprocess(void);

#endif /* TFM_KERNELS_DETECTION_POSTPROCESS_H */
