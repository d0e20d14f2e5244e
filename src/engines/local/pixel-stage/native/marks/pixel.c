/*
 * The pixel art kernel: the look's work on its cell grid, one pixel a cell, after the
 * frame is smoothed and sampled into cells (recipes/screen.ts pixelArt) and before the
 * cells are blown up into squares. Its steps up to the palette are those of the chain of
 * FFmpeg filters it replaced, with the same figures (each stored as a whole level, as the
 * filters store it); the palette, the clean-up and the outlines are its own:
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
 * - the palette: each cell mapped to the nearest entry of a fixed set of hue-shifted
 *   ramps by a perceptual distance (pixel-palette.c), holding last frame's entry unless
 *   another is clearly nearer; a black-and-white source on a warm ramp of its own;
 * - stray cells and pairs unlike their neighbours take their commonest entry, unless a
 *   small dark feature on an even ground (an eye) or a catch-light, and outlines on the
 *   dark side of a shape's or a lone feature's edge in the darkest step of its own ramp
 *   (pixel-clusters.c).
 *
 * The chain's formulas (`geq`) cost 3.7 s of CPU on 3 s of 540p, more than the rest of
 * the look and a transcode together; here the steps cost a few milliseconds a frame.
 *
 * Params: [0] intensity k (default 1), [1] 1 for a black-and-white source (its own warm ramp).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../marks.h"
#include "pixel-clusters.h"
#include "pixel-palette.h"
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

typedef struct {
  int w, h;
  float *past[3];   /* the steadied planes of the last frame */
  float *plane[3];  /* Y, Cb, Cr of this frame */
  float *tmp[3];
  int16_t *held;    /* each cell's palette entry: this frame's once mapped, the last frame's until then */
  int16_t *cleaned, *outlined;
  uint8_t *edges;
} pixel_state;

void marks_pixel_cells_free(void *state) {
  pixel_state *s = state;
  if (!s) return;
  for (int c = 0; c < 3; c++) { free(s->past[c]); free(s->plane[c]); free(s->tmp[c]); }
  free(s->held); free(s->cleaned); free(s->outlined); free(s->edges);
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
  ok &= (s->held = malloc(n * sizeof(int16_t))) != NULL;
  ok &= (s->cleaned = malloc(n * sizeof(int16_t))) != NULL;
  ok &= (s->outlined = malloc(n * sizeof(int16_t))) != NULL;
  ok &= (s->edges = malloc(n)) != NULL;
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

/*
 * A pixel artist picks a region's ramp by its material and a cell's step on it by the
 * light: so each cell's colour (its hue and chroma, OKLab a and b) is taken as the mean
 * of the cells around it (3×3) that are about as light (weighted down to nothing at
 * MATERIAL_NEAR of lightness apart, so the colour does not bleed across an edge), and
 * its lightness as its own. On the cells' own colours a face or a head of hair mottled
 * between the skin, brown and grey ramps from cell to cell. A neighbour of another colour
 * (MATERIAL_HUE apart in a and b) is another material, not mottling: a cat's yellow iris
 * in its orange fur, a pink nose, a red lip keep their own colour.
 */
#define MATERIAL_NEAR 0.2f
#define MATERIAL_HUE 0.06f
#define MATERIAL_RADIUS 1

/*
 * A face's features drawn as a pixel artist draws them, darker than the photograph has
 * them: on skin (the cells around of a skin's hue, OKLab 20 to 80 degrees, chroma 0.03 to
 * 0.2), a cell FEATURE_FROM or more darker than the mean of the eight around (an eye, a
 * brow, a nostril, a mouth's line) is darkened FEATURE_GAIN times as far again, so it
 * lands steps down the skin ramp or on the deep browns rather than one step from the
 * cheek (the palette's five skin steps left a face "nearly blank"). Lightness into
 * tmp[0]; elsewhere as it was.
 */
#define FEATURE_FROM 0.015f
#define FEATURE_GAIN 5.0f
/*
 * At most FEATURE_COMPANY cells within FEATURE_NEAR of its lightness on the ring two cells
 * out, and the rest of that ring even: their mean distance from their mean under
 * FEATURE_EVEN. Skin around an eye is smooth; a rabbit's brown fur or a straw-strewn
 * ground of a skin's hue is not, and darkening its dark gaps printed them as stray cells
 * (6.5 % of the cells of the rabbit clip unlike all eight neighbours, 4.0 % with the
 * ground's evenness asked).
 */
#define FEATURE_COMPANY 3
#define FEATURE_NEAR 0.03f
#define FEATURE_EVEN 0.025f
/* How much an OKLab hue (degrees) is a skin's: 20 to 80, faded over 8 either side. */
static inline float skin_hue(float hue) { return unit((hue - 20) / 8) * unit((80 - hue) / 8); }

static void deepen_features(pixel_state *s) {
  const int w = s->w, h = s->h;
  const float *L = s->plane[0], *A = s->tmp[1], *B = s->tmp[2];
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const int i = y * w + x;
      float sum = 0, sa = 0, sb = 0;
      int n = 0;
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
          const int nx = x + dx, ny = y + dy;
          if ((!dx && !dy) || nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const int j = ny * w + nx;
          sum += L[j]; sa += A[j]; sb += B[j]; n++;
        }
      const float a = sa / n, b = sb / n, chroma = hypotf(a, b), hue = atan2f(b, a) * 57.29578f;
      const float skin = unit((chroma - 0.03f) / 0.01f) * unit((0.2f - chroma) / 0.02f) * skin_hue(hue);
      const float depth = sum / n - L[i] - FEATURE_FROM;
      if (depth <= 0 || skin <= 0) { s->tmp[0][i] = L[i]; continue; }
      /* A feature stands alone: an eye has a brow or the other eye near it; a dark gap of
         fur or bark of a skin's hue lies among others as dark on the ring two cells out. */
      int company = 0, rn = 0;
      float ring[16]; /* the ring's cells lighter than that: its ground */
      for (int dy = -2; dy <= 2; dy++)
        for (int dx = -2; dx <= 2; dx++) {
          const int nx = x + dx, ny = y + dy;
          if ((abs(dx) < 2 && abs(dy) < 2) || nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const float v = L[ny * w + nx];
          if (v <= L[i] + FEATURE_NEAR) company++; else ring[rn++] = v;
        }
      float mean = 0, spread = 0;
      for (int r = 0; r < rn; r++) mean += ring[r];
      mean /= rn > 0 ? rn : 1;
      for (int r = 0; r < rn; r++) spread += fabsf(ring[r] - mean);
      spread /= rn > 0 ? rn : 1;
      s->tmp[0][i] = company <= FEATURE_COMPANY && spread < FEATURE_EVEN ? L[i] - skin * FEATURE_GAIN * depth : L[i];
    }
}

/*
 * Each cell's nearest palette entry: its colour (video-range BT.601, as FFmpeg converts,
 * not rounded) in OKLab, its hue and chroma its material's, held to last frame's entry
 * unless another is clearly nearer. On a skin's hue (OKLab 20 to 80 degrees) the chroma is
 * matched at SKIN_CHROMA of what the saturation boost made it: at its full chroma an
 * animated character's face printed as "an orange mask" on the oranges' ramp, its
 * shading and features lost; at 0.8 it keeps steps of the skin ramp. Other hues keep
 * their boost (greens, blues, a yellow iris).
 */
#define SKIN_CHROMA 0.8f
static void to_palette(pixel_state *s, const pixel_palette *p, long frame) {
  const int w = s->w, h = s->h;
  float *L = s->plane[0], *A = s->plane[1], *B = s->plane[2];
  for (int i = 0; i < w * h; i++) {
    float rgb[3];
    pixel_video_rgb(L[i], A[i], B[i], rgb);
    pixel_oklab(rgb[0], rgb[1], rgb[2], &L[i], &A[i], &B[i]);
  }
  const float near2 = 1.0f / (MATERIAL_NEAR * MATERIAL_NEAR), hue2 = 1.0f / (MATERIAL_HUE * MATERIAL_HUE);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const int i = y * w + x;
      float sa = 0, sb = 0, sw = 0;
      for (int dy = -MATERIAL_RADIUS; dy <= MATERIAL_RADIUS; dy++) {
        const int ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (int dx = -MATERIAL_RADIUS; dx <= MATERIAL_RADIUS; dx++) {
          const int nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const int j = ny * w + nx;
          const float d = L[j] - L[i], da = A[j] - A[i], db = B[j] - B[i];
          const float wt = (1.0f - d * d * near2) * (1.0f - (da * da + db * db) * hue2);
          if (wt > 0 && d * d * near2 < 1) { sa += wt * A[j]; sb += wt * B[j]; sw += wt; }
        }
      }
      s->tmp[1][i] = sa / sw;
      s->tmp[2][i] = sb / sw;
    }
  deepen_features(s);
  for (int i = 0; i < w * h; i++) {
    const float hue = atan2f(s->tmp[2][i], s->tmp[1][i]) * 57.29578f;
    const float f = 1 - (1 - SKIN_CHROMA) * skin_hue(hue);
    s->held[i] = (int16_t)pixel_palette_nearest(p, s->tmp[0][i], f * s->tmp[1][i], f * s->tmp[2][i], frame > 0 ? s->held[i] : -1);
  }
}

int marks_pixel_cells(const marks_frame *f) {
  pixel_state *s = state_for(f);
  if (!s) return 0;
  const float k = marks_param(f, 0, 1), c = fminf(k, 1);
  const pixel_palette *p = pixel_palette_for(marks_param(f, 1, 0) > 0.5f);
  to_yuv(f->in, s);
  const double contrast = round((1.05 + 0.1 * k) * 1000) / 1000, saturation = round((1.4 + 0.5 * k) * 1000) / 1000;
  const size_t n = (size_t)s->w * s->h;
  for (size_t i = 0; i < n; i++) {
    s->plane[0][i] = eq_level(s->plane[0][i], contrast);
    // `eq` stretches about 127, so a grey's colour differences come out a level off
    // neutral, toward green; the lift below stretches that further, and black printed
    // as a dark green. Put back about 128.
    for (int ch = 1; ch < 3; ch++) s->plane[ch][i] = eq_level(s->plane[ch][i], saturation) + 1;
  }
  steady(s, f->frame);
  dodge(s, k);
  shade(s, three(0.25f + 0.15f * c));
  warm_tint(s);
  to_palette(s, p, f->frame);
  pixel_clean(p, s->held, s->cleaned, s->w, s->h);
  pixel_outline(p, s->cleaned, s->outlined, s->edges, s->w, s->h, c);
  for (size_t i = 0; i < n; i++) memcpy(f->out + 3 * i, p->entries[s->outlined[i]].rgb, 3);
  return 1;
}
