/* The full-size passes of the inked and neon kernels sample their proxy-size planes for a
   run of output pixels at a time (bilinear_at's sums, flow-lines.h): the proxy columns
   each output column reads, worked out once per frame size; the two proxy rows and the
   weight of an output row; each pixel's four weights for the run; then one plane
   gathered into an array the run's arithmetic reads. */
#ifndef MARKS_RUN_SAMPLING_H
#define MARKS_RUN_SAMPLING_H

#include <stddef.h>
#include "flow-lines.h"

/* Pixels of a row worked at a time: the values a pixel reads are gathered into arrays of
   this many, then its arithmetic runs over them as plain loops the compiler vectorises. */
#define CHUNK 256

/* Per output column of a frame `width` wide over a proxy `pw` wide: the proxy columns a
   bilinear sample reads and the right one's weight. */
static inline void run_columns(int width, int pw, int *x0, int *x1, float *fx) {
  const float sx = (float)pw / width;
  for (int i = 0; i < width; i++) {
    const float px = clampf(((float)i + 0.5f) * sx - 0.5f, 0, (float)(pw - 1));
    x0[i] = (int)px;
    x1[i] = x0[i] + 1 < pw ? x0[i] + 1 : x0[i];
    fx[i] = px - (float)x0[i];
  }
}

/* A run of output pixels and where it samples the proxy: each pixel's proxy columns and
   bilinear_at's four weights, the two proxy rows of the output row; `m` pixels. */
typedef struct {
  float wa[CHUNK], wb[CHUNK], wc[CHUNK], wd[CHUNK];
  const int *x0, *x1;
  size_t o0, o1;
  int m;
} run_samples;

/* bilinear_at's row for output row j: the two proxy rows read and the lower one's weight. */
static inline void row_at(const proxy *p, float sy, int j, size_t *o0, size_t *o1, float *fy) {
  const float py = clampf(((float)j + 0.5f) * sy - 0.5f, 0, (float)(p->h - 1));
  const int a = (int)py, b = a + 1 < p->h ? a + 1 : a;
  *fy = py - (float)a;
  *o0 = (size_t)a * p->w;
  *o1 = (size_t)b * p->w;
}

/* The run of `m` pixels from column `i0` of a row that row_at placed, over the frame's
   column tables (run_columns). */
static inline void run_at(run_samples *r, const int *x0, const int *x1, const float *fx, int i0, int m, size_t o0, size_t o1, float fy) {
  r->x0 = x0 + i0; r->x1 = x1 + i0; r->o0 = o0; r->o1 = o1; r->m = m;
  fx += i0;
  for (int q = 0; q < m; q++) {
    r->wa[q] = (1 - fx[q]) * (1 - fy); r->wb[q] = fx[q] * (1 - fy);
    r->wc[q] = (1 - fx[q]) * fy; r->wd[q] = fx[q] * fy;
  }
}

/* A proxy-size plane sampled at the run's pixels: fetch()'s sum. */
static inline void gather(const run_samples *r, const float *plane, float *out) {
  const float *r0 = plane + r->o0, *r1 = plane + r->o1;
  const int *x0 = r->x0, *x1 = r->x1;
  const int m = r->m;
  for (int q = 0; q < m; q++) out[q] = r->wa[q] * r0[x0[q]] + r->wb[q] * r0[x1[q]] + r->wc[q] * r1[x0[q]] + r->wd[q] * r1[x1[q]];
}

/*
 * A full-size pass over output rows y0..y1 of a frame `width` wide, a run of up to CHUNK
 * pixels at a time: each run placed in `run` (row_at, then run_at over the frame's column
 * tables x0, x1, fx), then `body(ctx, j, i0, m)` works it (row j, first column i0, m
 * pixels), gathering the planes it needs through `run`.
 */
static inline void for_each_run(const proxy *p, float sy, const int *x0, const int *x1, const float *fx, int width, int y0, int y1,
                                run_samples *run, void (*body)(void *ctx, int j, int i0, int m), void *ctx) {
  for (int j = y0; j < y1; j++) {
    size_t o0, o1;
    float fy;
    row_at(p, sy, j, &o0, &o1, &fy);
    for (int i0 = 0; i0 < width; i0 += CHUNK) {
      const int m = width - i0 < CHUNK ? width - i0 : CHUNK;
      run_at(run, x0, x1, fx, i0, m, o0, o1, fy);
      body(ctx, j, i0, m);
    }
  }
}

#endif
