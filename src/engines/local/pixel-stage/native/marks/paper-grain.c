/*
 * paper_grain: the first and simplest kernel of the marks stage. Lays a paper tooth
 * fixed to the frame over the picture: a hashed value noise at two scales, darker pits
 * between raised grain, strongest in the mid tones (pure white and black keep their
 * value). Params: [0] amount (0..1, default 0.5), [1] grain size in pixels (default 1.5).
 */
#include <math.h>
#include <stdlib.h>
#include "../marks.h"
#include "value-noise.h"

static inline float hash(int x, int y) {
  uint32_t h = (uint32_t)x * 374761393u + (uint32_t)y * 668265263u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return (float)((h ^ (h >> 16)) & 0xffffff) / 16777215.0f;
}

/* Bilinear value noise at `scale` pixels per cell, 0..1. */
static inline float value_noise(float x, float y, float scale) {
  const float fx = x / scale, fy = y / scale;
  const int ix = (int)floorf(fx), iy = (int)floorf(fy);
  const float tx = fx - ix, ty = fy - iy;
  const float a = hash(ix, iy), b = hash(ix + 1, iy), c = hash(ix, iy + 1), d = hash(ix + 1, iy + 1);
  return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

/* The tooth at (x, y): about −1 .. 1, mean 0. */
float marks_paper_tooth(int x, int y, float size) {
  return (0.65f * value_noise((float)x, (float)y, size) + 0.35f * value_noise((float)x + 17.0f, (float)y + 31.0f, size * 3.1f)) * 2.0f - 1.0f;
}

typedef struct {
  const marks_frame *f;
  float amount, size;
} job;

static void rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  const marks_frame *f = j->f;
  for (int y = y0; y < y1; y++) {
    const uint8_t *in = f->in + (size_t)y * f->width * 3;
    uint8_t *out = f->out + (size_t)y * f->width * 3;
    for (int x = 0; x < f->width; x++) {
      const float luma = (0.299f * in[3 * x] + 0.587f * in[3 * x + 1] + 0.114f * in[3 * x + 2]) / 255.0f;
      const float shift = 60.0f * j->amount * marks_paper_tooth(x, y, j->size) * 4.0f * luma * (1.0f - luma);
      for (int c = 0; c < 3; c++) {
        const float v = in[3 * x + c] + shift;
        out[3 * x + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f);
      }
    }
  }
}

int marks_paper_grain(const marks_frame *f) {
  job j = { f, marks_param(f, 0, 0.5f), marks_param(f, 1, 1.5f) };
  if (j.size < 0.5f) j.size = 0.5f;
  marks_rows(f->height, rows, &j);
  return 1;
}

/*
 * Values 0..1 ranked in place into a uniform spread 0..1 (each value becomes the share of
 * the plane below it): a stick pressed to depth p then covers a share p of the sheet.
 */
int marks_rank_spread(float *v, size_t n) {
  enum { BINS = 4096 };
  unsigned *count = calloc(BINS, sizeof *count);
  float *rank = malloc(BINS * sizeof *rank);
  if (!count || !rank) { free(count); free(rank); return 0; }
  for (size_t i = 0; i < n; i++) count[v[i] <= 0 ? 0 : v[i] >= 1 ? BINS - 1 : (int)(v[i] * (BINS - 1))]++;
  /* Each bin's middle rank, as a share of the plane. */
  size_t below = 0;
  for (int b = 0; b < BINS; b++) { rank[b] = (float)((below + 0.5 * count[b]) / (double)n); below += count[b]; }
  for (size_t i = 0; i < n; i++) v[i] = rank[v[i] <= 0 ? 0 : v[i] >= 1 ? BINS - 1 : (int)(v[i] * (BINS - 1))];
  free(rank); free(count);
  return 1;
}

/*
 * How far (x, y) of a w × h frame lies in the sheet's margin, 0 inside .. 1 at its edge:
 * a band `depth` of the short side deep whose inner edge wanders by half that on a slow
 * value noise, as a hand stops a drawing short of the sheet's edge rather than along a
 * rule. 0 everywhere when `depth` is 0.
 */
float marks_margin(int x, int y, int w, int h, float depth) {
  if (depth <= 0) return 0;
  const float side = (float)(w < h ? w : h), wander = 0.05f * side;
  const float ex = fminf((float)x, (float)(w - 1 - x)), ey = fminf((float)y, (float)(h - 1 - y));
  const float inset = fminf(ex, ey) / side + 0.55f * depth * marks_value_noise(x / wander, y / wander, 91);
  return smoothstep(depth, 0, inset);
}
