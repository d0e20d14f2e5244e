/*
 * Mark primitives shared by the media kernels:
 *
 * - a stroke texture that moves with the picture: per-pixel coordinates into a fixed
 *   noise texture, carried each frame by the picture's motion (block matching on a
 *   quarter-size luma, sub-pixel by a parabola through the best match's neighbours), so
 *   marks neither boil (the texture is not redrawn each frame) nor swim (it moves with
 *   what it draws). The coordinates relax slowly back toward the frame's own, so they do
 *   not drift apart over a long shot, and reset at a cut (a jump in the frame's luma);
 * - line integral convolution: a texture averaged along straight segments in a per-pixel
 *   direction, which turns dots into strokes laid along that direction.
 */
#ifndef RETAKE_MARKS_PRIMITIVES_H
#define RETAKE_MARKS_PRIMITIVES_H

#include <stdint.h>
#include "../marks.h"

/* v held to lo..hi. */
static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

typedef struct {
  int width, height, qw, qh;
  float *prev_quarter;   /* quarter-size luma of the previous frame */
  float *quarter;        /* this frame's */
  float *mvx, *mvy;      /* motion per quarter block, full-size pixels, this frame from the previous */
  float *u, *v;          /* per pixel: where its stroke texture comes from */
  float *scratch_u, *scratch_v;
  long frames;
  int cut;               /* 1 when the last frame was a cut (or the first) */
} marks_advection;

/* Allocate for `width`×`height`; 0 when out of memory. */
int marks_advection_init(marks_advection *a, int width, int height);
void marks_advection_free(marks_advection *a);
/* Carry the texture coordinates from the previous frame to `luma` (0..1, width×height). */
void marks_advect(marks_advection *a, const float *luma);

/* A fixed noise texture value at integer texel (x, y), 0..1. */
float marks_hash(int x, int y, uint32_t seed);

/* The RGB frame `in` (width × height) halved by 2×2 means, rounded, into `out`
   ((width + 1) / 2 × (height + 1) / 2; an odd last row or column is its own pair). */
void marks_halve(const uint8_t *in, int width, int height, uint8_t *out);
/* For doubling a half-size plane (hw columns) back to `width` columns by linear
   interpolation: each output column's left half-size column, the step to its right one
   (0 at the edge) and the right one's weight, the same for every row. One allocation
   (free the returned pointer); NULL when out of memory. */
int *marks_double_columns(int width, int hw, int **step, float **frac);
/* A half-size plane (hw × hh) doubled back to `w` × `h` by linear interpolation, with the columns from marks_double_columns. */
void marks_double_plane(const float *half, int hw, int hh, int w, int h, const int *cols, const int *step, const float *frac, float *out);

/* Hermite step 0..1 from `e0` to `e1` (either order). Each bound tested on its own, never
   one test only after another: a loop of them then runs several pixels per instruction. */
static inline float smoothstep(float e0, float e1, float v) {
  float t = (v - e0) / (e1 - e0);
  t = t < 0 ? 0 : t;
  t = t > 1 ? 1 : t;
  return t * t * (3 - 2 * t);
}

/*
 * How far a pixel's colour is a skin's, 0..1: its chroma (Cb, Cr) in the range skin of
 * every tone takes, whatever its luma (Chai and Ngan, Face Segmentation Using Skin-Color
 * Map, 1999), with soft edges of a few levels; `cr_top` is the range's top in Cr (177 in
 * the paper; higher takes in an animated face's saturated orange), `cb_low` its bottom in Cb
 * (81; lower takes in the same).
 */
static inline float marks_skin_to(const uint8_t *p, float cb_low, float cr_top) {
  const float cb = 128 - 0.168736f * p[0] - 0.331264f * p[1] + 0.5f * p[2];
  const float cr = 128 + 0.5f * p[0] - 0.418688f * p[1] - 0.081312f * p[2];
  return smoothstep(cb_low - 8, cb_low, cb) * (1 - smoothstep(123, 131, cb)) * smoothstep(129, 137, cr) * (1 - smoothstep(cr_top - 8, cr_top, cr));
}

static inline float marks_skin(const uint8_t *p) { return marks_skin_to(p, 81, 177); }

/* The paper tooth fixed to the frame at (x, y), about −1..1, grain `size` pixels (paper-grain.c). */
float marks_paper_tooth(int x, int y, float size);
/* How far (x, y) of a w × h frame lies in the sheet's margin, `depth` of the short side deep, 0..1 (paper-grain.c). */
float marks_margin(int x, int y, int w, int h, float depth);
/*
 * How far a mark of `pressure` (0..1) gives out at `margin` (marks_margin), 0..1: a
 * pressed stroke reaches further into the margin than a light one or the smooth tone, so
 * the margin's edge is made of stroke ends.
 */
#define MARKS_MARGIN_ENDS 1.5f
static inline float marks_margin_gone(float margin, float pressure) {
  return smoothstep(0, 1, margin * (1 + MARKS_MARGIN_ENDS) - MARKS_MARGIN_ENDS * pressure);
}
/* Values 0..1 ranked in place into a uniform spread 0..1 (paper-grain.c); 0 when out of memory. */
int marks_rank_spread(float *v, size_t n);

/* Longest marks_lic, pixels each way. */
#define MARKS_LIC_MAX 64
/* Line integral convolution: out[p] = mean of src along p ± k·(dx[p], dy[p]), k = 0..length (at most MARKS_LIC_MAX). */
void marks_lic(const float *src, const float *dx, const float *dy, int width, int height, int length, float *out);

/* Box blur of radius r, in place, using `tmp` (width × height + width floats); separable,
   clamped edges. */
void marks_box_blur(float *plane, int width, int height, int r, float *tmp);

#endif
