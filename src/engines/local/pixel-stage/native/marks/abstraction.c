/*
 * Texture removed, structure kept (abstraction.h), by rolling guidance (Zhang, Shen, Xu,
 * Jia, Rolling Guidance Filter, ECCV 2014) with the guided filter (He, Sun, Tang, Guided
 * Image Filtering, ECCV 2010) as its joint filter:
 *
 * 1. The luma blurred by a Gaussian of the scale: texture and the small structure go,
 *    and the large edges go soft.
 * 2. Rounds of the guided filter of the frame's own luma, guided by the last round's
 *    result: where the guide is flat (the texture's place) the output is the frame's
 *    local mean; where the guide has an edge, the frame's edge comes back, sharp. The
 *    large edges are recovered round by round; what the blur took does not return.
 * 3. The colour: each channel's difference from the luma, smoothed by the same box,
 *    added back.
 *
 * All of it runs on the frame halved (a quarter of the pixels; the scale and the box
 * radius of 1.5 scales halved with it), and so do the wide measures of where to apply it;
 * the result is spread back to full size and blended into the frame there. Watercolor
 * paints its washes at half size anyway; a kernel that paints at the frame's own
 * resolution would show the halved edges as blur (oil's strokes did: "soft focus, like a
 * shaken photo", docs/looks.md). Every plane is float, 0..1.
 */
#include <math.h>
#include <stdlib.h>
#include "abstraction.h"
#include "brush.h"
#include "flow-lines.h"
#include "primitives.h"

#define ROUNDS 3
/* Variance of the guide (0..1 luma, squared) below which a window counts as flat: an 11-level deviation. */
#define FLAT 0.002f
/*
 * Texture is taken out where it is dense (fur, grass, gravel, foliage): where the
 * frame's finest detail (its luma less its blur of σ 1 pixel at 540 rows), averaged over
 * a window of σ DENSE_WINDOW, rises from DENSE_FROM to DENSE_TO. An isolated line (a
 * frame of glasses) and a plain surface stay under it: kept as they are.
 */
#define DENSE_WINDOW 10.0f
#define DENSE_FROM 0.012f
#define DENSE_TO 0.032f
/*
 * Skin is spared whatever its texture (a small face is dense detail too: its eyes, brows
 * and mouth within a few pixels), and a patch of another colour by SMOOTH_ANY where it is
 * smooth over a window of σ SMOOTH_WINDOW (a cartoon's blue face, a grey one).
 */
#define SMOOTH_WINDOW 2.0f
#define SMOOTH_ANY 0.5f
/* How far what is spared spreads (σ, pixels at 540 rows): over a face's eyes, brows and lips. */
#define SKIN_SPREAD 4.0f

void marks_abstraction_free(marks_abstraction *a) {
  free(a->planes);
  free(a->rgb);
  free(a->cols);
  a->planes = NULL; a->rgb = NULL; a->cols = NULL; a->w = a->h = 0;
}

/* The planes of one guided filter (He et al.) of w × h: the guide's mean and variance, the input's mean, the coefficients, box scratch. */
typedef struct {
  int w, h, r;
  float *mean_guide, *var_guide, *mean_p, *a, *b, *tmp;
} guided_planes;

/* Planes of `w` × `h` from `at` on (`tmp` of n + w), radius r; returns the float after them. */
static float *guided_planes_at(guided_planes *g, float *at, int w, int h, int r) {
  const size_t n = (size_t)w * h;
  *g = (guided_planes){ w, h, r < 1 ? 1 : r, at, at + n, at + 2 * n, at + 3 * n, at + 4 * n, at + 5 * n };
  return at + 6 * n + w;
}

static void box(const guided_planes *g, float *plane) { marks_box_blur(plane, g->w, g->h, g->r, g->tmp); }

/* box(guide) and box(guide²) − box(guide)², for the filters guided by it. */
static void guide_stats(const guided_planes *g, const float *guide) {
  const size_t n = (size_t)g->w * g->h;
  for (size_t i = 0; i < n; i++) { g->mean_guide[i] = guide[i]; g->var_guide[i] = guide[i] * guide[i]; }
  box(g, g->mean_guide);
  box(g, g->var_guide);
  for (size_t i = 0; i < n; i++) g->var_guide[i] = fmaxf(0, g->var_guide[i] - g->mean_guide[i] * g->mean_guide[i]);
}

/* `p` filtered by the guided filter with `guide` (whose stats guide_stats took) into `out`. */
static void guided(const guided_planes *g, const float *guide, const float *p, float *out) {
  const size_t n = (size_t)g->w * g->h;
  for (size_t i = 0; i < n; i++) { g->mean_p[i] = p[i]; g->a[i] = guide[i] * p[i]; }
  box(g, g->mean_p);
  box(g, g->a);
  for (size_t i = 0; i < n; i++) {
    const float cov = g->a[i] - g->mean_guide[i] * g->mean_p[i];
    g->a[i] = cov / (g->var_guide[i] + FLAT);
    g->b[i] = g->mean_p[i] - g->a[i] * g->mean_guide[i];
  }
  box(g, g->a);
  box(g, g->b);
  for (size_t i = 0; i < n; i++) out[i] = g->a[i] * guide[i] + g->b[i];
}

/*
 * Where to take the texture out (half size, 0..1, into `gate`): where it is dense, less
 * where the frame is a skin's colour or smooth (SMOOTH_ANY), spread onto the features
 * inside. `band` holds the halved finest detail; `rgb` the halved frame.
 */
static void gate_half(const float *band, const uint8_t *rgb, int hw, int hh, float unit, float *gate, float *spare, float *scratch, float *tmp) {
  const size_t m = (size_t)hw * hh;
  flow_lines_blur(band, hw, hh, 0.5 * DENSE_WINDOW * unit, gate, tmp);
  flow_lines_blur(band, hw, hh, 0.5 * SMOOTH_WINDOW * unit, scratch, tmp);
  for (size_t i = 0; i < m; i++) scratch[i] = fmaxf(marks_skin(rgb + 3 * i), SMOOTH_ANY * (1 - smoothstep(DENSE_FROM, DENSE_TO, scratch[i])));
  flow_lines_blur(scratch, hw, hh, 0.5 * SKIN_SPREAD * unit, spare, tmp);
  for (size_t i = 0; i < m; i++) gate[i] = smoothstep(DENSE_FROM, DENSE_TO, gate[i]) * (1 - smoothstep(0.1f, 0.4f, spare[i]));
}

/* The half-size planes besides the guided filter's. */
#define HALF_PLANES 7

/*
 * The halved finest detail at 540 rows (the luma less its blur of σ 1 there, halved)
 * stands for, from the halved luma less its blur of σ ½ pixel: the one's ratio to the
 * other, fitted on nine clips at 360, 540 and 720 rows (1.14, 1.77, 2.12).
 */
static float detail_gain(float unit) {
  const float k = 1.9f * unit - 0.13f;
  return k < 0.5f ? 0.5f : k > 2.2f ? 2.2f : k;
}

/*
 * The result spread back to full size and blended into the frame where the gate says:
 * its luma (`luma`) plus each channel's difference from it (`colour`), all half size.
 */
static void blend_back(const marks_abstraction *a, const uint8_t *in, const float *const colour[3], const float *luma, const float *gate, int hw, int hh) {
  const int w = a->w, h = a->h;
  for (int y = 0; y < h; y++) {
    float gy = (y + 0.5f) * 0.5f - 0.5f;
    gy = gy < 0 ? 0 : gy > hh - 1 ? hh - 1 : gy;
    const int r0 = (int)gy, r1 = r0 + 1 < hh ? r0 + 1 : r0;
    const float ty = gy - r0;
    const size_t above = (size_t)r0 * hw, below = (size_t)r1 * hw;
    for (int x = 0; x < w; x++) {
      const int l = a->cols[x], r = l + a->step[x];
      const float tx = a->frac[x];
      const float w00 = (1 - tx) * (1 - ty), w01 = tx * (1 - ty), w10 = (1 - tx) * ty, w11 = tx * ty;
#define SPREAD(p) (w00 * (p)[above + l] + w01 * (p)[above + r] + w10 * (p)[below + l] + w11 * (p)[below + r])
      const float g = SPREAD(gate);
      const size_t i = (size_t)y * w + x;
      const uint8_t *src = in + 3 * i;
      uint8_t *dst = a->rgb + 3 * i;
      if (g < 1.0f / 512) { dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]; continue; }
      const float value = SPREAD(luma);
      for (int c = 0; c < 3; c++) {
        const float o = src[c] + g * (255.0f * (value + SPREAD(colour[c])) - src[c]) + 0.5f;
        dst[c] = o <= 0 ? 0 : o >= 255 ? 255 : (uint8_t)o;
      }
#undef SPREAD
    }
  }
}

const uint8_t *marks_abstract(marks_abstraction *a, const uint8_t *in, int w, int h, float scale) {
  const int hw = (w + 1) / 2, hh = (h + 1) / 2;
  const size_t m = (size_t)hw * hh;
  if (a->w != w || a->h != h || !a->planes) {
    marks_abstraction_free(a);
    /* The guided filter's planes take 6m + hw. */
    a->planes = malloc(((HALF_PLANES + 6) * m + hw) * sizeof(float));
    a->rgb = malloc((size_t)w * h * 3 + m * 3);
    a->cols = marks_double_columns(w, hw, &a->step, &a->frac);
    if (!a->planes || !a->rgb || !a->cols) { marks_abstraction_free(a); return NULL; }
    a->w = w; a->h = h;
  }
  const float unit = (float)(w < h ? w : h) / 540.0f;
  guided_planes half;
  float *lh = guided_planes_at(&half, a->planes, hw, hh, (int)lroundf(0.75f * scale));
  float *gh = lh + m, *next = gh + m, *band = next + m, *gate = band + m, *spare = gate + m, *scratch = spare + m;
  uint8_t *rgb_h = a->rgb + (size_t)w * h * 3;
  marks_halve(in, w, h, rgb_h);
  for (size_t i = 0; i < m; i++) lh[i] = brush_luma(rgb_h + 3 * i);
  /* The finest detail (detail_gain) and where to apply the abstraction. */
  flow_lines_blur(lh, hw, hh, 0.5, band, half.tmp);
  const float gain = detail_gain(unit);
  for (size_t i = 0; i < m; i++) band[i] = gain * fabsf(lh[i] - band[i]);
  gate_half(band, rgb_h, hw, hh, unit, gate, spare, scratch, half.tmp);
  /* Rolling guidance on the halved luma. */
  flow_lines_blur(lh, hw, hh, 0.5 * scale, gh, half.tmp);
  for (int round = 0; round < ROUNDS; round++) {
    guide_stats(&half, gh);
    guided(&half, gh, lh, next);
    float *t = gh; gh = next; next = t;
  }
  /* The colour: each channel's difference from the luma, smoothed. */
  float *colour[3] = { next, band, spare };
  for (int c = 0; c < 3; c++) {
    for (size_t i = 0; i < m; i++) colour[c][i] = rgb_h[3 * i + c] / 255.0f - lh[i];
    box(&half, colour[c]);
  }
  blend_back(a, in, (const float *const *)colour, gh, gate, hw, hh);
  return a->rgb;
}

int marks_abstract_frame(marks_abstraction *a, const marks_frame *frame, float texture, marks_frame *out) {
  const int w = frame->width, h = frame->height;
  *out = *frame;
  out->in = marks_abstract(a, frame->in, w, h, texture * (float)(w < h ? w : h) / 540.0f);
  return out->in != NULL;
}
