/*
 * The painted looks' kernels (recipes/paint.ts), on the strokes of brush.c (oil has its
 * own file, oil.c).
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
    /* Differences across two pixels either side: the rim a drying wash leaves is a few
       pixels wide, wider than the one-pixel step of a sharp edge. */
    const int up = y > 1 ? y - 2 : 0, down = y < h - 2 ? y + 2 : h - 1;
    for (int x = 0; x < w; x++) {
      const int l = x > 1 ? x - 2 : 0, r = x < w - 2 ? x + 2 : w - 1;
      const uint8_t *p = f->in + ((size_t)y * w + x) * 3;
      /* The wash's edge is where any pigment changes, not the luma alone: a red petal on a
         green leaf is one luma but two washes. */
      float edge = 0;
      for (int c = 0; c < 3; c++) {
        const float gx = (f->in[((size_t)y * w + r) * 3 + c] - f->in[((size_t)y * w + l) * 3 + c]) / 255.0f;
        const float gy = (f->in[((size_t)down * w + x) * 3 + c] - f->in[((size_t)up * w + x) * 3 + c]) / 255.0f;
        const float g = sqrtf(gx * gx + gy * gy);
        if (g > edge) edge = g;
      }
      const float turb = 0.6f * smooth_noise(x / j->scale, y / j->scale) + 0.4f * smooth_noise(x / (0.4f * j->scale) + 5.3f, y / (0.4f * j->scale) + 1.7f);
      /* Pigment pools at the rim (a density of up to 1 + 2 × edges there): full from a step of a
         fifth of the range, so the light washes of the paper show it too. */
      const float rim = edge > 0.2f ? 1.0f : edge / 0.2f;
      const float d = 1.0f + j->turbulence * turb + 2.0f * j->edges * rim + j->granulation * marks_paper_tooth(x, y, j->tooth);
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
  /* A light tinted paper: where the chalk skips it reads as paper, not as a dark mark. */
  const float paper[3] = { 222, 214, 228 };
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i = (size_t)y * w + x;
      const uint8_t *p = f->in + i * 3;
      const float l = brush_luma(p);
      const float mx = fmaxf(p[0], fmaxf(p[1], p[2])), mn = fminf(p[0], fminf(p[1], p[2]));
      const float sat = mx > 0 ? (mx - mn) / mx : 0;
      /* High key: the source's colour lifted and thinned, the palette's where it has none. */
      const float key = 0.3f + 0.7f * l;
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
