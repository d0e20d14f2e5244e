/*
 * The pixel art kernel: the look's work on its cell grid, one pixel a cell, after the
 * frame is smoothed and sampled into cells (recipes/screen.ts pixelArt) and before the
 * cells are blown up into squares. It does in one pass what a chain of FFmpeg filters
 * did, the same steps with the same figures (each stored as a whole level, as the
 * filters store it), so the frames are those of the chain within a level or two:
 *
 * - saturation and contrast raised (FFmpeg `eq`'s tables);
 * - the cells steadied over time, strongest where they barely change (a recursive
 *   filter with `hqdn3d`'s weights at temporal strength 6), so the shading below does
 *   not tip a cell between palette steps from frame to frame;
 * - dark surroundings (a Gaussian of σ 8 cells) lifted toward the middle, the colour
 *   differences by the ratio the luma rose by;
 * - each cell's tone pushed from its neighbourhood's (an unsharp mask over 7×7 cells),
 *   the darks opened up (a power of 0.7);
 * - a faint warm tint on skin pushed to the palette's first colour step, so a shaded
 *   socket stays skin;
 * - the palette: a soft staircase of 8 luma steps from a floor of 34 and 9 steps of each
 *   colour difference, then each luma step tinted along a hand-picked ramp;
 * - stray cells unlike all eight neighbours replaced by their majority, unless much
 *   darker than them (an eye);
 * - outlines one cell wide on the dark side of a shape's edge.
 *
 * The chain's formulas (`geq`) cost 3.7 s of CPU on 3 s of 540p, more than the rest of
 * the look and a transcode together; here the steps cost a few milliseconds a frame. On
 * a frame of the flower clip 95 % of the cells come out within 4 levels of the chain's
 * in every channel; the rest are mostly a palette step apart, tipped by a level of
 * difference upstream (the chain's Gaussian and temporal filters work in fixed point).
 *
 * Params: [0] intensity k (default 1), [1] 1 for a black-and-white source (its own warm ramp).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../marks.h"
#include "primitives.h"

/* A filter parameter as the look writes it into a filter graph: three decimals. */
static inline float three(float v) { return roundf(v * 1000.0f) / 1000.0f; }
static inline float unit(float v) { return clampf(v, 0.0f, 1.0f); }
/* A value stored as a filter stores it: truncated to a whole level in 0..255. */
static inline float level(float v) { return truncf(clampf(v, 0.0f, 255.0f)); }

/* The temporal weight's exponent at `hqdn3d` strength 6: a change of 6 levels keeps a quarter of the past. */
#define STEADY_STRENGTH 6.0f
/* The dark surroundings' lift: the share of what they lack of TOWARD, in full from k 0.6, over a Gaussian of σ SIGMA cells. */
#define DODGE_LIFT 0.4f
#define DODGE_FULL_FROM 0.6f
#define DODGE_TOWARD 140.0f
#define DODGE_SIGMA 8.0f
#define DODGE_MAX_GAIN 2.5f

/*
 * The palette: 8 luma steps from a floor of 34 (of video range: a very dark grey, so a
 * dark shot's cells stay cells instead of one black field) and 9 steps of each colour
 * difference, the same for every frame and shot, so it never flickers. Few luma steps
 * keep the cells flat; the colour steps are wide, after the saturation boost, so the
 * entries are distinct, saturated hues rather than muddy in-betweens. Each luma step is
 * then tinted along a ramp, so a face's eye, socket, nose and cheek land on different
 * steps of one hue.
 */
#define PALETTE_LUMA 8
#define PALETTE_COLOUR 9
#define PALETTE_FLOOR 34.0f

/* A ramp of tints: luma (video range) and the blue and red colour differences added at it. */
typedef struct { float y, cb, cr; } ramp_stop;
#define RAMP_STOPS 7
/*
 * Each luma step tinted as a pixel artist shifts hue down a ramp: deep indigo shadows,
 * slate and lavender-grey middles, sand and cream lights. The red difference stays under
 * 9 levels, so a grey wall does not print pink.
 */
static const ramp_stop RAMP[RAMP_STOPS] = {
  { 16, 22, 8 }, { 60, 16, 5 }, { 100, 8, 2 }, { 140, 0, 3 }, { 180, -8, 6 }, { 215, -12, 7 }, { 235, -6, 3 },
};
/*
 * A black-and-white source's whole palette, warm where the colour ramp is lavender, as a
 * pixel artist would colour an old photograph: navy-grey shadows, umber and tan middles
 * where a face's tones lie, sand and cream lights. (On the colour ramp a grey face
 * printed as "blocky lavender shapes", said a blind viewer.)
 */
static const ramp_stop GREY_RAMP[RAMP_STOPS] = {
  { 16, 11, -5 }, { 60, 10, -5 }, { 100, -2, 5 }, { 140, -9, 9 }, { 180, -12, 10 }, { 215, -13, 8 }, { 235, -7, 4 },
};

typedef struct {
  int w, h;
  float *past[3];   /* the steadied planes of the last frame */
  float *plane[3];  /* Y, Cb, Cr of this frame */
  float *tmp[3];
  float *rgb;       /* this frame's cells as RGB, 3 a cell */
  float *cleaned;   /* the same after the stray cells are cleaned up */
} pixel_state;

void marks_pixel_cells_free(void *state) {
  pixel_state *s = state;
  if (!s) return;
  for (int c = 0; c < 3; c++) { free(s->past[c]); free(s->plane[c]); free(s->tmp[c]); }
  free(s->rgb);
  free(s->cleaned);
  free(s);
}

static pixel_state *state_for(const marks_frame *f) {
  pixel_state *s = *f->state;
  if (s && s->w == f->width && s->h == f->height) return s;
  marks_pixel_cells_free(s);
  *f->state = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->w = f->width; s->h = f->height;
  const size_t n = (size_t)f->width * f->height;
  int ok = 1;
  for (int c = 0; c < 3; c++) {
    ok &= (s->past[c] = malloc(n * sizeof(float))) != NULL;
    ok &= (s->plane[c] = malloc(n * sizeof(float))) != NULL;
    ok &= (s->tmp[c] = malloc(n * sizeof(float))) != NULL;
  }
  ok &= (s->rgb = malloc(n * 3 * sizeof(float))) != NULL;
  ok &= (s->cleaned = malloc(n * 3 * sizeof(float))) != NULL;
  if (!ok) { marks_pixel_cells_free(s); return NULL; }
  *f->state = s;
  return s;
}

/* RGB to video-range YCbCr (BT.601), as FFmpeg converts a frame. */
static void to_yuv(const uint8_t *in, pixel_state *s) {
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    const float r = in[3 * i], g = in[3 * i + 1], b = in[3 * i + 2];
    s->plane[0][i] = roundf(16.0f + (65.481f * r + 128.553f * g + 24.966f * b) / 255.0f);
    s->plane[1][i] = roundf(128.0f + (-37.797f * r - 74.203f * g + 112.0f * b) / 255.0f);
    s->plane[2][i] = roundf(128.0f + (112.0f * r - 93.786f * g - 18.214f * b) / 255.0f);
  }
}

/*
 * FFmpeg `eq`'s contrast `c` about the middle of 0..255, in its fixed point (the factor
 * in 1/4096ths): the chain's levels exactly.
 */
static float eq_level(float v, double c) {
  const int factor = (int)(c * 4096);
  return (float)clampi((((int)v * factor) >> 12) + 127 - factor / 32, 0, 255);
}

/* Each plane steadied toward its past: a change d keeps (1 − |d|/255)^γ of the past, γ set so that 6 levels keep a quarter. */
static void steady(pixel_state *s, long frame) {
  const size_t n = (size_t)s->w * s->h;
  const float gamma = logf(0.25f) / logf(1.0f - STEADY_STRENGTH / 255.0f - 0.00001f);
  for (int c = 0; c < 3; c++) {
    float *v = s->plane[c], *past = s->past[c];
    for (size_t i = 0; i < n; i++) {
      if (frame > 0) {
        const float d = past[i] - v[i];
        past[i] = v[i] + d * powf(1.0f - fabsf(d) / 255.0f, gamma);
      } else {
        past[i] = v[i];
      }
      v[i] = level(past[i] + 0.5f);
    }
  }
}

/* `out` = `in` blurred along rows then columns by the symmetric `taps` (radius r, edges repeated). */
static void separable(const float *in, float *out, float *tmp, int w, int h, const float *taps, int r) {
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      float sum = 0;
      for (int d = -r; d <= r; d++) sum += taps[abs(d)] * in[y * w + clampi(x + d, 0, w - 1)];
      tmp[y * w + x] = sum;
    }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      float sum = 0;
      for (int d = -r; d <= r; d++) sum += taps[abs(d)] * tmp[clampi(y + d, 0, h - 1) * w + x];
      out[y * w + x] = sum;
    }
}

/*
 * `v` blurred in place as FFmpeg's `gblur` blurs (one step of Alvarez and Mazorra's
 * recursive filter a way, each way along rows then columns, edges held): the chain's
 * surroundings, whose shape the lift below was tuned on.
 */
static void recursive_blur(float *v, int w, int h, float sigma) {
  const double lambda = (double)sigma * sigma / 2.0;
  const float nu = (float)(((1 + 2 * lambda) - sqrt(1 + 4 * lambda)) / (2 * lambda));
  const float edge = 1.0f / (1.0f - nu), post = (float)pow(nu / lambda, 2.0);
  for (int y = 0; y < h; y++) {
    float *row = v + (size_t)y * w;
    row[0] *= edge;
    for (int x = 1; x < w; x++) row[x] += nu * row[x - 1];
    row[w - 1] *= edge;
    for (int x = w - 1; x > 0; x--) row[x - 1] += nu * row[x];
  }
  for (int x = 0; x < w; x++) {
    v[x] *= edge;
    for (int y = 1; y < h; y++) v[(size_t)y * w + x] += nu * v[(size_t)(y - 1) * w + x];
    v[(size_t)(h - 1) * w + x] *= edge;
    for (int y = h - 1; y > 0; y--) v[(size_t)(y - 1) * w + x] += nu * v[(size_t)y * w + x];
  }
  for (size_t i = 0; i < (size_t)w * h; i++) v[i] *= post;
}

/* Dark surroundings lifted toward the middle; the colour differences by the ratio the luma rose by. */
static void dodge(pixel_state *s, float k) {
  float *around = s->tmp[1];
  memcpy(around, s->plane[0], (size_t)s->w * s->h * sizeof(float));
  recursive_blur(around, s->w, s->h, DODGE_SIGMA);
  const float lift = three(DODGE_LIFT * fminf(1.0f, k / DODGE_FULL_FROM));
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    const float y = truncf(around[i]), raise = lift * fmaxf(DODGE_TOWARD - y, 0.0f);
    const float gain = fminf((y + raise) / fmaxf(y, 16.0f), DODGE_MAX_GAIN);
    s->plane[0][i] = truncf(clampf(s->plane[0][i] + raise, 16, 235));
    for (int c = 1; c < 3; c++) s->plane[c][i] = truncf(clampf(128.0f + (s->plane[c][i] - 128.0f) * gain, 16, 240));
  }
}

/*
 * Luma pushed from its 7×7 neighbourhood by `amount`, in FFmpeg `unsharp`'s fixed point
 * (binomial weights, the blur rounded, the push in 1/65536ths), then the darks opened up
 * by a power of 0.7.
 */
static void shade(pixel_state *s, float amount) {
  static const float taps[4] = { 20 / 64.0f, 15 / 64.0f, 6 / 64.0f, 1 / 64.0f };
  float *blur = s->tmp[1];
  separable(s->plane[0], blur, s->tmp[2], s->w, s->h, taps, 3);
  const int push = (int)(amount * 65536);
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    const int y = (int)s->plane[0][i], pushed = clampi(y + (((y - (int)floorf(blur[i] + 0.5f)) * push) >> 16), 0, 255);
    s->plane[0][i] = (float)trunc(255.0 * pow(pushed / 255.0, 0.7));
  }
}

/*
 * The skin tint, so a shaded cheek or eye socket keeps the skin's hue instead of falling
 * to grey: the red colour difference stretched most where it is faint (×3 at 5 levels,
 * ×1.2 beyond 30), on skin-like hues (red over blue, not toward a purple or pink shirt)
 * in warm middle tones only. Near-greys (a warm grey wall, under 16 levels of colour
 * after the saturation boost), blues, near-white walls and near-black hair stay as they
 * are. A faint cell inside skin is tinted too when the ring of eight cells four away
 * around it (past a socket's or a lens's edge) is skin's colour and not a strong one (a
 * red car's grey tyre next to its paint stays grey).
 */
static void warm_tint(pixel_state *s) {
  static const int RING[8][2] = { { -4, 0 }, { 4, 0 }, { 0, -4 }, { 0, 4 }, { -3, -3 }, { 3, -3 }, { -3, 3 }, { 3, 3 } };
  const int w = s->w, h = s->h;
  const float *Y = s->plane[0], *cb = s->plane[1], *cr = s->plane[2];
  float *out = s->tmp[0];
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const int i = y * w + x;
      const float d = cr[i] - 128, e = cb[i] - 128;
      const float tones = unit((Y[i] - 40) / 30) * unit((200 - Y[i]) / 40);
      if (tones <= 0) { out[i] = 128 + d; continue; }
      float share = unit((hypotf(d, e) - 16) / 6) * unit((d - fmaxf(e, 0) * 1.5f - 1) / 3);
      if (share < 1 && d > -2) {
        float rd = 0, re = 0;
        for (int j = 0; j < 8; j++) {
          const int at = clampi(y + RING[j][1], 0, h - 1) * w + clampi(x + RING[j][0], 0, w - 1);
          rd += cr[at]; re += cb[at];
        }
        rd = rd / 8 - 128; re = re / 8 - 128;
        const float ring = unit((hypotf(rd, re) - 16) / 6) * unit((50 - hypotf(rd, re)) / 10) * unit((rd - fmaxf(re, 0) * 1.5f - 1) / 3) * unit((d + 2) / 2);
        share = fmaxf(share, ring);
      } else if (share >= 1) {
        share = 1;
      }
      out[i] = level(128 + d + tones * share * (fmaxf(d * 1.2f, 6.5f * sqrtf(fabsf(d))) - d));
    }
  memcpy(s->plane[2], out, (size_t)w * h * sizeof(float));
}

/* A soft staircase (recipes/primitives.ts softQuantise): `levels` steps over lo..hi, each a sigmoid of sharpness 60. */
static float soft_step(float v, int levels, float lo, float hi) {
  const float step = three((hi - lo) / (levels - 1));
  const float f = (clampf(v, lo, hi) - lo) / step, t = f - floorf(f);
  return truncf(lo + (floorf(f) + 1.0f / (1.0f + expf(-60.0f * (t - 0.5f)))) * step);
}

/* A colour difference added at luma `y` along the ramp (piecewise linear between its stops). */
static float along(const ramp_stop *ramp, float y, int plane) {
  for (int i = 0; i < RAMP_STOPS - 1; i++) {
    const ramp_stop *a = &ramp[i], *b = &ramp[i + 1];
    if (y < b->y) {
      const float av = plane == 1 ? a->cb : a->cr, bv = plane == 1 ? b->cb : b->cr;
      return av + (clampf(y, a->y, b->y) - a->y) * three((bv - av) / (b->y - a->y));
    }
  }
  return plane == 1 ? ramp[RAMP_STOPS - 1].cb : ramp[RAMP_STOPS - 1].cr;
}

static void palette(pixel_state *s, const ramp_stop *ramp) {
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    const float y = soft_step(s->plane[0][i], PALETTE_LUMA, PALETTE_FLOOR, 255);
    s->plane[0][i] = y;
    for (int c = 1; c < 3; c++) s->plane[c][i] = level(soft_step(s->plane[c][i], PALETTE_COLOUR, 0, 255) + along(ramp, y, c));
  }
}

/* Video-range YCbCr (BT.601) to RGB, as FFmpeg converts a frame. */
static void to_rgb(pixel_state *s) {
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    const float y = 1.164383f * (s->plane[0][i] - 16), u = s->plane[1][i] - 128, v = s->plane[2][i] - 128;
    s->rgb[3 * i] = roundf(clampf(y + 1.596027f * v, 0, 255));
    s->rgb[3 * i + 1] = roundf(clampf(y - 0.391762f * u - 0.812968f * v, 0, 255));
    s->rgb[3 * i + 2] = roundf(clampf(y + 2.017232f * u, 0, 255));
  }
}

static inline float luma_of(const float *rgb) { return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2]; }

static float median9(float *v) {
  for (int i = 1; i < 9; i++) for (int j = i; j > 0 && v[j - 1] > v[j]; j--) { const float t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
  return v[4];
}

/*
 * Stray cells cleaned up, as a pixel artist removes a lone pixel that reads as noise: a
 * cell unlike all eight neighbours (more than TOLERANCE apart, summed over R, G and B)
 * takes each channel's median of its 3×3, unless it is FEATURE levels darker than their
 * mean (an eye, a nostril).
 */
#define STRAY_TOLERANCE 24.0f
#define STRAY_FEATURE 70.0f
static void clean_strays(pixel_state *s, float *out) {
  const int w = s->w, h = s->h;
  const float *rgb = s->rgb;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const float *c = rgb + 3 * (y * w + x);
      float *o = out + 3 * (y * w + x);
      int lone = 1;
      float around = 0;
      for (int dy = -1; dy <= 1 && lone; dy++)
        for (int dx = -1; dx <= 1; dx++) {
          if (!dx && !dy) continue;
          const float *n = rgb + 3 * (clampi(y + dy, 0, h - 1) * w + clampi(x + dx, 0, w - 1));
          if (fabsf(n[0] - c[0]) + fabsf(n[1] - c[1]) + fabsf(n[2] - c[2]) <= STRAY_TOLERANCE) { lone = 0; break; }
          around += luma_of(n);
        }
      if (!lone || around / 8 - luma_of(c) >= STRAY_FEATURE) { memcpy(o, c, 3 * sizeof(float)); continue; }
      for (int ch = 0; ch < 3; ch++) {
        float v[9];
        for (int j = 0; j < 9; j++) v[j] = rgb[3 * (clampi(y + j / 3 - 1, 0, h - 1) * w + clampi(x + j % 3 - 1, 0, w - 1)) + ch];
        o[ch] = median9(v);
      }
    }
}

/*
 * Outlines, as a pixel artist outlines a shape on its dark side: a cell `step` levels
 * darker than its lightest of four neighbours, and of a shape (a neighbour about as
 * dark) or far darker (a lone feature), multiplied by the outline ink.
 */
#define OUTLINE_INK 0.8f
static void outline(pixel_state *s, const float *rgb, uint8_t *out, float step) {
  const int w = s->w, h = s->h;
  float *grey = s->tmp[0];
  for (int i = 0; i < w * h; i++) grey[i] = roundf(luma_of(rgb + 3 * i));
#define G(x, y) grey[clampi(y, 0, h - 1) * w + clampi(x, 0, w - 1)]
  const float ink = three(255.0f * OUTLINE_INK), at = three(step), deep = three(2 * step);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const float l = G(x, y);
      const float lightest = fmaxf(fmaxf(G(x - 1, y), G(x + 1, y)), fmaxf(G(x, y - 1), G(x, y + 1)));
      float keep = 255;
      if (lightest - l > at) {
        const float darkest = fminf(fminf(fminf(G(x - 1, y - 1), G(x + 1, y - 1)), fminf(G(x - 1, y + 1), G(x + 1, y + 1))),
                                    fminf(fminf(G(x - 1, y), G(x + 1, y)), fminf(G(x, y - 1), G(x, y + 1))));
        const float of_shape = fmaxf(unit((l + 16 - darkest) / 8), unit((lightest - l - deep) / 12));
        keep = level(255 - ink * of_shape * unit((lightest - l - at) / 12));
      }
      const float *c = rgb + 3 * (y * w + x);
      uint8_t *o = out + 3 * (y * w + x);
      for (int ch = 0; ch < 3; ch++) o[ch] = (uint8_t)(((int)c[ch] * (int)keep) / 255);
    }
#undef G
}

int marks_pixel_cells(const marks_frame *f) {
  pixel_state *s = state_for(f);
  if (!s) return 0;
  const float k = marks_param(f, 0, 1), c = fminf(k, 1);
  const ramp_stop *ramp = marks_param(f, 1, 0) > 0.5f ? GREY_RAMP : RAMP;
  to_yuv(f->in, s);
  const double contrast = round((1.05 + 0.1 * k) * 1000) / 1000, saturation = round((1.4 + 0.5 * k) * 1000) / 1000;
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    s->plane[0][i] = eq_level(s->plane[0][i], contrast);
    for (int ch = 1; ch < 3; ch++) s->plane[ch][i] = eq_level(s->plane[ch][i], saturation);
  }
  steady(s, f->frame);
  dodge(s, k);
  shade(s, three(0.25f + 0.15f * c));
  warm_tint(s);
  palette(s, ramp);
  to_rgb(s);
  clean_strays(s, s->cleaned);
  outline(s, s->cleaned, f->out, 64 - 12 * c);
  return 1;
}
