/* Hatching strokes of varying pressure, length and direction (hatching.h). */
#include <math.h>
#include "hatching.h"

static inline float smooth(float t) { return t * t * (3 - 2 * t); }

float hatch_noise(const marks_advection *a, size_t i, float scale, uint32_t seed) {
  const float fu = a->u[i] / scale, fv = a->v[i] / scale;
  const int iu = (int)floorf(fu), iv = (int)floorf(fv);
  const float tu = smooth(fu - iu), tv = smooth(fv - iv);
  const float n00 = marks_hash(iu, iv, seed), n10 = marks_hash(iu + 1, iv, seed);
  const float n01 = marks_hash(iu, iv + 1, seed), n11 = marks_hash(iu + 1, iv + 1, seed);
  return (n00 + (n10 - n00) * tu) * (1 - tv) + (n01 + (n11 - n01) * tu) * tv;
}

typedef struct { const marks_advection *a; uint32_t seed; float density, size; float *out; } seeds_job;

/* A cell's dot: its pressure when its hash falls under the density, else 0. */
static inline float dot(int u, int v, const seeds_job *j) {
  if (marks_hash(u, v, j->seed) >= j->density) return 0;
  return 0.45f + 0.55f * marks_hash(u, v, j->seed + 7919u);
}

static void seeds_rows(void *ctx, int y0, int y1) {
  const seeds_job *j = ctx;
  const marks_advection *a = j->a;
  const float inv = 1.0f / j->size;
  for (int y = y0; y < y1; y++) for (int x = 0; x < a->width; x++) {
    const size_t at = (size_t)y * a->width + x;
    const float fu = a->u[at] * inv, fv = a->v[at] * inv;
    const int iu = (int)floorf(fu), iv = (int)floorf(fv);
    const float tu = fu - iu, tv = fv - iv;
    j->out[at] = (dot(iu, iv, j) * (1 - tu) + dot(iu + 1, iv, j) * tu) * (1 - tv) + (dot(iu, iv + 1, j) * (1 - tu) + dot(iu + 1, iv + 1, j) * tu) * tv;
  }
}

void hatch_seeds(const marks_advection *a, uint32_t seed, float density, float size, float *out) {
  seeds_job j = { a, seed, density, size < 0.5f ? 0.5f : size, out };
  marks_rows(a->height, seeds_rows, &j);
}

typedef struct { const float *src, *dx, *dy, *len; int width, height; float *out; } lic_job;

static void lic_rows(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const int w = j->width, h = j->height;
  for (int y = y0; y < y1; y++) for (int x = 0; x < w; x++) {
    const size_t at = (size_t)y * w + x;
    const float dx = j->dx[at], dy = j->dy[at];
    const int L = j->len[at] < 1 ? 1 : (int)lrintf(j->len[at]);
    const float step = 1.0f / (L + 1);
    float s = j->src[at], weight = 1;
    for (int k = 1; k <= L; k++) {
      const float wk = 1 - k * step;
      int ax = (int)lrintf(x + k * dx), ay = (int)lrintf(y + k * dy);
      int bx = (int)lrintf(x - k * dx), by = (int)lrintf(y - k * dy);
      ax = ax < 0 ? 0 : ax >= w ? w - 1 : ax; ay = ay < 0 ? 0 : ay >= h ? h - 1 : ay;
      bx = bx < 0 ? 0 : bx >= w ? w - 1 : bx; by = by < 0 ? 0 : by >= h ? h - 1 : by;
      s += wk * (j->src[(size_t)ay * w + ax] + j->src[(size_t)by * w + bx]);
      weight += 2 * wk;
    }
    j->out[at] = s / weight;
  }
}

void hatch_lic(const float *src, const float *dx, const float *dy, const float *len, int width, int height, float *out) {
  lic_job j = { src, dx, dy, len, width, height, out };
  marks_rows(height, lic_rows, &j);
}
