/*
 * Paint regions for the oil kernel (oil.c): anisotropic Kuwahara filtering (Kyprianidis,
 * Kang, Döllner, Image and Video Abstraction by Anisotropic Kuwahara Filtering, 2009):
 * eight smooth sectors of an ellipse stretched along the field of directions, each
 * weighted by how flat it is, run on the frame halved and scaled back up bilinearly.
 */
#include <math.h>
#include <stdlib.h>
#include "brush.h"
#include "primitives.h"
#include "kuwahara.h"

#define DISC_MAX 512

/* One sample of the Kuwahara disc: its offset, Gaussian weight and two sectors' shares
   (a sample counts in its sector and, tapering, in the next: smooth sectors). The same for
   every pixel, so computed once per frame; the centre, in every sector, first. */
typedef struct {
  float u, v, g0, g1;
  int k0, k1;
} disc_sample;

typedef struct {
  const uint8_t *in;
  uint8_t *out;
  const float *angle, *coherence;
  int w, h, samples, field_w, field_step; /* the field is field_step times finer than the picture */
  float radius;
  disc_sample disc[DISC_MAX];
} kuwahara_job;

static void disc_build(kuwahara_job *j) {
  /* About 32 samples whatever the radius: a sparser grid for a wider brush. */
  const float step = j->radius > 3.2f ? j->radius / 3.2f : 1.0f;
  const int r = (int)(j->radius / step);
  j->samples = 0;
  for (int iv = -r; iv <= r; iv++) {
    for (int iu = -r; iu <= r; iu++) {
      const float u = iu * step, v = iv * step, d2 = u * u + v * v;
      if (d2 > j->radius * j->radius || j->samples >= DISC_MAX) continue;
      const float g = expf(-d2 / (0.5f * j->radius * j->radius));
      disc_sample *d = &j->disc[j->samples++];
      d->u = u / j->radius; d->v = v / j->radius;
      if (iu == 0 && iv == 0) { *d = j->disc[0]; j->disc[0] = (disc_sample){ 0, 0, g, 0, -1, -1 }; continue; }
      const float t = (atan2f(v, u) + 3.14159265f) / 0.78539816f;
      d->k0 = (int)t & 7; d->k1 = (d->k0 + 1) & 7;
      d->g1 = g * (t - floorf(t)); d->g0 = g - d->g1;
    }
  }
}

static void kuwahara_rows(void *ctx, int y0, int y1) {
  const kuwahara_job *j = ctx;
  const int w = j->w, h = j->h;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i0 = (size_t)y * w + x, fi = (size_t)y * j->field_step * j->field_w + (size_t)x * j->field_step;
      const float a = j->coherence[fi];
      /* Ellipse stretched along the edge as the direction grows clear (α = 1). */
      const float major = j->radius * (1 + a), minor = j->radius / (1 + a);
      const float ca = cosf(j->angle[fi]), sa = sinf(j->angle[fi]);
      const float ux = major * ca, uy = major * sa, vx = -minor * sa, vy = minor * ca;
      /* The centre (the disc's first sample) counts in every sector. */
      const uint8_t *centre = j->in + i0 * 3;
      const float g = j->disc[0].g0, m0 = centre[0] * (1 / 255.0f), m1 = centre[1] * (1 / 255.0f), m2 = centre[2] * (1 / 255.0f);
      const float gq = g * (m0 * m0 + m1 * m1 + m2 * m2);
      float sw[8], sm[8][3], sq[8];
      for (int m = 0; m < 8; m++) { sw[m] = g; sm[m][0] = g * m0; sm[m][1] = g * m1; sm[m][2] = g * m2; sq[m] = gq; }
      for (int k = 1; k < j->samples; k++) {
        const disc_sample *d = &j->disc[k];
        int sx = x + (int)lrintf(d->u * ux + d->v * vx), sy = y + (int)lrintf(d->u * uy + d->v * vy);
        sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
        sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
        const uint8_t *p = j->in + ((size_t)sy * w + sx) * 3;
        const float c0 = p[0] * (1 / 255.0f), c1 = p[1] * (1 / 255.0f), c2 = p[2] * (1 / 255.0f), q = c0 * c0 + c1 * c1 + c2 * c2;
        sw[d->k0] += d->g0; sm[d->k0][0] += d->g0 * c0; sm[d->k0][1] += d->g0 * c1; sm[d->k0][2] += d->g0 * c2; sq[d->k0] += d->g0 * q;
        sw[d->k1] += d->g1; sm[d->k1][0] += d->g1 * c0; sm[d->k1][1] += d->g1 * c1; sm[d->k1][2] += d->g1 * c2; sq[d->k1] += d->g1 * q;
      }
      float tw = 0, out[3] = { 0 };
      for (int k = 0; k < 8; k++) {
        if (sw[k] <= 0) continue;
        const float inv = 1 / sw[k], m0 = sm[k][0] * inv, m1 = sm[k][1] * inv, m2 = sm[k][2] * inv;
        float var = sq[k] * inv - (m0 * m0 + m1 * m1 + m2 * m2);
        if (var < 0) var = 0;
        /* Flat sectors win: weight 1 / (1 + (255·σ²)^(q/2)) with q = 8. */
        const float e = 255.0f * var, e2 = e * e;
        const float wk = 1.0f / (1.0f + e2 * e2);
        tw += wk; out[0] += wk * m0; out[1] += wk * m1; out[2] += wk * m2;
      }
      uint8_t *o = j->out + i0 * 3;
      const float to_byte = 255.0f / tw;
      for (int c = 0; c < 3; c++) o[c] = brush_byte(out[c] * to_byte);
    }
  }
}

typedef struct { const uint8_t *half; uint8_t *out; int w, hw, hh; const int *cols, *step; const float *frac; } double_job;

/* The half-size picture back at full size, bilinear (each column's pair of half-size columns and weight worked out once). */
static void double_rows(void *ctx, int y0, int y1) {
  const double_job *j = ctx;
  const int *cols = j->cols, *step = j->step;
  const float *frac = j->frac;
  for (int y = y0; y < y1; y++) {
    float fy = (y + 0.5f) * 0.5f - 0.5f;
    fy = fy < 0 ? 0 : fy > j->hh - 1 ? j->hh - 1 : fy;
    const int a = (int)fy, b = a + 1 < j->hh ? a + 1 : a;
    const float ty = fy - a;
    const uint8_t *above = j->half + (size_t)a * j->hw * 3, *below = j->half + (size_t)b * j->hw * 3;
    uint8_t *row = j->out + (size_t)y * j->w * 3;
    for (int x = 0; x < j->w; x++) {
      const int l = 3 * cols[x], r = 3 * (cols[x] + step[x]);
      const float tx = frac[x];
      for (int c = 0; c < 3; c++) {
        const float top = above[l + c] * (1 - tx) + above[r + c] * tx;
        const float bottom = below[l + c] * (1 - tx) + below[r + c] * tx;
        row[3 * x + c] = brush_byte(top + (bottom - top) * ty);
      }
    }
  }
}

int kuwahara_half(const uint8_t *in, int w, int h, const float *angle, const float *coherence, float radius, uint8_t *half_in, uint8_t *half_out, uint8_t *out) {
  const int hw = (w + 1) / 2, hh = (h + 1) / 2;
  kuwahara_job *kj = malloc(sizeof *kj);
  if (!kj) return 0;
  if (in) marks_halve(in, w, h, half_in);
  *kj = (kuwahara_job){ .in = half_in, .out = half_out, .angle = angle, .coherence = coherence, .w = hw, .h = hh, .field_w = w, .field_step = 2, .radius = radius };
  if (kj->radius < 1.5f) kj->radius = 1.5f;
  if (kj->radius > 12) kj->radius = 12;
  disc_build(kj);
  marks_rows(hh, kuwahara_rows, kj);
  free(kj);
  int *step;
  float *frac;
  int *cols = marks_double_columns(w, hw, &step, &frac);
  if (!cols) return 0;
  double_job dj = { half_out, out, w, hw, hh, cols, step, frac };
  marks_rows(h, double_rows, &dj);
  free(cols);
  return 1;
}
