/*
 * The painted looks' kernels (recipes/paint.ts), on the strokes of brush.c.
 *
 * oil_paint: anisotropic Kuwahara regions (Kyprianidis, Kang, Döllner 2009: eight
 * sectors of an ellipse stretched along the field, each weighted by how flat it is),
 * brush strokes along the field, and impasto: the painted surface's relief (the paint's
 * tone and its strokes) lit from the upper left.
 * Params: [0] strength 0..1, [1] radius (px), [2] stroke length (px), [3] impasto 0..1.
 *
 * watercolor_paint: pigment density on an abstracted picture (Bousseau et al. 2006):
 * a slow turbulence of the density, darker pigment at the wash edges, granulation in
 * the paper's tooth. Density d darkens a colour C as C(1 − (1 − C)(d − 1)), so white
 * paper stays white. Params: [0] turbulence, [1] edge darkening, [2] granulation,
 * [3] tooth size (px), [4] turbulence size (px).
 *
 * pastel_chalk: chalk strokes along the field on a tinted, toothy paper, in a soft
 * light palette that a colourless picture takes too. Params: [0] strength 0..1,
 * [1] stroke length (px), [2] tooth size (px).
 */
#include <math.h>
#include <string.h>
#include "brush.h"

/* ---- oil ---- */

typedef struct {
  const marks_frame *f;
  brush_state *s;
  float radius, strength, impasto;
} oil_job;

static void kuwahara_rows(void *ctx, int y0, int y1) {
  const oil_job *j = ctx;
  const marks_frame *f = j->f;
  const brush_state *s = j->s;
  const int w = f->width, h = f->height, r = (int)ceilf(j->radius);
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i0 = (size_t)y * w + x;
      const float a = s->coherence[i0];
      /* Ellipse stretched along the edge as the direction grows clear (α = 1). */
      const float major = j->radius * (1 + a), minor = j->radius / (1 + a);
      const float ca = cosf(s->angle[i0]), sa = sinf(s->angle[i0]);
      float sw[8] = { 0 }, sm[8][3] = { { 0 } }, sq[8] = { 0 };
      for (int v = -r; v <= r; v++) {
        for (int u = -r; u <= r; u++) {
          const float d2 = (float)(u * u + v * v);
          if (d2 > j->radius * j->radius) continue;
          const float lu = u / j->radius * major, lv = v / j->radius * minor;
          const int sx = x + (int)lrintf(lu * ca - lv * sa), sy = y + (int)lrintf(lu * sa + lv * ca);
          const int cx = sx < 0 ? 0 : sx >= w ? w - 1 : sx, cy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
          const uint8_t *p = f->in + ((size_t)cy * w + cx) * 3;
          const float c0 = p[0] / 255.0f, c1 = p[1] / 255.0f, c2 = p[2] / 255.0f, q = c0 * c0 + c1 * c1 + c2 * c2;
          const float g = expf(-d2 / (0.5f * j->radius * j->radius));
          if (u == 0 && v == 0) {
            for (int k = 0; k < 8; k++) { sw[k] += g; sm[k][0] += g * c0; sm[k][1] += g * c1; sm[k][2] += g * c2; sq[k] += g * q; }
            continue;
          }
          /* A sample counts in its sector and, tapering, in the next (smooth sectors). */
          float t = (atan2f((float)v, (float)u) + 3.14159265f) / 0.78539816f;
          const int k0 = (int)t & 7, k1 = (k0 + 1) & 7;
          const float f1 = t - floorf(t), f0 = 1 - f1;
          sw[k0] += g * f0; sm[k0][0] += g * f0 * c0; sm[k0][1] += g * f0 * c1; sm[k0][2] += g * f0 * c2; sq[k0] += g * f0 * q;
          sw[k1] += g * f1; sm[k1][0] += g * f1 * c0; sm[k1][1] += g * f1 * c1; sm[k1][2] += g * f1 * c2; sq[k1] += g * f1 * q;
        }
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
  oil_job j = { f, s, marks_param(f, 1, 4), brush_clamp01(marks_param(f, 0, 1)), marks_param(f, 3, 0.6f) };
  if (j.radius < 1.5f) j.radius = 1.5f;
  if (j.radius > 12) j.radius = 12;
  marks_rows(f->height, kuwahara_rows, &j);
  brush_strokes(s, (int)marks_param(f, 2, 8));
  marks_rows(f->height, oil_relief_rows, &j);
  marks_rows(f->height, oil_light_rows, &j);
  brush_hold(s, f->in, f->out);
  return 1;
}

/* ---- watercolor ---- */

typedef struct {
  const marks_frame *f;
  float turbulence, edges, granulation, tooth, scale;
} water_job;

static inline float smooth_noise(float x, float y) {
  const int ix = (int)floorf(x), iy = (int)floorf(y);
  float tx = x - ix, ty = y - iy;
  tx = tx * tx * (3 - 2 * tx); ty = ty * ty * (3 - 2 * ty);
  /* marks_paper_tooth at size 1 on integer points is a plain hash in −1..1. */
  const float a = marks_paper_tooth(ix * 7, iy * 7, 1), b = marks_paper_tooth(ix * 7 + 7, iy * 7, 1);
  const float c = marks_paper_tooth(ix * 7, iy * 7 + 7, 1), d = marks_paper_tooth(ix * 7 + 7, iy * 7 + 7, 1);
  return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

static void water_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const marks_frame *f = j->f;
  const int w = f->width, h = f->height;
  for (int y = y0; y < y1; y++) {
    const int up = y > 0 ? y - 1 : 0, down = y < h - 1 ? y + 1 : y;
    for (int x = 0; x < w; x++) {
      const int l = x > 0 ? x - 1 : 0, r = x < w - 1 ? x + 1 : x;
      const uint8_t *p = f->in + ((size_t)y * w + x) * 3;
      const float gx = brush_luma(f->in + ((size_t)y * w + r) * 3) - brush_luma(f->in + ((size_t)y * w + l) * 3);
      const float gy = brush_luma(f->in + ((size_t)down * w + x) * 3) - brush_luma(f->in + ((size_t)up * w + x) * 3);
      const float edge = sqrtf(gx * gx + gy * gy);
      const float turb = 0.6f * smooth_noise(x / j->scale, y / j->scale) + 0.4f * smooth_noise(x / (0.4f * j->scale) + 5.3f, y / (0.4f * j->scale) + 1.7f);
      const float d = 1.0f + j->turbulence * turb + j->edges * (edge > 0.12f ? 0.12f : edge) * 4.0f + j->granulation * marks_paper_tooth(x, y, j->tooth);
      uint8_t *o = f->out + ((size_t)y * w + x) * 3;
      for (int c = 0; c < 3; c++) {
        const float v = p[c] / 255.0f;
        o[c] = brush_byte(255.0f * v * (1.0f - (1.0f - v) * (d - 1.0f)));
      }
    }
  }
}

int marks_watercolor_paint(const marks_frame *f) {
  water_job j = { f, marks_param(f, 0, 0.2f), marks_param(f, 1, 0.5f), marks_param(f, 2, 0.3f), marks_param(f, 3, 1.5f), marks_param(f, 4, 40) };
  if (j.tooth < 0.5f) j.tooth = 0.5f;
  if (j.scale < 2) j.scale = 2;
  brush_state *s = brush_state_for(f, 1);
  if (!s) return 0;
  marks_rows(f->height, water_rows, &j);
  brush_hold(s, f->in, f->out);
  return 1;
}

/* ---- pastel ---- */

typedef struct {
  const marks_frame *f;
  const brush_state *s;
  float strength, tooth;
} pastel_job;

/* The soft palette by tone: lavender in the shadows, rose in the middle, cream above. */
static void pastel_palette(float t, float out[3]) {
  static const float stops[3][3] = { { 150, 140, 196 }, { 232, 168, 172 }, { 250, 238, 204 } };
  const float u = t < 0.5f ? t * 2 : (t - 0.5f) * 2;
  const float *a = stops[t < 0.5f ? 0 : 1], *b = stops[t < 0.5f ? 1 : 2];
  for (int c = 0; c < 3; c++) out[c] = a[c] + (b[c] - a[c]) * u;
}

static void pastel_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const marks_frame *f = j->f;
  const brush_state *s = j->s;
  const int w = f->width;
  const float paper[3] = { 178, 178, 196 };
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i = (size_t)y * w + x;
      const uint8_t *p = f->in + i * 3;
      const float l = brush_luma(p);
      const float mx = fmaxf(p[0], fmaxf(p[1], p[2])), mn = fminf(p[0], fminf(p[1], p[2]));
      const float sat = mx > 0 ? (mx - mn) / mx : 0;
      /* High key: the source's colour lifted and thinned, the palette's where it has none. */
      const float key = 0.38f + 0.62f * l;
      float tint[3];
      pastel_palette(key, tint);
      const float m = 0.35f + 0.5f * (1.0f - brush_clamp01(sat * 3.0f));
      float chalk[3];
      for (int c = 0; c < 3; c++) {
        const float lifted = 255.0f * key + 0.7f * (p[c] - 255.0f * l);
        chalk[c] = lifted * (1 - m) + tint[c] * m;
      }
      /* Chalk catches the raised tooth and follows the stroke; dark passages are pressed harder. */
      const float pressure = 0.5f + 0.25f * (1 - l) + 0.6f * s->strokes[i] + 0.3f * marks_paper_tooth(x, y, j->tooth);
      const float cover = 1.0f - j->strength * (1.0f - brush_clamp01((pressure - 0.3f) / 0.35f));
      uint8_t *o = f->out + i * 3;
      for (int c = 0; c < 3; c++) o[c] = brush_byte(chalk[c] * cover + paper[c] * (1 - cover));
    }
  }
}

int marks_pastel_chalk(const marks_frame *f) {
  brush_state *s = brush_state_for(f, 1.3f);
  if (!s || !brush_flow(s, f->in)) return 0;
  brush_strokes(s, (int)marks_param(f, 1, 7));
  pastel_job j = { f, s, brush_clamp01(marks_param(f, 0, 1)), marks_param(f, 2, 1.4f) };
  if (j.tooth < 0.5f) j.tooth = 0.5f;
  marks_rows(f->height, pastel_rows, &j);
  brush_hold(s, f->in, f->out);
  return 1;
}
