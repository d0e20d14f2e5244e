/*
 * The compiled per-pixel stage of guided mode: the same arithmetic as the TypeScript
 * reference (guided/features.ts, model.ts, colour-lut.ts, context-stage.ts), in the same
 * order and precision (planes stored as float, sums and products in double), so both
 * give the same frames. See ../index.ts for how it is loaded and called.
 */
#ifndef RETAKE_PIXEL_STAGE_H
#define RETAKE_PIXEL_STAGE_H

#include <stddef.h>
#include <stdint.h>

/* Feature layout of the first stage (features.ts). */
#define PS_PATCH 5
#define PS_FEATURES (1 + 3 + PS_PATCH * PS_PATCH + 2 + 3 + 3 + 3 + 6)
#define PS_LUT_FEATURE (PS_FEATURES - 9)
#define PS_NEAR_RADIUS 4
#define PS_FAR_RADIUS 12
/* Buckets of the first stage (model.ts) and the second (context-stage.ts). */
#define PS_ORIENTATIONS 8
#define PS_STRENGTHS 2
#define PS_PER_LEVEL (1 + PS_ORIENTATIONS * PS_STRENGTHS)
#define PS_BUCKETS (3 * PS_PER_LEVEL)
#define PS_CONTEXT_FEATURES 17
#define PS_CONTEXT_LEVELS 8
#define PS_CONTEXT_BUCKETS (PS_CONTEXT_LEVELS * 2)
#define PS_CURVE_LEVELS 256
#define PS_CURVE_FEATURES 6

typedef struct {
  double luma_cuts[2];
  double gradient_cuts[2];
  int lut_size;
  const float *lut;      /* lut_size³ × 3 */
  const float *curves;   /* 256 × 6 */
  const float *weights;  /* PS_BUCKETS × PS_FEATURES × 3 */
  int has_context;
  double context_cut;
  const float *context_weights; /* PS_CONTEXT_BUCKETS × PS_CONTEXT_FEATURES × 3 */
  /* The weights four doubles per feature (ps_widen_weights), as the hot loops read them. */
  double *wide_weights;
  double *wide_context_weights;
} ps_model;

/* Doubles of widened weights a model needs: both stages'. */
#define PS_WIDE_WEIGHTS ((PS_BUCKETS * PS_FEATURES + PS_CONTEXT_BUCKETS * PS_CONTEXT_FEATURES) * 4)
/* `features` rows of three floats into rows of four doubles (the fourth 0), for the SIMD dot products. */
void ps_widen_weights(const float *weights, size_t features, double *wide);

/* The planes of one frame (features.ts Planes), each n floats (rgb_near 3n). */
typedef struct {
  int width, height;
  float *y, *y_near, *y_far, *rgb_near, *gx, *gy, *grad, *std, *ridge;
  /* Scratch: 3n each. */
  float *tmp, *spare;
  double *sums; /* width doubles, for the vertical blur pass */
} ps_planes;

/*
 * A function compiled twice, for AVX2 and for any x86-64, the copy chosen when the addon
 * loads (GCC on Linux; elsewhere one portable copy). Only the width of the vector
 * instructions differs, never the order of the operations, so both give the same figures.
 */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define PS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PS_CLONES
#endif

/* Floats of workspace a frame of n pixels needs (ps_planes_in). */
size_t ps_workspace_floats(size_t n);
/* Lay the planes out in `ws` (ps_workspace_floats(n) floats) and `sums` (width doubles). */
void ps_planes_in(ps_planes *p, int width, int height, float *ws, double *sums);

void ps_box_blur(const float *src, int width, int height, int radius, int stride, float *out, float *tmp, double *sums);
void ps_compute_planes(ps_planes *p, const uint8_t *data);

/* Both stages: RGB 0..1, clamped, into `result` (3n floats; may be p->spare). */
void ps_predict(const ps_model *m, ps_planes *p, const uint8_t *data, float *result);
/* Both stages compiled for AVX2 (guided-avx2.c) when the processor has it: 1 when they ran, 0 to run the portable build. */
int ps_stages_avx2(const ps_model *m, ps_planes *p, const uint8_t *data, float *result);
/* The blend toward the prediction by `strength`, rounded to 8 bits (model.ts applyGuidedModel). */
void ps_finish(const uint8_t *data, const float *mapped, size_t length, double strength, uint8_t *out);

/* Floats of workspace the field of directions needs for n pixels (at most ps_workspace_floats(n)). */
#define PS_FLOW_WORKSPACE(n) (6 * (n))
/* The field of directions of an RGB frame (marks/flow-field.ts): tangent angle and
   coherence, n floats each, using `ws` (PS_FLOW_WORKSPACE(n) floats); 0 when out of memory. */
int ps_flow_field(const uint8_t *data, int width, int height, double sigma, float *ws, float *angle, float *coherence);

#endif
