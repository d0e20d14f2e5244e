/*
 * watercolor_paint: a picture painted in washes (after Bousseau et al., "Interactive
 * watercolor rendering with temporal coherence and abstraction", NPAR 2006, and the
 * look Curtis et al. 1997 simulate). At half size: the picture abstracted by an edge-
 * preserving (bilateral) smoothing, its tone gathered into a few soft washes, and the
 * rims where washes meet. At full size: the washes read back through a slow wobble (a
 * hand's edge, not a tracing), thinned to transparent pigment on white paper (the lights
 * stay unpainted). Between the two, wet in wet: where the sheet was wet, a darker wash
 * runs out into a lighter one beside it, its edge feathered (the wet-in-wet flow Curtis
 * et al. simulate and Wang et al. 2014 add to photographs, here a one-sided spread). Then pigment
 * density: darker pigment pooled at the hard wash rims, and in the middle washes only a
 * slow turbulence and granulation settling in the paper's tooth, so a dark wash is an
 * even, deeper layer and not a mottle. Density d scales the pigment 1 − C of a colour C,
 * so white paper stays white and only paint darkens.
 * Textures are fixed to the frame and made once per run; the washes hold still where
 * the picture does (brush_hold).
 * Params: [0] abstraction 0..1, [1] edge darkening, [2] granulation, [3] turbulence,
 * [4] tooth size (px), [5] turbulence size (px), [6] wobble (px), [7] the wash tone
 * from which the paper shows (0..1), [8] dark accents kept 0..1, [9] wet-in-wet bleeding 0..1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "brush.h"
#include "primitives.h"
#include "value-noise.h"

typedef struct {
  int width, height, sw, sh;
  float tooth, scale, wobble;
  brush_state *hold;   /* the previous frame and its washes */
  float *grain;        /* full size: the tooth, −1..1 (pits positive) */
  float *turb;         /* full size: slow density turbulence, −1..1 */
  float *wx, *wy;      /* full size: the wobble of the washes' edges, half-size pixels */
  float *a, *b, *c;    /* half size RGB, 0..1 (c: the washes spread wide, for the bleeding) */
  float *rim;          /* half size: where washes meet, 0..1 */
  float *wet;          /* half size: where the sheet was wet when the washes met, 0..1 */
} water_state;

static void water_release(water_state *s) {
  if (!s) return;
  free(s->hold);
  free(s->grain);
  free(s);
}

void marks_watercolor_free(void *state) { water_release(state); }

static void textures_rows(void *ctx, int y0, int y1) {
  water_state *s = ctx;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < s->width; x++) {
      const size_t i = (size_t)y * s->width + x;
      /* Fine tooth and the larger cells of a cold-pressed sheet. */
      s->grain[i] = 0.85f * marks_paper_tooth(x, y, s->tooth) + 0.15f * marks_paper_tooth(x + 101, y + 57, s->tooth * 3.2f);
      s->turb[i] = 0.6f * marks_value_noise(x / s->scale, y / s->scale, 11) + 0.4f * marks_value_noise(x / (0.37f * s->scale), y / (0.37f * s->scale), 12);
      const float ws = 0.35f * s->scale;
      s->wx[i] = 0.5f * s->wobble * marks_value_noise(x / ws, y / ws, 21);
      s->wy[i] = 0.5f * s->wobble * marks_value_noise(x / ws, y / ws, 22);
      /* Wet patches a few washes wide, their margins ragged; at half size. */
      if (!(x & 1) && !(y & 1)) {
        const float wet = 0.7f * marks_value_noise(x / (0.6f * s->scale), y / (0.6f * s->scale), 31) + 0.3f * marks_value_noise(x / (0.15f * s->scale), y / (0.15f * s->scale), 32);
        s->wet[(size_t)(y / 2) * s->sw + x / 2] = brush_clamp01((wet + 0.25f) / 0.45f);
      }
    }
  }
}

static water_state *state_for(const marks_frame *f, float tooth, float scale, float wobble) {
  water_state *s = *f->state;
  if (s && s->width == f->width && s->height == f->height && s->tooth == tooth && s->scale == scale && s->wobble == wobble) return s;
  water_release(s);
  *f->state = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->width = f->width; s->height = f->height;
  s->sw = (f->width + 1) / 2; s->sh = (f->height + 1) / 2;
  s->tooth = tooth; s->scale = scale; s->wobble = wobble;
  const size_t n = (size_t)f->width * f->height, ns = (size_t)s->sw * s->sh;
  s->grain = malloc((4 * n + 11 * ns) * sizeof(float));
  if (!s->grain) { free(s); return NULL; }
  s->turb = s->grain + n; s->wx = s->turb + n; s->wy = s->wx + n;
  s->a = s->wy + n; s->b = s->a + 3 * ns; s->c = s->b + 3 * ns; s->rim = s->c + 3 * ns; s->wet = s->rim + ns;
  /* brush_hold's planes, through a frame that points at this state's slot for them. */
  marks_frame inner = *f;
  inner.state = (void **)&s->hold;
  if (!brush_state_for(&inner, 1)) { water_release(s); return NULL; }
  marks_rows(f->height, textures_rows, s);
  *f->state = s;
  return s;
}

typedef struct {
  const marks_frame *f;
  water_state *s;
  float abstraction, edges, granulation, turbulence, paper_from, accents, bleed;
  float range[64];     /* bilateral range weights by squared colour distance */
  float thinning[256]; /* (1 − l)^0.5 by luma */
  const float *from;
  float *to;
} water_job;

static void shrink_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  const uint8_t *in = j->f->in;
  for (int y = y0; y < y1; y++) {
    const int ya = 2 * y, yb = 2 * y + 1 < s->height ? 2 * y + 1 : 2 * y;
    for (int x = 0; x < s->sw; x++) {
      const int xa = 2 * x, xb = 2 * x + 1 < s->width ? 2 * x + 1 : 2 * x;
      float *o = s->a + ((size_t)y * s->sw + x) * 3;
      for (int c = 0; c < 3; c++) {
        const int sum = in[((size_t)ya * s->width + xa) * 3 + c] + in[((size_t)ya * s->width + xb) * 3 + c] + in[((size_t)yb * s->width + xa) * 3 + c] + in[((size_t)yb * s->width + xb) * 3 + c];
        o[c] = sum * (1 / 1020.0f);
      }
    }
  }
}

/* A 5×5 bilateral filter of j->from into j->to at half size. */
static void bilateral_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  const int w = s->sw, h = s->sh;
  static const float spatial[3] = { 1.0f, 0.8f, 0.41f };
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const float *p = j->from + ((size_t)y * w + x) * 3;
      float sum[3] = { 0 }, tw = 0;
      for (int dy = -2; dy <= 2; dy++) {
        const int yy = y + dy < 0 ? 0 : y + dy >= h ? h - 1 : y + dy;
        for (int dx = -2; dx <= 2; dx++) {
          const int xx = x + dx < 0 ? 0 : x + dx >= w ? w - 1 : x + dx;
          const float *q = j->from + ((size_t)yy * w + xx) * 3;
          const float d0 = q[0] - p[0], d1 = q[1] - p[1], d2 = q[2] - p[2];
          const int bin = (int)((d0 * d0 + d1 * d1 + d2 * d2) * 256.0f);
          if (bin >= 64) continue;
          const float wgt = spatial[abs(dx)] * spatial[abs(dy)] * j->range[bin];
          sum[0] += wgt * q[0]; sum[1] += wgt * q[1]; sum[2] += wgt * q[2]; tw += wgt;
        }
      }
      float *o = j->to + ((size_t)y * w + x) * 3;
      for (int c = 0; c < 3; c++) o[c] = sum[c] / tw;
    }
  }
}

/* The tone gathered into soft washes: a staircase of five levels whose steps are smooth
   sigmoids, so a pixel near a step fades between washes rather than flickering. */
static float wash_tone(float l) {
  const float f = brush_clamp01(l) * 4.0f;
  const float base = floorf(f), t = f - base;
  const float k = 9.0f, s0 = 1.0f / (1.0f + expf(k / 2)), sig = 1.0f / (1.0f + expf(-k * (t - 0.5f)));
  return (base + (sig - s0) / (1 - 2 * s0)) / 4.0f;
}

static void wash_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < s->sw; x++) {
      float *p = s->a + ((size_t)y * s->sw + x) * 3;
      const float l = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
      /* The steps sit so that one of them falls at the paper's tone: the lights either
         stay bare or take the lightest wash, with a clear edge between. */
      const float off = 0.875f - j->paper_from;
      const float shift = j->abstraction * 0.95f * (wash_tone(l + off) - off - l);
      for (int c = 0; c < 3; c++) p[c] = brush_clamp01(p[c] + shift);
    }
  }
}

/* Where washes meet: the largest colour difference across one half-size pixel either side. */
static void rim_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  const int w = s->sw, h = s->sh;
  for (int y = y0; y < y1; y++) {
    const int up = y > 0 ? y - 1 : 0, down = y < h - 1 ? y + 1 : y;
    for (int x = 0; x < w; x++) {
      const int l = x > 0 ? x - 1 : 0, r = x < w - 1 ? x + 1 : x;
      float edge = 0;
      for (int c = 0; c < 3; c++) {
        const float gx = s->a[((size_t)y * w + r) * 3 + c] - s->a[((size_t)y * w + l) * 3 + c];
        const float gy = s->a[((size_t)down * w + x) * 3 + c] - s->a[((size_t)up * w + x) * 3 + c];
        const float g = gx * gx + gy * gy;
        if (g > edge) edge = g;
      }
      /* Faint gradients (shading across a cheek) are one wash, not a rim. */
      const float e = (sqrtf(edge) - 0.06f) / 0.16f;
      s->rim[(size_t)y * w + x] = brush_clamp01(e);
    }
  }
}

/* A box of BLEED half-size pixels each way, across the rows (j->from into j->to) and
   then down the columns; twice makes a soft spread with no corners. */
#define BLEED 5
static void spread_across_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const int w = j->s->sw;
  for (int y = y0; y < y1; y++) {
    const float *row = j->from + (size_t)y * w * 3;
    float *o = j->to + (size_t)y * w * 3;
    float sum[3] = { 0 };
    for (int dx = -BLEED; dx <= BLEED; dx++) {
      const int xx = dx < 0 ? 0 : dx >= w ? w - 1 : dx;
      for (int c = 0; c < 3; c++) sum[c] += row[xx * 3 + c];
    }
    for (int x = 0; x < w; x++) {
      for (int c = 0; c < 3; c++) o[x * 3 + c] = sum[c] * (1.0f / (2 * BLEED + 1));
      const int out = x - BLEED < 0 ? 0 : x - BLEED, in = x + BLEED + 1 >= w ? w - 1 : x + BLEED + 1;
      for (int c = 0; c < 3; c++) sum[c] += row[in * 3 + c] - row[out * 3 + c];
    }
  }
}

static void spread_down_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const int w = j->s->sw, h = j->s->sh;
  /* A running sum down the columns: the window of row y0, then one row in and one out. */
  float *o = j->to + (size_t)y0 * w * 3;
  for (int x = 0; x < w * 3; x++) o[x] = 0;
  for (int dy = -BLEED; dy <= BLEED; dy++) {
    const int yy = y0 + dy < 0 ? 0 : y0 + dy >= h ? h - 1 : y0 + dy;
    const float *row = j->from + (size_t)yy * w * 3;
    for (int x = 0; x < w * 3; x++) o[x] += row[x];
  }
  for (int y = y0 + 1; y < y1; y++) {
    const int in = y + BLEED >= h ? h - 1 : y + BLEED, out = y - BLEED - 1 < 0 ? 0 : y - BLEED - 1;
    const float *add = j->from + (size_t)in * w * 3, *sub = j->from + (size_t)out * w * 3, *prev = j->to + (size_t)(y - 1) * w * 3;
    float *row = j->to + (size_t)y * w * 3;
    for (int x = 0; x < w * 3; x++) row[x] = prev[x] + add[x] - sub[x];
  }
  for (float *e = j->to + (size_t)y1 * w * 3; o < e; o++) *o *= 1.0f / (2 * BLEED + 1);
}

/* Wet in wet: where the sheet was wet, a darker wash runs out into a lighter one beside
   it (the spread is taken only where it is darker than the wash), feathering its edge
   outward instead of cutting it; a bled edge leaves no pooled rim. Everywhere the washes'
   colour is evened a little toward their neighbours', as one brushful of a mixed colour
   covers a passage. */
static void bleed_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    float *p = s->a + i * 3;
    const float *q = s->c + i * 3;
    const float lp = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2], lq = 0.299f * q[0] + 0.587f * q[1] + 0.114f * q[2];
    const float wet = s->wet[i] * j->bleed;
    const float run = wet * brush_clamp01((lp - lq) / 0.06f);
    for (int c = 0; c < 3; c++) {
      const float even = 0.6f * j->abstraction * ((q[c] - lq) - (p[c] - lp));
      p[c] = brush_clamp01(p[c] + even + run * (q[c] - p[c]));
    }
    s->rim[i] *= 1.0f - wet;
  }
}

static void paint_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  const marks_frame *f = j->f;
  const int w = s->width, sw = s->sw, sh = s->sh;
  /* A warm white sheet. */
  static const float paper[3] = { 255, 253, 247 };
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i = (size_t)y * w + x;
      float u = (x + 0.5f) * 0.5f - 0.5f + s->wx[i], v = (y + 0.5f) * 0.5f - 0.5f + s->wy[i];
      u = u > sw - 1.001f ? sw - 1.001f : u; u = u < 0 ? 0 : u;
      v = v > sh - 1.001f ? sh - 1.001f : v; v = v < 0 ? 0 : v;
      const int iu = (int)u, iv = (int)v;
      const float tu = u - iu, tv = v - iv;
      /* Neighbours stay inside a picture one half-size pixel wide or high. */
      const size_t k00 = (size_t)iv * sw + iu, k01 = k00 + (iu + 1 < sw), k10 = k00 + (iv + 1 < sh ? sw : 0), k11 = k10 + (iu + 1 < sw);
      const float w00 = (1 - tu) * (1 - tv), w01 = tu * (1 - tv), w10 = (1 - tu) * tv, w11 = tu * tv;
      float col[3];
      for (int c = 0; c < 3; c++) col[c] = w00 * s->a[k00 * 3 + c] + w01 * s->a[k01 * 3 + c] + w10 * s->a[k10 * 3 + c] + w11 * s->a[k11 * 3 + c];
      const float rim = w00 * s->rim[k00] + w01 * s->rim[k01] + w10 * s->rim[k10] + w11 * s->rim[k11];
      /* Dark accents the washes smoothed away (an eye, the frame of a pair of glasses)
         come back as a fine brush's marks: where the picture is clearly darker than its wash. */
      const uint8_t *src = f->in + i * 3;
      const float lw = 0.299f * col[0] + 0.587f * col[1] + 0.114f * col[2];
      /* Not in a dark wash, where the picture's own darker detail would be noise. */
      const float accent = brush_clamp01((lw - brush_luma(src) - 0.05f) / 0.2f) * brush_clamp01((lw - 0.22f) / 0.2f) * j->accents;
      for (int c = 0; c < 3; c++) col[c] += accent * (src[c] * (1 / 255.0f) - col[c]);
      const float l = 0.299f * col[0] + 0.587f * col[1] + 0.114f * col[2];
      /* Thin, transparent pigment (a little richer in colour than the picture, lighter in
         tone); none at all from the paper's tone up. */
      const float bare = brush_clamp01((l - j->paper_from) / 0.1f);
      const float thin = 0.9f * (1 - bare * bare * (3 - 2 * bare));
      const float g = s->grain[i];
      /* Granulation and the density's turbulence settle in the middle washes; a dark wash
         is a deeper, even layer of pigment, not noise, and a light one stays clean. */
      const float middle = brush_clamp01((l - 0.12f) / 0.2f) * brush_clamp01((j->paper_from + 0.05f - l) / 0.25f);
      const float d = 1.0f + middle * (j->turbulence * s->turb[i] + j->granulation * g) + j->edges * rim;
      /* The sheet's own tooth shows faintly where it is bare. */
      const float sheet = 1.0f - 0.012f * (1.0f + g);
      uint8_t *o = f->out + i * 3;
      /* Lighter in tone (the luma's pigment p becomes p^1.5), each colour's own ratios kept. */
      const float lighter = thin * d * j->thinning[(int)(brush_clamp01(l) * 255.0f + 0.5f)];
      for (int c = 0; c < 3; c++) {
        const float rich = brush_clamp01(l + 1.35f * (col[c] - l));
        float pigment = (1 - rich) * lighter;
        pigment = pigment > 0.82f ? 0.82f : pigment < 0 ? 0 : pigment;
        o[c] = brush_byte(paper[c] * sheet * (1 - pigment));
      }
    }
  }
}

int marks_watercolor_paint(const marks_frame *f) {
  float tooth = marks_param(f, 4, 1.6f), scale = marks_param(f, 5, 60), wobble = marks_param(f, 6, 2);
  if (tooth < 0.5f) tooth = 0.5f;
  if (scale < 4) scale = 4;
  if (wobble < 0) wobble = 0;
  water_state *s = state_for(f, tooth, scale, wobble);
  if (!s) return 0;
  water_job j = {
    .f = f, .s = s, .abstraction = brush_clamp01(marks_param(f, 0, 1)), .edges = marks_param(f, 1, 0.6f),
    .granulation = marks_param(f, 2, 0.2f), .turbulence = marks_param(f, 3, 0.1f), .paper_from = marks_param(f, 7, 0.8f), .accents = brush_clamp01(marks_param(f, 8, 0.7f)),
    .bleed = brush_clamp01(marks_param(f, 9, 0.8f)),
  };
  /* Colours closer than σ (about a tenth of the range, wider the stronger the look) blend. */
  const float sigma = 0.06f + 0.06f * j.abstraction;
  for (int v = 0; v < 256; v++) j.thinning[v] = powf(1 - v / 255.0f, 0.5f);
  for (int b = 0; b < 64; b++) j.range[b] = expf(-((b + 0.5f) / 256.0f) / (2 * sigma * sigma));
  marks_rows(s->sh, shrink_rows, &j);
  /* Two passes (the second ends where the washes are read from), one for a light touch. */
  if (j.abstraction > 0.5f) {
    j.from = s->a; j.to = s->b;
    marks_rows(s->sh, bilateral_rows, &j);
    j.from = s->b; j.to = s->a;
  } else {
    memcpy(s->b, s->a, (size_t)s->sw * s->sh * 3 * sizeof(float));
    j.from = s->b; j.to = s->a;
  }
  marks_rows(s->sh, bilateral_rows, &j);
  marks_rows(s->sh, wash_rows, &j);
  marks_rows(s->sh, rim_rows, &j);
  /* The washes spread wide into c (through b), then bled into where the sheet was wet. */
  j.from = s->a; j.to = s->b; marks_rows(s->sh, spread_across_rows, &j);
  j.from = s->b; j.to = s->c; marks_rows(s->sh, spread_down_rows, &j);
  j.from = s->c; j.to = s->b; marks_rows(s->sh, spread_across_rows, &j);
  j.from = s->b; j.to = s->c; marks_rows(s->sh, spread_down_rows, &j);
  marks_rows(s->sh, bleed_rows, &j);
  marks_rows(f->height, paint_rows, &j);
  brush_hold(s->hold, f->in, f->out);
  return 1;
}
