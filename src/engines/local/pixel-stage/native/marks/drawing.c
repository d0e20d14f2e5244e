/*
 * drawing: pencil and charcoal after Lu, Xu and Jia, Combining Sketch and Tone for
 * Pencil Drawing Production (NPAR 2012). Two layers multiplied on paper:
 *
 * - strokes: the luma's gradient magnitude, convolved along the edge direction (the field
 *   of directions, flow.c), so contours are drawn as lines that run along the edges;
 * - tone: hatching made by line integral convolution of sparse dots (primitives.c) laid
 *   along the form (the edge tangent where the field is coherent, a hand's diagonal where
 *   it is not; a second, crossing layer in the darks), raised to the power β = ln J / ln H̄
 *   so that the hatching's mean tone is the target tone J: darker tones get denser strokes.
 *   The dots move with the picture (advected texture coordinates), so strokes neither boil
 *   nor swim, and start afresh at a cut;
 * - paper: a tooth fixed to the frame.
 *
 * Params: [0] strength 0..1, [1] stroke length (pixels each way), [2] dot size (pixels),
 * [3] dot density 0..1, [4] tone gamma (J = luma^gamma), [5] darkest value 0..1 (the
 * graphite or charcoal black), [6] smudge radius (pixels, a blur of the tone), [7] contour
 * gain, [8] paper tooth amount, [9] cross-hatching 0..1, [10] shadow tone (hatching only
 * below it; the lights are smooth tone and paper), [11] accent gain (the small darks of
 * features drawn in).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../pixel-stage.h"
#include "primitives.h"

#define PI_F 3.14159265f

typedef struct {
  int width, height;
  marks_advection adv;
  float *planes;   /* all the float planes below, in one allocation */
  float *luma, *tone, *angle, *coherence, *ws, *hx, *hy, *cx, *cy, *tx, *ty, *seeds, *lic1, *lic2, *grad, *lines, *feature, *busy, *steer;
  float mean1, mean2;
} drawing_state;

static void release(drawing_state *s) {
  if (!s) return;
  marks_advection_free(&s->adv);
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
  const size_t n = (size_t)f->width * f->height;
  s->planes = malloc(n * (18 + PS_FLOW_WORKSPACE(1)) * sizeof(float));
  if (!s->planes || !marks_advection_init(&s->adv, f->width, f->height)) { release(s); return NULL; }
  float *p = s->planes;
  float **named[] = { &s->luma, &s->tone, &s->angle, &s->coherence, &s->hx, &s->hy, &s->cx, &s->cy, &s->tx, &s->ty, &s->seeds, &s->lic1, &s->lic2, &s->grad, &s->lines, &s->feature, &s->busy, &s->steer };
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++, p += n) *named[i] = p;
  s->ws = p;
  *f->state = s;
  return s;
}

/* Box blur of radius r, in place, using `tmp` (n floats); separable, clamped edges. */
static void box_blur(float *plane, int w, int h, int r, float *tmp) {
  if (r < 1) return;
  const float norm = 1.0f / (2 * r + 1);
  for (int y = 0; y < h; y++) {
    const float *row = plane + (size_t)y * w;
    float s = 0;
    for (int k = -r; k <= r; k++) s += row[k < 0 ? 0 : k >= w ? w - 1 : k];
    for (int x = 0; x < w; x++) {
      tmp[(size_t)y * w + x] = s * norm;
      const int add = x + r + 1, sub = x - r;
      s += row[add >= w ? w - 1 : add] - row[sub < 0 ? 0 : sub];
    }
  }
  for (int x = 0; x < w; x++) {
    float s = 0;
    for (int k = -r; k <= r; k++) s += tmp[(size_t)(k < 0 ? 0 : k >= h ? h - 1 : k) * w + x];
    for (int y = 0; y < h; y++) {
      plane[(size_t)y * w + x] = s * norm;
      const int add = y + r + 1, sub = y - r;
      s += tmp[(size_t)(add >= h ? h - 1 : add) * w + x] - tmp[(size_t)(sub < 0 ? 0 : sub) * w + x];
    }
  }
}

/*
 * The field of directions at half size (σ 4 there, 8 pixels here), spread back to every
 * pixel: the hatching needs the form's broad direction, and a quarter of the pixels with
 * a smaller blur costs about an eighth.
 */
static int half_flow(const marks_frame *f, drawing_state *s) {
  const int w = f->width, h = f->height, hw = w / 2 > 0 ? w / 2 : 1, hh = h / 2 > 0 ? h / 2 : 1;
  const size_t hn = (size_t)hw * hh;
  /* Workspace: the half frame (3hn bytes as floats' room), then the flow's own 6hn floats, then its two planes. */
  uint8_t *half = (uint8_t *)(s->ws + 8 * hn);
  float *angle = s->ws + 6 * hn, *coherence = s->ws + 7 * hn;
  for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) for (int c = 0; c < 3; c++) {
    const size_t a = ((size_t)(2 * y) * w + 2 * x) * 3 + c, b = a + (size_t)w * 3;
    half[((size_t)y * hw + x) * 3 + c] = (uint8_t)((f->in[a] + f->in[a + 3] + f->in[b] + f->in[b + 3] + 2) / 4);
  }
  if (!ps_flow_field(half, hw, hh, 4, s->ws, angle, coherence)) return 0;
  for (int y = 0; y < h; y++) {
    const int hy = y / 2 < hh ? y / 2 : hh - 1;
    for (int x = 0; x < w; x++) {
      const int hx = x / 2 < hw ? x / 2 : hw - 1;
      s->angle[(size_t)y * w + x] = angle[(size_t)hy * hw + hx];
      s->coherence[(size_t)y * w + x] = coherence[(size_t)hy * hw + hx];
    }
  }
  return 1;
}

typedef struct {
  const marks_frame *f;
  drawing_state *s;
  float strength, size, gamma, black, contour, tooth, cross, shadow, accent;
} job;

/* Directions: hatching along the form (the tangent, by coherence, else the diagonal), its crossing, and the tangent itself. */
static void direction_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  drawing_state *s = j->s;
  const float diag = -PI_F / 4;
  for (int y = y0; y < y1; y++) for (int x = 0; x < s->width; x++) {
    const size_t i = (size_t)y * s->width + x;
    const float t = s->angle[i], c = s->coherence[i];
    /* Only a clearly oriented form steers the hatching; texture and flat areas keep the hand's diagonal. */
    float w = (c - 0.45f) / 0.45f;
    w = w < 0 ? 0 : w > 1 ? 1 : w * w * (3 - 2 * w);
    const float vx = w * cosf(2 * t) + (1 - w) * cosf(2 * diag), vy = w * sinf(2 * t) + (1 - w) * sinf(2 * diag);
    const float h = 0.5f * atan2f(vy, vx);
    s->hx[i] = cosf(h); s->hy[i] = sinf(h);
    s->cx[i] = -s->hy[i]; s->cy[i] = s->hx[i];
    s->tx[i] = cosf(t); s->ty[i] = sinf(t);
    s->steer[i] = w;
  }
}

static void gradient_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  drawing_state *s = j->s;
  const int w = s->width, h = s->height;
  for (int y = y0; y < y1; y++) {
    const float *up = s->tone + (size_t)(y > 0 ? y - 1 : 0) * w, *down = s->tone + (size_t)(y < h - 1 ? y + 1 : y) * w, *row = s->tone + (size_t)y * w;
    for (int x = 0; x < w; x++) {
      const int l = x > 0 ? x - 1 : 0, r = x < w - 1 ? x + 1 : x;
      const float gx = row[r] - row[l], gy = down[x] - up[x];
      float edge = sqrtf(gx * gx + gy * gy);
      /* An edge between two colours of one luma (a red petal on a green leaf) is drawn too. */
      const uint8_t *in = j->f->in;
      const size_t at = (size_t)y * w, above = (size_t)(y > 0 ? y - 1 : 0) * w, below = (size_t)(y < h - 1 ? y + 1 : y) * w;
      for (int c = 0; c < 3; c++) {
        const float cx = (in[(at + r) * 3 + c] - in[(at + l) * 3 + c]) / 255.0f, cy = (in[(below + x) * 3 + c] - in[(above + x) * 3 + c]) / 255.0f;
        const float ce = 0.45f * sqrtf(cx * cx + cy * cy);
        if (ce > edge) edge = ce;
      }
      /* Faint gradients (texture, noise) draw nothing: only edges become contours. */
      const float g = edge - 0.03f;
      s->grad[(size_t)y * w + x] = g > 0 ? g : 0;
    }
  }
}

static float texture_mean(const float *lic, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) { const float h = 1 - 2.5f * lic[i]; sum += h < 0.02f ? 0.02f : h; }
  return (float)(sum / n);
}

static float smoothstep(float e0, float e1, float v) {
  float t = (v - e0) / (e1 - e0);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return t * t * (3 - 2 * t);
}

static void compose_rows(void *ctx, int y0, int y1) {
  const job *j = ctx;
  drawing_state *s = j->s;
  const marks_frame *f = j->f;
  const float ln1 = logf(s->mean1), ln12 = logf(s->mean1 * s->mean2);
  for (int y = y0; y < y1; y++) for (int x = 0; x < s->width; x++) {
    const size_t i = (size_t)y * s->width + x;
    float J = s->tone[i];
    J = J < 0.02f ? 0.02f : J > 0.995f ? 0.995f : J;
    float h1 = 1 - 2.5f * s->lic1[i], h2 = 1 - 2.5f * s->lic2[i];
    h1 = h1 < 0.02f ? 0.02f : h1; h2 = h2 < 0.02f ? 0.02f : h2;
    /*
     * Where the hand hatches: in the shadows only (below the medium's shadow tone), more
     * where the form has a clear direction, and not over fine features (eyes, mouths,
     * nostrils), which are drawn as tone and accents. Elsewhere the tone is laid as a
     * smooth, stumped value on the paper.
     */
    const float shade = smoothstep(j->shadow, j->shadow - 0.3f, J);
    /* The deepest darks are a massed, solid value: hatching there would only leave specks of paper. */
    const float wh = shade * smoothstep(0.03f, 0.12f, s->luma[i]) * (0.35f + 0.65f * s->steer[i]) * (1 - s->busy[i]);
    /* Crossing strokes only in the deepest darks, and only where the form steers them (never a screen-fixed grid). */
    const float wc = smoothstep(j->shadow - 0.2f, j->shadow - 0.45f, J) * s->steer[i] * j->cross;
    const float H = h1 * (1 - wc + wc * h2);
    const float beta = logf(J) / (ln1 * (1 - wc) + ln12 * wc);
    /* The stumped tone catches on the paper's tooth, most in the mid tones. */
    const float stump = J + j->tooth * marks_paper_tooth(x, y, j->size * 0.45f) * 2 * J * (1 - J);
    const float T = wh * powf(H, beta) + (1 - wh) * stump;
    /* Contours, and the small darks of features (a band of the luma at their scale) as accents. */
    const float feature = s->feature[i];
    float S = (1 - j->contour * s->lines[i]) * (1 + j->accent * (feature < 0 ? feature : 0));
    S = S < 0 ? 0 : S;
    const float P = 1 + j->tooth * marks_paper_tooth(x, y, j->size * 1.2f) * (1 - 0.6f * J);
    float R = S * T * P;
    /* Below full strength, part of the photograph's tone stays. */
    R = j->strength * R + (1 - j->strength) * s->luma[i];
    R = R < 0 ? 0 : R > 1 ? 1 : R;
    const float v = 255 * (j->black + (0.975f - j->black) * R);
    const uint8_t o = (uint8_t)(v + 0.5f);
    f->out[3 * i] = o; f->out[3 * i + 1] = o; f->out[3 * i + 2] = o;
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
  const int r1 = h / 540 > 1 ? h / 540 : 1, r2 = h / 135 > 2 ? h / 135 : 2, r3 = h / 45 > 3 ? h / 45 : 3;
  float *fine = s->feature, *wide = s->lic1;
  memcpy(fine, s->luma, n * sizeof(float));
  memcpy(wide, s->luma, n * sizeof(float));
  for (int k = 0; k < 2; k++) { box_blur(fine, w, h, r1, s->ws); box_blur(wide, w, h, r2, s->ws); }
  for (size_t i = 0; i < n; i++) { fine[i] -= wide[i]; s->busy[i] = fine[i] * fine[i]; }
  box_blur(s->busy, w, h, r3, s->ws);
  /* The running sums of the blur can leave a hair below zero where the band is flat. */
  for (size_t i = 0; i < n; i++) s->busy[i] = smoothstep(0.012f, 0.045f, sqrtf(s->busy[i] > 0 ? s->busy[i] : 0));
}

int marks_drawing(const marks_frame *f) {
  drawing_state *s = state_for(f);
  if (!s) return 0;
  const int w = f->width, h = f->height;
  const size_t n = (size_t)w * h;
  job j = {
    f, s, marks_param(f, 0, 1), marks_param(f, 2, 1.5f), marks_param(f, 4, 0.7f), marks_param(f, 5, 0.2f),
    marks_param(f, 7, 3), marks_param(f, 8, 0.15f), marks_param(f, 9, 1), marks_param(f, 10, 0.6f), marks_param(f, 11, 3),
  };
  const int length = (int)lrintf(marks_param(f, 1, 6));
  const float density = marks_param(f, 3, 0.12f);
  const int smudge = (int)lrintf(marks_param(f, 6, 0));
  for (size_t i = 0, k = 0; i < n; i++, k += 3) s->luma[i] = (0.299f * f->in[k] + 0.587f * f->in[k + 1] + 0.114f * f->in[k + 2]) / 255;
  if (!half_flow(f, s)) return 0;
  features(s);
  marks_advect(&s->adv, s->luma);
  /* Tone: the luma, smudged, through the medium's curve. */
  memcpy(s->tone, s->luma, n * sizeof(float));
  box_blur(s->tone, w, h, smudge > 1 ? smudge : 1, s->ws);
  marks_rows(h, direction_rows, &j);
  /* Contours: the gradient drawn along the edges. */
  marks_rows(h, gradient_rows, &j);
  marks_lic(s->grad, s->tx, s->ty, w, h, length, s->lines);
  for (size_t i = 0; i < n; i++) s->tone[i] = powf(s->tone[i], j.gamma);
  /* Hatching: dots carried by the picture's motion, drawn out along the form. */
  marks_stroke_seeds(&s->adv, 1, density, j.size, s->seeds);
  marks_lic(s->seeds, s->hx, s->hy, w, h, length, s->lic1);
  marks_stroke_seeds(&s->adv, 2, density, j.size, s->seeds);
  marks_lic(s->seeds, s->cx, s->cy, w, h, length, s->lic2);
  /* The hatching's mean, which β divides by: measured at a cut and kept through the shot, so the tone does not pump. */
  if (s->adv.cut) { s->mean1 = texture_mean(s->lic1, n); s->mean2 = texture_mean(s->lic2, n); }
  marks_rows(h, compose_rows, &j);
  return 1;
}
