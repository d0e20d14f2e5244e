/* Hatching strokes of varying pressure, length and direction (hatching.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../pixel-stage.h"
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

/*
 * One row read from the table as if every pixel were inside it (a pixel outside reads
 * cell 0, a value thrown away): no branch, so it runs several pixels per instruction.
 * Whether any pixel strayed past the table.
 */
static inline int table_row(const float *restrict u, const float *restrict v, const hatch_dots *d, float inv, int width, float *restrict out) {
  const float *restrict dots = d->dot;
  const int cols = d->cols, u0 = d->u0, v0 = d->v0;
  const unsigned last_col = (unsigned)d->cols - 1, last_row = (unsigned)d->rows - 1;
  int strayed = 0;
  for (int x = 0; x < width; x++) {
    const float fu = u[x] * inv, fv = v[x] * inv;
    /* floorf, without a call: truncation, one less below zero. */
    int iu = (int)fu, iv = (int)fv;
    iu -= fu < (float)iu; iv -= fv < (float)iv;
    const float tu = fu - iu, tv = fv - iv;
    const int c = iu - u0, r = iv - v0;
    const int inside = (unsigned)c < last_col && (unsigned)r < last_row;
    /* (A select here would stop the vectorisation; a mask does not. Unsigned: a far stray wraps, harmlessly.) */
    const int k = (int)(((unsigned)r * (unsigned)cols + (unsigned)c) & (0u - (unsigned)inside));
    out[x] = (dots[k] * (1 - tu) + dots[k + 1] * tu) * (1 - tv) + (dots[k + cols] * (1 - tu) + dots[k + cols + 1] * tu) * tv;
    strayed |= !inside;
  }
  return strayed;
}

/* The pixels of a row that strayed past the table, again, with their hashed dots. */
static void strayed_row(const float *u, const float *v, const hatch_dots *d, float inv, int width, float *out) {
  for (int x = 0; x < width; x++) {
    const float fu = u[x] * inv, fv = v[x] * inv;
    int iu = (int)fu, iv = (int)fv;
    iu -= fu < (float)iu; iv -= fv < (float)iv;
    const int c = iu - d->u0, r = iv - d->v0;
    if ((unsigned)c < (unsigned)d->cols - 1 && (unsigned)r < (unsigned)d->rows - 1) continue;
    const float tu = fu - iu, tv = fv - iv;
    const float d00 = dot_at(d, iu, iv), d10 = dot_at(d, iu + 1, iv), d01 = dot_at(d, iu, iv + 1), d11 = dot_at(d, iu + 1, iv + 1);
    out[x] = (d00 * (1 - tu) + d10 * tu) * (1 - tv) + (d01 * (1 - tu) + d11 * tu) * tv;
  }
}

PS_CLONES static void seeds_rows(void *ctx, int y0, int y1) {
  const seeds_job *j = ctx;
  const marks_advection *a = j->a;
  const float inv = 1.0f / j->d->size;
  for (int y = y0; y < y1; y++) {
    const size_t at = (size_t)y * a->width;
    if (table_row(a->u + at, a->v + at, j->d, inv, a->width, j->out + at)) strayed_row(a->u + at, a->v + at, j->d, inv, a->width, j->out + at);
  }
}

void hatch_seeds(const marks_advection *a, const hatch_dots *dots, float *out) {
  seeds_job j = { a, dots, out };
  marks_rows(a->height, seeds_rows, &j);
}

typedef struct { const float *src, *dx, *dy, *len, *mask; float limit; int width, height; float *out; } lic_job;

/*
 * A stroke's taps: a pixel x plus k·(dx, dy) rounds to x plus the rounded offset, x being
 * whole, so the offsets and the tapered weights are worked out once per direction and
 * length, and away from the frame's edges read without clamping (the same sums, in the
 * same order, as clamping every tap).
 */
typedef struct {
  float dx, dy, total;
  int L, reach_x, reach_y;
  int ox[HATCH_MAX_LENGTH + 1], oy[HATCH_MAX_LENGTH + 1];
  ptrdiff_t off[HATCH_MAX_LENGTH + 1];
  float wk[HATCH_MAX_LENGTH + 1];
} lic_taps;

static inline int stroke_length(float len) {
  const int L = len < 1 ? 1 : (int)lrintf(len);
  return L > HATCH_MAX_LENGTH ? HATCH_MAX_LENGTH : L;
}

static void taps_for(lic_taps *t, float dx, float dy, int L, int w) {
  if (dx == t->dx && dy == t->dy && L == t->L) return;
  t->dx = dx; t->dy = dy; t->L = L;
  const float step = 1.0f / (L + 1);
  t->reach_x = 0; t->reach_y = 0; t->total = 1;
  for (int k = 1; k <= L; k++) {
    t->ox[k] = (int)lrintf(k * dx); t->oy[k] = (int)lrintf(k * dy);
    t->off[k] = (ptrdiff_t)t->oy[k] * w + t->ox[k];
    t->wk[k] = 1 - k * step;
    t->total += 2 * t->wk[k];
    if (abs(t->ox[k]) > t->reach_x) t->reach_x = abs(t->ox[k]);
    if (abs(t->oy[k]) > t->reach_y) t->reach_y = abs(t->oy[k]);
  }
}

/* One pixel's stroke sum, divided by its weight. */
static float lic_pixel(const lic_job *j, const lic_taps *t, int x, int y) {
  const int w = j->width, h = j->height, L = t->L;
  const float *src = j->src;
  const size_t at = (size_t)y * w + x;
  float s = src[at];
  if (x >= t->reach_x && x + t->reach_x < w && y >= t->reach_y && y + t->reach_y < h) {
    const float *c = src + at;
    for (int k = 1; k <= L; k++) s += t->wk[k] * (c[t->off[k]] + c[-t->off[k]]);
  } else {
    for (int k = 1; k <= L; k++) {
      int ax = x + t->ox[k], ay = y + t->oy[k], bx = x - t->ox[k], by = y - t->oy[k];
      ax = ax < 0 ? 0 : ax >= w ? w - 1 : ax; ay = ay < 0 ? 0 : ay >= h ? h - 1 : ay;
      bx = bx < 0 ? 0 : bx >= w ? w - 1 : bx; by = by < 0 ? 0 : by >= h ? h - 1 : by;
      s += t->wk[k] * (src[(size_t)ay * w + ax] + src[(size_t)by * w + bx]);
    }
  }
  return s / t->total;
}

/* Pixels side by side summed together: GROUP lanes of the same arithmetic, one vector. */
#define GROUP 4
typedef float float_group __attribute__((vector_size(GROUP * sizeof(float))));

static inline float_group load_group(const float *p) {
  float_group v;
  memcpy(&v, p, sizeof v);
  return v;
}

/*
 * The fields are smooth (drawing.c sets them per 4×4 block): the GROUP pixels of a row
 * that share a direction and a length share their taps' offsets, so each tap is GROUP
 * neighbouring source values read at once, each pixel's sum the one it would have alone.
 * Rows four at a time from a multiple of four, group by group: a block's pixels one
 * after another, its taps worked out once.
 */
static void lic_rows(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const int w = j->width, h = j->height;
  lic_taps t = { .dx = NAN, .dy = NAN, .L = -1 };
  for (int quad = y0; quad < y1; quad = (quad | 3) + 1) {
    const int end = (quad | 3) + 1 < y1 ? (quad | 3) + 1 : y1;
    for (int x0 = 0; x0 < w; x0 += GROUP) for (int y = quad; y < end; y++) {
      const size_t at = (size_t)y * w + x0;
      const int lanes = w - x0 < GROUP ? w - x0 : GROUP;
      int wanted[GROUP], any = 0, same = lanes == GROUP;
      for (int i = 0; i < lanes; i++) { wanted[i] = !(j->mask && j->mask[at + i] >= j->limit); any |= wanted[i]; }
      if (!any) { for (int i = 0; i < lanes; i++) j->out[at + i] = 0; continue; }
      /* One direction and one length (as set, before rounding) across the group, tested without branches. */
      for (int i = 1; i < lanes; i++) same &= (j->dx[at + i] == j->dx[at]) & (j->dy[at + i] == j->dy[at]) & (j->len[at + i] == j->len[at]);
      if (same) {
        const int L = stroke_length(j->len[at]);
        taps_for(&t, j->dx[at], j->dy[at], L, w);
        if (x0 >= t.reach_x && x0 + GROUP - 1 + t.reach_x < w && y >= t.reach_y && y + t.reach_y < h) {
          const float *c = j->src + at;
          float_group s = load_group(c);
          for (int k = 1; k <= L; k++) s += t.wk[k] * (load_group(c + t.off[k]) + load_group(c - t.off[k]));
          s /= t.total;
          for (int i = 0; i < GROUP; i++) j->out[at + i] = wanted[i] ? s[i] : 0;
          continue;
        }
      }
      for (int i = 0; i < lanes; i++) {
        if (!wanted[i]) { j->out[at + i] = 0; continue; }
        taps_for(&t, j->dx[at + i], j->dy[at + i], stroke_length(j->len[at + i]), w);
        j->out[at + i] = lic_pixel(j, &t, x0 + i, y);
      }
    }
  }
}

void hatch_lic(const float *src, const float *dx, const float *dy, const float *len, const float *mask, float limit, int width, int height, float *out) {
  lic_job j = { src, dx, dy, len, mask, limit, width, height, out };
  marks_rows(height, lic_rows, &j);
}
