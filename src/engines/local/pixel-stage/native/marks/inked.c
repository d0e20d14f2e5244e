/*
 * The inked looks' kernels: ink comic and cartoon (neon, lit from the same lines: neon.c),
 * each from one RGB frame to one RGB frame, nothing random, so a still picture gives the
 * same output every frame.
 *
 * Lines are the flow-guided difference of Gaussians (FDoG; Kang, Lee, Chui, Coherent
 * Line Drawing, NPAR 2007): a 1-D DoG across the edge (along the gradient), then a
 * Gaussian along the edge's streamline in the field of directions (flow.c), so a line
 * stays continuous where a plain DoG breaks into dashes. The flat regions come from a
 * flow-guided bilateral filter (Kang et al., Flow-Based Image Abstraction, 2009) of small
 * reach, two separable passes, then a soft quantisation of the luma (Winnemöller et al.,
 * Real-Time Video Abstraction, 2006) whose steps soften where the picture is detailed:
 * eyes and mouths keep their shading instead of merging into one band.
 *
 * The ink comic composes its own way (comic_rows): hard tone steps and the region's tint,
 * bold contours, spotted blacks (flat masses; on a dark or washed-out shot large ones), a
 * dot screen in the middle shadows and the unspotted darks, a print palette on grey; on a
 * washed-out shot lines of one weight along the ridges and screen tone over a texture
 * (washed_lines), the whole framed as a panel on the page (panel_border). The cartoon
 * keeps its tones and colours as they were before it was split off; its outlines are
 * drawn from the smoothed frame (cartoon_lines).
 *
 * Everything is computed on a proxy of half the frame's short side (270 to 540 pixels);
 * the full frame samples it bilinearly and the lines are thresholded at full size, so
 * they stay crisp for a quarter of the work.
 */
/* GCC keeps a loop of selects scalar while a comparison in it might raise a floating-point
   flag early; nothing here reads those flags, and every value stays the same. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../marks.h"
#include "flow-lines.h"
#include "primitives.h"
#include "run-sampling.h"
#include "selects.h"

#define LIFT_STEPS 1024
/* How many times the base steepness of the soft quantisation (Winnemöller et al.) the ink
   comic's and the cartoon's tone steps take: on a smooth area a step then rises over a
   fifth of its span or less, a flat fill rather than a photographic gradient. */
#define FLAT_STEPS 4.0f
#define CEL_STEPS 3.0f
/* The cartoon's outlines, from the smoothed frame: the FDoG's centre this many times the
   features'; both reach LINE_REACH pixels along the streamline at 540p (a reach of 5 drew
   the same outlines for about 5 % more of the look's CPU), so one trace of the streamline
   serves both (flow_lines_fdog_pair). The ink rises from OUTLINE_FROM times the gain's
   unit response over OUTLINE_WIDTH; a feature's mark from the frame's own lines from
   FEATURE_FROM over FEATURE_WIDTH. */
#define OUTLINE_SIGMA 1.5
#define LINE_REACH 3.0
#define OUTLINE_FROM 0.45f
#define OUTLINE_WIDTH 0.4f
#define FEATURE_FROM 0.3f
#define FEATURE_WIDTH 0.8f
/* Where the frame's own lines crowd (a texture: fur, foliage, a patterned shirt), the
   outlines rise from this much more and the features' marks are left out: only the main
   strokes of the texture are inked. BUSY_FROM / BUSY_WIDTH: the share of the neighbourhood
   (σ BUSY_SIGMA pixels at 540p) the fine lines ink, from which it counts as crowded. */
#define BUSY_RAISE 2.0f
#define BUSY_SIGMA 5.0
#define BUSY_FROM 0.15f
#define BUSY_WIDTH 0.15f
/* Lines that crowd along one direction (a lattice tower, a railing) are a structure, not a
   texture: from this coherence of the field (full from twice it) they count less as crowded. */
#define BUSY_COH 0.3f
/* How much further a feature's mark's threshold rises where the lines crowd: out of reach. */
#define BUSY_DROP 3.0f
/* Skin's hue: red over luma from SKIN_CR (full from twice it), blue under it. */
#define SKIN_CR 0.02f
/* A small light (a plaque on a wall, a fleck on a lawn, a glint) narrower than
   2 × LIGHT_RADIUS + 1 pixels at 540p in every direction is left out of the luma the
   lines are drawn from: a difference of Gaussians rings such a spot with a bold black
   circle, which viewers read as a pair of eyes on a wall, and an eye's small white with
   a black ring. Not spared on skin's hue: a brick wall has it too. */
#define LIGHT_RADIUS 6.0
#define COS_STEPS 1024
static float cos_table[COS_STEPS];
static int cos_ready = 0;
/* cos(2π·t) for any t, from a table. */
static inline float turn_cos(float t) {
  const float f = t - floorf(t);
  return cos_table[(int)(f * COS_STEPS) & (COS_STEPS - 1)];
}


/* The kernel's own per-pixel selects, beside selects.h's: the same results as ink_of,
   clampf, fminf and fmaxf for every finite input. */
/* A hard ramp: 0 below `from`, 1 from `from + width`. */
static inline float ramp_sel(float v, float from, float width) { return clamp_sel((v - from) / width, 0, 1); }
/* A soft staircase of steps `step` apart over 0..1; `sharp` the steepness of each step.
   `v` is never negative (a lifted luma), so floorf of v / step + 0.5 is its truncation,
   which vectorises where floorf does not. */
static inline float quantise_sel(float v, float step, float sharp) {
  const float q = (float)(int)(v / step + 0.5f) * step;
  return q + 0.5f * step * tanh_sel(sharp * (v - q) / step);
}

/* Luma detail of the proxy (gradient magnitude, 0..~1), for the quantisation's softness. */
static float detail_at(const proxy *p, int i, int j) {
  const int l = clampi(i - 1, 0, p->w - 1), r = clampi(i + 1, 0, p->w - 1), u = clampi(j - 1, 0, p->h - 1), d = clampi(j + 1, 0, p->h - 1);
  const float gx = p->y[(size_t)j * p->w + r] - p->y[(size_t)j * p->w + l], gy = p->y[(size_t)d * p->w + i] - p->y[(size_t)u * p->w + i];
  return sqrtf(gx * gx + gy * gy);
}

/* Hash-free dot screen: threshold 0..1 of round dots on a grid of `period` pixels at 45°. */
static inline float dot_screen(float x, float y, float period) {
  const float u = (x + y) * 0.70710678f / period, v = (y - x) * 0.70710678f / period;
  return 0.5f + 0.25f * (turn_cos(u) + turn_cos(v));
}

/* A palette of five colours by tone (0 dark .. 1 light), as chroma (b − y, r − y), that a
   grey part is coloured in. */
typedef struct { float cb[5], cr[5]; } tone_palette;

/* The comic's print colours: deep blue, steel blue, red, flesh, pale yellow. */
static const tone_palette PRINT = { { 0.16f, 0.20f, -0.12f, -0.20f, -0.14f }, { -0.06f, -0.10f, 0.25f, 0.12f, 0.03f } };
/* The cel painter's: violet shadows, a cool blue, warm tan and peach middles, cream lights. */
static const tone_palette CEL = { { 0.20f, 0.16f, -0.14f, -0.15f, -0.08f }, { 0.07f, -0.03f, 0.14f, 0.12f, 0.03f } };

static void palette_at(const tone_palette *pal, float t, float *cb, float *cr) {
  const float x = clampf(t, 0, 1) * 4;
  const int a = x >= 4 ? 3 : (int)x;
  const float f = x - (float)a;
  *cb = pal->cb[a] + (pal->cb[a + 1] - pal->cb[a]) * f;
  *cr = pal->cr[a] + (pal->cr[a + 1] - pal->cr[a]) * f;
}

/* How grey the proxy's colour is, 0 (coloured) .. 1 (a black-and-white frame). */
static double greyness(const proxy *p) {
  const size_t n = (size_t)p->w * p->h;
  double sum = 0;
  for (size_t q = 0; q < n; q++) {
    const float y = 0.299f * p->r[q] + 0.587f * p->g[q] + 0.114f * p->b[q];
    const float cb = p->b[q] - y, cr = p->r[q] - y;
    sum += sqrt(cb * cb + cr * cr);
  }
  return 1 - fmin(1, sum / (double)n / 0.05);
}

/* The detail of every proxy pixel: detail_at's sums, its clamps only on the first and last column. */
static void detail_plane(const proxy *p, float *detail) {
  const int w = p->w;
  for (int j = 0; j < p->h; j++) {
    const float *up = p->y + (size_t)clampi(j - 1, 0, p->h - 1) * w, *down = p->y + (size_t)clampi(j + 1, 0, p->h - 1) * w, *row = p->y + (size_t)j * w;
    float *out = detail + (size_t)j * w;
    out[0] = detail_at(p, 0, j);
    for (int i = 1; i < w - 1; i++) {
      const float gx = row[i + 1] - row[i - 1], gy = down[i] - up[i];
      out[i] = sqrtf(gx * gx + gy * gy);
    }
    if (w > 1) out[w - 1] = detail_at(p, w - 1, j);
  }
}

/*
 * A kernel's run state, one block kept from frame to frame (fresh pages cost more than
 * the arithmetic): the kernel's own proxy-size planes, scratch (the field of directions'
 * six planes, then the bilateral filter's eight planes and a little more), the proxy's planes and colour bytes, and per
 * output column the proxy columns a bilinear sample reads (bilinear_at's) and the right
 * one's weight.
 */
typedef struct {
  int width, height, pw, ph;
  int *x0, *x1;
  float *fx;
  float *planes, *work, *proxy;
  uint8_t *rgb;
} inked_state;

/* The run state for a frame of `f`'s size with `count` planes of its own: the one kept
   when it fits, else a new one; NULL when out of memory. */
static inked_state *inked_keep(const marks_frame *f, int count) {
  inked_state *s = *f->state;
  if (s && s->width == f->width && s->height == f->height) return s;
  free(s);
  int pw, ph;
  flow_lines_proxy_size(f->width, f->height, &pw, &ph);
  const size_t n = (size_t)pw * ph;
  s = malloc(sizeof(inked_state) + (n * (count + 11) + FLOW_LINES_BILATERAL_WORK(pw, ph)) * sizeof(float) + (size_t)f->width * (2 * sizeof(int) + sizeof(float)) + n * 3);
  *f->state = s;
  if (!s) return NULL;
  s->width = f->width; s->height = f->height; s->pw = pw; s->ph = ph;
  s->planes = (float *)(s + 1);
  s->work = s->planes + n * count;
  s->proxy = s->work + FLOW_LINES_BILATERAL_WORK(pw, ph);
  s->fx = s->proxy + n * 11;
  s->x0 = (int *)(s->fx + f->width);
  s->x1 = s->x0 + f->width;
  s->rgb = (uint8_t *)(s->x1 + f->width);
  run_columns(f->width, pw, s->x0, s->x1, s->fx);
  return s;
}

/* The cartoon's per-pixel composition of the full frame. */
typedef struct {
  const marks_frame *f;
  const proxy *p;
  const inked_state *s;
  const float *detail;
  float c, k, sx, sy;
  float palette; /* how much of the cel palette a grey part takes: all on a black-and-white frame */
  float lift[LIFT_STEPS];
} compose_job;

/* A run's luma and its value through the shot's lift table (LIFT_STEPS entries over 0..1): both full-size passes start so. */
static inline void luma_lifted(const float *lift, const float *r, const float *g, const float *b, int m, float *y, float *lifted) {
  for (int q = 0; q < m; q++) y[q] = 0.299f * r[q] + 0.587f * g[q] + 0.114f * b[q];
  for (int q = 0; q < m; q++) lifted[q] = lift[(int)(clampf(y[q], 0, 1) * (LIFT_STEPS - 1) + 0.5f)];
}

typedef struct {
  const compose_job *job;
  run_samples run;
  float r[CHUNK], g[CHUNK], b[CHUNK], line[CHUNK], det[CHUNK];
  float y[CHUNK], lifted[CHUNK], yq[CHUNK], w[CHUNK], ocb[CHUNK], ocr[CHUNK], yo[CHUNK], ink[CHUNK];
  float ro[CHUNK], go[CHUNK], bo[CHUNK];
} compose_chunk;

static void compose_run(void *ctx, int j, int i0, int m) {
  compose_chunk *ch = ctx;
  const compose_job *job = ch->job;
  const proxy *p = job->p;
  const float c = job->c, k = job->k, palette = job->palette;
  const int width = job->f->width;
  const int levels = 6 - (int)lroundf(c);
  const float step = 1.0f / (float)(levels - 1);
  /* A cel is painted in flat tones: the steps replace most of the tone even at a gentle
     strength (the detailed parts keep their shading through `sharp`). */
  const float steps = fminf(1, 0.4f + c);
  const float sat = 1 + 0.7f * k;
  gather(&ch->run, p->r, ch->r);
  gather(&ch->run, p->g, ch->g);
  gather(&ch->run, p->b, ch->b);
  gather(&ch->run, p->line, ch->line);
  gather(&ch->run, job->detail, ch->det);
  /* Shadows lifted first, so dark shots keep their forms rather than going black. */
  luma_lifted(job->lift, ch->r, ch->g, ch->b, m, ch->y, ch->lifted);
  for (int q = 0; q < m; q++) {
    const float y = ch->y[q], cb = ch->b[q] - y, cr = ch->r[q] - y;
    /* The line's strength (cartoon_lines), thresholded at full size: hard-edged and crisp,
       so it reads as one inked stroke. */
    ch->ink[q] = ramp_sel(ch->line[q], OUTLINE_FROM, OUTLINE_WIDTH);
    /* Hard steps, softer where the picture is detailed (features keep their shading):
       at a third of this steepness a wall or a sky kept its photographic gradient. */
    const float sharp = CEL_STEPS * (3.0f + 6 * c) / (1 + 12 * ch->det[q]);
    const float yq = quantise_sel(ch->lifted[q], step, sharp);
    ch->yq[q] = yq;
    ch->yo[q] = (1 - steps) * y + steps * yq;
    ch->ocb[q] = sat * cb;
    ch->ocr[q] = sat * cr;
    /* A black-and-white frame is painted in the cel palette's flat colours by tone step. */
    ch->w[q] = palette * steps * clamp_sel(1 - sqrtf(cb * cb + cr * cr) / 0.06f, 0, 1);
  }
  for (int q = 0; q < m; q++) {
    const float w = ch->w[q];
    if (w > 0) {
      float pb, pr;
      palette_at(&CEL, ch->yq[q], &pb, &pr);
      ch->ocb[q] += w * (pb - ch->ocb[q]);
      ch->ocr[q] += w * (pr - ch->ocr[q]);
    }
  }
  for (int q = 0; q < m; q++) {
    const float keep = 1 - (0.7f + 0.3f * c) * ch->ink[q];
    const float yo = ch->yo[q], ocb = ch->ocb[q], ocr = ch->ocr[q];
    ch->ro[q] = (yo + ocr) * keep;
    ch->bo[q] = (yo + ocb) * keep;
    ch->go[q] = (yo - (0.509f * ocr + 0.194f * ocb)) * keep;
  }
  uint8_t *out = job->f->out + ((size_t)j * width + i0) * 3;
  for (int q = 0; q < m; q++) put_rgb(out + (size_t)q * 3, ch->ro[q], ch->go[q], ch->bo[q]);
}

static void compose_rows(void *ctx, int y0, int y1) {
  const compose_job *job = ctx;
  compose_chunk chunk;
  chunk.job = job;
  for_each_run(job->p, job->sy, job->s->x0, job->s->x1, job->s->fx, job->f->width, y0, y1, &chunk.run, compose_run, &chunk);
}

static void box_gauss(float *plane, int w, int h, double sigma, float *tmp);

/* One opening of `y` along a line of 2r + 1 pixels in direction (dx, dy): its minimum
   along the line, then the maximum of that; raised into `open` (the most of the four).
   Away from the border the line's pixels are read at a fixed stride, without clamping. */
static void open_along(const float *y, int w, int h, int r, int dx, int dy, float *low, float *open) {
  const ptrdiff_t stride = (ptrdiff_t)dy * w + dx;
  for (int pass = 0; pass < 2; pass++) {
    const float *src = pass ? low : y;
    for (int j = 0; j < h; j++) {
      const int inner_row = j >= r && j < h - r;
      for (int i = 0; i < w; i++) {
        const size_t q = (size_t)j * w + i;
        const int inner = inner_row && i >= r && i < w - r;
        float v = src[q];
        for (int t = -r; t <= r; t++) {
          const float o = inner ? src[(ptrdiff_t)q + t * stride] : src[(size_t)clampi(j + t * dy, 0, h - 1) * w + clampi(i + t * dx, 0, w - 1)];
          v = pass ? (o > v ? o : v) : (o < v ? o : v);
        }
        if (!pass) low[q] = v;
        else if (v > open[q]) open[q] = v;
      }
    }
  }
}

/* `y` with its small lights (LIGHT_RADIUS) flattened to their surroundings, into `out`:
   the luma less its white top-hat by line openings in four directions, so a thin bright
   line (a window's frame, a wire) survives along its own direction and only a spot small
   every way goes. `low` a plane of scratch. */
static void small_lights_out(int w, int h, const float *y, double u, float *out, float *low) {
  const int r = (int)lround(LIGHT_RADIUS * u);
  const size_t n = (size_t)w * h;
  if (r < 1) { memcpy(out, y, n * sizeof(float)); return; }
  for (size_t q = 0; q < n; q++) out[q] = 0;
  open_along(y, w, h, r, 1, 0, low, out);
  open_along(y, w, h, r, 0, 1, low, out);
  open_along(y, w, h, r, 1, 1, low, out);
  open_along(y, w, h, r, 1, -1, low, out);
}

/*
 * The cartoon's lines into p->line, as a strength the compose thresholds (OUTLINE_FROM
 * up): a cel's outlines are drawn along its shapes, not along the photograph's texture.
 * Viewers called the lines from the frame itself (`fine`, its FDoG before smoothing)
 * "thin, broken, following texture": the outlines are the FDoG of the smoothed frame's
 * luma instead, wider across, so they are bold and continuous. The frame's own lines are
 * kept where they are strong (the eyes, brows, nostrils and a mouth's corner smoothing
 * would soften), as a mark of the same ink. Where those lines crowd (`busy`: fur,
 * foliage, a patterned shirt) only the main strokes are drawn; never on skin's hue, where
 * they crowd at the eyes, brows and glasses. `busy` comes holding the luma before
 * smoothing; `tmp` FLOW_LINES_FDOG_PAIR_WORK floats of scratch (and at least a plane and
 * a row). 0 when scratch could not be had.
 */
static int cartoon_lines(proxy *p, float *fine, float *busy, float *lights, float gain, double c, double u, float *tmp) {
  const size_t n = (size_t)p->w * p->h;
  for (size_t q = 0; q < n; q++) p->y[q] = 0.299f * p->r[q] + 0.587f * p->g[q] + 0.114f * p->b[q];
  /* Both kinds of line are drawn from their luma less its small lights. */
  small_lights_out(p->w, p->h, p->y, u, lights, fine);
  memcpy(tmp, busy, n * sizeof(float));
  small_lights_out(p->w, p->h, tmp, u, busy, fine);
  /* Both FDoGs at once: the outlines' of the smoothed luma into p->line, the features' of
     the luma before smoothing (in `busy` until now) into `fine`. */
  if (!flow_lines_fdog_pair(p, lights, OUTLINE_SIGMA * (1.0 + 0.3 * c) * u, busy, (1.0 + 0.3 * c) * u, 0.99, LINE_REACH * u, fine, tmp)) return 0;
  for (size_t q = 0; q < n; q++) busy[q] = ramp_sel(-fine[q] * gain, 0.75f, 0.5f);
  box_gauss(busy, p->w, p->h, BUSY_SIGMA * u, tmp);
  /* One strength for both, the feature's ramp mapped onto the outline's, so the compose
     samples one plane as before. */
  const float scale = OUTLINE_WIDTH / FEATURE_WIDTH;
  for (size_t q = 0; q < n; q++) {
    const float y = p->y[q], cb = p->b[q] - y, cr = p->r[q] - y;
    const float skin = ramp_sel(cr, SKIN_CR, SKIN_CR) * ramp_sel(-cb, 0, SKIN_CR);
    const float crowd = ramp_sel(busy[q], BUSY_FROM, BUSY_WIDTH) * (1 - skin) * (1 - ramp_sel(p->coh[q], BUSY_COH, BUSY_COH));
    const float outline = -p->line[q] * gain - BUSY_RAISE * crowd;
    const float feature = OUTLINE_FROM + (-fine[q] * gain - FEATURE_FROM - BUSY_DROP * crowd) * scale;
    p->line[q] = outline > feature ? outline : feature;
  }
  return 1;
}

/* The cartoon of the frame at intensity params[0] (0..~1.7, default 1). */
static int cartoon(const marks_frame *f) {
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  inked_state *s = inked_keep(f, 4);
  proxy p;
  if (!s || !flow_lines_proxy_in(f->in, f->width, f->height, &p, s->proxy, s->rgb)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  compose_job *job = malloc(sizeof(compose_job));
  int ok = job && flow_lines_field_in(&p, 2.5 * u, s->work);
  if (ok) {
    float *detail = s->planes, *fine = s->planes + n, *busy = s->planes + 2 * n;
    detail_plane(&p, detail);
    /* The features' lines are from the luma before smoothing (the smoothing would move
       them): kept for cartoon_lines, which draws them with the outlines. */
    memcpy(busy, p.y, n * sizeof(float));
    ok = flow_lines_bilateral(&p, 2, (2 + 2 * c) * u, (1 + 0.5 * c) * u, 0.06 + 0.06 * c, s->work);
    ok = ok && cartoon_lines(&p, fine, busy, s->planes + 3 * n, (float)(40 + 50 * k), c, u, s->work);
    *job = (compose_job){ .f = f, .p = &p, .s = s, .detail = detail, .c = (float)c, .k = (float)k, .palette = (float)greyness(&p) };
    job->sx = (float)p.w / f->width;
    job->sy = (float)p.h / f->height;
    /* The shadow lift, tabulated. */
    for (int q = 0; q < LIFT_STEPS; q++) job->lift[q] = (float)pow(q / (LIFT_STEPS - 1.0), 1 - 0.25 * c);
    if (ok) marks_rows(f->height, compose_rows, job);
  }
  free(job);
  return ok;
}

/*
 * The ink comic. What the proxy gives the full frame: the smoothed colour, its chroma
 * averaged over a few pixels (a region's flat tint), the FDoG lines and the same lines
 * spread by a 3×3 minimum (the bold weight of the strong contours), the detail, and per
 * frame the luma's percentiles: the median and the 25th set the lift of a dark shot and
 * tell a washed-out one (both high), the 12th the level below which the darkest masses are
 * spotted solid black.
 */
typedef struct {
  const marks_frame *f;
  const proxy *p;
  const inked_state *s;
  const float *detail, *bold, *cb, *cr;
  const float *spot; /* 0..1, where a dark may be spotted solid black (spot_plane) */
  const float *rdist, *rstrength, *rbold, *busy; /* a washed-out shot's ridge lines and texture (ridge_planes) */
  float c, k, gain, period, sx, sy;
  float washed;  /* 0..1, how washed out the shot is: 0 on a normal or dark one */
  float black;   /* smoothed luma (0..1) below which a mass is spotted black */
  float palette; /* how much of the print palette a grey part takes (more on a grey frame) */
  float gutter, rule; /* the panel's white gutter and its black border, pixels (panel_border) */
  float lift[LIFT_STEPS];
} comic_job;

typedef struct {
  const comic_job *job;
  run_samples run;
  float r[CHUNK], g[CHUNK], b[CHUNK], line[CHUNK], bold[CHUNK], det[CHUNK], cb[CHUNK], cr[CHUNK], spot[CHUNK];
  float rdist[CHUNK], rstrength[CHUNK], rbold[CHUNK], busy[CHUNK];
  float y[CHUNK], lifted[CHUNK], yq[CHUNK], yo[CHUNK], w[CHUNK], cover[CHUNK], dot[CHUNK], ink[CHUNK], solid[CHUNK];
  float ro[CHUNK], go[CHUNK], bo[CHUNK];
} comic_chunk;

/*
 * A washed-out shot's lines and screen, taking over from the usual ones by how washed out
 * it is. Its texture (fur, stripes, grass, gravel) lies in the middle tones, where the
 * FDoG's hard threshold fills every darker fleck and stripe solid and the bold weight
 * spreads them: a field of black blobs, and a feature a little darker than what surrounds
 * it (a pink nose in white fur) filled black. Here the ink follows the ridge of a coarser
 * response instead (ridge_planes): a line along the flow, of one weight wherever the ridge
 * falls between proxy pixels (about 1.8 proxy pixels wide, 3.5 pixels at 540p, up to 3.8
 * on a strong contour off the texture), and the texture's darker parts are printed as screen tone, its dots
 * growing with their darkness.
 */
static void washed_lines(const comic_job *job, comic_chunk *ch, int m, float c) {
  const float washed = job->washed;
  for (int q = 0; q < m; q++) {
    const float ridge = ch->rstrength[q] * (1 - ramp_sel(ch->rdist[q], 0.75f + 1.0f * ch->rbold[q], 0.25f));
    ch->ink[q] += washed * (ridge - ch->ink[q]);
    const float screen = 0.45f * c * washed * ch->busy[q] * (1 - ramp_sel(ch->lifted[q], 0.15f, 0.4f));
    ch->cover[q] = ch->cover[q] > screen ? ch->cover[q] : screen;
  }
}

/* The page's paper in the gutter around a panel: newsprint, a little warm. */
static const float NEWSPRINT[3] = { 0.97f, 0.96f, 0.92f };

/*
 * A comic panel's frame: within `gutter` pixels of the frame's edge the page's paper, then
 * a black border `rule` pixels wide, anti-aliased over a pixel, the picture inside it.
 */
static void panel_border(const comic_job *job, comic_chunk *ch, int i0, int m, int j) {
  const int width = job->f->width, height = job->f->height;
  const float from_y = (float)(j < height - 1 - j ? j : height - 1 - j);
  for (int q = 0; q < m; q++) {
    const int x = i0 + q;
    const float from_x = (float)(x < width - 1 - x ? x : width - 1 - x), d = from_x < from_y ? from_x : from_y;
    const float inside = ramp_sel(d, job->gutter - 0.5f, 1), picture = ramp_sel(d, job->gutter + job->rule - 0.5f, 1);
    ch->ro[q] = ch->ro[q] * picture + (1 - inside) * NEWSPRINT[0];
    ch->go[q] = ch->go[q] * picture + (1 - inside) * NEWSPRINT[1];
    ch->bo[q] = ch->bo[q] * picture + (1 - inside) * NEWSPRINT[2];
  }
}

static void comic_run(void *ctx, int j, int i0, int m) {
  comic_chunk *ch = ctx;
  const comic_job *job = ch->job;
  const proxy *p = job->p;
  const float k = job->k, gain = job->gain, palette = job->palette, black = job->black;
  /* A comic is printed in flat tones even at a gentle strength: the default (0.6) is full. */
  const float c = fminf(1, 0.4f + job->c);
  const float step = 1.0f / (float)(5 - 1);
  const int width = job->f->width;
  gather(&ch->run, p->r, ch->r);
  gather(&ch->run, p->g, ch->g);
  gather(&ch->run, p->b, ch->b);
  gather(&ch->run, p->line, ch->line);
  gather(&ch->run, job->bold, ch->bold);
  gather(&ch->run, job->detail, ch->det);
  gather(&ch->run, job->cb, ch->cb);
  gather(&ch->run, job->cr, ch->cr);
  gather(&ch->run, job->spot, ch->spot);
  luma_lifted(job->lift, ch->r, ch->g, ch->b, m, ch->y, ch->lifted);
  if (job->washed > 0) {
    gather(&ch->run, job->rdist, ch->rdist);
    gather(&ch->run, job->rstrength, ch->rstrength);
    gather(&ch->run, job->rbold, ch->rbold);
    gather(&ch->run, job->busy, ch->busy);
  }
  for (int q = 0; q < m; q++) {
    const float y = ch->y[q], lifted = ch->lifted[q];
    /* Contours: thin where the edge is weak, bold where it is strong, hard-edged. */
    const float thin = ramp_sel(-ch->line[q] * gain, 0.75f, 0.5f);
    const float bold = ramp_sel(-ch->bold[q] * gain, 1.4f, 0.6f);
    ch->ink[q] = thin > bold ? thin : bold;
    /* Flat fills: few hard tone steps, softer only where the picture is detailed. On a
       smooth area (a wall, a sky, a table) each step rises over a fifth of its span;
       rising over most of it, viewers saw "halftone over photo shading" there. */
    const float sharp = FLAT_STEPS * (2.0f + 3 * c) / (1 + 12 * ch->det[q]);
    /* The lowest fill is a dark tone, not black: black is for the spotted masses and the lines. */
    const float yq = 0.15f + 0.85f * quantise_sel(lifted, step, sharp);
    const float yo = (1 - c) * y + c * yq;
    ch->yq[q] = yq;
    ch->yo[q] = yo;
    /* The region's tint, scaled to the flat tone so shading does not show through it. */
    const float scale = clamp_sel(yo / (y > 0.04f ? y : 0.04f), 0.5f, 1.4f) * (1 + 0.3f * k);
    const float cb = ch->cb[q] * scale, cr = ch->cr[q] * scale;
    ch->cb[q] = cb;
    ch->cr[q] = cr;
    /* A grey part is printed in the palette's flat colours rather than in grey. */
    const float chroma = sqrtf(cb * cb + cr * cr);
    ch->w[q] = palette * c * clamp_sel(1 - chroma / 0.06f, 0, 1);
    /* Screen tone in the middle shadows, between the spotted blacks and the lights, and
       down into the darks that are not spotted (an eye socket, a coat's folds). */
    const float spot = ch->spot[q];
    const float band = (1 - (1 - ramp_sel(lifted, 0.1f, 0.06f)) * spot) * (1 - ramp_sel(lifted, 0.22f, 0.08f));
    ch->cover[q] = 0.5f * c * band;
    /* Spotted blacks: the darkest flat masses filled solid, with a clean edge. */
    ch->solid[q] = c * spot * (1 - ramp_sel(y, black - 0.025f, 0.05f));
  }
  if (job->washed > 0) washed_lines(job, ch, m, c);
  for (int q = 0; q < m; q++) {
    const float w = ch->w[q], cover = ch->cover[q];
    if (w > 0) {
      float pb, pr;
      palette_at(&PRINT, (ch->yq[q] - 0.15f) / 0.85f, &pb, &pr);
      ch->cb[q] += w * (pb - ch->cb[q]);
      ch->cr[q] += w * (pr - ch->cr[q]);
    }
    ch->dot[q] = cover > 0.02f ? clampf((cover - dot_screen((float)(i0 + q), (float)j, job->period)) * 6 + 0.5f, 0, 1) : 0;
  }
  for (int q = 0; q < m; q++) {
    const float keep = (1 - ch->ink[q]) * (1 - 0.85f * ch->dot[q]) * (1 - ch->solid[q]);
    const float yo = ch->yo[q], cb = ch->cb[q], cr = ch->cr[q];
    ch->ro[q] = (yo + cr) * keep;
    ch->bo[q] = (yo + cb) * keep;
    ch->go[q] = (yo - (0.509f * cr + 0.194f * cb)) * keep;
  }
  /* The frame touches only the runs within its width of an edge. */
  const int band = (int)(job->gutter + job->rule + 0.5f) + 2;
  if (job->gutter + job->rule > 0 && (j < band || j >= job->f->height - band || i0 < band || i0 + m > width - band)) panel_border(job, ch, i0, m, j);
  uint8_t *out = job->f->out + ((size_t)j * width + i0) * 3;
  for (int q = 0; q < m; q++) put_rgb(out + (size_t)q * 3, ch->ro[q], ch->go[q], ch->bo[q]);
}

static void comic_rows(void *ctx, int y0, int y1) {
  const comic_job *job = ctx;
  comic_chunk chunk;
  chunk.job = job;
  for_each_run(job->p, job->sy, job->s->x0, job->s->x1, job->s->fx, job->f->width, y0, y1, &chunk.run, comic_run, &chunk);
}

/* The bold weight: the response's 3×3 minimum (fminf's, as compares: the response is finite). */
static void bold_plane(const proxy *p, float *bold) {
  const int w = p->w;
  for (int j = 0; j < p->h; j++) {
    const float *rows[3];
    for (int dj = -1; dj <= 1; dj++) rows[dj + 1] = p->line + (size_t)clampi(j + dj, 0, p->h - 1) * w;
    float *out = bold + (size_t)j * w;
    for (int i = 0; i < w; i++) {
      const int l = i > 0 ? i - 1 : 0, r = i + 1 < w ? i + 1 : w - 1;
      float m = 0;
      for (int dj = 0; dj < 3; dj++) {
        const float a = rows[dj][l], b = rows[dj][i], d = rows[dj][r];
        m = a < m ? a : m;
        m = b < m ? b : m;
        m = d < m ? d : m;
      }
      out[i] = m;
    }
  }
}

/* A plane blurred in place about as a Gaussian of `sigma` does: two box blurs (radius
   from 2r(r + 1)/3 = σ²), in time that does not grow with σ; `tmp` w × h + w floats. */
static void box_gauss(float *plane, int w, int h, double sigma, float *tmp) {
  const int r = (int)lround(sqrt(1.5 * sigma * sigma + 0.25) - 0.5);
  marks_box_blur(plane, w, h, r, tmp);
  marks_box_blur(plane, w, h, r, tmp);
}

/* spot_plane's blurs: box blurs (`box`) or Gaussian taps, as a Gaussian of `sigma`. */
static void spot_blur(float *plane, int w, int h, double sigma, int box, float *tmp) {
  if (box) box_gauss(plane, w, h, sigma, tmp);
  else flow_lines_blur(plane, w, h, sigma, plane, tmp);
}

/*
 * Where the darks may be spotted solid black (0..1 into `spot`). A normal shot (`dark`
 * 0) spots every dark mass, as before: a pair check preferred its solid hair and clean
 * face to dots carried over them. A dark shot (`dark` up to 1) spots only where the source
 * is flat, so that a dark coat's folds, a face in shadow or a background with things in it
 * keep their tones as screen and lines, and only inside a large dark mass: an opening of
 * the dark mask at σ 24 pixels at 540p (a blur, a high threshold, a blur and a low one)
 * leaves out eyes, nostrils and a mouth, which a dark shot would otherwise fill into black
 * blobs. The flatness is the luma's gradient through the
 * shot's lift (`e` its exponent), so a dark shot's faint detail counts. A washed-out shot
 * is spotted the same way (`dark` is then how washed out it is): its shadows were brought
 * down before the look, and its eyes, pupils and nostrils would fill black. It also passes
 * `busy` (its texture, never spotted: a tabby's stripes) and `box` (its blurs as box
 * blurs: the wide ones cost a frame's worth of the look in Gaussian taps; `tmp` then
 * w × h + w floats); a dark shot passes NULL and 0.
 */
static void spot_plane(const proxy *p, const float *detail, const float *busy, float black, float e, float dark, int box, double u, float *spot, float *texture, float *tmp) {
  const size_t n = (size_t)p->w * p->h;
  if (dark <= 0) {
    for (size_t q = 0; q < n; q++) spot[q] = 1;
    return;
  }
  for (size_t q = 0; q < n; q++) {
    const float y = p->y[q] > 0.02f ? p->y[q] : 0.02f;
    texture[q] = detail[q] * e * powf(y, e - 1);
  }
  spot_blur(texture, p->w, p->h, 8 * u, box, tmp);
  for (size_t q = 0; q < n; q++) spot[q] = 1 - ramp_sel(p->y[q], black - 0.025f, 0.05f);
  spot_blur(spot, p->w, p->h, 24 * u, box, tmp);
  for (size_t q = 0; q < n; q++) spot[q] = ramp_sel(spot[q], 0.7f, 0.15f);
  spot_blur(spot, p->w, p->h, 24 * u, box, tmp);
  for (size_t q = 0; q < n; q++) spot[q] = (1 - dark * (1 - ramp_sel(spot[q], 0.1f, 0.2f))) * (1 - dark * ramp_sel(texture[q], 0.04f, 0.04f));
  if (busy) for (size_t q = 0; q < n; q++) spot[q] *= 1 - dark * busy[q];
}

/*
 * A washed-out shot's ridge lines (washed_lines). How busy the texture is around each
 * proxy pixel: how much of it the thin lines would ink, blurred over 5 pixels at 540p.
 * Then, from an FDoG response 1.8 times coarser and smoothed further along the flow (a
 * stripe is drawn along its middle; a fleck too small for it is left to the screen), the
 * distance across the flow (in proxy pixels) to the response's valley, from a parabola
 * through the response a pixel either side, and the line's strength and boldness there.
 * The distance, interpolated to full size, stays within a pixel of its true value, so a
 * line keeps its weight. A valley is drawn from a little under the thin lines' threshold
 * off the texture and from a higher one on it (only its main strokes), and only where it
 * has a direction (a coherent field: a round fleck has none); it is bold where it is
 * strong and off the texture. p->line is
 * left as it was (`fine` keeps it meanwhile).
 */
static void ridge_planes(proxy *p, float gain, double sigma_c, double u, float *dist, float *strength, float *bold, float *busy, float *fine, float *tmp) {
  const int w = p->w, h = p->h;
  const size_t n = (size_t)w * h;
  for (size_t q = 0; q < n; q++) busy[q] = ramp_sel(-p->line[q] * gain, 0.75f, 0.5f);
  box_gauss(busy, w, h, 5 * u, tmp);
  for (size_t q = 0; q < n; q++) busy[q] = ramp_sel(busy[q], 0.15f, 0.15f);
  memcpy(fine, p->line, n * sizeof(float));
  flow_lines_fdog(p, p->y, sigma_c, 0.99, 6 * u);
  for (int j = 0; j < h; j++) {
    for (int i = 0; i < w; i++) {
      const size_t q = (size_t)j * w + i;
      const float nx = -p->ty[q], ny = p->tx[q];
      const float a = sample(p->line, w, h, (float)i - nx, (float)j - ny), b = p->line[q], cc = sample(p->line, w, h, (float)i + nx, (float)j + ny);
      const float curve = a - 2 * b + cc;
      if (curve > 1e-5f) {
        const float o = clampf((a - cc) / (2 * curve), -3, 3);
        const float valley = b - 0.25f * (a - cc) * o;
        dist[q] = fabsf(o);
        strength[q] = ramp_sel(-valley * gain, 0.6f + 0.4f * busy[q], 0.25f) * ramp_sel(p->coh[q], 0.15f, 0.25f);
        bold[q] = ramp_sel(-valley * gain, 0.9f, 0.5f) * (1 - busy[q]);
      } else {
        dist[q] = 3;
        strength[q] = 0;
        bold[q] = 0;
      }
    }
  }
  memcpy(p->line, fine, n * sizeof(float));
}

/* The ink comic of the frame at intensity params[0] (0..~1.7, default 1). */
static int ink_comic(const marks_frame *f) {
  if (!cos_ready) {
    for (int q = 0; q < COS_STEPS; q++) cos_table[q] = (float)cos(6.283185307179586 * q / COS_STEPS);
    cos_ready = 1;
  }
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  inked_state *s = inked_keep(f, 12);
  proxy p;
  if (!s || !flow_lines_proxy_in(f->in, f->width, f->height, &p, s->proxy, s->rgb)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  comic_job *job = malloc(sizeof(comic_job));
  int ok = job && flow_lines_field_in(&p, 2.5 * u, s->work);
  if (ok) {
    float *planes = s->planes;
    float *detail = planes, *bold = planes + n, *cb = planes + 2 * n, *cr = planes + 3 * n, *tmp = planes + 4 * n;
    float *spot = planes + 5 * n, *texture = planes + 6 * n;
    float *rdist = planes + 7 * n, *rstrength = planes + 8 * n, *busy = planes + 9 * n, *rbold = planes + 10 * n;
    float *lights = planes + 11 * n;
    unsigned hist[256];
    flow_lines_luma_histogram(&p, hist);
    const float median = flow_lines_luma_quantile(hist, n, 0.5), quarter = flow_lines_luma_quantile(hist, n, 0.25), low = flow_lines_luma_quantile(hist, n, 0.12);
    /* A dark shot is lifted (its median toward 0.4, its lower quarter toward 0.2), so it
       keeps its forms, and so does a dark face against a bright wall; `dark` says how
       dark a shot is: 0 for one lifted by a gamma of 0.95 or more (a normal shot, spared
       the passes below that only a dark shot needs), 1 for one of 0.75 or less. */
    const double by_median = median < 0.4f ? log(0.4) / log(fmax(median, 0.01)) : 1;
    const double by_quarter = quarter < 0.2f ? log(0.2) / log(fmax(quarter, 0.01)) : 1;
    const double gamma = fmax(0.55, fmin(by_median, by_quarter));
    const float dark = clampf((float)(0.95 - gamma) / 0.2f, 0, 1);
    /* A washed-out shot (its shadows brought down before the look, so by its lower quarter
       and median, both high): 0 for a normal one, 1 from a sum of 1.1. */
    const float washed = ramp_sel(quarter + median, 1.0f, 0.1f);
    detail_plane(&p, detail);
    /* The lines are drawn from the luma less its small lights (a DoG would ring each). */
    small_lights_out(p.w, p.h, p.y, u, lights, tmp);
    flow_lines_fdog(&p, lights, (1.6 + 0.6 * c) * u, 0.99, 3 * u);
    if (dark > 0) {
      /* A dark shot's features are inked from its luma lifted by a log curve as well, so
         the eyes and mouth of a face in shadow are drawn as lines: the darker response of
         the two, the lifted one weighted by how dark the shot is. */
      float *first = spot, *lifted = texture;
      memcpy(first, p.line, n * sizeof(float));
      const float norm = 1 / logf(1 + 1 / 0.02f);
      for (size_t q = 0; q < n; q++) lifted[q] = logf(1 + fmaxf(lights[q], 0) / 0.02f) * norm;
      flow_lines_fdog(&p, lifted, (1.6 + 0.6 * c) * u, 0.99, 3 * u);
      for (size_t q = 0; q < n; q++) {
        const float a = first[q], b = dark * p.line[q];
        p.line[q] = a < b ? a : b;
      }
    }
    /* The bold weight: the response's 3×3 minimum (the line spread by a pixel of the proxy). */
    bold_plane(&p, bold);
    if (washed > 0) ridge_planes(&p, (float)(35 + 45 * k), 1.8 * (1.6 + 0.6 * c) * u, u, rdist, rstrength, rbold, busy, texture, s->work);
    ok = flow_lines_bilateral(&p, 2, (2 + 2 * c) * u, (1 + 0.5 * c) * u, 0.08 + 0.06 * c, s->work);
    if (ok) {
      const double grey = greyness(&p);
      for (size_t q = 0; q < n; q++) {
        const float y = 0.299f * p.r[q] + 0.587f * p.g[q] + 0.114f * p.b[q];
        cb[q] = p.b[q] - y;
        cr[q] = p.r[q] - y;
      }
      flow_lines_blur(cb, p.w, p.h, 2 * u, cb, tmp);
      flow_lines_blur(cr, p.w, p.h, 2 * u, cr, tmp);
      *job = (comic_job){ .f = f, .p = &p, .s = s, .detail = detail, .bold = bold, .cb = cb, .cr = cr, .c = (float)c, .k = (float)k, .gain = (float)(35 + 45 * k) };
      job->sx = (float)p.w / f->width;
      job->sy = (float)p.h / f->height;
      job->period = (float)((7 + 2 * c) * u / job->sx);
      /* A dark shot keeps its darks apart: only what is already black there is spotted. */
      job->black = clampf(1.3f * low, 0.035f, 0.16f) * clampf(median / 0.25f, 0.3f, 1);
      job->palette = (float)(0.25 + 0.75 * grey);
      job->washed = washed;
      const float side = (float)(f->width < f->height ? f->width : f->height);
      job->gutter = (float)marks_param(f, 1, 0) * side;
      job->rule = (float)marks_param(f, 2, 0) * side;
      job->rdist = rdist;
      job->rstrength = rstrength;
      job->rbold = rbold;
      job->busy = busy;
      for (int q = 0; q < LIFT_STEPS; q++) job->lift[q] = (float)pow(q / (LIFT_STEPS - 1.0), gamma * (1 - 0.15 * c));
      const float e = (float)(gamma * (1 - 0.15 * c));
      if (washed > 0 && dark <= 0) spot_plane(&p, detail, busy, job->black, e, washed, 1, u, spot, texture, s->work);
      else spot_plane(&p, detail, NULL, job->black, e, dark, 0, u, spot, texture, tmp);
      job->spot = spot;
      marks_rows(f->height, comic_rows, job);
    }
  }
  free(job);
  return ok;
}

/* Params: [0] intensity k; the ink comic's [1] panel gutter and [2] panel border, as shares of the short side (0 if not given: no frame). */
int marks_ink_comic(const marks_frame *f) { return ink_comic(f); }
int marks_cartoon(const marks_frame *f) { return cartoon(f); }
