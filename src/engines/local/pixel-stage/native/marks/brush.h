/*
 * What the painted kernels (oil.c, watercolor.c, pastel.c) share: the run's planes, the field of directions
 * of the frame, strokes drawn along it by line integral convolution of a fixed noise,
 * and the paper's tooth (paper-grain.c).
 */
#ifndef RETAKE_BRUSH_H
#define RETAKE_BRUSH_H

#include "../marks.h"

typedef struct {
  int width, height;
  float *ws;         /* the field of directions' workspace */
  float *angle;      /* tangent angle per pixel (radians) */
  float *coherence;  /* 0 (no direction) .. 1 (one clear direction) */
  float *noise;      /* the stroke noise, fixed to the run, 0..1 */
  float *strokes;    /* the noise convolved along the field, about −1..1 */
  float *dx, *dy;    /* the field's unit direction per pixel */
  float *plane;      /* one float plane the kernel may use */
  uint8_t *rgb;      /* one RGB frame the kernel may use */
  uint8_t *prev_in, *prev_out; /* the previous frame and its marks (brush_hold) */
  int has_prev;
} brush_state;

/* The run's planes for `f` (one allocation on its first frame, released with free);
   NULL when out of memory. */
brush_state *brush_state_for(const marks_frame *f, float noise_size);

/* The field of directions of `rgb` into s->angle and s->coherence; 0 when out of memory. */
int brush_flow(brush_state *s, const uint8_t *rgb);
/* s->strokes: s->noise convolved along the field over `length` pixels each way. */
void brush_strokes(brush_state *s, int length);

/* Marks that hold still: where the picture has not changed since the last frame, the
   marks lean on the last frame's, so strokes do not boil; where it moved they follow it. */
void brush_hold(brush_state *s, const uint8_t *in, uint8_t *out);
/* brush_hold with its own share of the previous marks kept (at most, where the frame is
   unchanged) and the change of luma (levels) at which none is kept. */
void brush_hold_by(brush_state *s, const uint8_t *in, uint8_t *out, float keep, float tolerance);

/* The paper's tooth at (x, y): about −1..1, mean 0 (paper-grain.c). */
float marks_paper_tooth(int x, int y, float size);

static inline float brush_luma(const uint8_t *p) { return (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255.0f; }
/* The luma of a float RGB colour, in its own units. */
static inline float brush_luma_f(const float *p) { return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]; }
static inline uint8_t brush_byte(float v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f); }
static inline float brush_clamp01(float v) { return v < 0 ? 0 : v > 1 ? 1 : v; }
/* fminf and fmaxf, inlined: without -ffast-math they are calls into libm (for NaN's sake), a cost in a kernel's per-pixel loop. */
static inline float brush_min(float a, float b) { return a < b ? a : b; }
static inline float brush_max(float a, float b) { return a > b ? a : b; }

#endif
