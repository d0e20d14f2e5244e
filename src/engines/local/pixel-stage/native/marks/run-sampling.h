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

/* A run's samples: bilinear_at's weights for its pixels, worked out once a row. */
typedef struct {
  float wa[CHUNK], wb[CHUNK], wc[CHUNK], wd[CHUNK];
} chunk_weights;

/* bilinear_at's row for output row j: the two proxy rows read and the lower one's weight. */
static inline void row_at(const proxy *p, float sy, int j, size_t *o0, size_t *o1, float *fy) {
  const float py = clampf(((float)j + 0.5f) * sy - 0.5f, 0, (float)(p->h - 1));
  const int a = (int)py, b = a + 1 < p->h ? a + 1 : a;
  *fy = py - (float)a;
  *o0 = (size_t)a * p->w;
  *o1 = (size_t)b * p->w;
}

static inline void weights_at(chunk_weights *cw, const float *fx, float fy, int m) {
  for (int q = 0; q < m; q++) {
    cw->wa[q] = (1 - fx[q]) * (1 - fy); cw->wb[q] = fx[q] * (1 - fy);
    cw->wc[q] = (1 - fx[q]) * fy; cw->wd[q] = fx[q] * fy;
  }
}

/* A plane sampled at the run's pixels, from proxy rows `r0` and `r1`: fetch()'s sum. */
static inline void gather(const chunk_weights *cw, const int *x0, const int *x1, int m, const float *r0, const float *r1, float *out) {
  for (int q = 0; q < m; q++) out[q] = cw->wa[q] * r0[x0[q]] + cw->wb[q] * r0[x1[q]] + cw->wc[q] * r1[x0[q]] + cw->wd[q] * r1[x1[q]];
}

#endif
