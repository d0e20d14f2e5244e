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
 * - paper: a tooth fixed to the frame, which the graphite or charcoal catches on over the
 *   tone. Charcoal is the same drawing in another medium: broader, softer strokes
 *   (smudged), a heavier dark share and a deeper black, a coarser tooth, on cream paper
 *   with a cool black ([19]).
 *
 * Params: [0] strength 0..1, [1] stroke length (pixels each way), [2] dot size (pixels),
 * [3] dot density 0..1, [4] tone model 0..1 (how far the shot's tones move to the
 * medium's distribution), [5] darkest value 0..1 (the graphite or charcoal black),
 * [6] smudge radius (pixels, a blur of the tone and, from 2, of the strokes), [7] contour
 * gain, [8] paper tooth amount, [9] layering 0..1 (the second, oblique layer in the darks),
 * [10] hatching reach (tone below which strokes are laid; above it only paper and smooth
 * tone), [11] accent gain, then the medium's tone distribution (drawing-tone.h): [12]
 * paper share, [13] dark share, [14] mid band low, [15] mid band high, [16] dark mean; [17]
 * the strokes' contrast in the light tones 0..1 (a light hand), [18] their contrast in the
 * mid tones and darks 0..1, [19] the paper: 0 white (pencil's), 1 cream with charcoal's
 * cool black, [20] how far a texture with a direction (hair, a beard, folds) among
 * features is still hatched, 0..1 (0.5 if not given), [21] how much of a smooth, open
 * area (a sky, a plain wall: little texture anywhere near) is stumped into smooth tone on
 * the tooth rather than hatched, 0..1 (0 if not given), [22] how far tones the medium's
 * distribution would lighten are moved there, 0..1 ([4] if not given: a dark shot drawn
 * in charcoal stays dark where [4] would lift it to paper; a pale one is still darkened),
 * [23] how far features are found by their contrast against the local tone rather than
 * by their depth, 0..1 (0 if not given: a dim face's features are shallow, and it was
 * hatched over as if it had none), [24] how far the shot's histogram may be stretched
 * to the medium's distribution (the limit per bin, in multiples of a flat histogram's;
 * 1.6 if not given: more lets a bright shot reach the medium's darks), [25] the share of
 * [21]'s stumping kept in the light tones, 0..1, full again below a tone of 0.45 (1 if not
 * given: a light wall or sky left as smooth grey read as a filtered photo; hatched, it
 * reads as drawn, while a dim face's darker open areas stay stumped), [26] how far the
 * drawing fades to paper in its margin, 0..1 (0 if not given), [27] the margin's depth, as
 * a share of the short side (0.11 if not given).
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
/* How much of the margin (margin_plane) a place busy with features is spared. */
#define MARGIN_SPARES 0.8f
/* Charcoal's cream paper, and what the stick's black adds to the darkest value, RGB 0..1. */
static const float CHARCOAL_PAPER[3] = { 0.95f, 0.925f, 0.875f };
static const float CHARCOAL_INK[3] = { 0.07f, 0.065f, 0.07f };

typedef struct {
  int width, height;
  marks_advection adv;
  hatch_dots dots1, dots2;
  float *planes;   /* all the float planes below, in one allocation */
  float *luma, *tone, *angle, *coherence, *ws, *hx, *hy, *cx, *cy, *tx, *ty, *seeds, *lic1, *lic2, *grad, *lines, *feature, *busy, *steer, *energy, *len1, *len2, *tooth_fine, *tooth_coarse, *target, *margin;
  float mean1, mean2, tooth_size, margin_depth;
  double hist[TONE_BINS];
  float lut[TONE_BINS];
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
  s->tooth_size = -1;
  s->margin_depth = -1;
  const size_t n = (size_t)f->width * f->height;
  s->planes = malloc(n * (25 + PS_FLOW_WORKSPACE(1)) * sizeof(float));
  if (!s->planes || !marks_advection_init(&s->adv, f->width, f->height)) { release(s); return NULL; }
  float *p = s->planes;
  float **named[] = { &s->luma, &s->tone, &s->angle, &s->coherence, &s->hx, &s->hy, &s->cx, &s->cy, &s->tx, &s->ty, &s->seeds, &s->lic1, &s->lic2, &s->grad, &s->lines, &s->feature, &s->busy, &s->steer, &s->energy, &s->len1, &s->len2, &s->tooth_fine, &s->tooth_coarse, &s->target, &s->margin };
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
  float strength, size, mix, black, contour, tooth, layering, reach, accent, length, hand, weight, gain, cream, directed, stumped, stumped_light, lift;
  float fade; /* how far the drawing fades to paper in its margin (margin_plane), 0..1 */
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
    const float w = smoothstep(0.45f, 0.9f, s->coherence[i]) * smoothstep(0.006f, 0.02f, s->energy[i]);
    const float bend = 0.7f * (1 - 0.6f * w);
    const float hand = 2 * (slant + bend * (hatch_noise(a, i, scale, 11) - 0.5f));
    /* The two directions blended as doubled angles (a direction and its opposite are one), then halved. */
    const float vx = w * (tx * tx - ty * ty) + (1 - w) * cosf(hand), vy = w * 2 * tx * ty + (1 - w) * sinf(hand);
    const float r = sqrtf(vx * vx + vy * vy), c2 = r > 1e-6f ? vx / r : 1;
    const float hx = sqrtf(0.5f * (1 + c2) > 0 ? 0.5f * (1 + c2) : 0), hy = copysignf(sqrtf(0.5f * (1 - c2) > 0 ? 0.5f * (1 - c2) : 0), vy);
    /* The second layer crosses at an oblique angle that wanders on its own, never a fixed right angle. */
    /* Not drawn without layering: not worked out either. */
    const int second = j->layering > 0;
    const float turn = second ? 1.05f + 0.6f * (hatch_noise(a, i, scale * 1.3f, 23) - 0.5f) : 0, ct = cosf(turn), st = sinf(turn);
    const float len1 = j->length * (0.5f + 0.9f * hatch_noise(a, i, scale * 0.6f, 37)) * (0.8f + 0.4f * w);
    const float len2 = second ? j->length * (0.4f + 0.7f * hatch_noise(a, i, scale * 0.6f, 41)) : 0;
    for (int dy = 0; dy < 4 && 4 * by + dy < height; dy++) for (int dx = 0; dx < 4 && 4 * bx + dx < width; dx++) {
      const size_t p = i + (size_t)dy * width + dx;
      s->hx[p] = hx; s->hy[p] = hy;
      s->cx[p] = hx * ct - hy * st; s->cy[p] = hy * ct + hx * st;
      s->tx[p] = tx; s->ty[p] = ty;
      s->steer[p] = w; s->len1[p] = len1; s->len2[p] = len2;
    }
  }
}

static float texture_mean(const float *lic, size_t n, float gain) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) { const float h = 1 - gain * lic[i]; sum += h < 0.02f ? 0.02f : h; }
  return (float)(sum / n);
}

/*
 * What the contours and the small darks of features (a band of the luma at their scale)
 * leave of the paper's light, 0..1: pencil and charcoal draw them the same way.
 */
static inline float line_shade(float contour, float line, float accent, float feature) {
  const float S = (1 - contour * line) * (1 + accent * (feature < 0 ? feature : 0));
  return S < 0 ? 0 : S;
}

/* The target tone: the shot's tone moved toward the medium's distribution (as far as `lift` where that lightens it). */
static void target_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  const drawing_state *s = j->s;
  const float *restrict tone = s->tone, *restrict lut = s->lut;
  float *restrict target = s->target;
  const float mix = j->mix, lift = j->lift;
  for (size_t i = (size_t)y0 * s->width, end = (size_t)y1 * s->width; i < end; i++) {
    const float d = tone_lookup(lut, tone[i]) - tone[i], J = tone[i] + (d > 0 ? lift : mix) * d;
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
  const float black = j->black, directed = j->directed, stumped = j->stumped, stumped_light = j->stumped_light, fade = j->fade;
  /* The paper's light and the darkest value's, per channel: white paper and a grey black, or charcoal's cream and cool black. */
  float lo[3], span[3];
  for (int c = 0; c < 3; c++) {
    lo[c] = j->cream > 0 ? black + CHARCOAL_INK[c] : black;
    span[c] = (j->cream > 0 ? CHARCOAL_PAPER[c] : 0.975f) - lo[c];
  }
  const float *restrict target = s->target, *restrict lic1 = s->lic1, *restrict lic2 = s->lic2, *restrict busy = s->busy;
  const float *restrict steer = s->steer, *restrict tooth_fine = s->tooth_fine, *restrict tooth_coarse = s->tooth_coarse;
  const float *restrict lines = s->lines, *restrict features = s->feature, *restrict energy = s->energy, *restrict margin = s->margin, *restrict spared = s->seeds;
  uint8_t *restrict out = j->f->out;
  const int width = s->width;
  /* The row's lightness, before it is spread to RGB. */
  float lit[width];
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
      const float open = stumped * (stumped_light + (1 - stumped_light) * smoothstep(0.65f, 0.45f, J)) * smoothstep(0.02f, 0.006f, energy[i]);
      const float wh = smoothstep(reach, reach - 0.15f, J) * (1 - 0.9f * busy[i] * (1 - directed * steer[i])) * (1 - open);
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
      /*
       * The margin fades to paper where the hand stopped: the strokes reach into it past
       * the smooth tone (a dark stroke needs more of the margin to vanish), so its edge is
       * made of stroke ends; a place busy with features (a face, hair) is spared (the
       * seeds' plane: see marks_drawing).
       */
      const float m = marks_margin_gone(margin[i], 1 - h1) * (1 - MARGIN_SPARES * spared[i]);
      R += fade * m * (1 - R);
      lit[x] = R;
    }
    for (int x = 0; x < width; x++) for (int c = 0; c < 3; c++) out[3 * (row + x) + c] = (uint8_t)(255 * (lo[c] + span[c] * lit[x]) + 0.5f);
  }
}

/*
 * Features: the luma band-passed at the scale of eyes, nostrils and mouths (two box blurs
 * of radius about h/540 and h/135, each applied twice), and how busy with such features
 * each place is (the band's local energy, 0..1), which keeps the hatching off faces. With
 * `relative` the band counts by its contrast against the local tone (over it plus 0.25,
 * the same at white), so a dim face's features keep the hatching off it too.
 */
static void features(drawing_state *s, float relative) {
  const int w = s->width, h = s->height;
  const size_t n = (size_t)w * h;
  const int r1 = h / 540 > 1 ? h / 540 : 1, r2 = h / 135 > 2 ? h / 135 : 2, r3 = h / 30 > 3 ? h / 30 : 3;
  float *fine = s->feature, *wide = s->lic1;
  memcpy(fine, s->luma, n * sizeof(float));
  memcpy(wide, s->luma, n * sizeof(float));
  for (int k = 0; k < 2; k++) { marks_box_blur(fine, w, h, r1, s->ws); marks_box_blur(wide, w, h, r2, s->ws); }
  for (size_t i = 0; i < n; i++) { fine[i] -= wide[i]; const float c = fine[i] * (1 + relative * (1.25f / (wide[i] + 0.25f) - 1)); s->busy[i] = c * c; }
  marks_box_blur(s->busy, w, h, r3, s->ws);
  /* The running sums of the blur can leave a hair below zero where the band is flat. */
  for (size_t i = 0; i < n; i++) s->busy[i] = smoothstep(0.008f, 0.03f, sqrtf(s->busy[i] > 0 ? s->busy[i] : 0));
}

/* How far each pixel lies in the drawing's margin (marks_margin): fixed to the frame, as the paper is; made once per run. */
static void margin_plane(drawing_state *s, float depth) {
  if (s->margin_depth == depth) return;
  s->margin_depth = depth;
  for (int y = 0; y < s->height; y++) for (int x = 0; x < s->width; x++) s->margin[(size_t)y * s->width + x] = marks_margin(x, y, s->width, s->height, depth);
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
  tone_model_lut(&m, s->hist, marks_param(f, 24, 1.6f), s->lut);
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
    marks_param(f, 1, 6), marks_param(f, 17, 1), marks_param(f, 18, 1), 0, marks_param(f, 19, 0), marks_param(f, 20, 0.5f), marks_param(f, 21, 0), marks_param(f, 25, 1), 0, marks_param(f, 26, 0),
  };
  /* A lone stroke darkens the paper by about half its pressure at its middle (the convolution spreads a dot over the stroke's length). */
  j.gain = 0.5f * (j.length + 1);
  j.lift = marks_param(f, 22, j.mix);
  const float density = marks_param(f, 3, 0.12f);
  const int smudge = (int)lrintf(marks_param(f, 6, 0));
  luma_of(f->in, n, s->luma);
  if (!coarse_flow(f, s)) return 0;
  features(s, marks_param(f, 23, 0));
  marks_advect(&s->adv, s->luma);
  /* Tone: the luma, smudged. */
  memcpy(s->tone, s->luma, n * sizeof(float));
  marks_box_blur(s->tone, w, h, smudge > 1 ? smudge : 1, s->ws);
  /* Edges, and the local level of gradients they must stand out of (texture, grain, compression). */
  marks_rows(h, gradient_rows, &j);
  memcpy(s->energy, s->grad, n * sizeof(float));
  marks_box_blur(s->energy, w, h, 6, s->ws);
  marks_rows((h + 3) / 4, direction_rows, &j);
  for (size_t i = 0; i < n; i++) { const float g = s->grad[i] - 0.03f - 0.8f * s->energy[i]; s->grad[i] = g > 0 ? g : 0; }
  /* Contours: the edges drawn along themselves. */
  marks_lic(s->grad, s->tx, s->ty, w, h, (int)lrintf(0.6f * j.length), s->lines);
  shot_tone(f, s);
  paper(s, j.size);
  margin_plane(s, marks_param(f, 27, 0.11f));
  /* Hatching: dots carried by the picture's motion, drawn out along the form. */
  if (!hatch_dots_make(&s->dots1, w, h, 1, density, j.size) || !hatch_dots_make(&s->dots2, w, h, 2, density, j.size)) return 0;
  marks_rows(h, target_rows, &j);
  /*
   * Each layer only where it is laid (the first below the reach, the second below 0.6),
   * but everywhere at a cut, where the layers' means are taken; and everywhere when the
   * smudge would spread the strokes past those bounds.
   */
  const float *mask = s->adv.cut || smudge >= 2 ? NULL : s->target;
  hatch_seeds(&s->adv, &s->dots1, s->seeds);
  hatch_lic(s->seeds, s->hx, s->hy, s->len1, mask, j.reach, w, h, s->lic1);
  hatch_seeds(&s->adv, &s->dots2, s->seeds);
  hatch_lic(s->seeds, s->cx, s->cy, s->len2, j.layering > 0 ? mask : NULL, 0.6f, w, h, s->lic2);
  /*
   * What the margin spares: the places busy with features, spread wide and smooth (three
   * box blurs, about a Gaussian of σ a twentieth of the height) into the seeds' plane,
   * free again: spared by the busy map as it is, the margin cut blocky white notches
   * between a shirt's stripes.
   */
  if (j.fade > 0) {
    memcpy(s->seeds, s->busy, n * sizeof(float));
    const int r = h / 20 > 1 ? h / 20 : 1;
    for (int k = 0; k < 3; k++) marks_box_blur(s->seeds, w, h, r, s->ws);
  }
  /* A soft medium smears its strokes as well as its tone: broad, soft-edged marks. */
  if (smudge >= 2) { marks_box_blur(s->lic1, w, h, smudge / 2, s->ws); marks_box_blur(s->lic2, w, h, smudge / 2, s->ws); }
  /* The hatching's mean, which β divides by: measured at a cut and kept through the shot, so the tone does not pump. */
  if (s->adv.cut) { s->mean1 = texture_mean(s->lic1, n, j.gain); s->mean2 = texture_mean(s->lic2, n, j.gain); }
  marks_rows(h, compose_rows, &j);
  return 1;
}
