/* Hatching strokes of varying pressure, length and direction (hatching.h). */
#include <math.h>
#include <stdlib.h>
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

/* A cell's dot: its pressure when its hash falls under the density, else 0. */
static inline float dot(int u, int v, uint32_t seed, float density) {
  if (marks_hash(u, v, seed) >= density) return 0;
  return 0.45f + 0.55f * marks_hash(u, v, seed + 7919u);
}

void hatch_dots_free(hatch_dots *d) {
  free(d->dot);
  d->dot = NULL;
}

int hatch_dots_make(hatch_dots *d, int width, int height, uint32_t seed, float density, float size) {
  size = size < 0.5f ? 0.5f : size;
  if (d->dot && d->seed == seed && d->density == density && d->size == size) return 1;
  hatch_dots_free(d);
  d->seed = seed; d->density = density; d->size = size;
  /* The texture coordinates stay near the frame's own (they relax back to them): a margin of a quarter of the frame each way. */
  const int margin = (int)((width > height ? width : height) / (4 * size)) + 2;
  d->u0 = -margin; d->v0 = -margin;
  d->cols = (int)(width / size) + 2 * margin + 2; d->rows = (int)(height / size) + 2 * margin + 2;
  d->dot = malloc((size_t)d->cols * d->rows * sizeof(float));
  if (!d->dot) return 0;
  for (int r = 0; r < d->rows; r++) for (int c = 0; c < d->cols; c++) d->dot[(size_t)r * d->cols + c] = dot(d->u0 + c, d->v0 + r, seed, density);
  return 1;
}

/* The dot of cell (u, v): from the table, or hashed where coordinates have strayed past it. */
static inline float dot_at(const hatch_dots *d, int u, int v) {
  const int c = u - d->u0, r = v - d->v0;
  if (c >= 0 && r >= 0 && c < d->cols && r < d->rows) return d->dot[(size_t)r * d->cols + c];
  return dot(u, v, d->seed, d->density);
}

typedef struct { const marks_advection *a; const hatch_dots *d; float *out; } seeds_job;

static void seeds_rows(void *ctx, int y0, int y1) {
  const seeds_job *j = ctx;
  const marks_advection *a = j->a;
  const hatch_dots *d = j->d;
  const float inv = 1.0f / d->size;
  for (int y = y0; y < y1; y++) for (int x = 0; x < a->width; x++) {
    const size_t at = (size_t)y * a->width + x;
    const float fu = a->u[at] * inv, fv = a->v[at] * inv;
    /* floorf, without a call: truncation, one less below zero. */
    int iu = (int)fu, iv = (int)fv;
    iu -= fu < (float)iu; iv -= fv < (float)iv;
    const float tu = fu - iu, tv = fv - iv;
    const int c = iu - d->u0, r = iv - d->v0;
    float d00, d10, d01, d11;
    if (c >= 0 && r >= 0 && c + 1 < d->cols && r + 1 < d->rows) {
      const float *p = d->dot + (size_t)r * d->cols + c;
      d00 = p[0]; d10 = p[1]; d01 = p[d->cols]; d11 = p[d->cols + 1];
    } else {
      d00 = dot_at(d, iu, iv); d10 = dot_at(d, iu + 1, iv); d01 = dot_at(d, iu, iv + 1); d11 = dot_at(d, iu + 1, iv + 1);
    }
    j->out[at] = (d00 * (1 - tu) + d10 * tu) * (1 - tv) + (d01 * (1 - tu) + d11 * tu) * tv;
  }
}

void hatch_seeds(const marks_advection *a, const hatch_dots *dots, float *out) {
  seeds_job j = { a, dots, out };
  marks_rows(a->height, seeds_rows, &j);
}

typedef struct { const float *src, *dx, *dy, *len, *mask; float limit; int width, height; float *out; } lic_job;

/*
 * A pixel x plus k·(dx, dy) rounds to x plus the rounded offset, x being whole: the taps'
 * offsets are worked out once per pixel and, away from the frame's edges, read without
 * clamping (the same sums, in the same order, as clamping every tap).
 */
static void lic_rows(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const int w = j->width, h = j->height;
  int ox[HATCH_MAX_LENGTH + 1], oy[HATCH_MAX_LENGTH + 1];
  ptrdiff_t off[HATCH_MAX_LENGTH + 1];
  float wk[HATCH_MAX_LENGTH + 1], total = 1;
  /* The fields are smooth (drawing.c sets them per 4×4 block): offsets often repeat from the last pixel. */
  float last_dx = NAN, last_dy = NAN;
  int last_L = -1, reach_x = 0, reach_y = 0;
  /* Rows two at a time, from an even row, column by column: the pixels of a block (drawing.c: 4×4) that share a direction, one after another. */
  for (int pair = y0; pair < y1; pair = (pair | 1) + 1) for (int x = 0; x < w; x++) for (int y = pair; y < y1 && y <= (pair | 1); y++) {
    const size_t at = (size_t)y * w + x;
    if (j->mask && j->mask[at] >= j->limit) { j->out[at] = 0; continue; }
    const float dx = j->dx[at], dy = j->dy[at];
    int L = j->len[at] < 1 ? 1 : (int)lrintf(j->len[at]);
    if (L > HATCH_MAX_LENGTH) L = HATCH_MAX_LENGTH;
    if (dx != last_dx || dy != last_dy || L != last_L) {
      last_dx = dx; last_dy = dy; last_L = L;
      const float step = 1.0f / (L + 1);
      reach_x = 0; reach_y = 0; total = 1;
      for (int k = 1; k <= L; k++) {
        ox[k] = (int)lrintf(k * dx); oy[k] = (int)lrintf(k * dy);
        off[k] = (ptrdiff_t)oy[k] * w + ox[k];
        wk[k] = 1 - k * step;
        total += 2 * wk[k];
        if (abs(ox[k]) > reach_x) reach_x = abs(ox[k]);
        if (abs(oy[k]) > reach_y) reach_y = abs(oy[k]);
      }
    }
    float s = j->src[at], weight = total;
    const float *src = j->src;
    if (x >= reach_x && x + reach_x < w && y >= reach_y && y + reach_y < h) {
      const float *c = src + at;
      for (int k = 1; k <= L; k++) s += wk[k] * (c[off[k]] + c[-off[k]]);
    } else {
      for (int k = 1; k <= L; k++) {
        int ax = x + ox[k], ay = y + oy[k], bx = x - ox[k], by = y - oy[k];
        ax = ax < 0 ? 0 : ax >= w ? w - 1 : ax; ay = ay < 0 ? 0 : ay >= h ? h - 1 : ay;
        bx = bx < 0 ? 0 : bx >= w ? w - 1 : bx; by = by < 0 ? 0 : by >= h ? h - 1 : by;
        s += wk[k] * (src[(size_t)ay * w + ax] + src[(size_t)by * w + bx]);
      }
    }
    j->out[at] = s / weight;
  }
}

void hatch_lic(const float *src, const float *dx, const float *dy, const float *len, const float *mask, float limit, int width, int height, float *out) {
  lic_job j = { src, dx, dy, len, mask, limit, width, height, out };
  marks_rows(height, lic_rows, &j);
}
