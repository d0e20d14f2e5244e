/*
 * The pop art kernel, from one RGB frame to one RGB frame, nothing random: the picture
 * printed as a screen print in a few loud inks, after Warhol's portraits and
 * Lichtenstein's panels. The frame is abstracted into flat areas (the flow-guided
 * bilateral filter the inked looks use, flow-lines.c), each area's colour decided by
 * its tone band and its hue family rather than channel by channel (three levels a
 * channel made 27 inks, and a fur or a wall broke into specks of them):
 *
 * - the tone, evened out by area (dark surroundings lifted) and lifted by the shot's
 *   median so a dark shot prints as a lit one, falls in one of four bands: paper in the
 *   highlights, a light tint, the full ink, and a navy shadow ink;
 * - the hue, from the areas' chroma blurred wider still and taken against their tone
 *   (a shaded part keeps its hue), picks one ink of a fixed set (red, orange, yellow,
 *   green, blue, violet, magenta), the nearest far above the rest, so an area is one
 *   ink; skin (a hue between red and orange, less saturated than either ink) prints as
 *   Lichtenstein printed it, red dots on a pale pink in the light and flat salmon in the
 *   middle, and shade on skin's hue in red-brown, so a face keeps its features rather
 *   than becoming a navy mask; a near-grey area prints in sky blue and pale yellow;
 * - a light tint is the ink lightened toward the paper under Ben-Day dots of the full
 *   ink, on a screen turned 45° and fixed to the frame, the dots sized by tone (a
 *   halftone) and, on skin, kept clear of the lines (a face's features);
 * - bold black outlines from the flow-guided difference of Gaussians (Kang, Lee, Chui,
 *   Coherent Line Drawing, NPAR 2007) of the frame before the smoothing, only the strong
 *   edges (a texture's faint ones, fur or grass, crawled as it moved), steadied over
 *   time so a line that only crawls holds still.
 *
 * The inks are worked out on a proxy of half the frame's short side and sampled
 * bilinearly, so the border between two inks is anti-aliased; the dots and the lines
 * are thresholded at full size. Over time the areas are steadied where they barely
 * change and the median lift follows the shot slowly (renewed at a jump), so an area
 * near a band's step does not flip from frame to frame and the bands do not pump.
 *
 * Params: [0] intensity k (0..~1.7, default 1), [1] dot period at 540p (pixels, 5 if not given).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../marks.h"
#include "flow-lines.h"
#include "run-sampling.h"
#include "selects.h"
#include "primitives.h"

#define HUES 7
#define TONE_STEPS 1024
#define COS_STEPS 1024
/* The inks' colours (0..1 RGB): red, orange, yellow, green, blue, violet, magenta. */
static const float INKS[HUES][3] = {
  { 0.90f, 0.10f, 0.15f }, { 0.98f, 0.52f, 0.08f }, { 1.00f, 0.85f, 0.05f }, { 0.10f, 0.65f, 0.30f },
  { 0.10f, 0.38f, 0.82f }, { 0.50f, 0.20f, 0.68f }, { 0.88f, 0.18f, 0.58f },
};
static const float PAPER[3] = { 0.99f, 0.97f, 0.92f };
static const float SHADOW[3] = { 0.10f, 0.12f, 0.44f };
/* Skin: the light tint (under red dots), the middle ink and the shadow. */
static const float SKIN[3][3] = { { 0.97f, 0.69f, 0.66f }, { 0.97f, 0.48f, 0.42f }, { 0.55f, 0.18f, 0.22f } };
/* The direction of skin's hue in (b − y, r − y). */
static const float SKIN_DIR[2] = { -0.66f, 0.75f };
/* A near-grey area: pale yellow lights, a sky-blue middle. */
static const float GREY_LIGHT[3] = { 0.99f, 0.92f, 0.55f };
static const float GREY_MID[3] = { 0.35f, 0.68f, 0.92f };
/* The tone bands' lower bounds (lifted luma) and the width of the step between two. */
#define BAND_MID 0.2f
#define BAND_LIGHT 0.6f
#define BAND_PAPER 0.9f
/* How far a coloured light tint is lightened toward the paper (its dots print the full ink). */
#define TINT 0.55f
#define BAND_STEP 0.03f
/* The exposure evened out by area: surroundings darker than EVEN_TOWARD lifted by EVEN_LIFT of what they lack. */
#define EVEN_TOWARD 0.4f
#define EVEN_LIFT 0.5f
/* Share of the median's change a frame takes, except at a jump. */
#define MEDIAN_RENEW 0.1f

typedef struct {
  const marks_frame *f;
  const proxy *p;
  const float *ir, *ig, *ib, *dots; /* the flat ink per proxy pixel; how much of it prints as dots */
  float gain, period, sy, c;
  int *x0, *x1;
  float *fx;
  int width, pw, ph;
  float median; /* the shot's median, followed slowly; < 0 before the first frame */
  int steady;   /* 1 once the previous frame's areas and lines are kept (planes 7 to 10) */
  float *planes, *proxy, *work;
  uint8_t *rgb;
  float tone[TONE_STEPS]; /* the lifted tone of each luma step, this frame */
  float cos[COS_STEPS];   /* cos(2π·q / COS_STEPS): the dot screen's waves */
} pop_job;

/*
 * The run state, one block kept from frame to frame (fresh pages cost more than the
 * arithmetic): the job, POP_PLANES proxy planes of its own, the proxy's 11 planes, the
 * bilateral filter's scratch (which the field of directions' six planes fit in), the
 * proxy's colour bytes, and the per-column sample tables.
 */
#define POP_PLANES 11
static pop_job *pop_state(const marks_frame *f) {
  int pw, ph;
  flow_lines_proxy_size(f->width, f->height, &pw, &ph);
  pop_job *job = *f->state;
  if (job && job->width == f->width && job->pw == pw && job->ph == ph) return job;
  free(job);
  const size_t n = (size_t)pw * ph, floats = n * (POP_PLANES + 11) + FLOW_LINES_BILATERAL_WORK(pw, ph);
  job = malloc(sizeof(pop_job) + floats * sizeof(float) + (size_t)f->width * (2 * sizeof(int) + sizeof(float)) + n * 3);
  *f->state = job;
  if (!job) return NULL;
  job->width = f->width; job->pw = pw; job->ph = ph;
  job->median = -1;
  job->steady = 0;
  job->planes = (float *)(job + 1);
  job->proxy = job->planes + n * POP_PLANES;
  job->work = job->proxy + n * 11;
  job->fx = job->work + FLOW_LINES_BILATERAL_WORK(pw, ph);
  job->x0 = (int *)(job->fx + f->width);
  job->x1 = job->x0 + f->width;
  job->rgb = (uint8_t *)(job->x1 + f->width);
  run_columns(f->width, pw, job->x0, job->x1, job->fx);
  for (int q = 0; q < COS_STEPS; q++) job->cos[q] = cosf(6.2831853f * (float)q / COS_STEPS);
  return job;
}

/* Weight 0..1 of the band above `bound` at lifted tone `t`. */
static inline float band_above(float t, float bound) { return smoothstep(bound - BAND_STEP, bound + BAND_STEP, t); }

/*
 * The ink of every proxy pixel: its tone band and its hue family (see the header); the
 * smoothed areas' colour in p->r, g, b, their chroma blurred wider in cb, cr.
 */
static void inks(const proxy *p, const float *cb, const float *cr, const float *around, const float *features, const float *tone, float c, float *ir, float *ig, float *ib, float *dots) {
  const size_t n = (size_t)p->w * p->h;
  float dir[HUES][2];
  for (int h = 0; h < HUES; h++) {
    const float y = 0.299f * INKS[h][0] + 0.587f * INKS[h][1] + 0.114f * INKS[h][2];
    const float b = INKS[h][2] - y, r = INKS[h][0] - y, len = sqrtf(b * b + r * r);
    dir[h][0] = b / len; dir[h][1] = r / len;
  }
  for (size_t q = 0; q < n; q++) {
    const float y = clampf(0.299f * p->r[q] + 0.587f * p->g[q] + 0.114f * p->b[q], 0, 1);
    /* The exposure evened out by area first: dark surroundings lifted (at most 3 times), so a face in the shadow of a lit scene prints in the inks a lit one does. */
    const float a = around[q] > 0.01f ? around[q] : 0.01f;
    const float gain = fminf(3, (a + EVEN_LIFT * fmaxf(EVEN_TOWARD - a, 0)) / a);
    const float t = tone[(int)(fminf(y * gain, 1) * (TONE_STEPS - 1) + 0.5f)];
    /* The chroma, and the saturation against the tone, so a shaded part of a coloured area keeps its hue. */
    const float cs = sqrtf(cb[q] * cb[q] + cr[q] * cr[q]);
    const float s = cs / (0.1f + 0.9f * y) * 0.55f;
    /* The hue's ink: the nearest by angle, its neighbours blended in only near a border. */
    float wsum = 0, ink[3] = { 0, 0, 0 };
    for (int h = 0; h < HUES; h++) {
      const float cosang = cs > 1e-6f ? (cb[q] * dir[h][0] + cr[q] * dir[h][1]) / cs : 0;
      /* cos³² (about exp(32 (cos − 1)) near 1): the nearest ink's weight far above the rest. */
      float w = cosang > 0 ? cosang : 0;
      w *= w; w *= w; w *= w; w *= w; w *= w;
      w += 1e-12f;
      wsum += w;
      for (int k = 0; k < 3; k++) ink[k] += w * INKS[h][k];
    }
    for (int k = 0; k < 3; k++) ink[k] /= wsum;
    /* How coloured the area is. */
    const float coloured = smoothstep(0.025f, 0.06f, s);
    /* Skin: a hue between red and orange, not as saturated as a red or an orange ink. */
    const float skinward = cs > 1e-6f ? (cb[q] * SKIN_DIR[0] + cr[q] * SKIN_DIR[1]) / cs : 0;
    const float skin = coloured * smoothstep(0.85f, 0.95f, skinward) * smoothstep(0.3f, 0.2f, s);
    /* A shadow on skin's hue, however faint its colour there, prints red-brown rather than the navy that made a shaded face a mask. */
    const float shaded_skin = smoothstep(0.7f, 0.9f, skinward) * smoothstep(0.01f, 0.03f, cs);
    const float hi = band_above(t, BAND_PAPER), light = band_above(t, BAND_LIGHT) - hi, mid = band_above(t, BAND_MID) - band_above(t, BAND_LIGHT), dark = 1 - band_above(t, BAND_MID);
    float out[3];
    for (int k = 0; k < 3; k++) {
      const float lit = coloured * (ink[k] + TINT * (PAPER[k] - ink[k])) + (1 - coloured) * GREY_LIGHT[k];
      const float full = coloured * ink[k] + (1 - coloured) * GREY_MID[k];
      const float l = skin * SKIN[0][k] + (1 - skin) * lit;
      const float m = skin * SKIN[1][k] + (1 - skin) * full;
      const float d = shaded_skin * SKIN[2][k] + (1 - shaded_skin) * SHADOW[k];
      out[k] = hi * PAPER[k] + light * l + mid * m + dark * d;
    }
    /* Below full strength, part of the area's own colour shows through. */
    ir[q] = c * out[0] + (1 - c) * p->r[q];
    ig[q] = c * out[1] + (1 - c) * p->g[q];
    ib[q] = c * out[2] + (1 - c) * p->b[q];
    /* A coloured light tint, skin's too, prints dots of the full ink over it (greys print
       flat), as a halftone: the dots grow from the light end of the band to its dark end,
       so a lit cheek or a highlight prints nearly clean and its shaded side in full dots. */
    dots[q] = light * coloured * (0.3f + 0.7f * (1 - smoothstep(BAND_LIGHT, BAND_PAPER, t)));
    /* A face's features stay clear of the screen: on skin, no dots beside the lines. */
    dots[q] *= 1 - skin * smoothstep(0.05f, 0.2f, features[q]);
  }
}

/*
 * The areas steadied over time where they barely change (as a recursive temporal filter
 * does): a pixel moves toward this frame's colour by a share that grows with the change,
 * all of it from a change of STEADY_JUMP on, so an area near the step between two bands
 * or two inks does not flip from frame to frame, while motion and cuts pass at once.
 * `kept` holds the previous frame's three planes (written back); `have` 0 on a first frame.
 */
#define STEADY_JUMP 0.12f
/* One plane steadied so, a change of `jump` passing at once; `was` the previous frame's
   (written back). */
static void steady_plane(float *now, float *was, size_t n, float jump, int have) {
  for (size_t q = 0; q < n; q++) {
    if (have) {
      const float d = now[q] - was[q], t = fabsf(d) / jump;
      now[q] = was[q] + d * (0.25f + 0.75f * (t < 1 ? t * t : 1));
    }
    was[q] = now[q];
  }
}

static void steady_areas(proxy *p, float *kept, int have) {
  const size_t n = (size_t)p->w * p->h;
  float *planes[3] = { p->r, p->g, p->b };
  for (int k = 0; k < 3; k++) steady_plane(planes[k], kept + (size_t)k * n, n, STEADY_JUMP, have);
}

typedef struct {
  const pop_job *job;
  run_samples run;
  float r[CHUNK], g[CHUNK], b[CHUNK], line[CHUNK], dots[CHUNK];
  float ro[CHUNK], go[CHUNK], bo[CHUNK];
} pop_chunk;

/* Round dots on a grid of `period` pixels at 45°, 0..1 (the screen's level; ink where it is above a threshold), its waves from the table. */
static inline float screen_at(const float *cos_table, float x, float y, float period) {
  const float u = (x + y) * 0.70710678f / period, v = (y - x) * 0.70710678f / period;
  const float fu = u - floorf(u), fv = v - floorf(v);
  return 0.5f + 0.25f * (cos_table[(int)(fu * COS_STEPS) & (COS_STEPS - 1)] + cos_table[(int)(fv * COS_STEPS) & (COS_STEPS - 1)]);
}

static void pop_run(void *ctx, int j, int i0, int m) {
  pop_chunk *ch = ctx;
  const pop_job *job = ch->job;
  const proxy *p = job->p;
  const int width = job->f->width;
  gather(&ch->run, job->ir, ch->r);
  gather(&ch->run, job->ig, ch->g);
  gather(&ch->run, job->ib, ch->b);
  gather(&ch->run, p->line, ch->line);
  gather(&ch->run, job->dots, ch->dots);
  for (int q = 0; q < m; q++) {
    const float sc = ch->dots[q] > 0 ? screen_at(job->cos, (float)(i0 + q), (float)j, job->period) : 0;
    /* The dot's size from its share: none at 0 (the screen's peak is 1), about a third of the screen at 1. */
    const float at = 1.04f - 0.49f * ch->dots[q];
    const float full = smoothstep(at - 0.04f, at + 0.04f, sc);
    const float t = tanh_sel(-ch->line[q] * job->gain);
    /* Only the strong edges: a texture's faint ones (fur, grass) left out. */
    const float keep = 1 - clamp_sel((t - 0.3f) / 0.45f, 0, 1);
    /* The dot's ink: the tint with the paper taken back out of it. */
    ch->ro[q] = (ch->r[q] + full * ((ch->r[q] - TINT * PAPER[0]) / (1 - TINT) - ch->r[q])) * keep;
    ch->go[q] = (ch->g[q] + full * ((ch->g[q] - TINT * PAPER[1]) / (1 - TINT) - ch->g[q])) * keep;
    ch->bo[q] = (ch->b[q] + full * ((ch->b[q] - TINT * PAPER[2]) / (1 - TINT) - ch->b[q])) * keep;
  }
  uint8_t *out = job->f->out + ((size_t)j * width + i0) * 3;
  for (int q = 0; q < m; q++) put_rgb(out + (size_t)q * 3, ch->ro[q], ch->go[q], ch->bo[q]);
}

static void pop_rows(void *ctx, int y0, int y1) {
  const pop_job *job = ctx;
  pop_chunk chunk;
  chunk.job = job;
  for_each_run(job->p, job->sy, job->x0, job->x1, job->fx, job->f->width, y0, y1, &chunk.run, pop_run, &chunk);
}

/* A box blur's radius for `r` proxy pixels: rounded, at least 1. */
static int box_radius(double r) {
  const int v = (int)lround(r);
  return v > 1 ? v : 1;
}

/* `src` blurred into `dst` by two box blurs of radius `r` (about a Gaussian of σ √(r(r + 1)·2/3)); `tmp` w × h + w floats. */
static void soft_blur(const float *src, float *dst, int w, int h, int r, float *tmp) {
  memcpy(dst, src, (size_t)w * h * sizeof(float));
  marks_box_blur(dst, w, h, r, tmp);
  marks_box_blur(dst, w, h, r, tmp);
}

int marks_pop_art(const marks_frame *f) {
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  pop_job *job = pop_state(f);
  proxy p;
  if (!job || !flow_lines_proxy_in(f->in, f->width, f->height, &p, job->proxy, job->rgb)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  float *ir = job->planes, *ig = ir + n, *ib = ig + n, *dots = ib + n, *cb = dots + n, *cr = cb + n, *around = cr + n, *kept = around + n;
  if (!flow_lines_field_in(&p, 2.5 * u, job->work)) return 0;
  /* Lines from the frame before the smoothing (the smoothing would move them). */
  flow_lines_fdog(&p, p.y, (2 + 0.4 * c) * u, 0.99, 3 * u);
  if (!flow_lines_bilateral(&p, 1, (5 + 3 * c) * u, (1.5 + 0.5 * c) * u, 0.1 + 0.05 * c, job->work)) return 0;
  const int had = job->steady;
  steady_areas(&p, kept, had);
  job->steady = 1;
  for (size_t q = 0; q < n; q++) {
    p.y[q] = 0.299f * p.r[q] + 0.587f * p.g[q] + 0.114f * p.b[q];
    p.tmp2[q] = p.b[q] - p.y[q];
    p.tmp3[q] = p.r[q] - p.y[q];
  }
  /* The areas' chroma spread wider (σ about 6 px at 540p), their surroundings' tone wider still (about 16). */
  const int r_hue = box_radius(4.5 * u), r_around = box_radius(13 * u);
  soft_blur(p.tmp2, cb, p.w, p.h, r_hue, job->work);
  soft_blur(p.tmp3, cr, p.w, p.h, r_hue, job->work);
  soft_blur(p.y, around, p.w, p.h, r_around, job->work);
  /* The lift: the shot's median toward 0.5 (a dark shot brought up, at most by γ 0.45), tabulated. */
  unsigned hist[256];
  flow_lines_luma_histogram(&p, hist);
  const float med = flow_lines_luma_quantile(hist, n, 0.5);
  job->median = job->median < 0 || fabsf(med - job->median) > 0.15f ? med : job->median + MEDIAN_RENEW * (med - job->median);
  const float m = clampf(job->median, 0.03f, 0.97f);
  const float gamma = clampf(logf(0.5f) / logf(m), 0.45f, 1.3f);
  for (int q = 0; q < TONE_STEPS; q++) job->tone[q] = powf((float)q / (TONE_STEPS - 1), gamma);
  /* The lines steadied as the areas are: a change of the ink's scale (1 / gain) passes at
     once (an edge that moves), a smaller one is damped (a line that only crawls). */
  const float gain = (float)(40 + 50 * k);
  steady_plane(p.line, kept + 3 * n, n, 1.0f / gain, had);
  /* Where the lines are (the strong ones, spread a few pixels): a face's features. */
  for (size_t q = 0; q < n; q++) p.tmp2[q] = ink_of(p.line[q], gain);
  soft_blur(p.tmp2, p.tmp3, p.w, p.h, box_radius(6 * u), job->work);
  inks(&p, cb, cr, around, p.tmp3, job->tone, (float)(0.7 + 0.3 * c), ir, ig, ib, dots);
  job->f = f; job->p = &p; job->ir = ir; job->ig = ig; job->ib = ib; job->dots = dots;
  job->c = (float)c; job->gain = gain;
  job->period = (float)(marks_param(f, 1, 5) * (f->width < f->height ? f->width : f->height) / 540.0);
  job->sy = (float)p.h / f->height;
  marks_rows(f->height, pop_rows, job);
  return 1;
}
