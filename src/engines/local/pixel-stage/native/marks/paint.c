/*
 * The painted looks' kernels (recipes/paint.ts), on the strokes of brush.c.
 *
 * oil_paint: anisotropic Kuwahara regions (Kyprianidis, Kang, Döllner 2009: eight
 * sectors of an ellipse stretched along the field, each weighted by how flat it is),
 * brush strokes along the field, and impasto: the painted surface's relief (the paint's
 * tone and its strokes) lit from the upper left.
 * Params: [0] strength 0..1, [1] radius (px), [2] stroke length (px), [3] impasto 0..1.
 */
#include <math.h>
#include <string.h>
#include "brush.h"

/* ---- oil ---- */

/* One sample of the Kuwahara disc: its offset, Gaussian weight and two sectors' shares
   (a sample counts in its sector and, tapering, in the next: smooth sectors). The same for
   every pixel, so computed once per frame. */
typedef struct {
  float u, v, g0, g1;
  int k0, k1;
} disc_sample;

#define DISC_MAX 512

typedef struct {
  const marks_frame *f;
  brush_state *s;
  float radius, strength, impasto;
  disc_sample disc[DISC_MAX];
  int samples;
} oil_job;

static void disc_build(oil_job *j) {
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
      if (iu == 0 && iv == 0) { d->k0 = -1; d->k1 = -1; d->g0 = g; d->g1 = 0; continue; }
      const float t = (atan2f(v, u) + 3.14159265f) / 0.78539816f;
      d->k0 = (int)t & 7; d->k1 = (d->k0 + 1) & 7;
      d->g1 = g * (t - floorf(t)); d->g0 = g - d->g1;
    }
  }
}

static void kuwahara_rows(void *ctx, int y0, int y1) {
  const oil_job *j = ctx;
  const marks_frame *f = j->f;
  const brush_state *s = j->s;
  const int w = f->width, h = f->height;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i0 = (size_t)y * w + x;
      const float a = s->coherence[i0];
      /* Ellipse stretched along the edge as the direction grows clear (α = 1). */
      const float major = j->radius * (1 + a), minor = j->radius / (1 + a);
      const float ca = cosf(s->angle[i0]), sa = sinf(s->angle[i0]);
      const float ux = major * ca, uy = major * sa, vx = -minor * sa, vy = minor * ca;
      float sw[8] = { 0 }, sm[8][3] = { { 0 } }, sq[8] = { 0 };
      for (int k = 0; k < j->samples; k++) {
        const disc_sample *d = &j->disc[k];
        int sx = x + (int)lrintf(d->u * ux + d->v * vx), sy = y + (int)lrintf(d->u * uy + d->v * vy);
        sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
        sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
        const uint8_t *p = f->in + ((size_t)sy * w + sx) * 3;
        const float c0 = p[0] * (1 / 255.0f), c1 = p[1] * (1 / 255.0f), c2 = p[2] * (1 / 255.0f), q = c0 * c0 + c1 * c1 + c2 * c2;
        if (d->k0 < 0) {
          for (int m = 0; m < 8; m++) { sw[m] += d->g0; sm[m][0] += d->g0 * c0; sm[m][1] += d->g0 * c1; sm[m][2] += d->g0 * c2; sq[m] += d->g0 * q; }
          continue;
        }
        sw[d->k0] += d->g0; sm[d->k0][0] += d->g0 * c0; sm[d->k0][1] += d->g0 * c1; sm[d->k0][2] += d->g0 * c2; sq[d->k0] += d->g0 * q;
        sw[d->k1] += d->g1; sm[d->k1][0] += d->g1 * c0; sm[d->k1][1] += d->g1 * c1; sm[d->k1][2] += d->g1 * c2; sq[d->k1] += d->g1 * q;
      }
      float tw = 0, out[3] = { 0 };
      for (int k = 0; k < 8; k++) {
        if (sw[k] <= 0) continue;
        const float m0 = sm[k][0] / sw[k], m1 = sm[k][1] / sw[k], m2 = sm[k][2] / sw[k];
        float var = sq[k] / sw[k] - (m0 * m0 + m1 * m1 + m2 * m2);
        if (var < 0) var = 0;
        /* Flat sectors win: weight 1 / (1 + (255·σ²)^(q/2)) with q = 8. */
        const float e = 255.0f * var, e2 = e * e;
        const float wk = 1.0f / (1.0f + e2 * e2);
        tw += wk; out[0] += wk * m0; out[1] += wk * m1; out[2] += wk * m2;
      }
      uint8_t *o = s->rgb + i0 * 3;
      for (int c = 0; c < 3; c++) o[c] = brush_byte(255.0f * out[c] / tw);
    }
  }
}

static void oil_relief_rows(void *ctx, int y0, int y1) {
  const oil_job *j = ctx;
  brush_state *s = j->s;
  const int w = s->width;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i = (size_t)y * w + x;
      /* The paint is thicker where it is lighter and along each stroke's ridge. */
      s->plane[i] = 0.5f * brush_luma(s->rgb + i * 3) + 0.12f * s->strokes[i];
    }
  }
}

static void oil_light_rows(void *ctx, int y0, int y1) {
  const oil_job *j = ctx;
  const marks_frame *f = j->f;
  const brush_state *s = j->s;
  const int w = f->width, h = f->height;
  for (int y = y0; y < y1; y++) {
    const int up = y > 0 ? y - 1 : 0, down = y < h - 1 ? y + 1 : y;
    for (int x = 0; x < w; x++) {
      const int l = x > 0 ? x - 1 : 0, r = x < w - 1 ? x + 1 : x;
      const size_t i = (size_t)y * w + x;
      const float dx = s->plane[(size_t)y * w + r] - s->plane[(size_t)y * w + l];
      const float dy = s->plane[(size_t)down * w + x] - s->plane[(size_t)up * w + x];
      /* Light from the upper left: slopes facing it brighten, the others shade. */
      const float light = 1.0f + j->impasto * 2.2f * (-dx - dy);
      const float stroke = 1.0f + 0.1f * j->strength * s->strokes[i];
      const uint8_t *p = s->rgb + i * 3;
      uint8_t *o = f->out + i * 3;
      for (int c = 0; c < 3; c++) o[c] = brush_byte(p[c] * light * stroke);
    }
  }
}

int marks_oil_paint(const marks_frame *f) {
  brush_state *s = brush_state_for(f, 1.6f);
  if (!s || !brush_flow(s, f->in)) return 0;
  /* About 12 kB with its disc: on the stack. */
  oil_job j = { .f = f, .s = s, .radius = marks_param(f, 1, 4), .strength = brush_clamp01(marks_param(f, 0, 1)), .impasto = marks_param(f, 3, 0.6f) };
  if (j.radius < 1.5f) j.radius = 1.5f;
  if (j.radius > 12) j.radius = 12;
  disc_build(&j);
  marks_rows(f->height, kuwahara_rows, &j);
  brush_strokes(s, (int)marks_param(f, 2, 8));
  marks_rows(f->height, oil_relief_rows, &j);
  marks_rows(f->height, oil_light_rows, &j);
  brush_hold(s, f->in, f->out);
  return 1;
}
