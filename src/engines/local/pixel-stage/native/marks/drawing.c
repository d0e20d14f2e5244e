/*
 * drawing: pencil and charcoal after Lu, Xu and Jia, Combining Sketch and Tone for
 * Pencil Drawing Production (NPAR 2012). Two layers multiplied on paper:
 *
 * - strokes: the luma's gradient magnitude, less the local level of texture and noise
 *   (only edges that stand out of their surroundings are drawn), convolved along the
 *   edge direction (the field of directions, flow.c), so contours run along the edges;
 * - tone: the shot's tones matched to the medium's distribution (drawing-tone.h: mostly
 *   white paper for pencil, a heavy dark share for charcoal), then laid as hatching
 *   (hatching.h) raised to the power β = ln J / ln H̄ so that its mean is the target tone
 *   J: darker tones get denser, heavier strokes. The strokes run along the form where
 *   the form has a clear direction and enough contrast to trust it, else along the
 *   hand's slant; a slow noise bends them and varies their length and pressure; darker
 *   tones add a second layer at an oblique angle. Fine features (eyes, nostrils, mouths)
 *   are laid as smooth tone with their small darks drawn in as accents. The strokes move
 *   with the picture (advected texture coordinates), so they neither boil nor swim, and
 *   start afresh at a cut;
 * - paper: a tooth fixed to the frame. Pencil's graphite catches on it over the tone;
 *   charcoal (charcoal_prepare, charcoal_rows) is drawn on cream paper: its tone massed
 *   into soft gradations (a hint of a few values, rubbed by a finger between the masses
 *   away from features), by the side of the stick in strokes that are long over open
 *   masses and short near features, with bold contours on the dark side and firm accents
 *   on the features' dark side, and the charcoal caught on the tooth's peaks in every
 *   grey and dark.
 *
 * Params: [0] strength 0..1, [1] stroke length (pixels each way), [2] dot size (pixels),
 * [3] dot density 0..1, [4] tone model 0..1 (how far the shot's tones move to the
 * medium's distribution), [5] darkest value 0..1 (the graphite or charcoal black),
 * [6] smudge radius (pixels, a blur of the tone, and of the strokes unless [19] > 0; charcoal
 * masses its tone instead), [7] contour gain, [8] paper tooth
 * amount, [9] layering 0..1 (the second, oblique layer in the darks), [10] hatching reach
 * (tone below which strokes are laid; above it only paper and smooth tone), [11] accent
 * gain (charcoal: the share of the paper's light its accents take, 0..1), then the medium's tone distribution (drawing-tone.h): [12] paper share, [13] dark
 * share, [14] mid band low, [15] mid band high, [16] dark mean; [17] the strokes' contrast
 * in the light tones 0..1 (a light hand), [18] their contrast in the mid tones and darks
 * 0..1 (a soft stick leaves softer marks; charcoal: how much the strokes press darker
 * along themselves), [19] charcoal's grain size in pixels (0: pencil; above 0 the tone is
 * drawn as charcoal, see charcoal_rows).
 * Dots of 3 pixels and more are drawn at half size.
 */
/*
 * No floating-point operation here is expected to trap (none is checked for): GCC may
 * then evaluate both sides of a test and keep one, which lets the per-pixel loops run
 * several pixels per instruction. The figures are the same either way.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../pixel-stage.h"
#include "drawing-tone.h"
#include "hatching.h"
#include "primitives.h"
#include "value-noise.h"

#define PI_F 3.14159265f
/* Share of a shot's histogram that each frame renews: the tone follows a slow change, not a passing object. */
#define HIST_RENEW 0.05
/* Dot size (pixels) from which the strokes are broad and soft enough to draw at half size. */
#define HALF_DOTS 3.0f
/*
 * Charcoal: how much of its tone is laid in its four massed values (the rest keeps the
 * modelling: a blind panel called three quarters posterised), the darkest value, and the
 * weight of its contours' bold band.
 */
#define CHARCOAL_STEPS_SHARE 0.3f
#define CHARCOAL_FLOOR 0.2f
#define CHARCOAL_BOLD 4.0f
/* Charcoal: the span of its masses (a share of the frame's height: the guided filter's window), and the tone variance a mass flattens. */
#define CHARCOAL_MASS_SPAN 54
#define CHARCOAL_FLAT 0.006f
/* Charcoal: how much shorter and softer its strokes are near features, and how far a finger blends its patches toward the wide masses. */
#define CHARCOAL_SHORT 0.45f
#define CHARCOAL_NEAR_SOFT 0.93f
#define CHARCOAL_BLEND 0.6f
/* Charcoal: the radius of the finger's rub that softens the steps between masses (two box blurs, pixels by frame height). */
#define CHARCOAL_RUB(h) ((h) / 120 > 1 ? (h) / 120 : 1)
/* Charcoal: the depth of the features' dark side (tone) where an accent starts and where it is pressed in full. */
#define CHARCOAL_ACCENT_FROM 0.03f
#define CHARCOAL_ACCENT_FULL 0.1f
/* Charcoal: entries of its per-frame table of values by tone. */
#define CHARCOAL_STEPS 1024
/* Charcoal: the faint stroke a light hand leaves in the lights, and the bare paper's own grain (share of its light). */
#define CHARCOAL_LIGHT_TOUCH 0.12f
#define CHARCOAL_PAPER_GRAIN 0.035f
/*
 * Charcoal on a face (skin where features are near): how much of the stick's strokes and
 * of the tooth's speckle it loses (a face is modelled in blended tonal planes, a stump's
 * work), and how much firmer its features' dark accents are pressed.
 */
#define CHARCOAL_FACE_STROKES 0.85f
#define CHARCOAL_FACE_TOOTH 0.75f
#define CHARCOAL_FACE_ACCENT 0.25f
/* Charcoal: the share of a frame with skin's colour above which it is taken for warm light (no face is drawn softer). */
#define CHARCOAL_WARM_FRAME 0.5f
/* Charcoal: the cream paper, and what the stick's black adds to the darkest value, RGB 0..1. */
static const float CHARCOAL_PAPER[3] = { 0.95f, 0.925f, 0.875f };
static const float CHARCOAL_INK[3] = { 0.07f, 0.065f, 0.07f };

typedef struct {
  int width, height;
  marks_advection adv;
  hatch_dots dots1, dots2;
  float *planes;   /* all the float planes below, in one allocation */
  float *luma, *tone, *angle, *coherence, *ws, *hx, *hy, *cx, *cy, *tx, *ty, *seeds, *lic1, *lic2, *grad, *lines, *feature, *busy, *steer, *energy, *len1, *len2, *tooth_fine, *tooth_coarse, *target, *heights, *smear, *grain;
  float mean1, mean2, tooth_size, grain_size;
  double hist[TONE_BINS];
  float lut[TONE_BINS];
  float value[CHARCOAL_STEPS + 1], stroke[CHARCOAL_STEPS + 1], laid[CHARCOAL_STEPS + 1];  /* charcoal_values */
} drawing_state;

static void release(drawing_state *s) {
  if (!s) return;
  marks_advection_free(&s->adv);
  hatch_dots_free(&s->dots1); hatch_dots_free(&s->dots2);
  free(s->planes);
  free(s);
}

void marks_drawing_free(void *state) { release(state); }

static drawing_state *state_for(const marks_frame *f) {
  drawing_state *s = *f->state;
  if (s && s->width == f->width && s->height == f->height) return s;
  release(s);
  *f->state = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->width = f->width; s->height = f->height;
  s->tooth_size = -1; s->grain_size = -1;
  const size_t n = (size_t)f->width * f->height;
  s->planes = malloc(n * (27 + PS_FLOW_WORKSPACE(1)) * sizeof(float));
  if (!s->planes || !marks_advection_init(&s->adv, f->width, f->height)) { release(s); return NULL; }
  float *p = s->planes;
  float **named[] = { &s->luma, &s->tone, &s->angle, &s->coherence, &s->hx, &s->hy, &s->cx, &s->cy, &s->tx, &s->ty, &s->seeds, &s->lic1, &s->lic2, &s->grad, &s->lines, &s->feature, &s->busy, &s->steer, &s->energy, &s->len1, &s->len2, &s->tooth_fine, &s->tooth_coarse, &s->target, &s->heights, &s->smear, &s->grain };
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++, p += n) *named[i] = p;
  s->ws = p;
  *f->state = s;
  return s;
}

/*
 * The field of directions at quarter size (σ 2 there, 8 pixels here), spread back to every
 * pixel: the hatching needs the form's broad direction, and a sixteenth of the pixels
 * with a smaller blur costs about a thirtieth.
 */
static int coarse_flow(const marks_frame *f, drawing_state *s) {
  const int w = f->width, h = f->height, qw = w / 4 > 0 ? w / 4 : 1, qh = h / 4 > 0 ? h / 4 : 1;
  const int sx = w / 4 > 0 ? 4 : 1, sy = h / 4 > 0 ? 4 : 1;
  const size_t qn = (size_t)qw * qh;
  /* Workspace: the flow's own 6qn floats, its two planes, then the quarter frame (3qn bytes). */
  float *angle = s->ws + 6 * qn, *coherence = s->ws + 7 * qn;
  uint8_t *quarter = (uint8_t *)(s->ws + 8 * qn);
  for (int y = 0; y < qh; y++) for (int x = 0; x < qw; x++) for (int c = 0; c < 3; c++) {
    unsigned sum = 0;
    for (int j = 0; j < sy; j++) for (int i = 0; i < sx; i++) sum += f->in[((size_t)(sy * y + j) * w + sx * x + i) * 3 + c];
    quarter[((size_t)y * qw + x) * 3 + c] = (uint8_t)((sum + (unsigned)(sx * sy) / 2) / (unsigned)(sx * sy));
  }
  if (!ps_flow_field(quarter, qw, qh, 2, s->ws, angle, coherence)) return 0;
  for (int y = 0; y < h; y++) {
    const float *a = angle + (size_t)(y / sy < qh ? y / sy : qh - 1) * qw, *c = coherence + (a - angle);
    float *to_a = s->angle + (size_t)y * w, *to_c = s->coherence + (size_t)y * w;
    /* Each quarter column spread over its sx columns, the last over any the quarter frame leaves (no division per pixel). */
    int x = 0;
    for (int q = 0; q < qw; q++) for (int i = 0; i < sx; i++, x++) { to_a[x] = a[q]; to_c[x] = c[q]; }
    for (; x < w; x++) { to_a[x] = a[qw - 1]; to_c[x] = c[qw - 1]; }
  }
  return 1;
}

typedef struct {
  const marks_frame *f;
  drawing_state *s;
  float strength, size, mix, black, contour, tooth, layering, reach, accent, length, hand, weight, gain, grain;
} job;

/*
 * log2 and 2^y for the tone's power law, per pixel: the libm calls were a tenth of the
 * kernel. Within 1e-5 of them over the range used (x in 0.02..1, y ≤ 0), far below a
 * level of 8-bit output.
 */
static inline float fast_log2(float x) {
  union { float f; uint32_t i; } v = { x };
  const int e = (int)((v.i >> 23) & 255) - 127;
  v.i = (v.i & 0x7fffffu) | 0x3f800000u;
  /* log2 of the mantissa m in [1, 2): 2/ln 2 · atanh((m − 1)/(m + 1)), four terms. */
  const float t = (v.f - 1) / (v.f + 1), t2 = t * t;
  return (float)e + 2.88539008f * t * (1 + t2 * (0.333333333f + t2 * (0.2f + t2 * 0.142857143f)));
}

static inline float fast_exp2(float y) {
  /* floorf without a call or a branch (truncation, one less below zero), y held in range for it; 0 below 2^−126. */
  const float in = y < -127 ? -127 : y;
  int whole = (int)in;
  whole -= in < (float)whole;
  const float f = in - (float)whole;
  /* 2^f on [0, 1): a degree-5 polynomial (Taylor in f ln 2, refitted). */
  const float p = 1 + f * (0.693147182f + f * (0.240226507f + f * (0.0555041087f + f * (0.00961812911f + f * 0.00133335581f))));
  union { float f; uint32_t i; } v = { p };
  v.i += (uint32_t)whole << 23;
  return y < -126 ? 0 : v.f;
}

/*
 * Edges at x of one row, l and r its neighbours (x itself at the frame's side): the
 * largest of the tone's gradient and each colour's (at 0.45 of its weight), compared
 * squared, one root. `up`, `row`, `down` are the tone's rows, `above`, `at`, `below` the
 * frame's (RGB).
 */
static inline float edge_at(const float *up, const float *row, const float *down, const uint8_t *above, const uint8_t *at, const uint8_t *below, int x, int l, int r) {
  const float gx = row[r] - row[l], gy = down[x] - up[x];
  float edge2 = gx * gx + gy * gy;
  for (int c = 0; c < 3; c++) {
    const float cx = (at[r * 3 + c] - at[l * 3 + c]) / 255.0f, cy = (below[x * 3 + c] - above[x * 3 + c]) / 255.0f;
    const float ce2 = 0.2025f * (cx * cx + cy * cy);
    if (ce2 > edge2) edge2 = ce2;
  }
  return sqrtf(edge2);
}

/* One row; the inner pixels without clamping, in a loop that runs several pixels per instruction. */
PS_CLONES static void gradient_row(const float *restrict up, const float *restrict row, const float *restrict down, const uint8_t *restrict above, const uint8_t *restrict at, const uint8_t *restrict below, int w, float *restrict out) {
  out[0] = edge_at(up, row, down, above, at, below, 0, 0, w > 1 ? 1 : 0);
  for (int x = 1; x < w - 1; x++) out[x] = edge_at(up, row, down, above, at, below, x, x - 1, x + 1);
  if (w > 1) out[w - 1] = edge_at(up, row, down, above, at, below, w - 1, w - 2, w - 1);
}

/* Edges: the gradient of the tone (or of a colour, where two colours share a luma), before any threshold. */
static void gradient_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  drawing_state *s = j->s;
  const int w = s->width, h = s->height;
  const uint8_t *in = j->f->in;
  for (int y = y0; y < y1; y++) {
    const size_t at = (size_t)y * w, above = (size_t)(y > 0 ? y - 1 : 0) * w, below = (size_t)(y < h - 1 ? y + 1 : y) * w;
    gradient_row(s->tone + above, s->tone + at, s->tone + below, in + 3 * above, in + 3 * at, in + 3 * below, w, s->grad + at);
  }
}

/*
 * Directions and lengths of the two layers. The form steers the first only where the
 * field is coherent and the local contrast is clear of noise: in a flat area (a dark
 * backdrop, a clear sky) the field follows grain and compression blocks, and strokes laid
 * along it would show them as a grid or as streaks. There the hand's slant takes over.
 * A slow noise carried with the picture bends each layer a little and varies its length.
 */
static void direction_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  drawing_state *s = j->s;
  const marks_advection *a = &s->adv;
  const int width = s->width, height = s->height;
  const float slant = -PI_F / 4, scale = 4 * j->length + 8;
  /* Every field here is smooth (the directions come from the quarter-size field): one value per 4×4 block. */
  for (int by = y0; by < y1; by++) for (int bx = 0; bx < (width + 3) / 4; bx++) {
    const size_t i = (size_t)(4 * by) * width + 4 * bx;
    const float t = s->angle[i], tx = cosf(t), ty = sinf(t);
    float w = smoothstep(0.45f, 0.9f, s->coherence[i]) * smoothstep(0.006f, 0.02f, s->energy[i]);
    /* Charcoal near features: strokes turn with even a faint form (the curve of a cheek). */
    if (j->grain > 0) { const float f = s->tooth_fine[(size_t)(2 * by) * ((width + 1) / 2) + 2 * bx] * smoothstep(0.15f, 0.45f, s->coherence[i]); w = w > f ? w : f; }
    const float bend = 0.7f * (1 - 0.6f * w);
    const float hand = 2 * (slant + bend * (hatch_noise(a, i, scale, 11) - 0.5f));
    /* The two directions blended as doubled angles (a direction and its opposite are one), then halved. */
    const float vx = w * (tx * tx - ty * ty) + (1 - w) * cosf(hand), vy = w * 2 * tx * ty + (1 - w) * sinf(hand);
    const float r = sqrtf(vx * vx + vy * vy), c2 = r > 1e-6f ? vx / r : 1;
    const float hx = sqrtf(0.5f * (1 + c2) > 0 ? 0.5f * (1 + c2) : 0), hy = copysignf(sqrtf(0.5f * (1 - c2) > 0 ? 0.5f * (1 - c2) : 0), vy);
    /* The second layer crosses at an oblique angle that wanders on its own, never a fixed right angle. */
    /* Not drawn without layering (charcoal's side strokes do not cross): not worked out either. */
    const int second = j->layering > 0;
    const float turn = second ? 1.05f + 0.6f * (hatch_noise(a, i, scale * 1.3f, 23) - 0.5f) : 0, ct = cosf(turn), st = sinf(turn);
    /* Charcoal's strokes are short near features (a face, a hand), long over open masses. */
    const float near = j->grain > 0 ? 1 - CHARCOAL_SHORT * s->tooth_fine[(size_t)(2 * by) * ((width + 1) / 2) + 2 * bx] : 1;
    const float len1 = j->length * near * (0.5f + 0.9f * hatch_noise(a, i, scale * 0.6f, 37)) * (0.8f + 0.4f * w);
    const float len2 = second ? j->length * (0.4f + 0.7f * hatch_noise(a, i, scale * 0.6f, 41)) : 0;
    /* Charcoal: patches a finger has blended, carried with the picture. */
    const float smear = j->grain > 0 ? smoothstep(0.3f, 0.9f, hatch_noise(a, i, scale * 1.6f, 53)) : 0;
    /* Charcoal: stretches where a contour in the light is lost. */
    const float lost = j->grain > 0 ? smoothstep(0.4f, 0.65f, hatch_noise(a, i, scale * 0.5f, 61)) : 0;
    for (int dy = 0; dy < 4 && 4 * by + dy < height; dy++) for (int dx = 0; dx < 4 && 4 * bx + dx < width; dx++) {
      const size_t p = i + (size_t)dy * width + dx;
      s->hx[p] = hx; s->hy[p] = hy;
      s->cx[p] = hx * ct - hy * st; s->cy[p] = hy * ct + hx * st;
      s->tx[p] = tx; s->ty[p] = ty;
      s->steer[p] = w; s->len1[p] = len1; s->len2[p] = len2;
      s->smear[p] = smear; s->grain[p] = lost;
    }
  }
}

static float texture_mean(const float *lic, size_t n, float gain) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) { const float h = 1 - gain * lic[i]; sum += h < 0.02f ? 0.02f : h; }
  return (float)(sum / n);
}

/*
 * Broad strokes (dots of HALF_DOTS pixels and more: a stick of charcoal) at half size,
 * spread back bilinearly: soft marks several pixels wide look the same, for a quarter of
 * the work. The half-size planes live in the workspace, free at this point.
 */
static int hatch_half(drawing_state *s, const job *j, const float *mask) {
  const int w = s->width, h = s->height, hw = (w + 1) / 2, hh = (h + 1) / 2;
  const size_t hn = (size_t)hw * hh;
  float *p = s->ws;
  float *u = p, *v = p + hn, *seeds = p + 2 * hn, *dx = p + 3 * hn, *dy = p + 4 * hn, *len = p + 5 * hn, *half_mask = p + 6 * hn, *lic = p + 7 * hn;
  marks_advection half = s->adv;
  half.width = hw; half.height = hh; half.u = u; half.v = v;
  for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) {
    const size_t k = (size_t)y * hw + x, i = (size_t)(2 * y) * w + 2 * x;
    u[k] = 0.5f * s->adv.u[i]; v[k] = 0.5f * s->adv.v[i];
    /* A half pixel is wanted where any of its four is. */
    float m = s->target[i];
    if (2 * x + 1 < w && s->target[i + 1] < m) m = s->target[i + 1];
    if (2 * y + 1 < h && s->target[i + w] < m) m = s->target[i + w];
    if (2 * x + 1 < w && 2 * y + 1 < h && s->target[i + w + 1] < m) m = s->target[i + w + 1];
    half_mask[k] = m;
  }
  /* Each column's pair of half-size columns and weight, the same for every row and layer. */
  int *step;
  float *frac;
  int *cols = marks_double_columns(w, hw, &step, &frac);
  if (!cols) return 0;
  /* Without layering (charcoal's side strokes do not cross) the second layer is not drawn. */
  if (j->layering <= 0) memset(s->lic2, 0, (size_t)w * h * sizeof(float));
  for (int layer = 0; layer < (j->layering > 0 ? 2 : 1); layer++) {
    const float *fx = layer ? s->cx : s->hx, *fy = layer ? s->cy : s->hy, *fl = layer ? s->len2 : s->len1;
    for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) {
      const size_t k = (size_t)y * hw + x, i = (size_t)(2 * y) * w + 2 * x;
      dx[k] = fx[i]; dy[k] = fy[i]; len[k] = 0.5f * fl[i];
    }
    hatch_seeds(&half, layer ? &s->dots2 : &s->dots1, seeds);
    const float *m = mask ? half_mask : NULL;
    hatch_lic(seeds, dx, dy, len, m, layer ? 0.6f : j->reach, hw, hh, lic);
    float *out = layer ? s->lic2 : s->lic1;
    marks_double_plane(lic, hw, hh, w, h, cols, step, frac, out);
  }
  free(cols);
  return 1;
}

/*
 * What the contours and the small darks of features (a band of the luma at their scale)
 * leave of the paper's light, 0..1: pencil and charcoal draw them the same way.
 */
static inline float line_shade(float contour, float line, float accent, float feature) {
  const float S = (1 - contour * line) * (1 + accent * (feature < 0 ? feature : 0));
  return S < 0 ? 0 : S;
}

/* The target tone: the shot's tone moved toward the medium's distribution. */
static void target_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  const drawing_state *s = j->s;
  const float *restrict tone = s->tone, *restrict lut = s->lut;
  float *restrict target = s->target;
  const float mix = j->mix;
  for (size_t i = (size_t)y0 * s->width, end = (size_t)y1 * s->width; i < end; i++) {
    const float J = tone[i] + mix * (tone_lookup(lut, tone[i]) - tone[i]);
    target[i] = J < 0.02f ? 0.02f : J > 0.995f ? 0.995f : J;
  }
}

/*
 * Without branches (the strokes' tone worked out everywhere, kept where they are laid)
 * and the grey written once per pixel, then spread to RGB: the loop runs several pixels
 * per instruction.
 */
static void compose_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  const drawing_state *s = j->s;
  /*
   * Every setting and plane in locals: the output is bytes, which may alias anything, so
   * read through j and s each store would make the compiler load them all again.
   */
  const float ln1 = log2f(s->mean1), ln12 = log2f(s->mean1 * s->mean2);
  const float gain = j->gain, reach = j->reach, tooth = j->tooth, layering = j->layering;
  const float weight = j->weight, hand = j->hand, contour = j->contour, accent = j->accent, strength = j->strength;
  const float black = j->black;
  const float *restrict target = s->target, *restrict lic1 = s->lic1, *restrict lic2 = s->lic2, *restrict busy = s->busy;
  const float *restrict steer = s->steer, *restrict tooth_fine = s->tooth_fine, *restrict tooth_coarse = s->tooth_coarse;
  const float *restrict lines = s->lines, *restrict features = s->feature;
  uint8_t *restrict out = j->f->out;
  const int width = s->width;
  /* The row's greys, before they are spread to RGB. */
  uint8_t grey[width];
  for (int y = y0; y < y1; y++) {
    const size_t row = (size_t)y * width;
    for (int x = 0; x < width; x++) {
      const size_t i = row + x;
      const float J = target[i];
      float h1 = 1 - gain * lic1[i], h2 = 1 - gain * lic2[i];
      h1 = h1 < 0.02f ? 0.02f : h1; h2 = h2 < 0.02f ? 0.02f : h2;
      /*
       * Strokes wherever the tone is below the reach, but not over fine features without a
       * direction (eyes, nostrils, mouths), which are drawn as tone and accents. A texture
       * with a direction (wood grain, hair, folds) is hatched along it.
       */
      const float wh = smoothstep(reach, reach - 0.15f, J) * (1 - 0.9f * busy[i] * (1 - 0.5f * steer[i]));
      /* Smooth tone (stumped) catches on the paper's tooth, most in the mid tones. */
      const float stump = J + tooth * tooth_fine[i] * 2 * J * (1 - J);
      /*
       * The strokes keep their mean tone but show at part of their contrast in the light
       * tones (a light hand) and in the deepest darks, which are a massed value: at full
       * contrast the few gaps between strokes there would read as specks of paper.
       * The second layer in the darker tones.
       */
      const float wc = layering * smoothstep(0.6f, 0.3f, J);
      const float H = h1 * (1 - wc + wc * h2);
      const float beta = fast_log2(J) / (ln1 * (1 - wc) + ln12 * wc);
      const float contrast = weight * (hand + (1 - hand) * smoothstep(0.8f, 0.35f, J)) * (1 - 0.6f * smoothstep(0.25f, 0.06f, J));
      const float marked = fast_exp2(beta * fast_log2(H));
      const float T = wh > 0 ? wh * (J + contrast * (marked - J)) + (1 - wh) * stump : stump;
      const float S = line_shade(contour, lines[i], accent, features[i]);
      /* The tooth shows where there is graphite to catch on it; bare paper stays nearly clean. */
      const float P = 1 + tooth * tooth_coarse[i] * (0.1f + 1.1f * (1 - J));
      float R = S * T * P;
      /* Below full strength, part of the drawing is smooth tone (the medium's, so paper stays paper). */
      R = strength * R + (1 - strength) * J * S;
      R = R < 0 ? 0 : R;
      R = R > 1 ? 1 : R;
      const float v = 255 * (black + (0.975f - black) * R);
      grey[x] = (uint8_t)(v + 0.5f);
    }
    for (int x = 0; x < width; x++) out[3 * (row + x)] = out[3 * (row + x) + 1] = out[3 * (row + x) + 2] = grey[x];
  }
}

/* smoothstep with the edges' span as a constant reciprocal: a multiply, not a divide, in the per-pixel loops. */
static inline float ramp(float e0, float e1, float v) {
  float t = (v - e0) * (1.0f / (e1 - e0));
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return t * t * (3 - 2 * t);
}

/* A soft staircase of `levels` steps: flat masses joined by blended ramps `soft` of a step wide. */
static inline float staircase(float v, float levels, float soft) {
  const float q = v * levels, fl = floorf(q);
  return (fl + smoothstep(0.5f - 0.5f * soft, 0.5f + 0.5f * soft, q - fl)) / levels;
}

/*
 * Charcoal's values by tone, CHARCOAL_STEPS + 1 entries over 0..1, worked out once a
 * frame: the massed value a tone is drawn in (a soft staircase of four values, the stick's
 * darkest to the bare paper, joined by blended ramps, with part of the modelling kept),
 * and, by that value, how much the stick's side shows as strokes and the darkness laid.
 */
static void charcoal_values(drawing_state *s, const job *j) {
  for (int k = 0; k <= CHARCOAL_STEPS; k++) {
    const float v = (float)k / CHARCOAL_STEPS;
    s->value[k] = CHARCOAL_FLOOR + (1 - CHARCOAL_FLOOR) * (CHARCOAL_STEPS_SHARE * staircase(v, 3, 1.0f) + (1 - CHARCOAL_STEPS_SHARE) * v);
    /* The stick's side shows in every value, the deepest darks included (a flat black fill reads as a photo). */
    s->stroke[k] = j->weight * ramp(j->reach, j->reach - 0.12f, v) * (0.7f + 0.3f * ramp(0.08f, 0.3f, v));
    /* A light hand reaches into the lights: the paper there carries a faint stroke, not nothing. */
    s->laid[k] = (1 - v) + CHARCOAL_LIGHT_TOUCH * ramp(0.99f, 0.8f, v) * ramp(0.6f, 0.85f, v);
  }
}

static inline int charcoal_step(float v) { return (int)((v < 0 ? 0 : v > 1 ? 1 : v) * CHARCOAL_STEPS + 0.5f); }

/*
 * Charcoal, as a person draws it on toothed paper. The tone (already massed,
 * charcoal_prepare) is laid in a few values; in patches a finger has blended it toward
 * the wide masses. The side of the stick lays the values in broad strokes that follow the
 * form (or the hand's slant in open areas): each stroke's darkness over its layer's mean
 * presses harder, softly near features (a face) and where a finger has blended. Contours
 * are bold where the tone beside them is dark and thin, now and then lost, in the
 * lights; the dark side of the features (eye sockets, under a nose, a mouth) is pressed
 * in as firm accents. The charcoal catches only the peaks of the paper's tooth (round
 * grains of a few pixels, fixed to the sheet): the pits stay light inside every grey and
 * dark, a pressed dark fills more of them. The lights are the cream paper itself, never
 * a white hole: a light stroke reaches into them and the bare sheet keeps its grain.
 */
static void charcoal_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  const drawing_state *s = j->s;
  const float gain = j->gain, tooth = j->tooth, layering = j->layering;
  const float contour = j->contour, accent = j->accent, strength = j->strength, black = j->black;
  const float per1 = 1 / (1 - s->mean1 > 0.05f ? 1 - s->mean1 : 0.05f), per2 = 1 / (1 - s->mean2 > 0.05f ? 1 - s->mean2 : 0.05f);
  const int width = s->width, hw = (width + 1) / 2;
  const float *restrict target = s->target, *restrict lic1 = s->lic1, *restrict lic2 = s->lic2;
  const float *restrict heights = s->heights, *restrict lines = s->lines, *restrict bold = s->energy, *restrict features = s->feature;
  const float *restrict value = s->value, *restrict stroke = s->stroke, *restrict laid = s->laid;
  float ink[3], span[3];
  for (int c = 0; c < 3; c++) { ink[c] = black + CHARCOAL_INK[c]; span[c] = CHARCOAL_PAPER[c] - ink[c]; }
  uint8_t *restrict out = j->f->out;
  for (int y = y0; y < y1; y++) {
  /* The wide masses and the nearness to features at half size; the finger's patches and the lost contours by 4×4 block. */
  const size_t hn = (size_t)((s->height + 1) / 2) * hw;
  const float *restrict near = s->tooth_fine + (size_t)(y / 2) * hw, *restrict masses = near + hn, *restrict face = near + 2 * hn;
  const float *restrict smear = s->smear + (size_t)(y & ~3) * width, *restrict lost = s->grain + (size_t)(y & ~3) * width;
  for (int x = 0; x < width; x++) {
    const size_t i = (size_t)y * width + x;
    const float J = target[i], M = masses[x / 2], sm = smear[x & ~3];
    /* The massed value, blended by a finger toward the wide masses' value. */
    const float V = value[charcoal_step(J)], T = V + CHARCOAL_BLEND * sm * (value[charcoal_step(M)] - V);
    const int k = charcoal_step(T);
    /* Each layer's darkness relative to its mean (1 on average), the second in the darks. */
    float q = (gain * lic1[i] < 0.98f ? gain * lic1[i] : 0.98f) * per1;
    if (layering > 0) {
      const float q2 = (gain * lic2[i] < 0.98f ? gain * lic2[i] : 0.98f) * per2, wc = layering * ramp(0.45f, 0.2f, T);
      q = q * (1 - wc) + wc * 0.5f * (q + q2);
    }
    q = q < 2.2f ? q : 2.2f;
    const float fc = face[x / 2];
    const float wh = stroke[k] * (1 - 0.5f * sm) * (1 - CHARCOAL_NEAR_SOFT * near[x / 2]) * (1 - CHARCOAL_FACE_STROKES * fc);
    float d = laid[k] * (1 + wh * (q - 1));
    /* Contours: bold beside the dark, thin and now and then lost in the lights; accents on the features' dark side. */
    const float shade = 1 - M, light = ramp(0.55f, 0.9f, M);
    const float line = (lines[i] * (0.6f + 0.4f * shade) + CHARCOAL_BOLD * bold[i] * shade) * (1 - light * lost[x & ~3]);
    const float S = line_shade(contour, line, 0, 0) * (1 - accent * (1 + CHARCOAL_FACE_ACCENT * fc) * ramp(CHARCOAL_ACCENT_FROM, CHARCOAL_ACCENT_FULL, -features[i]));
    d = 1 - (1 - (d > 1 ? 1 : d < 0 ? 0 : d)) * S;
    /*
     * The tooth: the charcoal lies on the peaks (the sheet's heights, spread evenly 0..1)
     * and misses the pits. A light touch covers about half the sheet, a pressed dark
     * nearly all of it; the pits keep a little of the dust. The darkness laid is scaled by
     * the share covered, so the mean tone stays.
     */
    const float cover = 0.6f + 0.3f * ramp(0.15f, 0.95f, d);
    const float caught = ramp(-0.06f, 0.06f, heights[i] - 1 + cover);
    const float pit = 1 - tooth * (1 - 0.6f * sm) * (1 - CHARCOAL_FACE_TOOTH * fc);
    d *= (pit + (1 - pit) * caught) / (pit + (1 - pit) * cover);
    d = d < 0 ? 0 : d > 1 ? 1 : d;
    /* Bare paper keeps its grain: a faint shadow in the pits. */
    float R = (1 - d) * (1 - CHARCOAL_PAPER_GRAIN * (1 - heights[i]));
    R = strength * R + (1 - strength) * J * S;
    R = R < 0 ? 0 : R > 1 ? 1 : R;
    /* Warm paper, and charcoal's cool black: each channel between the two. */
    for (int c = 0; c < 3; c++) out[3 * i + c] = (uint8_t)(255 * (ink[c] + span[c] * R) + 0.5f);
  }
  }
}

/*
 * Features: the luma band-passed at the scale of eyes, nostrils and mouths (two box blurs
 * of radius about h/540 and h/135, each applied twice), and how busy with such features
 * each place is (the band's local energy, 0..1), which keeps the hatching off faces.
 */
static void features(drawing_state *s) {
  const int w = s->width, h = s->height;
  const size_t n = (size_t)w * h;
  const int r1 = h / 540 > 1 ? h / 540 : 1, r2 = h / 135 > 2 ? h / 135 : 2, r3 = h / 30 > 3 ? h / 30 : 3;
  float *fine = s->feature, *wide = s->lic1;
  memcpy(fine, s->luma, n * sizeof(float));
  memcpy(wide, s->luma, n * sizeof(float));
  for (int k = 0; k < 2; k++) { marks_box_blur(fine, w, h, r1, s->ws); marks_box_blur(wide, w, h, r2, s->ws); }
  for (size_t i = 0; i < n; i++) { fine[i] -= wide[i]; s->busy[i] = fine[i] * fine[i]; }
  marks_box_blur(s->busy, w, h, r3, s->ws);
  /* The running sums of the blur can leave a hair below zero where the band is flat. */
  for (size_t i = 0; i < n; i++) s->busy[i] = smoothstep(0.008f, 0.03f, sqrtf(s->busy[i] > 0 ? s->busy[i] : 0));
}

/* The paper's tooth at two grains, fixed to the frame: made once per run (again if the dot size changes). */
static void paper(drawing_state *s, float size) {
  if (s->tooth_size == size) return;
  s->tooth_size = size;
  for (int y = 0; y < s->height; y++) for (int x = 0; x < s->width; x++) {
    const size_t i = (size_t)y * s->width + x;
    s->tooth_fine[i] = marks_paper_tooth(x, y, size * 0.45f);
    s->tooth_coarse[i] = marks_paper_tooth(x, y, size * 1.2f);
  }
}

/* The shot's histogram (renewed at a cut, then slowly) and the medium's tone curve for it. */
static void shot_tone(const marks_frame *f, drawing_state *s) {
  double now[TONE_BINS];
  tone_histogram(s->tone, (size_t)s->width * s->height, now);
  const double keep = s->adv.cut ? 0 : 1 - HIST_RENEW;
  for (int b = 0; b < TONE_BINS; b++) s->hist[b] = keep * s->hist[b] + (1 - keep) * now[b];
  const tone_model m = {
    marks_param(f, 12, 0.4f), marks_param(f, 13, 0.12f), 0.05f,
    marks_param(f, 14, 0.45f), marks_param(f, 15, 0.9f), marks_param(f, 16, 0.3f), 0.08f,
  };
  tone_model_lut(&m, s->hist, 1.6f, s->lut);
}

/*
 * Where a face is, 0..1 at half size, into the plane after the masses (`face`): skin (a
 * hue from a pinkish red to a yellowish orange, neither grey nor a strong colour, in any light: by
 * the colour's ratios, not its level; in a dark shadow, whose few levels make any colour
 * look strong, any warm hue) spread over a face's span, where features (an
 * eye, a mouth) are near, so a brown table or a wall far from features does not count.
 */
static void face_plane(const marks_frame *f, const float *near, int hw, int hh, int r3, float *spare, float *tmp) {
  const int w = f->width, h = f->height;
  const size_t hn = (size_t)hw * hh;
  float *face = (float *)near + 2 * hn;
  double skin = 0;
  for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) {
    const uint8_t *p = f->in + 3 * ((size_t)(2 * y < h ? 2 * y : h - 1) * w + (2 * x < w ? 2 * x : w - 1));
    const float r = p[0] + 2.0f, g = p[1] + 2.0f, b = p[2] + 2.0f;
    /* Red the largest (else no skin); the hue's spread divides by at least 1 level. */
    const float lo = g < b ? g : b, sat = r > lo ? (r - lo) / r : 0, hue = (g - b) / (r > lo ? r - lo + 1 : 1);
    face[(size_t)y * hw + x] = ramp(0.06f, 0.14f, sat) * fmaxf(ramp(0.8f, 0.6f, sat), ramp(60, 30, r)) * ramp(-0.7f, -0.45f, hue) * ramp(0.95f, 0.8f, hue) * ramp(8, 20, r);
    skin += face[(size_t)y * hw + x];
  }
  /* Where most of the frame has skin's colour, that is the light's warmth, not a face. */
  const float lit = ramp(CHARCOAL_WARM_FRAME, CHARCOAL_WARM_FRAME - 0.12f, (float)(skin / hn));
  for (int k = 0; k < 2; k++) marks_box_blur(face, hw, hh, r3, tmp);
  memcpy(spare, near, hn * sizeof(float));
  for (int k = 0; k < 2; k++) marks_box_blur(spare, hw, hh, 2 * r3, tmp);
  for (size_t i = 0; i < hn; i++) face[i] = lit * smoothstep(0.3f, 0.6f, face[i]) * smoothstep(0.15f, 0.4f, spare[i]);
}

/*
 * Charcoal's tone, simplified into masses before anything is drawn from it, and what is
 * drawn from the masses. The luma, lightly smudged, is matched to the medium's tones (a
 * dark shot's darks are spread before they are judged), then smoothed by a guided filter
 * with itself as the guide (He, Sun and Tang, ECCV 2010; its window's line fitted at
 * half size and applied at full size, as in their fast variant): within a window whose
 * tone varies by less than about sqrt(CHARCOAL_FLAT) (skin, cloth, a wall's texture) the
 * tone flattens to its mean, across a stronger edge it stays sharp, so the masses keep
 * the forms' outlines and no halo rings a figure. Into the target, with a copy in the
 * tone plane for the contours. From the massed tone, at half size: its band at the scale
 * of eye sockets, the shadow under a nose, a mouth (box blurs of about 1 % and 3 % of the
 * height), whose dark side is drawn as firm accents (the feature plane); how near each
 * place is to such features (the band's energy spread over a face's span, 0..1; the
 * half size): there the strokes are short and soft and follow the form; the wide
 * masses a finger blends toward (half size); and where a face is (face_plane). Those
 * three smooth planes are kept at half size in the fine tooth's plane (pencil's; charcoal
 * has its own tooth), the rest of the half-size planes live in the workspace.
 */
static int charcoal_prepare(const marks_frame *f, drawing_state *s, const job *j) {
  const int w = s->width, h = s->height, hw = (w + 1) / 2, hh = (h + 1) / 2;
  const size_t n = (size_t)w * h, hn = (size_t)hw * hh;
  const int window = h / (2 * CHARCOAL_MASS_SPAN) > 1 ? h / (2 * CHARCOAL_MASS_SPAN) : 1;
  const int r1 = h / 270 > 1 ? h / 270 : 1, r2 = h / 90 > 2 ? h / 90 : 2, r3 = h / 40 > 3 ? h / 40 : 3, mass = h / 180 > 1 ? h / 180 : 1;
  float *t = s->tone;
  float *th = s->ws, *slope = th + hn, *offset = slope + hn, *band = offset + hn, *wide = band + hn, *spare = wide + hn, *tmp = spare + hn;
  float *near = s->tooth_fine, *masses = near + hn;
  memcpy(t, s->luma, n * sizeof(float));
  marks_box_blur(t, w, h, 1, s->ws);
  shot_tone(f, s);
  for (size_t i = 0; i < n; i++) t[i] += j->mix * (tone_lookup(s->lut, t[i]) - t[i]);
  for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) {
    const int x1 = 2 * x + 1 < w ? 2 * x + 1 : 2 * x, y1 = 2 * y + 1 < h ? 2 * y + 1 : 2 * y;
    const float v = 0.25f * (t[(size_t)2 * y * w + 2 * x] + t[(size_t)2 * y * w + x1] + t[(size_t)y1 * w + 2 * x] + t[(size_t)y1 * w + x1]);
    th[(size_t)y * hw + x] = v; slope[(size_t)y * hw + x] = v; offset[(size_t)y * hw + x] = v * v;
  }
  marks_box_blur(slope, hw, hh, window, tmp);
  marks_box_blur(offset, hw, hh, window, tmp);
  /* Each window's line through its tones: slope a (1 across an edge, 0 on a flat patch), offset b. */
  for (size_t i = 0; i < hn; i++) {
    const float m = slope[i], var = offset[i] - m * m, a = var > 0 ? var / (var + CHARCOAL_FLAT) : 0;
    slope[i] = a; offset[i] = m * (1 - a);
  }
  marks_box_blur(slope, hw, hh, window, tmp);
  marks_box_blur(offset, hw, hh, window, tmp);
  for (size_t i = 0; i < hn; i++) band[i] = wide[i] = masses[i] = slope[i] * th[i] + offset[i];
  for (int k = 0; k < 2; k++) { marks_box_blur(band, hw, hh, r1, tmp); marks_box_blur(wide, hw, hh, r2, tmp); marks_box_blur(masses, hw, hh, mass, tmp); }
  for (size_t i = 0; i < hn; i++) band[i] -= wide[i];
  /* Nearness to features from the tone before it was massed: a dim face's features are faint in the masses. */
  memcpy(near, th, hn * sizeof(float));
  memcpy(spare, th, hn * sizeof(float));
  for (int k = 0; k < 2; k++) { marks_box_blur(near, hw, hh, r1, tmp); marks_box_blur(spare, hw, hh, r2, tmp); }
  /* As a contrast (over the local tone plus a constant): a dark face's features are as near as a lit one's. */
  for (size_t i = 0; i < hn; i++) { const float d = (near[i] - spare[i]) / (spare[i] + 0.25f); near[i] = d * d; }
  marks_box_blur(near, hw, hh, r3, tmp);
  for (size_t i = 0; i < hn; i++) near[i] = smoothstep(0.02f, 0.06f, sqrtf(near[i] > 0 ? near[i] : 0));
  face_plane(f, near, hw, hh, r3, spare, tmp);
  int *step;
  float *frac;
  int *cols = marks_double_columns(w, hw, &step, &frac);
  if (!cols) return 0;
  /* The fitted lines at full size (in the hatching planes, free here), applied to the full-size tone. */
  marks_double_plane(slope, hw, hh, w, h, cols, step, frac, s->lic1);
  marks_double_plane(offset, hw, hh, w, h, cols, step, frac, s->lic2);
  for (size_t i = 0; i < n; i++) {
    const float v = s->lic1[i] * t[i] + s->lic2[i];
    s->target[i] = t[i] = v < 0.02f ? 0.02f : v > 0.995f ? 0.995f : v;
  }
  marks_double_plane(band, hw, hh, w, h, cols, step, frac, s->feature);
  free(cols);
  /*
   * Rubbed by a finger: the steps between masses blended into soft gradations, but not
   * near features (an eye, a mouth keep their shapes) nor in the pressed darks, whose
   * texture stays the stick's; the contours, from the tone plane,
   * stay sharp. After the features are doubled: the blur works in the workspace, where
   * their half-size band was.
   */
  marks_box_blur(s->target, w, h, CHARCOAL_RUB(h), s->ws);
  marks_box_blur(s->target, w, h, CHARCOAL_RUB(h), s->ws);
  for (int y = 0; y < h; y++) {
    const float *nr = near + (size_t)(y / 2) * hw;
    for (int x = 0; x < w; x++) { const size_t i = (size_t)y * w + x; const float dark = smoothstep(0.3f, 0.15f, t[i]), keep = nr[x / 2] > dark ? nr[x / 2] : dark; s->target[i] += keep * (t[i] - s->target[i]); }
  }
  return 1;
}

/*
 * Charcoal paper's tooth: heights 0..1 (spread evenly) of fine grains about `size`
 * pixels across, with no broad octave: the pits a broad octave groups read, once the
 * charcoal skips them, as pale worms laid over the drawing rather than as paper.
 */
static int charcoal_heights(float *out, int w, int h, float size, float *ws) {
  const float a = 1 / size, b = 1 / (0.55f * size);
  for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
    out[(size_t)y * w + x] = 0.65f * marks_value_noise(x * a, y * a, 71) + 0.35f * marks_value_noise(x * b + 0.5f, y * b + 0.5f, 72);
  /* Rounded grains: the value noise's cells would show as squares. */
  marks_box_blur(out, w, h, 1, ws);
  return marks_rank_spread(out, (size_t)w * h);
}

/* The frame's luma 0..1 (AVX2 where the processor has it: its three channels sorted out of the RGB bytes in a few shuffles). */
PS_CLONES static void luma_of(const uint8_t *restrict in, size_t n, float *restrict luma) {
  for (size_t i = 0; i < n; i++) luma[i] = (0.299f * in[3 * i] + 0.587f * in[3 * i + 1] + 0.114f * in[3 * i + 2]) / 255;
}

int marks_drawing(const marks_frame *f) {
  drawing_state *s = state_for(f);
  if (!s) return 0;
  const int w = f->width, h = f->height;
  const size_t n = (size_t)w * h;
  job j = {
    f, s, marks_param(f, 0, 1), marks_param(f, 2, 1.5f), marks_param(f, 4, 1), marks_param(f, 5, 0.2f),
    marks_param(f, 7, 3), marks_param(f, 8, 0.15f), marks_param(f, 9, 1), marks_param(f, 10, 0.97f), marks_param(f, 11, 3),
    marks_param(f, 1, 6), marks_param(f, 17, 1), marks_param(f, 18, 1), 0, marks_param(f, 19, 0),
  };
  /* A lone stroke darkens the paper by about half its pressure at its middle (the convolution spreads a dot over the stroke's length). */
  j.gain = 0.5f * (j.length + 1);
  const float density = marks_param(f, 3, 0.12f);
  const int smudge = (int)lrintf(marks_param(f, 6, 0));
  luma_of(f->in, n, s->luma);
  if (!coarse_flow(f, s)) return 0;
  /* Charcoal draws its features from its massed tone (charcoal_prepare). */
  if (j.grain <= 0) features(s);
  marks_advect(&s->adv, s->luma);
  /* Tone: the luma, smudged (charcoal's: matched to the medium and massed, into the target as well). */
  if (j.grain > 0) {
    if (!charcoal_prepare(f, s, &j)) return 0;
  } else {
    memcpy(s->tone, s->luma, n * sizeof(float));
    marks_box_blur(s->tone, w, h, smudge > 1 ? smudge : 1, s->ws);
  }
  /* Edges, and the local level of gradients they must stand out of (texture, grain, compression). */
  marks_rows(h, gradient_rows, &j);
  memcpy(s->energy, s->grad, n * sizeof(float));
  marks_box_blur(s->energy, w, h, 6, s->ws);
  marks_rows((h + 3) / 4, direction_rows, &j);
  for (size_t i = 0; i < n; i++) { const float g = s->grad[i] - 0.03f - 0.8f * s->energy[i]; s->grad[i] = g > 0 ? g : 0; }
  /* Contours: the edges drawn along themselves. */
  /* Charcoal's strokes are long, its contours need not be: a shorter span, for less work. */
  marks_lic(s->grad, s->tx, s->ty, w, h, (int)lrintf((j.grain > 0 ? 0.35f : 0.6f) * j.length), s->lines);
  if (j.grain <= 0) shot_tone(f, s);
  if (j.grain <= 0) paper(s, j.size);
  if (j.grain > 0 && s->grain_size != j.grain) {
    if (!charcoal_heights(s->heights, w, h, j.grain, s->ws)) return 0;
    s->grain_size = j.grain;
  }
  /* Hatching: dots carried by the picture's motion, drawn out along the form. */
  /* Broad strokes are drawn at half size (hatch_half): their dots in half-size cells of the same texture. */
  const float cell = j.size >= HALF_DOTS ? 0.5f * j.size : j.size, scale = j.size >= HALF_DOTS ? 0.5f : 1;
  if (!hatch_dots_make(&s->dots1, (int)(w * scale), (int)(h * scale), 1, density, cell) || !hatch_dots_make(&s->dots2, (int)(w * scale), (int)(h * scale), 2, density, cell)) return 0;
  if (j.grain <= 0) marks_rows(h, target_rows, &j);
  /*
   * Each layer only where it is laid (the first below the reach, the second below 0.6),
   * but everywhere at a cut, where the layers' means are taken; and everywhere when the
   * smudge would spread the strokes past those bounds.
   */
  const float *mask = s->adv.cut || (smudge >= 2 && j.grain <= 0) ? NULL : s->target;
  if (j.size >= HALF_DOTS) {
    if (!hatch_half(s, &j, mask)) return 0;
  } else {
    hatch_seeds(&s->adv, &s->dots1, s->seeds);
    hatch_lic(s->seeds, s->hx, s->hy, s->len1, mask, j.reach, w, h, s->lic1);
    hatch_seeds(&s->adv, &s->dots2, s->seeds);
    hatch_lic(s->seeds, s->cx, s->cy, s->len2, j.layering > 0 ? mask : NULL, 0.6f, w, h, s->lic2);
  }
  /* A soft medium smears its strokes as well as its tone: broad, soft-edged marks. */
  if (smudge >= 2 && j.grain <= 0) { marks_box_blur(s->lic1, w, h, smudge / 2, s->ws); marks_box_blur(s->lic2, w, h, smudge / 2, s->ws); }
  /* The hatching's mean, which β divides by: measured at a cut and kept through the shot, so the tone does not pump. */
  if (s->adv.cut) { s->mean1 = texture_mean(s->lic1, n, j.gain); s->mean2 = texture_mean(s->lic2, n, j.gain); }
  if (j.grain > 0) {
    /* Contours soft-edged (the stick's side, not a point), and a bold band of them for the dark side. */
    marks_box_blur(s->lines, w, h, 1, s->ws);
    memcpy(s->energy, s->lines, n * sizeof(float));
    const int wide = h / 270 > 1 ? h / 270 : 1;
    marks_box_blur(s->energy, w, h, wide, s->ws);
    marks_box_blur(s->energy, w, h, wide, s->ws);
    charcoal_values(s, &j);
    marks_rows(h, charcoal_rows, &j);
  } else {
    marks_rows(h, compose_rows, &j);
  }
  return 1;
}
