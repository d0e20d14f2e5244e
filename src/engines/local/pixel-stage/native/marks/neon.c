/*
 * The neon look's kernel, from one RGB frame to one RGB frame, nothing random: the scene
 * sinks into a saturated night lit in magenta, violet and cyan, its forms rim-lit by two
 * gels (magenta from the left, cyan from the right, as a neon-lit portrait is), and the
 * contours of its main forms glow as tubes. The contours are the flow-guided difference
 * of Gaussians the inked looks draw their lines from (flow-lines.c; Kang, Lee, Chui,
 * Coherent Line Drawing, NPAR 2007), on a proxy of half the frame's short side; the halo
 * is the tubes' light spread a few pixels around them.
 *
 * Every choice a pixel makes is a smooth function of smoothed quantities (the luma
 * blurred at two scales, the field's coherence blurred, the lines' spread), so grain
 * and small motions do not switch anything on and off from frame to frame.
 */
/* GCC keeps a loop of selects scalar while a comparison in it might raise a floating-point
   flag early; nothing here reads those flags, and every value stays the same. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <math.h>
#include <stdlib.h>
#include "../marks.h"
#include "flow-lines.h"
#include "run-sampling.h"
#include "selects.h"
#include "primitives.h"

#define SINK_STEPS 1024
/* The FDoG's rho: the share of the surround the centre is compared with. */
#define FDOG_RHO 0.99f
/* The luma of the night where the source is black: a deep tone, never a solid black. */
#define NEON_FLOOR 0.09f
/* Most the feature-scale relief adds to or takes from the sunk tone (0..1 luma). */
#define NEON_RELIEF 0.16f
/* The two gels that rim-light the forms, magenta from the left and cyan from the right:
   which side of a form a pixel is on comes from the slope across of the luma blurred at
   SIDE_SIGMA pixels at 540p (the scale of a head or a body, not of an eye), through a
   tanh of SIDE_GAIN times it; SIDE_MIX the most of the night's light a gel takes over, RIM
   how far a rim is lifted toward a lit tone at the default strength (c 0.6; the lift grows
   with it). (cr, cb) of each gel. */
#define SIDE_SIGMA 14.0
#define SIDE_GAIN 30.0f
#define SIDE_MIX 0.85f
#define RIM 0.6f
static const float GEL_LEFT[2] = { 0.80f, 0.60f }, GEL_RIGHT[2] = { -0.84f, 0.54f };


/* The kernel's own per-pixel selects, beside selects.h's: the same results as ink_of,
   clampf and fminf for every finite input. */
/* Glow 0..1 of an FDoG response on the bright side of an edge: the response less the
   share (1 − rho) of the local luma the DoG leaves in, so a flat bright area stays off;
   ink_of of it (the tanh of a positive value is positive, of the rest not, so keeping the
   positive side is ink_of's test of the sign). */
static inline float glow_of(float response, float luma, float gain) {
  const float t = tanh_sel(-((1 - FDOG_RHO) * luma - response) * gain);
  return t > 0 ? t : 0;
}
static inline float minf(float a, float b) { return a < b ? a : b; }

/* The frame's run state, one block kept from frame to frame (fresh pages cost more than
   the arithmetic): the job, then the proxy-size planes and the per-column sample tables. */
typedef struct {
  const marks_frame *f;
  const proxy *p;
  const float *glow, *tone, *smooth, *order, *crowd, *side;
  float c, k, gain, relief, rim, sy;
  float sink[SINK_STEPS];
  /* Per output column: the proxy columns a bilinear sample reads and the right one's weight. */
  int *x0, *x1;
  float *fx;
  int width, pw, ph;
  float *planes;
} neon_job;

/* The chunk's reads: the bilinear weights of each pixel and the ten planes sampled. */
typedef struct {
  const neon_job *job;
  run_samples run;
  float r[CHUNK], g[CHUNK], b[CHUNK], luma[CHUNK], line[CHUNK], glow[CHUNK], tone[CHUNK], smooth[CHUNK], order[CHUNK], crowd[CHUNK], side[CHUNK], sink[CHUNK];
  float ro[CHUNK], go[CHUNK], bo[CHUNK];
} neon_chunk;

static void neon_shade(const neon_job *job, neon_chunk *ch, int m) {
  const float c = job->c, k = job->k, gain = job->gain, relief = job->relief;
  for (int q = 0; q < m; q++) {
    const float y = 0.299f * ch->r[q] + 0.587f * ch->g[q] + 0.114f * ch->b[q];
    const float cb = ch->b[q] - y, cr = ch->r[q] - y;
    const float chroma = sqrtf(cr * cr + cb * cb);
    /* Tubes lie on the bright side of an edge (a dark eye is ringed by light). */
    const float ink = glow_of(ch->line[q], ch->luma[q], gain);
    const float gl = ch->glow[q];
    /* The broad tone (wider than an eye) sinks into a dim range above the floor; the
       relief at the scale of features, from a lightly blurred luma, rides on it, so a
       face keeps its shading and features and a dark area its folds. An overexposed
       shot comes with its shadows brought down by the shot's tone stage (shot-tone.ts). */
    const float broad = clamp_sel(ch->tone[q], 0, 1), fine = ch->smooth[q];
    const float dark = 0.3f - 0.1f * c;
    const float base = NEON_FLOOR + (dark - NEON_FLOOR) * ch->sink[q];
    const float lift = relief * (fine - broad);
    const float limit = lift > 0 ? NEON_RELIEF : minf(NEON_RELIEF, 0.6f * (base - NEON_FLOOR) + 0.02f);
    float yo = base + limit * tanh_sel(lift / limit);
    /* Only the strongest colours keep their light (a wooden wall is coloured, not a lamp). */
    const float lamp = clamp_sel((chroma - 0.2f) / 0.12f, 0, 1);
    yo += lamp * (0.5f - 0.15f * c) * (clamp_sel(y, 0, 1) * 0.8f - yo);
    /* The night's light: violet in the shadows, magenta in the middle tones, cyan on the
       lights and on the lit side of a form, whatever colour the source had (so a grey
       shot is lit in colour too); a coloured pixel takes less of it. */
    const float h = clamp_sel(0.1f + 0.9f * broad + 2.5f * (fine - broad), 0, 1);
    const float toward_cyan = smoothstep(0.5f, 0.85f, h), toward_violet = 1 - smoothstep(0.08f, 0.32f, h);
    float tr = 0.707f + (-0.84f - 0.707f) * toward_cyan, tb = 0.707f + (0.54f - 0.707f) * toward_cyan;
    tr += (0.31f - tr) * toward_violet; tb += (0.95f - tb) * toward_violet;
    /* The gels: a form's left side lit magenta, its right side cyan, strongest at its rim
       (where the slope is steep), only on a part lighter than around it (the form, not the
       ground beside it) and only where the field is ordered (not over a texture). */
    const float sd = ch->side[q];
    const float wgt = SIDE_MIX * fabsf(sd) * smoothstep(0.0f, 0.06f, fine - broad) * smoothstep(0.35f, 0.7f, ch->order[q]);
    const float rim = job->rim * wgt * wgt;
    const float *gel = sd > 0 ? GEL_LEFT : GEL_RIGHT;
    tr += (gel[0] - tr) * wgt; tb += (gel[1] - tb) * wgt;
    yo += rim * (0.75f - yo);
    const float tn = 1 / sqrtf(tr * tr + tb * tb + 1e-6f);
    const float own = clamp_sel((chroma - 0.03f) / 0.1f, 0, 1);
    const float tint = (0.3f + 0.7f * c) * (0.1f + 0.8f * yo) * (1 - 0.55f * own * (1 - rim)) + 0.35f * rim;
    /* The source's own colours grow while the luma sinks, warm ones toward magenta (a
       skin or a wooden wall would otherwise sink to a muddy red-brown). */
    const float vivid = clamp_sel((chroma - 0.15f) / 0.15f, 0, 1);
    const float sat = (1.5f + 0.6f * k) * minf(1 + 0.4f * vivid, 0.45f + 2 * yo + 1.4f * vivid);
    const float ocr = sat * cr + tint * tr * tn, ocb = sat * (cb + fabsf(cr)) + tint * tb * tn;
    const float nr = clamp_sel(yo + ocr, 0, 1), nb = clamp_sel(yo + ocb, 0, 1), ng = clamp_sel(yo - 0.509f * ocr - 0.194f * ocb, 0, 1);
    /* The tube in the source's hue where it has one; else pink on the cyan lights and
       cyan elsewhere, the opposite of the light around it. */
    const float norm = own / (chroma + 1e-6f), pink = toward_cyan;
    const float nr0 = 0.35f + 0.65f * pink, ng0 = 0.9f - 0.55f * pink, nb0 = 1.0f - 0.1f * pink;
    const float hr = (1 - own) * nr0 + own * 0.6f + 1.6f * cr * norm;
    const float hg = (1 - own) * ng0 + own * 0.6f - 1.6f * (0.509f * cr + 0.194f * cb) * norm;
    const float hb = (1 - own) * nb0 + own * 0.6f + 1.6f * cb * norm;
    /* Tubes on the main forms only: where the field is incoherent (grass, grain, a
       textured coat) or lines crowd, they fade smoothly, and their halo with them. */
    const float ord = ch->order[q];
    const float dens = ch->crowd[q] / 0.3f;
    const float keep = smoothstep(0.35f, 0.7f, ord) / (1 + dens * dens * dens * dens);
    const float tube = 1.15f * keep * clamp_sel((ink - 0.3f) * 1.8f, 0, 1), core = 0.5f * keep * clamp_sel((ink - 0.6f) * 2.5f, 0, 1);
    const float halo = (0.8f * c + 0.6f) * (0.25f + 0.75f * keep) * gl;
    const float er = clamp_sel(tube * (hr + core) + halo * (0.2f + 0.6f * pink), 0, 1);
    const float eg = clamp_sel(tube * (hg + core) + halo * (0.75f - 0.45f * pink), 0, 1);
    const float eb = clamp_sel(tube * (hb + core) + halo, 0, 1);
    ch->ro[q] = 1 - (1 - nr) * (1 - er);
    ch->go[q] = 1 - (1 - ng) * (1 - eg);
    ch->bo[q] = 1 - (1 - nb) * (1 - eb);
  }
}

static void neon_run(void *ctx, int j, int i0, int m) {
  neon_chunk *ch = ctx;
  const neon_job *job = ch->job;
  const proxy *p = job->p;
  const int width = job->f->width;
  gather(&ch->run, p->r, ch->r);
  gather(&ch->run, p->g, ch->g);
  gather(&ch->run, p->b, ch->b);
  gather(&ch->run, p->y, ch->luma);
  gather(&ch->run, p->line, ch->line);
  gather(&ch->run, job->glow, ch->glow);
  gather(&ch->run, job->tone, ch->tone);
  gather(&ch->run, job->smooth, ch->smooth);
  gather(&ch->run, job->order, ch->order);
  gather(&ch->run, job->crowd, ch->crowd);
  gather(&ch->run, job->side, ch->side);
  for (int q = 0; q < m; q++) ch->sink[q] = job->sink[(int)(clampf(ch->tone[q], 0, 1) * (SINK_STEPS - 1) + 0.5f)];
  neon_shade(job, ch, m);
  uint8_t *out = job->f->out + ((size_t)j * width + i0) * 3;
  for (int q = 0; q < m; q++) put_rgb(out + (size_t)q * 3, ch->ro[q], ch->go[q], ch->bo[q]);
}

static void neon_rows(void *ctx, int y0, int y1) {
  const neon_job *job = ctx;
  neon_chunk chunk;
  chunk.job = job;
  for_each_run(job->p, job->sy, job->x0, job->x1, job->fx, job->f->width, y0, y1, &chunk.run, neon_run, &chunk);
}

/*
 * A Gaussian blur, the same sums as flow_lines_blur's (taps to 2σ, at most 24, clamped
 * edges), laid out so they vectorise and spread over the stage's threads: each row
 * padded with its edge values, then each tap added across a whole row.
 */
#define MAX_TAPS 24
typedef struct {
  const float *src;
  float *dst, *tmp;
  int w, h, r;
  float k[MAX_TAPS + 1];
} blur_job;

static void blur_across(void *ctx, int y0, int y1) {
  const blur_job *b = ctx;
  const int w = b->w, r = b->r;
  float pad[w + 2 * r];
  for (int j = y0; j < y1; j++) {
    const float *row = b->src + (size_t)j * w;
    float *out = b->tmp + (size_t)j * w;
    for (int i = 0; i < r; i++) { pad[i] = row[0]; pad[r + w + i] = row[w - 1]; }
    for (int i = 0; i < w; i++) pad[r + i] = row[i];
    const float *mid = pad + r;
    for (int i = 0; i < w; i++) out[i] = b->k[0] * mid[i];
    for (int d = 1; d <= r; d++) {
      const float kd = b->k[d];
      for (int i = 0; i < w; i++) out[i] += kd * (mid[i - d] + mid[i + d]);
    }
  }
}

static void blur_down(void *ctx, int y0, int y1) {
  const blur_job *b = ctx;
  const int w = b->w, h = b->h, r = b->r;
  for (int j = y0; j < y1; j++) {
    float *out = b->dst + (size_t)j * w;
    const float *row = b->tmp + (size_t)j * w;
    for (int i = 0; i < w; i++) out[i] = b->k[0] * row[i];
    for (int d = 1; d <= r; d++) {
      const float kd = b->k[d];
      const float *above = b->tmp + (size_t)clampi(j - d, 0, h - 1) * w, *below = b->tmp + (size_t)clampi(j + d, 0, h - 1) * w;
      for (int i = 0; i < w; i++) out[i] += kd * (above[i] + below[i]);
    }
  }
}

static void blur(const float *src, int w, int h, double sigma, float *dst, float *tmp) {
  blur_job b = { .src = src, .dst = dst, .tmp = tmp, .w = w, .h = h };
  int r = (int)ceil(2 * sigma);
  b.r = r = r > MAX_TAPS ? MAX_TAPS : r < 1 ? 1 : r;
  for (int d = 0; d <= r; d++) b.k[d] = (float)exp(-(double)d * d / (2 * sigma * sigma));
  float sum = b.k[0];
  for (int d = 1; d <= r; d++) sum += 2 * b.k[d];
  for (int d = 0; d <= r; d++) b.k[d] /= sum;
  marks_rows(h, blur_across, &b);
  marks_rows(h, blur_down, &b);
}

/* The run state for a frame of `width` columns and a proxy of pw × ph: the one kept when
   it fits, else a new one; NULL when out of memory. */
static neon_job *neon_state(const marks_frame *f, int pw, int ph) {
  neon_job *job = *f->state;
  if (job && job->width == f->width && job->pw == pw && job->ph == ph) return job;
  free(job);
  const size_t n = (size_t)pw * ph;
  job = malloc(sizeof(neon_job) + n * 6 * sizeof(float) + (size_t)f->width * (2 * sizeof(int) + sizeof(float)));
  *f->state = job;
  if (!job) return NULL;
  job->width = f->width; job->pw = pw; job->ph = ph;
  job->planes = (float *)(job + 1);
  job->fx = job->planes + n * 6;
  job->x0 = (int *)(job->fx + f->width);
  job->x1 = job->x0 + f->width;
  run_columns(f->width, pw, job->x0, job->x1, job->fx);
  for (int q = 0; q < SINK_STEPS; q++) job->sink[q] = (float)pow(q / (SINK_STEPS - 1.0), 0.9);
  return job;
}

/* Params: [0] intensity k (0..~1.7, default 1). */
int marks_neon(const marks_frame *f) {
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  proxy p;
  if (!flow_lines_proxy(f->in, f->width, f->height, &p)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  neon_job *job = neon_state(f, p.w, p.h);
  const int ok = job && flow_lines_field(&p, 2.5 * u);
  if (ok) {
    float *planes = job->planes;
    float *glow = planes, *tone = planes + n, *smooth = planes + 2 * n, *order = planes + 3 * n, *crowd = planes + 4 * n, *side = planes + 5 * n;
    const double gain = 40 + 40 * k;
    flow_lines_fdog(&p, p.y, (1.6 + 0.4 * c) * u, FDOG_RHO, 3 * u);
    /* The halo: the tubes' light spread a few pixels around them. The broad tone: the luma
       blurred at about 2 % of the frame, wider than an eye or a mouth; the relief from the
       luma blurred a little, so the grain it would carry does not flicker; the order of
       the field (its coherence) blurred, so the tubes fade over a textured area as a whole;
       the lines' density over a wider area, so they fade where they crowd. */
    for (size_t q = 0; q < n; q++) p.tmp2[q] = glow_of(p.line[q], p.y[q], (float)gain);
    blur(p.tmp2, p.w, p.h, (3 + 3 * c) * u, glow, p.tmp3);
    blur(p.y, p.w, p.h, 22 * u, tone, p.tmp3);
    blur(p.y, p.w, p.h, 3.5 * u, smooth, p.tmp3);
    blur(p.coh, p.w, p.h, 6 * u, order, p.tmp3);
    blur(p.tmp2, p.w, p.h, 10 * u, crowd, p.tmp3);
    /* Which side of a form a pixel is on: the slope across of the luma blurred at the forms' scale. */
    float *form = p.tmp2;
    blur(p.y, p.w, p.h, SIDE_SIGMA * u, form, p.tmp3);
    for (int j = 0; j < p.h; j++)
      for (int i = 0; i < p.w; i++) {
        const size_t q = (size_t)j * p.w + i;
        const float gx = form[q + (i + 1 < p.w)] - form[q - (i > 0)];
        side[q] = tanhf(gx / (float)u * SIDE_GAIN);
      }
    job->f = f; job->p = &p; job->glow = glow; job->tone = tone; job->smooth = smooth; job->order = order; job->crowd = crowd; job->side = side;
    job->c = (float)c; job->k = (float)k; job->gain = (float)gain;
    job->relief = (float)(1.7 - 0.3 * c);
    job->rim = (float)(RIM * (0.4 + c));
    job->sy = (float)p.h / f->height;
    marks_rows(f->height, neon_rows, job);
  }
  flow_lines_free(&p);
  return ok;
}
