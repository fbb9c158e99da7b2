/* DETECTION_POSTPROCESS: options, checks, box decoding and both NMS modes, as
 * TFLite's detection_postprocess.cc (see common/detection_postprocess.h). */
#include "common/detection_postprocess.h"

#include <string.h>

#include "internal/fixedpoint.h"
#include "internal/fmath.h"
#include "tfm/flexbuffer.h"

typedef TfmDetectionPostprocessData dp_data;

/* ---- options -------------------------------------------------------------- */

typedef struct dp_opts {
  tfm_flex fx;
  tfm_flex_ref root;
} dp_opts;

static tfm_status opt_error(tfm_context *ctx, dp_opts *o, const char *key) {
  return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s': %s (byte %u of %u)", key,
                  o->fx.error, (unsigned)o->fx.error_at, (unsigned)o->fx.size);
}

/* map[key] as an int in [lo, hi]; an absent optional key gives dflt. */
static tfm_status opt_int(tfm_context *ctx, dp_opts *o, const char *key, bool required,
                          int32_t dflt, int32_t lo, int32_t hi, int32_t *out) {
  if (!required && !tfm_flex_map_has(&o->fx, &o->root, key)) {
    o->fx.error = NULL;                 /* map_has records nothing worth keeping */
    *out = dflt;
    return TFM_OK;
  }
  int32_t v;
  if (tfm_flex_map_int32(&o->fx, &o->root, key, &v) != TFM_OK) return opt_error(ctx, o, key);
  if (v < lo || v > hi) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s' = %ld out of range [%ld, %ld]",
                    key, (long)v, (long)lo, (long)hi);
  }
  *out = v;
  return TFM_OK;
}

/* The reader's "not an integer" for a value of another type, named for the option. */
static tfm_status type_error(tfm_context *ctx, dp_opts *o, const char *key, const char *want) {
  if (o->fx.error != NULL && strcmp(o->fx.error, "not an integer") == 0) o->fx.error = want;
  return opt_error(ctx, o, key);
}

static tfm_status opt_float(tfm_context *ctx, dp_opts *o, const char *key, float *out) {
  if (tfm_flex_map_float(&o->fx, &o->root, key, out) != TFM_OK) {
    return type_error(ctx, o, key, "not a number");
  }
  if (*out != *out) return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s' is NaN", key);
  return TFM_OK;
}

/* A box-coder scale: divides the encodings, so finite and non-zero. */
static tfm_status opt_scale(tfm_context *ctx, dp_opts *o, const char *key, float *out) {
  TFM_TRY(opt_float(ctx, o, key, out));
  if (*out == 0.0f || *out - *out != 0.0f) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom option '%s' = %f must be finite and non-zero",
                    key, (double)*out);
  }
  return TFM_OK;
}

static tfm_status read_options(tfm_context *ctx, const tfm_node *node, dp_data *d) {
  dp_opts o;
  tfm_status st = tfm_flex_open(&o.fx, node->custom_options, node->custom_options_size,
                                &o.root);
  if (st == TFM_OK && o.root.type != TFM_FLEX_MAP) {
    o.fx.error = "root is not a map";
    st = TFM_BAD_MODEL;
  }
  if (st != TFM_OK) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom options: %s (byte %u of %u)", o.fx.error,
                    (unsigned)o.fx.error_at, (unsigned)node->custom_options_size);
  }
  const int32_t big = 1 << 20;    /* far above any detector; keeps products in int32 */
  TFM_TRY(opt_int(ctx, &o, "max_detections", true, 0, 1, big, &d->max_detections));
  TFM_TRY(opt_int(ctx, &o, "max_classes_per_detection", true, 0, 1, big,
                  &d->max_classes_per_detection));
  TFM_TRY(opt_int(ctx, &o, "num_classes", true, 0, 1, big, &d->num_classes));
  int32_t regular;
  if (tfm_flex_map_has(&o.fx, &o.root, "use_regular_nms")) {
    bool b;
    if (tfm_flex_map_bool(&o.fx, &o.root, "use_regular_nms", &b) != TFM_OK) {
      return type_error(ctx, &o, "use_regular_nms", "not a boolean");
    }
    regular = b;
  } else {
    o.fx.error = NULL;
    regular = 0;
  }
  d->use_regular_nms = regular != 0;
  /* Only regular NMS uses it (TFLite checks it there). */
  TFM_TRY(opt_int(ctx, &o, "detections_per_class", false, TFM_DETECTION_PER_CLASS_DEFAULT,
                  d->use_regular_nms ? 1 : INT32_MIN, big, &d->detections_per_class));
  TFM_TRY(opt_float(ctx, &o, "nms_score_threshold", &d->score_threshold));
  TFM_TRY(opt_float(ctx, &o, "nms_iou_threshold", &d->iou_threshold));
  if (!(d->iou_threshold > 0.0f && d->iou_threshold <= 1.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "custom option 'nms_iou_threshold' = %f out of "
                    "range (0, 1]", (double)d->iou_threshold);
  }
  TFM_TRY(opt_scale(ctx, &o, "y_scale", &d->y_scale));
  TFM_TRY(opt_scale(ctx, &o, "x_scale", &d->x_scale));
  TFM_TRY(opt_scale(ctx, &o, "h_scale", &d->h_scale));
  TFM_TRY(opt_scale(ctx, &o, "w_scale", &d->w_scale));
  return TFM_OK;
}

/* ---- prepare -------------------------------------------------------------- */

static tfm_status check_input(tfm_context *ctx, const tfm_tensor *t, const char *what,
                              int rank) {
  if (t == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "%s input is missing", what);
  if (t->type != TFM_FLOAT32 && t->type != TFM_UINT8) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "%s: type %s not supported (TFLite's kernel takes "
                    "FLOAT32 and UINT8)", what, tfm_type_name((tfm_type)t->type));
  }
  if (t->type == TFM_UINT8 && !(t->scale > 0.0f)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: UINT8 without a quantization scale", what);
  }
  if (t->rank != rank) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%s: rank %d, expected %d", what, (int)t->rank, rank);
  }
  return TFM_OK;
}

static tfm_status check_output(tfm_context *ctx, const tfm_node *node, int i,
                               const char *what, int64_t elements) {
  const tfm_tensor *t = tfm_output(ctx, node, i);
  if (t == NULL) return tfm_fail(ctx, TFM_BAD_MODEL, "output %d (%s) is missing", i, what);
  if (t->type != TFM_FLOAT32 || (t->flags & TFM_TENSOR_CONSTANT)) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output %d (%s) must be a FLOAT32 activation", i, what);
  }
  if ((int64_t)tfm_tensor_elements(t) != elements) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "output %d (%s) has %ld elements, the options give "
                    "%ld", i, what, (long)tfm_tensor_elements(t), (long)elements);
  }
  return TFM_OK;
}

/* Reserve `count` elements of `size` bytes at *end (8-byte aligned). */
static uint32_t take(uint64_t *end, uint64_t count, uint64_t size) {
  const uint64_t at = *end;
  *end += (count * size + 7u) & ~(uint64_t)7u;
  return (uint32_t)at;
}

tfm_status tfm_detection_postprocess_prepare(tfm_context *ctx, tfm_node *node) {
  if (node->num_inputs != 3 || node->num_outputs != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "%d inputs and %d outputs, expected 3 and 4",
                    (int)node->num_inputs, (int)node->num_outputs);
  }
  dp_data *d;
  TFM_TRY(tfm_alloc_persistent(ctx, sizeof *d, (void **)&d));
  TFM_TRY(read_options(ctx, node, d));
  const tfm_tensor *box = tfm_input(ctx, node, 0);
  const tfm_tensor *cls = tfm_input(ctx, node, 1);
  const tfm_tensor *anchors = tfm_input(ctx, node, 2);
  TFM_TRY(check_input(ctx, box, "box encodings", 3));
  TFM_TRY(check_input(ctx, cls, "class predictions", 3));
  TFM_TRY(check_input(ctx, anchors, "anchors", 2));
  const int32_t n = box->dims[1];
  if (box->dims[0] != 1 || box->dims[2] < 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "box encodings must be [1, N, >= 4]");
  }
  if (cls->dims[0] != 1 || cls->dims[1] != n) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "class predictions must be [1, %ld, classes]", (long)n);
  }
  const int32_t k = cls->dims[2];
  if (k != d->num_classes && k != d->num_classes + 1) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "class predictions have %ld classes; num_classes %ld "
                    "needs %ld or %ld (with background)", (long)k, (long)d->num_classes,
                    (long)d->num_classes, (long)d->num_classes + 1);
  }
  if (anchors->dims[0] != n || anchors->dims[1] != 4) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "anchors must be [%ld, 4]", (long)n);
  }
  if (anchors->type != box->type) {
    return tfm_fail(ctx, TFM_UNSUPPORTED, "anchors are %s, box encodings %s (TFLite needs "
                    "the same type)", tfm_type_name((tfm_type)anchors->type),
                    tfm_type_name((tfm_type)box->type));
  }
  const int64_t det = (int64_t)d->max_detections * d->max_classes_per_detection;
  TFM_TRY(check_output(ctx, node, 0, "boxes", det * 4));
  TFM_TRY(check_output(ctx, node, 1, "classes", det));
  TFM_TRY(check_output(ctx, node, 2, "scores", det));
  TFM_TRY(check_output(ctx, node, 3, "num detections", 1));
  d->num_boxes = n;
  d->box_stride = box->dims[2];
  d->classes_with_background = k;

  const uint64_t un = (uint64_t)n, md = (uint64_t)d->max_detections;
  const uint64_t cats = (uint64_t)(d->max_classes_per_detection < d->num_classes
                                       ? d->max_classes_per_detection : d->num_classes);
  uint64_t end = 0;
  d->off_boxes = take(&end, un * 4u, sizeof(float));
  /* one anchor's class scores (fast NMS over UINT8 predictions, dequantized per row) */
  d->off_scores = take(&end, (uint64_t)k, sizeof(float));
  d->off_values = take(&end, un, sizeof(float));
  d->off_keep_scores = take(&end, un, sizeof(float));
  d->off_keep_idx = take(&end, un, sizeof(int32_t));
  d->off_sorted = take(&end, un, sizeof(int32_t));
  /* merge buffer of the sorts: N kept scores, N + D regular picks, or one row */
  d->off_merge = take(&end, un + md + (uint64_t)d->num_classes, sizeof(int32_t));
  d->off_selected = take(&end, un, sizeof(int32_t));
  if (d->use_regular_nms) {
    d->off_bi = take(&end, un + md, sizeof(int32_t));
    d->off_sa = take(&end, un + md, sizeof(float));
    d->off_si = take(&end, un + md, sizeof(int32_t));
    d->off_sv = take(&end, md, sizeof(float));
  } else {
    d->off_class_idx = take(&end, un * cats, sizeof(int32_t));
    d->off_work = take(&end, (uint64_t)d->num_classes, sizeof(int32_t));
  }
  d->off_active = take(&end, un, 1u);
  d->off_decoded = take(&end, un, 1u);
  if (end > 0x7fffffffu) {
    return tfm_fail(ctx, TFM_BAD_MODEL, "working memory of %lu bytes is too large",
                    (unsigned long)end);
  }
  TFM_TRY(tfm_request_scratch(ctx, (size_t)end, &d->scratch_index));
  node->data = d;
  return TFM_OK;
}

/* ---- eval ----------------------------------------------------------------- */

typedef struct dp_run {
  const dp_data *d;
  uint8_t *base;          /* the scratch buffer */
  float *boxes;           /* decoded [N][4]: ymin, xmin, ymax, xmax (when decoded[i]) */
  uint8_t *decoded;
  const tfm_tensor *box, *anchors;
  const float *fscores;   /* FLOAT32 class predictions [N][K], or NULL */
  const uint8_t *qscores; /* UINT8 ones, dequantized when read */
  int32_t zero_point;
  float scale;
} dp_run;

/* Class prediction i. TFLite dequantizes UINT8 ones as (float)((double)scale *
 * (q - zp)): the product of exact operands, the same as this float product. */
static float score_at(const dp_run *r, int32_t i) {
  return r->fscores ? r->fscores[i] : (float)((int32_t)r->qscores[i] - r->zero_point) * r->scale;
}

#define AT(run, type, off) ((type *)(void *)((run)->base + (off)))

/* Encoding and anchor of box i, (y, x, h, w) each, dequantized as TFLite does. */
static void box_inputs(const dp_run *r, int32_t i, float e[4], float a[4]) {
  const tfm_tensor *box = r->box, *anc = r->anchors;
  if (box->type == TFM_UINT8) {
    const uint8_t *eb = (const uint8_t *)box->data + (size_t)i * (size_t)r->d->box_stride;
    const uint8_t *ab = (const uint8_t *)anc->data + (size_t)i * 4u;
    const float ez = (float)box->zero_point, az = (float)anc->zero_point;
    for (int c = 0; c < 4; ++c) {
      e[c] = ((float)eb[c] - ez) * box->scale;
      a[c] = ((float)ab[c] - az) * anc->scale;
    }
  } else {
    memcpy(e, (const float *)box->data + (size_t)i * (size_t)r->d->box_stride, 4 * sizeof(float));
    memcpy(a, (const float *)anc->data + (size_t)i * 4u, 4 * sizeof(float));
  }
}

/* Box i from center-size encoding + anchor to corners, in double as TFLite does;
 * once per eval (boxes are decoded when NMS or the outputs first need them). */
static const float *decoded_box(const dp_run *r, int32_t i) {
  float *o = r->boxes + (size_t)i * 4u;
  if (r->decoded[i]) return o;
  const dp_data *d = r->d;
  float e[4], a[4];
  box_inputs(r, i, e, a);
  const double yc = (double)e[0] / (double)d->y_scale * (double)a[2] + (double)a[0];
  const double xc = (double)e[1] / (double)d->x_scale * (double)a[3] + (double)a[1];
  const float ycenter = (float)yc, xcenter = (float)xc;
  const float half_h = (float)(0.5 * tfm_exp((double)e[2] / (double)d->h_scale) * (double)a[2]);
  const float half_w = (float)(0.5 * tfm_exp((double)e[3] / (double)d->w_scale) * (double)a[3]);
  o[0] = ycenter - half_h;
  o[1] = xcenter - half_w;
  o[2] = ycenter + half_h;
  o[3] = xcenter + half_w;
  r->decoded[i] = 1;
  return o;
}

/* TFLite's ValidateBoxes over every box, without decoding most: half sizes take the
 * sign of the anchor's h, w (0.5 * exp(..) >= 0), and with half >= 0 (or NaN)
 * center - half <= center + half (or the compare is false) for any center, since
 * float rounding is monotonic; so only boxes with a negative (or NaN) anchor size
 * are decoded to check them. Returns the first invalid box, or -1. */
static int32_t first_invalid_box(const dp_run *r) {
  const tfm_tensor *anc = r->anchors;
  for (int32_t i = 0; i < r->d->num_boxes; ++i) {
    if (anc->type == TFM_UINT8) {   /* (q - zp) * scale >= 0 iff q >= zp (scale > 0) */
      const uint8_t *q = (const uint8_t *)anc->data + (size_t)i * 4u;
      if (q[2] >= anc->zero_point && q[3] >= anc->zero_point) continue;
    } else {
      const float *a = (const float *)anc->data + (size_t)i * 4u;
      if (a[2] >= 0.0f && a[3] >= 0.0f) continue;
    }
    const float *b = decoded_box(r, i);
    if (b[0] > b[2] || b[1] > b[3]) return i;
  }
  return -1;
}

/* std::max / std::min as TFLite calls them (the first argument on ties/NaN). */
static float fmax_std(float a, float b) { return a < b ? b : a; }
static float fmin_std(float a, float b) { return b < a ? b : a; }

static float iou(const float *bi, const float *bj) {
  const float area_i = (bi[2] - bi[0]) * (bi[3] - bi[1]);
  const float area_j = (bj[2] - bj[0]) * (bj[3] - bj[1]);
  if (area_i <= 0 || area_j <= 0) return 0.0f;
  const float ymin = fmax_std(bi[0], bj[0]), xmin = fmax_std(bi[1], bj[1]);
  const float ymax = fmin_std(bi[2], bj[2]), xmax = fmin_std(bi[3], bj[3]);
  const float inter = fmax_std(ymax - ymin, 0.0f) * fmax_std(xmax - xmin, 0.0f);
  return inter / (area_i + area_j - inter);
}

/* Indices 0..n-1 sorted by decreasing value, stable (TFLite's std::stable_sort:
 * any stable sort gives the same order); bottom-up merge sort through tmp. */
static void decreasing_stable_argsort(const float *v, int32_t n, int32_t *idx, int32_t *tmp) {
  for (int32_t i = 0; i < n; ++i) idx[i] = i;
  int32_t *src = idx, *dst = tmp;
  for (int32_t width = 1; width < n; width *= 2) {
    for (int32_t lo = 0; lo < n; lo += 2 * width) {
      const int32_t mid = lo + width < n ? lo + width : n;
      const int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int32_t a = lo, b = mid, o = lo;
      while (a < mid && b < hi) dst[o++] = v[src[b]] > v[src[a]] ? src[b++] : src[a++];
      while (a < mid) dst[o++] = src[a++];
      while (b < hi) dst[o++] = src[b++];
    }
    int32_t *t = src;
    src = dst;
    dst = t;
  }
  if (src != idx) memcpy(idx, src, sizeof(int32_t) * (size_t)n);
}

/* Fast NMS ranks each anchor's classes with TFLite's DecreasingPartialArgSort:
 * the first maximum when k == 1, else std::partial_sort with comp(a, b) =
 * v[a] > v[b] (no tie-break). With ties (or NaN) the order it leaves is
 * libstdc++'s heap_select + sort_heap, which TFLite is built with, so those
 * steps are followed exactly here. (Regular NMS ranks with ties broken by the
 * lower position, as a stable sort: decreasing_stable_argsort.) */
static bool greater_at(const float *v, int32_t a, int32_t b) { return v[a] > v[b]; }

static void push_heap(const float *v, int32_t *h, int32_t hole, int32_t top, int32_t value) {
  int32_t parent = (hole - 1) / 2;
  while (hole > top && greater_at(v, h[parent], value)) {
    h[hole] = h[parent];
    hole = parent;
    parent = (hole - 1) / 2;
  }
  h[hole] = value;
}

static void adjust_heap(const float *v, int32_t *h, int32_t hole, int32_t len, int32_t value) {
  const int32_t top = hole;
  int32_t child = hole;
  while (child < (len - 1) / 2) {
    child = 2 * (child + 1);
    if (greater_at(v, h[child], h[child - 1])) child--;
    h[hole] = h[child];
    hole = child;
  }
  if ((len & 1) == 0 && child == (len - 2) / 2) {
    child = 2 * (child + 1);
    h[hole] = h[child - 1];
    hole = child - 1;
  }
  push_heap(v, h, hole, top, value);
}

static void pop_heap(const float *v, int32_t *h, int32_t len, int32_t *result) {
  const int32_t value = *result;
  *result = h[0];
  adjust_heap(v, h, 0, len, value);
}

static void make_heap(const float *v, int32_t *h, int32_t len) {
  if (len < 2) return;
  for (int32_t parent = (len - 2) / 2;; --parent) {
    adjust_heap(v, h, parent, len, h[parent]);
    if (parent == 0) return;
  }
}

/* The first k of idx[0..n) become the indices of the k largest values. */
static void heap_partial_argsort(const float *v, int32_t n, int32_t k, int32_t *idx) {
  if (k == 1) {
    int32_t best = 0;
    for (int32_t i = 1; i < n; ++i) {
      if (v[i] > v[best]) best = i;
    }
    idx[0] = best;
    return;
  }
  for (int32_t i = 0; i < n; ++i) idx[i] = i;
  make_heap(v, idx, k);
  for (int32_t i = k; i < n; ++i) {
    if (greater_at(v, idx[i], idx[0])) pop_heap(v, idx, k, &idx[i]);
  }
  for (int32_t m = k; m > 1;) {
    --m;
    pop_heap(v, idx, m, &idx[m]);
  }
}

/* TFLite's NonMaxSuppressionSingleClassHelper: anchors whose score passes the
 * threshold, by decreasing score (stable), each dropping the later ones that
 * overlap it by more than the IoU threshold; at most max_out. */
static int32_t nms_single(const dp_run *r, const float *scores, int32_t max_out,
                          int32_t *selected) {
  const dp_data *d = r->d;
  float *keep_scores = AT(r, float, d->off_keep_scores);
  int32_t *keep_idx = AT(r, int32_t, d->off_keep_idx);
  int32_t *sorted = AT(r, int32_t, d->off_sorted);
  uint8_t *active = AT(r, uint8_t, d->off_active);
  int32_t kept = 0;
  for (int32_t i = 0; i < d->num_boxes; ++i) {
    if (scores[i] >= d->score_threshold) {
      keep_scores[kept] = scores[i];
      keep_idx[kept++] = i;
    }
  }
  decreasing_stable_argsort(keep_scores, kept, sorted, AT(r, int32_t, d->off_merge));
  for (int32_t i = 0; i < kept; ++i) (void)decoded_box(r, keep_idx[i]);
  const int32_t out_size = kept < max_out ? kept : max_out;
  memset(active, 1, (size_t)(uint32_t)kept);   /* kept >= 0 */
  int32_t num_active = kept, count = 0;
  for (int32_t i = 0; i < kept; ++i) {
    if (num_active == 0 || count >= out_size) break;
    if (!active[i]) continue;
    const int32_t bi = keep_idx[sorted[i]];
    selected[count++] = bi;
    active[i] = 0;
    num_active--;
    for (int32_t j = i + 1; j < kept; ++j) {
      if (active[j] && iou(r->boxes + 4 * bi, r->boxes + 4 * keep_idx[sorted[j]]) >
                           d->iou_threshold) {
        active[j] = 0;
        num_active--;
      }
    }
  }
  return count;
}

static void write_detection(float *boxes, float *classes, float *scores, int32_t at,
                            const float *box, float cls, float score) {
  memcpy(boxes + 4 * (size_t)at, box, 4 * sizeof(float));
  classes[at] = cls;
  scores[at] = score;
}

static float nms_regular(const dp_run *r, float *ob, float *oc, float *os) {
  const dp_data *d = r->d;
  const int32_t n = d->num_boxes, k = d->classes_with_background;
  const int32_t label = k - d->num_classes, md = d->max_detections;
  float *class_scores = AT(r, float, d->off_values);
  int32_t *selected = AT(r, int32_t, d->off_selected);
  int32_t *bi = AT(r, int32_t, d->off_bi), *si = AT(r, int32_t, d->off_si);
  float *sa = AT(r, float, d->off_sa), *sv = AT(r, float, d->off_sv);
  /* smallest UINT8 score whose dequantized value passes the threshold (the map
   * from q is non-decreasing as scale > 0), 256 when none does */
  int32_t qmin = 256;
  const float nan_value = tfm_f32_from_bits(0x7fc00000u);
  if (r->qscores != NULL) {
    for (int32_t q = 255; q >= 0; --q) {
      const float v = (float)(q - r->zero_point) * r->scale;
      if (!(v >= d->score_threshold)) break;
      qmin = q;
    }
  }
  int32_t size = 0;
  for (int32_t col = 0; col < d->num_classes; ++col) {
    if (r->qscores != NULL) {
      /* UINT8: rows below the threshold get NaN (never >= it), no dequantizing */
      for (int32_t row = 0; row < n; ++row) {
        const int32_t i = row * k + col + label;
        class_scores[row] = (int32_t)r->qscores[i] >= qmin ? score_at(r, i) : nan_value;
      }
    } else {
      for (int32_t row = 0; row < n; ++row) class_scores[row] = r->fscores[row * k + col + label];
    }
    const int32_t count = nms_single(r, class_scores, d->detections_per_class, selected);
    int32_t out = size;
    for (int32_t s = 0; s < count; ++s, ++out) {
      bi[out] = selected[s] * k + col + label;
      sa[out] = class_scores[selected[s]];
    }
    const int32_t top = out < md ? out : md;   /* keep the best max_detections */
    decreasing_stable_argsort(sa, out, si, AT(r, int32_t, d->off_merge));
    for (int32_t row = 0; row < top; ++row) {
      const int32_t t = si[row];
      si[row] = bi[t];
      sv[row] = sa[t];
    }
    for (int32_t row = 0; row < top; ++row) {
      bi[row] = si[row];
      sa[row] = sv[row];
    }
    size = top;
  }
  for (int32_t i = 0; i < size; ++i) {
    const int32_t anchor = bi[i] / k;
    write_detection(ob, oc, os, i, r->boxes + 4 * anchor, (float)(bi[i] - anchor * k - label),
                    sa[i]);
  }
  return (float)size;
}

static float nms_fast(const dp_run *r, float *ob, float *oc, float *os) {
  const dp_data *d = r->d;
  const int32_t n = d->num_boxes, k = d->classes_with_background;
  const int32_t label = k - d->num_classes, maxc = d->max_classes_per_detection;
  const int32_t cats = maxc < d->num_classes ? maxc : d->num_classes;
  float *max_scores = AT(r, float, d->off_values);
  int32_t *class_idx = AT(r, int32_t, d->off_class_idx), *work = AT(r, int32_t, d->off_work);
  int32_t *selected = AT(r, int32_t, d->off_selected);
  float *row_buf = AT(r, float, d->off_scores);
  /* With one class per anchor and a scale whose products are normal floats,
   * dequantization is strictly increasing in q, so the first maximum of the raw
   * UINT8 row is the first maximum of the floats: skip dequantizing the row. */
  const bool raw_argmax = r->qscores != NULL && cats == 1 && r->scale >= 7.8886091e-31f;
  for (int32_t row = 0; row < n; ++row) {
    const float *s;
    if (raw_argmax) {
      const uint8_t *q = r->qscores + (size_t)row * (size_t)k + label;
      int32_t best = 0;
      for (int32_t c = 1; c < d->num_classes; ++c) {
        if (q[c] > q[best]) best = c;
      }
      class_idx[row] = best;
      max_scores[row] = score_at(r, row * k + label + best);
      continue;
    }
    if (r->fscores) {
      s = r->fscores + (size_t)row * (size_t)k + label;
    } else {
      for (int32_t c = 0; c < k; ++c) row_buf[c] = score_at(r, row * k + c);
      s = row_buf + label;
    }
    heap_partial_argsort(s, d->num_classes, cats, work);
    memcpy(class_idx + (size_t)row * (size_t)cats, work, sizeof(int32_t) * (size_t)cats);
    max_scores[row] = s[work[0]];
  }
  const int32_t count = nms_single(r, max_scores, d->max_detections, selected);
  for (int32_t i = 0; i < count; ++i) {
    const int32_t a = selected[i];
    const int32_t *ci = class_idx + (size_t)a * (size_t)cats;
    for (int32_t c = 0; c < cats; ++c) {
      write_detection(ob, oc, os, maxc * i + c, r->boxes + 4 * a, (float)ci[c],
                      score_at(r, a * k + label + ci[c]));
    }
  }
  return (float)count;
}

tfm_status tfm_detection_postprocess_eval_reference(tfm_context *ctx, tfm_node *node) {
  const dp_data *d = (const dp_data *)node->data;
  const tfm_tensor *box = tfm_input(ctx, node, 0);
  const tfm_tensor *cls = tfm_input(ctx, node, 1);
  const tfm_tensor *anc = tfm_input(ctx, node, 2);
  tfm_tensor *out[4];
  for (int i = 0; i < 4; ++i) out[i] = tfm_output(ctx, node, i);
  dp_run r;
  memset(&r, 0, sizeof r);
  r.d = d;
  r.base = (uint8_t *)tfm_scratch(ctx, d->scratch_index);
  r.boxes = AT(&r, float, d->off_boxes);
  r.decoded = AT(&r, uint8_t, d->off_decoded);
  r.box = box;
  r.anchors = anc;
  memset(r.decoded, 0, (size_t)d->num_boxes);
  /* TFLite's ValidateBoxes (before any NMS; NaN corners pass, as there) */
  const int32_t bad = first_invalid_box(&r);
  if (bad >= 0) {
    return tfm_fail(ctx, TFM_BAD_ARGUMENT, "decoded box %ld has ymin > ymax or xmin > xmax "
                    "(negative anchor size?)", (long)bad);
  }
  if (cls->type == TFM_UINT8) {
    r.qscores = (const uint8_t *)cls->data;
    r.zero_point = cls->zero_point;
    r.scale = cls->scale;
  } else {
    r.fscores = (const float *)cls->data;
  }
  for (int i = 0; i < 3; ++i) {
    memset(out[i]->data, 0, sizeof(float) * (size_t)tfm_tensor_elements(out[i]));
  }
  float *ob = (float *)out[0]->data, *oc = (float *)out[1]->data, *os = (float *)out[2]->data;
  *(float *)out[3]->data = d->use_regular_nms ? nms_regular(&r, ob, oc, os)
                                              : nms_fast(&r, ob, oc, os);
  return TFM_OK;
}
