/*
 * watercolor_paint: a picture painted in washes (after Bousseau et al., "Interactive
 * watercolor rendering with temporal coherence and abstraction", NPAR 2006, and the
 * look Curtis et al. 1997 simulate).
 * First the frame's dense small texture (fur, grass, gravel) is taken out (abstraction.c):
 * a painter washes in the form, not the hairs. Then, at half size: the picture abstracted by an edge-preserving smoothing wide enough to
 * take a figure's shading and texture with it (bilateral passes spread à trous), the
 * rims where washes meet, and the dark accents (a difference of Gaussians of the
 * unsmoothed picture: eyes, nostrils, a mouth's line) a fine brush puts back.
 * At full size, read through a slow wobble (a hand's edge, not a tracing): the tone
 * cut into a few flat washes with hard edges (a staircase of value steps), the top step
 * left as bare paper where it is a large light area (a small one gets a faint wash, not
 * a hole); each wash the picture's colour diluted to the wash's value as
 * transparent pigment (its hue kept and its chroma raised, not bleached); pigment pooled
 * in a dark rim along the darker side of every hard wash edge; granulation in the
 * paper's tooth and a slow turbulence in the washes, the darks two overlapping glazes
 * of a cool and a warm dark, the deepest wash with darker rims where they overlap and
 * its pigment flowing and granulating (a dark coat is layers of wet pigment, not a flat
 * slab); the sheet's texture on bare paper.
 * The texture's darker marks (a cat's stripes, a table's grain, hair, grass), which the
 * abstraction evens out, laid back as brushed strokes in patches.
 * Where the sheet was wet, wet in wet: a darker wash runs out into a lighter one beside
 * it and its edge is feathered, with no rim. The sheet is left wet only where the
 * picture is quiet (a background); the figure is laid wet on dry, a few flat washes
 * each drying to a hard edge, with little of the photograph's shading left inside them.
 * Muted warm colours (skin) are laid in one warm transparent pigment, a sienna, so a
 * face is not raised with the chroma into a grey-mauve.
 * The steps are hard (and pool a rim) only where the picture has an edge of its own;
 * across a smooth sky or cheek the same steps are soft, a wash graded wet in wet rather
 * than a band cut through it. The painting stops at a ragged margin of bare paper a
 * little way in from the frame's edges, pigment pooled along it.
 * Density d scales the pigment 1 − C of a colour C, so white paper stays white.
 * Textures are fixed to the frame and made once per run; the washes hold still where
 * the picture does (brush_hold).
 * Params: [0] abstraction 0..1, [1] edge darkening, [2] granulation, [3] turbulence,
 * [4] tooth size (px), [5] turbulence size (px), [6] wobble (px), [7] the tone from
 * which the paper is left bare (0..1), [8] dark accents 0..1, [9] wet-in-wet 0..1.
 */
/* GCC keeps a loop of selects scalar while a comparison in it might raise a floating-point
   flag early; nothing here reads those flags, and every value stays the same. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "abstraction.h"
#include "brush.h"
#include "flow-lines.h"
#include "primitives.h"
#include "value-noise.h"

/* Value steps below the paper: the washes, darkest first. */
#define WASHES 4
/* Entries of the staircase's table over tones 0..1. */
#define STAIR 512
/* How soft the steps are, in tone: a hard edge, a pixel or two wide. */
#define DRY 0.012f
/* How soft the same steps are where the picture has no edge of its own: a wash graded
   wet in wet across a smooth sky or a cheek, not a band cut through it. */
#define WET 0.025f
/* Paper is left bare where at least OPEN_FROM of the neighbourhood (the washes' wide
   spread, about 10 half-size pixels each way) is paper, fully from OPEN_FROM + OPEN_SOFT;
   elsewhere the lights get a faint wash, FAINT of pigment. */
#define OPEN_FROM 0.6f
#define OPEN_SOFT 0.35f
#define FAINT 0.1f
/* The bare margin around the painting, in shares of the frame's short side: its mean
   width, how far its line wanders either way and the width of the wash's edge at it. */
#define MARGIN 0.045f
#define MARGIN_RAGGED 0.03f
#define MARGIN_SOFT 0.006f
/* How far a warm middle colour (skin) is turned to the sienna's hue. */
#define SKIN_PULL 0.75f
/* How much of the picture's own modelling is left inside a wash. */
#define MODELLING 0.05f
/* Most a wash raises the chroma of the colour it thins. */
#define CHROMA_GAIN 2.1f
/* The texture's brushed strokes: the ridge depth (tone) from which one is laid, over
   how much it comes in, and its strength. A feature's glaze (an eye, the shadow under a
   nose) against the washes around. */
#define STROKE_FROM 0.004f
#define STROKE_SOFT 0.02f
#define STROKES 0.5f
#define FEATURE 0.55f
/* Floats a half-size pixel takes in the packed planes the full-size pass samples: colour,
   rim, accent, damp, edge, spread wash and open paper, and three spare (whole 16-byte
   vectors). */
#define PACK 12
#define TEXTURE 3.0f /* size of the texture the washes do not paint, pixels at 540 rows (abstraction.c) */

typedef struct {
  int width, height, sw, sh;
  float tooth, scale, wobble;
  brush_state *hold;   /* the previous frame and its washes */
  marks_abstraction abstraction; /* the frame without its small texture, which the washes paint */
  float *grain;        /* full size: the tooth, −1..1 (pits positive) */
  float *turb;         /* full size: slow density turbulence, −1..1 */
  float *wx, *wy;      /* full size: the wobble of the washes' edges, half-size pixels */
  float *glaze;        /* full size: two glazes over the darks (where each lies, 0..1) and their hue, −1..1 */
  float *sheet;        /* full size: how far in from the painting's ragged margin (0 bare margin, 1 inside, past 1 deeper in) */
  float *a, *b, *c;    /* half size RGB, 0..1 (c: the washes spread wide, for the bleeding) */
  float *washes;       /* half size: each pixel's wash value and the tone it stands for, spread wide (and one spare) */
  float *raw;          /* half size: the unsmoothed luma */
  float *rim;          /* half size: pigment pooled on the darker side of a wash edge, 0..1 */
  float *line;         /* half size: dark accents, 0..1 */
  float *t1, *t2, *t3; /* half size scratch */
  float *wet;          /* half size: where the sheet was wet when the washes met, 0..1 */
  float *damp;         /* half size: the same where this frame's picture is quiet (a background), 0..1 */
  float *edge;         /* half size: where the abstracted picture has an edge of its own, 0..1 */
  float *pack;         /* half size: the planes the full-size pass samples, PACK floats a pixel (pack_rows) */
  float steps[WASHES]; /* the steps as the last frames set them (tone where each begins) */
  float grey;          /* how colourless the last frames were, 0..1 */
  int settled;         /* the steps and greyness hold a value */
} water_state;

static void water_release(water_state *s) {
  if (!s) return;
  marks_abstraction_free(&s->abstraction);
  free(s->hold);
  free(s->grain);
  free(s->pack);
  free(s);
}

void marks_watercolor_free(void *state) { water_release(state); }

static void textures_rows(void *ctx, int y0, int y1) {
  water_state *s = ctx;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < s->width; x++) {
      const size_t i = (size_t)y * s->width + x;
      /* The tooth of a cold-pressed sheet, coarse enough to show at a thumbnail's size. */
      s->grain[i] = 0.6f * marks_paper_tooth(x, y, 1.4f * s->tooth) + 0.4f * marks_paper_tooth(x + 101, y + 57, 3.5f * s->tooth);
      s->turb[i] = 0.6f * marks_value_noise(x / s->scale, y / s->scale, 11) + 0.4f * marks_value_noise(x / (0.37f * s->scale), y / (0.37f * s->scale), 12);
      const float ws = 0.35f * s->scale;
      s->wx[i] = 0.5f * s->wobble * marks_value_noise(x / ws, y / ws, 21);
      s->wy[i] = 0.5f * s->wobble * marks_value_noise(x / ws, y / ws, 22);
      /* The darks laid as glazes: two brushfuls, each covering ragged patches a few
         washes wide (soft over a few pixels, so no fine grunge), and the mix of each
         brushful between a cool and a warm dark. */
      const float gs = 0.9f * s->scale;
      float *gl = s->glaze + 3 * i;
      gl[0] = brush_clamp01((marks_value_noise(x / gs, y / gs, 41) + 0.2f * marks_value_noise(x / (0.3f * gs), y / (0.3f * gs), 42) + 0.1f) / 0.3f);
      gl[1] = brush_clamp01((marks_value_noise(x / gs + 17.3f, y / gs, 43) + 0.2f * marks_value_noise(x / (0.3f * gs), y / (0.3f * gs), 44) + 0.1f) / 0.3f);
      gl[2] = marks_value_noise(x / (3 * gs), y / (3 * gs), 45);
      /* The painting stops short of the sheet's edges, as a wash laid freehand does: a
         margin of bare paper a few percent of the frame wide, its line ragged at two
         scales; the distance in from it, in shares of the short side over MARGIN_SOFT. */
      const float shorter = (float)(s->width < s->height ? s->width : s->height);
      const float in = (float)(x < y ? x : y), out = (float)(s->width - 1 - x < s->height - 1 - y ? s->width - 1 - x : s->height - 1 - y);
      const float ragged = 0.7f * marks_value_noise(x / (1.2f * s->scale), y / (1.2f * s->scale), 61) + 0.3f * marks_value_noise(x / (0.3f * s->scale), y / (0.3f * s->scale), 62);
      s->sheet[i] = ((in < out ? in : out) / shorter - MARGIN - MARGIN_RAGGED * ragged) / MARGIN_SOFT;
      /* Wet patches a few washes wide, their margins ragged; at half size. */
      if (!(x & 1) && !(y & 1)) {
        const float wet = 0.7f * marks_value_noise(x / (0.6f * s->scale), y / (0.6f * s->scale), 31) + 0.3f * marks_value_noise(x / (0.15f * s->scale), y / (0.15f * s->scale), 32);
        s->wet[(size_t)(y / 2) * s->sw + x / 2] = brush_clamp01((wet + 0.35f) / 0.45f);
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
  s->grain = malloc((8 * n + 21 * ns) * sizeof(float));
  if (!s->grain) { free(s); return NULL; }
  s->pack = aligned_alloc(16, ((PACK * ns * sizeof(float)) + 15) / 16 * 16);
  if (!s->pack) { water_release(s); return NULL; }
  s->turb = s->grain + n; s->wx = s->turb + n; s->wy = s->wx + n;
  s->glaze = s->wy + n; s->sheet = s->glaze + 3 * n; s->a = s->sheet + n; s->b = s->a + 3 * ns; s->c = s->b + 3 * ns;
  s->washes = s->c + 3 * ns; s->raw = s->washes + 3 * ns; s->rim = s->raw + ns; s->line = s->rim + ns; s->t1 = s->line + ns; s->t2 = s->t1 + ns; s->t3 = s->t2 + ns; s->wet = s->t3 + ns; s->edge = s->wet + ns; s->damp = s->edge + ns;
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
  float steps[WASHES];     /* source tone where each step up begins (the last: bare paper) */
  float value[WASHES + 1]; /* each wash's value, the paper's last */
  float mid[WASHES + 1];   /* the source tone in the middle of each wash */
  float range[64];         /* bilateral range weights by squared colour distance */
  float stair[STAIR + 1][3]; /* the staircase by tone: place, value, source tone */
  float graded[STAIR + 1][3]; /* the same with soft steps, for a wash graded wet in wet */
  int step, reach, down;   /* the bilateral pass's tap spacing, how many taps each way, and whether it runs down the columns */
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
      s->raw[(size_t)y * s->sw + x] = brush_luma_f(o);
    }
  }
}

/* The tones of the washes: where the steps fall, each a share of the frame's tones (a
   dark shot gets as many washes as a bright one), and how colourless the frame is.
   Both carried over from frame to frame, so the washes do not jump; a frame with little
   spread of tone (a flat grey) keeps the set steps. */
static void tone_steps(water_state *s, const float *fixed) {
  int hist[256] = { 0 };
  const size_t n = (size_t)s->sw * s->sh;
  double chroma = 0;
  for (size_t i = 0; i < n; i++) {
    const float *p = s->a + i * 3;
    hist[(int)(brush_clamp01(brush_luma_f(p)) * 255.0f)]++;
    chroma += brush_max(p[0], brush_max(p[1], p[2])) - brush_min(p[0], brush_min(p[1], p[2]));
  }
  /* The tones below which 12, 34, 60 and 87 % of the frame lie (the last: bare paper),
     and its 10th and 90th percentiles. */
  float at[WASHES + 2];
  static const float want[WASHES + 2] = { 0.12f, 0.33f, 0.58f, 0.87f, 0.1f, 0.9f };
  for (int k = 0; k < WASHES + 2; k++) {
    size_t cum = 0;
    int b = 0;
    while (b < 255 && (cum += hist[b]) < want[k] * n) b++;
    at[k] = (b + 0.5f) / 255.0f;
  }
  const float adapt = 0.6f * brush_clamp01((at[WASHES + 1] - at[WASHES] - 0.1f) / 0.2f);
  float next[WASHES];
  for (int k = 0; k < WASHES; k++) {
    next[k] = fixed[k] + adapt * (at[k] - fixed[k]);
    if (k && next[k] < next[k - 1] + 0.04f) next[k] = next[k - 1] + 0.04f;
  }
  const float grey = 1.0f - brush_clamp01((float)(chroma / n) / 0.05f);
  float jump = 0;
  for (int k = 0; k < WASHES; k++) jump = brush_max(jump, fabsf(next[k] - s->steps[k]));
  const float keep = !s->settled || jump > 0.12f ? 0 : 0.75f;
  for (int k = 0; k < WASHES; k++) s->steps[k] = keep * s->steps[k] + (1 - keep) * next[k];
  s->grey = keep * s->grey + (1 - keep) * grey;
  s->settled = 1;
}

/* A bilateral filter of j->from into j->to at half size along one axis (across the rows,
   or down the columns with j->down), 2 reach + 1 taps j->step apart: run across and then
   down it is the separable approximation of a square one (Pham and van Vliet 2005), its
   cost growing with its width rather than its area. */
static void bilateral_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  const int w = s->sw, h = s->sh, st = j->step, r = j->reach;
  static const float spatial[3] = { 1.0f, 0.8f, 0.41f };
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const float *p = j->from + ((size_t)y * w + x) * 3;
      float sum[3] = { 0 }, tw = 0;
      for (int d = -r; d <= r; d++) {
        const int xx = j->down ? x : clampi(x + d * st, 0, w - 1), yy = j->down ? clampi(y + d * st, 0, h - 1) : y;
        const float *q = j->from + ((size_t)yy * w + xx) * 3;
        const float d0 = q[0] - p[0], d1 = q[1] - p[1], d2 = q[2] - p[2];
        const int bin = (int)((d0 * d0 + d1 * d1 + d2 * d2) * 256.0f);
        if (bin >= 64) continue;
        const float wgt = spatial[abs(d)] * j->range[bin];
        sum[0] += wgt * q[0]; sum[1] += wgt * q[1]; sum[2] += wgt * q[2]; tw += wgt;
      }
      float *o = j->to + ((size_t)y * w + x) * 3;
      for (int c = 0; c < 3; c++) o[c] = sum[c] / tw;
    }
  }
}

/* The value staircase: a tone's place among the steps (0 .. WASHES, soft over `soft` of
   tone at each step), and the wash value and the source tone it stands for there. */
static inline float staircase(const water_job *j, float l, float soft, float *value, float *mid) {
  float q = 0, v = j->value[0], m = j->mid[0];
  for (int k = 0; k < WASHES; k++) {
    const float t = brush_clamp01(0.5f + (l - j->steps[k]) / (4 * soft));
    const float up = t * t * (3 - 2 * t);
    q += up;
    v += up * (j->value[k + 1] - j->value[k]);
    m += up * (j->mid[k + 1] - j->mid[k]);
  }
  *value = v; *mid = m;
  return q;
}

/* The staircase from its table (hard steps): place, value and source tone. */
static inline void stair_at(const float (*table)[3], float l, float out[3]) {
  const float u = brush_clamp01(l) * STAIR;
  const int k = u >= STAIR ? STAIR - 1 : (int)u;
  const float t = u - k;
  for (int c = 0; c < 3; c++) out[c] = table[k][c] + t * (table[k + 1][c] - table[k][c]);
}

/* Each half-size pixel's place on the staircase (hard steps) into t1, for the rims, and
   its wash's value, source tone and whether it is bare paper into c, to be spread for
   the wet washes and for how much paper lies around. */
static void steps_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    float q[3];
    stair_at(j->stair, brush_luma_f(s->a + i * 3), q);
    /* The abstracted picture's own edges: a step of tone over a pixel or two, not the
       slow change across a sky or a cheek. */
    const int x = (int)(i % s->sw), y = (int)(i / s->sw);
    const float *l = s->a + ((size_t)y * s->sw + (x > 0 ? x - 1 : x)) * 3, *r = s->a + ((size_t)y * s->sw + (x < s->sw - 1 ? x + 1 : x)) * 3;
    const float *u = s->a + ((size_t)(y > 0 ? y - 1 : y) * s->sw + x) * 3, *d = s->a + ((size_t)(y < s->sh - 1 ? y + 1 : y) * s->sw + x) * 3;
    const float g = 0.5f * hypotf(brush_luma_f(r) - brush_luma_f(l), brush_luma_f(d) - brush_luma_f(u));
    s->edge[i] = brush_clamp01((g - 0.008f) / 0.02f);
    s->t1[i] = q[0];
    s->c[i * 3] = q[1]; s->c[i * 3 + 1] = q[2]; s->c[i * 3 + 2] = brush_clamp01(q[0] - (WASHES - 1));
  }
}

/* The rim: where the staircase around (t2, blurred) stands above a pixel's own step, the
   pixel is on the darker side of a wash edge and its pigment pools there. None where
   the sheet was wet (the edge bled instead). */
static void rim_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++)
    s->rim[i] = brush_clamp01(2.2f * (s->t2[i] - s->t1[i])) * (1.0f - s->damp[i] * j->bleed) * s->edge[i];
}

/* Dark accents: where the picture, barely smoothed (t1), is clearly darker than its
   wash (an eye or a nostril in the shadow of a socket) or than its surroundings (t2: a
   mouth's line, the frame of a pair of glasses), a fine brush lays a darker glaze over
   the wash (positive); where a feature's worth of it (t2) is darker than the washes
   around (t3: an eye, the shadow under a nose, the parting of the lips) a lighter glaze; where
   it is clearly lighter (the white of an eye, a glint), the wash is lifted (negative). */
static void line_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    const float wash = brush_luma_f(s->a + i * 3);
    const float glaze = (wash - s->t1[i] - 0.02f) / 0.06f, line = (s->t2[i] - s->t1[i] - 0.025f) / 0.07f;
    const float t = brush_clamp01(brush_max(glaze, line)), lift = brush_clamp01((s->t1[i] - wash - 0.06f) / 0.08f);
    const float feature = brush_clamp01((s->t3[i] - s->t2[i] - 0.03f) / 0.1f);
    /* The texture's darker marks (a cat's stripes, the grain of a table, grass, hair):
       faint ridges of the unsmoothed picture a few pixels wide, kept as brushed strokes
       where the bilateral passes evened them out; laid in patches of the turbulence, as
       a painter indicates a texture in places rather than copying every mark; none
       where the sheet was wet (a mark laid there bleeds away). */
    const float tx = brush_clamp01((s->t2[i] - s->t1[i] - STROKE_FROM) / STROKE_SOFT);
    const int hx = (int)(i % s->sw), hy = (int)(i / s->sw);
    const float patch = brush_clamp01(0.75f + 1.2f * s->turb[(size_t)(2 * hy < s->height ? 2 * hy : s->height - 1) * s->width + (2 * hx < s->width ? 2 * hx : s->width - 1)]);
    const float stroke = STROKES * patch * (1 - s->damp[i] * j->bleed) * tx * tx * (3 - 2 * tx);
    s->line[i] = brush_max(brush_max(t * t * (3 - 2 * t), FEATURE * feature), stroke) - lift * lift * (3 - 2 * lift);
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

/* Where the sheet is left wet: a painter lays a quiet background wet in wet and the
   figure wet on dry, each wash drying to a hard edge. The picture's detail (the mean
   change of its unsmoothed tone a pixel) over blocks of BUSY half-size pixels, into t3;
   then each pixel's wet share fades out where its block's detail is a figure's. */
#define BUSY 16
#define QUIET 0.008f
#define FIGURE 0.012f
static void quiet_blocks(water_state *s) {
  const int gw = (s->sw + BUSY - 1) / BUSY, gh = (s->sh + BUSY - 1) / BUSY, w = s->sw;
  float *g = s->t3;
  for (int k = 0; k < gw * gh; k++) g[k] = 0;
  for (int y = 1; y < s->sh - 1; y++) {
    float *row = g + (size_t)(y / BUSY) * gw;
    const float *r = s->raw + (size_t)y * w;
    for (int x = 1; x < w - 1; x++) row[x / BUSY] += fabsf(r[x + 1] - r[x - 1]) + fabsf(r[x + w] - r[x - w]);
  }
  for (int k = 0; k < gw * gh; k++) g[k] *= 0.25f / (BUSY * BUSY);
}

static void damp_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  const int gw = (s->sw + BUSY - 1) / BUSY, gh = (s->sh + BUSY - 1) / BUSY;
  for (int y = y0; y < y1; y++) {
    const float gy = brush_clamp01(((y + 0.5f) / BUSY - 0.5f) / brush_max(gh - 1, 1)) * (gh - 1);
    const int ya = (int)gy, yb = ya + 1 < gh ? ya + 1 : ya;
    const float ty = gy - ya;
    for (int x = 0; x < s->sw; x++) {
      const float gx = brush_clamp01(((x + 0.5f) / BUSY - 0.5f) / brush_max(gw - 1, 1)) * (gw - 1);
      const int xa = (int)gx, xb = xa + 1 < gw ? xa + 1 : xa;
      const float tx = gx - xa;
      const float *g = s->t3;
      const float busy = (1 - ty) * ((1 - tx) * g[ya * gw + xa] + tx * g[ya * gw + xb]) + ty * ((1 - tx) * g[yb * gw + xa] + tx * g[yb * gw + xb]);
      const size_t i = (size_t)y * s->sw + x;
      s->damp[i] = s->wet[i] * (1 - brush_clamp01((busy - QUIET) / (FIGURE - QUIET)));
    }
  }
}

/* Wet in wet: where the sheet was wet, a darker wash runs out into a lighter one beside
   it (the spread is taken only where it is darker than the wash). Everywhere the washes'
   colour is evened toward their neighbours', as one brushful of a mixed colour covers a
   passage. */
static void bleed_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  water_state *s = j->s;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    float *p = s->a + i * 3;
    const float *q = s->c + i * 3;
    const float lp = brush_luma_f(p), lq = brush_luma_f(q);
    s->t3[i] = lq; /* the tone around, for the accents */
    const float wet = s->damp[i] * j->bleed;
    const float run = wet * brush_clamp01((lp - lq) / 0.06f);
    for (int c = 0; c < 3; c++) {
      const float even = 0.45f * j->abstraction * ((q[c] - lq) - (p[c] - lp));
      p[c] = brush_clamp01(p[c] + even + run * (q[c] - p[c]));
    }
  }
}

/* The full-size pass in runs of RUN pixels: first each pixel's samples of the half-size
   planes (bilinear, the same sums as fetch) and its place on the staircase, then the
   arithmetic as plain loops of selects over the run, which GCC vectorises. */
#define RUN 256
typedef float v4f __attribute__((vector_size(16)));

/* The planes the full-size pass samples packed side by side, so that one pixel's four
   taps read four short runs of memory rather than nine planes each. */
static void pack_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    float *p = s->pack + i * PACK;
    p[0] = s->a[3 * i]; p[1] = s->a[3 * i + 1]; p[2] = s->a[3 * i + 2]; p[3] = s->rim[i];
    p[4] = s->line[i]; p[5] = s->damp[i]; p[6] = s->edge[i]; p[7] = s->washes[3 * i];
    p[8] = s->washes[3 * i + 2]; p[9] = 0; p[10] = 0; p[11] = 0;
  }
}

static void paint_rows(void *ctx, int y0, int y1) {
  const water_job *j = ctx;
  const water_state *s = j->s;
  const marks_frame *f = j->f;
  const int w = s->width, sw = s->sw, sh = s->sh;
  /* A warm white sheet. */
  static const float paper[3] = { 255, 252, 244 };
  float cr[RUN], cg[RUN], cb[RUN], lum[RUN], rims[RUN], accs[RUN], wets[RUN], spreads[RUN], opens[RUN], s0[RUN], s1[RUN], s2[RUN];
  float pr[RUN], pg[RUN], pb[RUN], owns[RUN], vs[RUN], bares[RUN];
  float wa[RUN], wb[RUN], wc[RUN], wd[RUN], darks[RUN], lay[RUN], qr[RUN], qg[RUN], qb[RUN];
  int ia[RUN], ib[RUN], ic[RUN];
  uint8_t o0[RUN], o1[RUN], o2[RUN];
  const float a = j->abstraction, grey = s->grey, turbulence = j->turbulence, granulation = j->granulation, edges = j->edges;
  /* Worked out once: a test on a value the same for the whole run keeps GCC's loop scalar. */
  const float flowing = brush_clamp01(turbulence / 0.1f);
  for (int y = y0; y < y1; y++) {
    for (int x0 = 0; x0 < w; x0 += RUN) {
      const int n = w - x0 < RUN ? w - x0 : RUN;
      const size_t i0 = (size_t)y * w + x0;
      /* Where each pixel samples (bilinear_at's sums). */
      for (int k = 0; k < n; k++) {
        const size_t i = i0 + k;
        const int x = x0 + k;
        const float px = clampf((x + 0.5f) * 0.5f - 0.5f + s->wx[i], 0, (float)(sw - 1)), py = clampf((y + 0.5f) * 0.5f - 0.5f + s->wy[i], 0, (float)(sh - 1));
        const int xa = (int)px, ya = (int)py;
        const int xb = xa + 1 < sw ? xa + 1 : xa, yb = ya + 1 < sh ? ya + 1 : ya;
        const float fx = px - (float)xa, fy = py - (float)ya;
        wa[k] = (1 - fx) * (1 - fy); wb[k] = fx * (1 - fy); wc[k] = (1 - fx) * fy; wd[k] = fx * fy;
        ia[k] = ya * sw + xa; ib[k] = xb - xa; ic[k] = (yb - ya) * sw;
      }
      /* The samples, every plane at once from the packed ones (each lane fetch's sum). */
      for (int k = 0; k < n; k++) {
        const float *pa = s->pack + (size_t)ia[k] * PACK, *pb = pa + ib[k] * PACK, *pc = pa + (size_t)ic[k] * PACK, *pd = pc + ib[k] * PACK;
        v4f r[3];
        for (int q = 0; q < 3; q++) {
          v4f va, vb, vc, vd;
          memcpy(&va, pa + 4 * q, sizeof va); memcpy(&vb, pb + 4 * q, sizeof vb);
          memcpy(&vc, pc + 4 * q, sizeof vc); memcpy(&vd, pd + 4 * q, sizeof vd);
          r[q] = wa[k] * va + wb[k] * vb + wc[k] * vc + wd[k] * vd;
        }
        const float col[3] = { r[0][0], r[0][1], r[0][2] };
        cr[k] = col[0]; cg[k] = col[1]; cb[k] = col[2];
        rims[k] = r[0][3]; accs[k] = r[1][0] * j->accents; wets[k] = r[1][1] * j->bleed;
        const float l = brush_luma_f(col);
        lum[k] = l;
        /* The wash this tone falls in, its edge hard; where the sheet was wet a darker
           wash beside it runs out into it and the two blend, feathered. */
        float st[3], gr[3];
        stair_at(j->stair, l, st);
        const float edge = r[1][2];
        if (edge < 1) {
          stair_at(j->graded, l, gr);
          for (int c = 0; c < 3; c++) st[c] = gr[c] + edge * (st[c] - gr[c]);
        }
        s0[k] = st[0]; s1[k] = st[1]; s2[k] = st[2];
        spreads[k] = r[1][3];
        opens[k] = r[2][0];
      }
      const float *grain = s->grain + i0, *turb = s->turb + i0, *glaze = s->glaze + 3 * i0, *sheets = s->sheet + i0;
      for (int k = 0; k < n; k++) {
        const float l = lum[k];
        float col[3] = { cr[k], cg[k], cb[k] };
        /* Skin and the other muted warm middle colours (a red to an orange, not a magenta or a
           yellow-green) laid in one warm transparent pigment, a sienna: the colour's offset from
           its grey turned toward the sienna's hue, its strength kept. A face's pinkish or
           mauve cast from the light would otherwise be raised with the chroma into a grey-mauve
           wash; one hue also makes the passage one flat wash, not the photo's mottle of hues. */
        /* Where it is not such a colour (rg ≤ 0.004, or outside the band) the colour is kept:
           a select on the worked-out values. */
        {
          const float o[3] = { col[0] - l, col[1] - l, col[2] - l };
          const float rg = o[0] - o[1], yb = 0.5f * (o[0] + o[1]) - o[2];
          /* Within the band from a little toward magenta (yb = −0.4 rg) to orange-yellow
             (yb = 2.2 rg), fading out over the band's margins; only in the middle tones. */
          const float t = yb / rg;
          const float band = brush_clamp01((t + 0.4f) / 0.4f) * brush_clamp01((2.2f - t) / 0.6f) * brush_clamp01((l - 0.2f) / 0.15f) * brush_clamp01((0.97f - l) / 0.1f);
          /* The sienna's direction (rg, yb) at 0.7, 0.7 with the offset's strength, no
             weaker than a tint; a strong red or orange (a red car, a rust-red cup) is a
             colour of its own and kept. */
          const float strength = sqrtf(rg * rg + yb * yb), m = brush_max(strength, 0.05f);
          const float pull = SKIN_PULL * band * brush_clamp01((0.45f - strength) / 0.15f);
          const float nrg = rg + pull * (0.7f * m - rg), nyb = yb + pull * (0.7f * m - yb);
          /* Back to RGB with the luma unchanged (the weights of brush_luma_f). */
          const float g = -0.299f * nrg - 0.114f * (0.5f * nrg - nyb);
          const int skin = (rg > 0.004f) & (band > 0);
          col[0] = skin ? l + g + nrg : col[0];
          col[1] = skin ? l + g : col[1];
          col[2] = skin ? l + g + 0.5f * nrg - nyb : col[2];
        }
        const float wet = wets[k], spread = spreads[k], st1 = s1[k];
        const float value = st1 + wet * (spread < st1 ? 1.0f : 0.85f) * (spread - st1), mid = s2[k];
        /* A little of the picture's modelling inside a wash; the photograph's own tone
           where the look is light. */
        const float paper_share = brush_clamp01(s0[k] - (WASHES - 1));
        const float target = brush_clamp01(value + MODELLING * (1 - paper_share) * (l - mid));
        float v = l + a * (target - l);
        /* Bare paper only where a painter leaves it, in a light area that is most of its
           neighbourhood (open: the share of paper around, spread wide); a small light
           patch inside a wash (a glint on a forehead, a lit gap in a wall) gets a faint
           wash instead of a hole punched through it. */
        float leave = brush_clamp01((opens[k] - OPEN_FROM) / OPEN_SOFT);
        leave = leave * leave * (3 - 2 * leave);
        v = brush_min(v, 1 - FAINT * a * (1 - leave));
        /* Bare paper (no pigment: v is 1 there), with nothing laid on it. */
        const float bare = brush_clamp01((v - 0.9f) / 0.1f);
        /* The picture's colour diluted to the wash's value: its pigment 1 − C scaled so the
           luma comes out at v, the colour's own ratios kept, its chroma raised, but no more
           than CHROMA_GAIN times: a near-white's faint tint thinned to a middle wash would
           otherwise turn a strong colour (an orange band around a lit wall). */
        const float pl = 1 - v;
        const float dilute = pl / brush_max(1 - l, 0.02f);
        const float gain = brush_min((1.5f + 0.5f * a) * sqrtf(dilute), CHROMA_GAIN);
        pr[k] = pl + gain * (l - col[0]); pg[k] = pl + gain * (l - col[1]); pb[k] = pl + gain * (l - col[2]);
        /* How colourful the picture is here (for the two pigments and the darks below). */
        owns[k] = brush_max(col[0], brush_max(col[1], col[2])) - brush_min(col[0], brush_min(col[1], col[2]));
        vs[k] = v; bares[k] = bare;
      }
      /* A colourless picture painted in two pigments, as a limited palette: an indigo in
         the darker washes, a warm sienna in the lighter ones; only on the colourless
         parts: a face in a grey room keeps its own colour. */
      if (grey > 0) {
        static const float indigo[3] = { 0.12f, 0.05f, -0.12f }, sienna[3] = { -0.14f, 0.02f, 0.28f };
        for (int k = 0; k < n; k++) {
          const float v = vs[k], pl = 1 - v;
          const float warm = brush_clamp01((v - 0.2f) / 0.3f), tint = grey * a * brush_min(pl, 0.5f) * (1 - brush_clamp01(owns[k] / 0.05f));
          pr[k] += tint * (indigo[0] + warm * (sienna[0] - indigo[0]));
          pg[k] += tint * (indigo[1] + warm * (sienna[1] - indigo[1]));
          pb[k] += tint * (indigo[2] + warm * (sienna[2] - indigo[2]));
        }
      }
      /* The darks laid as two overlapping glazes rather than one flat slab: where a
         glaze lies the pigment is denser, deepest along its edge (it dried there), and
         each brushful mixes a cool and a warm dark (indigo, umber), most on a colourless
         dark, which would otherwise be a flat grey. A variation of the pigment, it
         comes and goes with the turbulence. Worked out only in a run of pixels that has
         a dark at all; elsewhere each pixel keeps its pigment in one layer. */
      int any = 0;
      for (int k = 0; k < n; k++) {
        const float dark = a * brush_clamp01((1 - vs[k] - 0.42f) / 0.25f) * flowing;
        darks[k] = dark;
        any |= dark > 0;
        lay[k] = 1;
      }
      if (any) {
        for (int k = 0; k < n; k++) {
          const float pl = 1 - vs[k], own = owns[k], dark = darks[k];
          const float g0 = glaze[3 * k], g1 = glaze[3 * k + 1], g2 = glaze[3 * k + 2];
          const int dk = dark > 0;
          const float neutral = 1 - brush_clamp01(own / 0.12f);
          const float hue = brush_max(-1, brush_min(1, 1.3f * g2 + 0.25f * (g0 - g1)));
          const float tint = dark * (0.15f + 0.4f * neutral);
          /* The cool dark (0.1, 0.03, −0.12) or the warm one (−0.08, 0, 0.14). */
          const float add0 = pr[k] + tint * (hue > 0 ? hue * 0.1f : -hue * -0.08f);
          const float add1 = pg[k] + tint * (hue > 0 ? hue * 0.03f : -hue * 0.0f);
          const float add2 = pb[k] + tint * (hue > 0 ? hue * -0.12f : -hue * 0.14f);
          qr[k] = dk ? add0 : pr[k]; qg[k] = dk ? add1 : pg[k]; qb[k] = dk ? add2 : pb[k];
          /* In the deepest wash (a dark coat, a head of dark hair) the glazes' overlaps
             dry to darker rims, the pigment flows in the slow turbulence and granulates
             in the tooth: a dark laid in layers of wet pigment, not a flat slab. */
          const float deep = dark * brush_clamp01((pl - 0.58f) / 0.12f);
          const float overlap = g0 * (1 - g0) + g1 * (1 - g1);
          const float layers = 1 + dark * (0.1f * (g0 + g1 - 1) + 0.25f * overlap) + deep * (0.7f * overlap + 0.5f * turb[k] + 0.5f * granulation * grain[k]);
          lay[k] = dk ? layers : 1;
        }
      }
      const float *r0 = any ? qr : pr, *r1 = any ? qg : pg, *r2 = any ? qb : pb;
      for (int k = 0; k < n; k++) {
        const float pl = 1 - vs[k], bare = bares[k];
        const float pig[3] = { r0[k], r1[k], r2[k] };
        const float layered = lay[k];
        const float g = grain[k];
        /* Granulation and turbulence settle in the washes, most in the middle ones; the
           darkest wash is a deeper, even layer. */
        const float middle = brush_clamp01(pl / 0.25f) * brush_clamp01((0.75f - pl) / 0.3f);
        const float d = layered * (1.0f + middle * (turbulence * turb[k] + granulation * g));
        /* The sheet's texture, faint on bare paper. */
        const float sheet = 1.0f - 0.02f * (1.0f + g);
        /* Lifted where the picture is clearly lighter than its wash (the white of an eye,
           a glint): the pigment blotted off. */
        const float accent = accs[k], rim = rims[k];
        const float line = brush_max(accent, 0);
        const float lift = 0.7f * brush_max(-accent, 0);
        const float inside = brush_clamp01(sheets[k]), margin_rim = brush_clamp01(1.6f - 0.4f * sheets[k]) * inside;
        float out[3];
        for (int c = 0; c < 3; c++) {
          float p = pig[c] * d * (1 - lift);
          /* Pooled at the rim: a deeper layer of the same pigment, short of black. */
          p += edges * rim * brush_min(0.6f * p, 0.9f - p);
          /* An accent: a darker mix of the wash's own colour, laid by a fine brush. */
          p += line * (0.8f + 0.15f * pig[c] - p) * (1 - 0.5f * bare);
          /* None in the margin; the wash's pigment pooled where it dried along it. */
          p *= inside;
          p += edges * margin_rim * brush_min(0.6f * p, 0.9f - p);
          p = p > 0.9f ? 0.9f : p;
          p = p < 0 ? 0 : p;
          /* brush_byte's clamp and rounding. */
          float q = paper[c] * sheet * (1 - p);
          q = q < 0 ? 0 : q;
          q = q > 255 ? 255 : q + 0.5f;
          out[c] = q;
        }
        o0[k] = (uint8_t)(int)out[0]; o1[k] = (uint8_t)(int)out[1]; o2[k] = (uint8_t)(int)out[2];
      }
      uint8_t *o = f->out + i0 * 3;
      for (int k = 0; k < n; k++) { o[3 * k] = o0[k]; o[3 * k + 1] = o1[k]; o[3 * k + 2] = o2[k]; }
    }
  }
}

int marks_watercolor_paint(const marks_frame *frame) {
  float tooth = marks_param(frame, 4, 1.6f), scale = marks_param(frame, 5, 60), wobble = marks_param(frame, 6, 2);
  if (tooth < 0.5f) tooth = 0.5f;
  if (scale < 4) scale = 4;
  if (wobble < 0) wobble = 0;
  water_state *s = state_for(frame, tooth, scale, wobble);
  if (!s) return 0;
  /* A painter washes in the form, not the fur: every step below reads the frame without its small texture. */
  marks_frame abstracted;
  if (!marks_abstract_frame(&s->abstraction, frame, TEXTURE, &abstracted)) return 0;
  const marks_frame *f = &abstracted;
  water_job j = {
    .f = f, .s = s, .abstraction = brush_clamp01(marks_param(f, 0, 1)), .edges = marks_param(f, 1, 0.8f),
    .granulation = marks_param(f, 2, 0.25f), .turbulence = marks_param(f, 3, 0.1f), .paper_from = marks_param(f, 7, 0.72f), .accents = brush_clamp01(marks_param(f, 8, 0.8f)),
    .bleed = brush_clamp01(marks_param(f, 9, 0.8f)),
  };
  /* Colours closer than σ blend: a skin's or a wall's texture goes, an eye or a lip stays. */
  const float sigma = 0.05f + 0.025f * j.abstraction;
  for (int b = 0; b < 64; b++) j.range[b] = expf(-((b + 0.5f) / 256.0f) / (2 * sigma * sigma));
  marks_rows(s->sh, shrink_rows, &j);
  /* Bilateral passes spread à trous, each across and then down: 5 taps 1 apart, then 3
     taps 2 apart (reaching half as far as a second pass of taps 3 apart, so a face's
     features are not merged into its cheeks); a light touch takes the first alone. */
  const int passes = j.abstraction > 0.3f ? 2 : 1;
  for (int p = 0; p < 2 * passes; p++) {
    j.step = p < 2 ? 1 : 3; j.reach = p < 2 ? 2 : 1; j.down = p & 1;
    j.from = (p & 1) ? s->b : s->a; j.to = (p & 1) ? s->a : s->b;
    marks_rows(s->sh, bilateral_rows, &j);
  }
  /* The steps: set ones (equal shares of the tones below the paper's, the darkest a
     little wider) moved toward the frame's own; each wash a fixed value. */
  static const float share[WASHES] = { 0.3f, 0.52f, 0.76f, 1.0f };
  static const float lift[WASHES + 1] = { 0.3f, 0.46f, 0.62f, 0.78f, 1.0f };
  float fixed[WASHES];
  for (int k = 0; k < WASHES; k++) fixed[k] = j.paper_from * share[k];
  tone_steps(s, fixed);
  float below = 0;
  for (int k = 0; k < WASHES; k++) {
    j.steps[k] = s->steps[k];
    j.mid[k] = 0.5f * (below + j.steps[k]);
    below = j.steps[k];
  }
  j.mid[WASHES] = 0.5f * (below + 1);
  for (int k = 0; k <= WASHES; k++) j.value[k] = lift[k];
  for (int k = 0; k <= STAIR; k++) {
    float *e = j.stair[k];
    e[0] = staircase(&j, (float)k / STAIR, DRY, &e[1], &e[2]);
    float *g = j.graded[k];
    g[0] = staircase(&j, (float)k / STAIR, WET, &g[1], &g[2]);
  }
  /* The washes spread wide into c (through b), then bled into where the sheet was wet. */
  j.from = s->a; j.to = s->b; marks_rows(s->sh, spread_across_rows, &j);
  j.from = s->b; j.to = s->c; marks_rows(s->sh, spread_down_rows, &j);
  j.from = s->c; j.to = s->b; marks_rows(s->sh, spread_across_rows, &j);
  j.from = s->b; j.to = s->c; marks_rows(s->sh, spread_down_rows, &j);
  quiet_blocks(s);
  marks_rows(s->sh, damp_rows, &j);
  marks_rows(s->sh, bleed_rows, &j);
  /* Rims from the staircase, blurred a little to reach a few pixels into the darker wash. */
  marks_rows(s->sh, steps_rows, &j);
  flow_lines_blur(s->edge, s->sw, s->sh, 1.5, s->edge, s->b);
  for (size_t i = 0; i < (size_t)s->sw * s->sh; i++) s->edge[i] = brush_min(1, 2.5f * s->edge[i]);
  flow_lines_blur(s->t1, s->sw, s->sh, 1.5, s->t2, s->b);
  marks_rows(s->sh, rim_rows, &j);
  /* The washes' values spread wide (c into washes, through b), for the wet edges. */
  j.from = s->c; j.to = s->b; marks_rows(s->sh, spread_across_rows, &j);
  j.from = s->b; j.to = s->washes; marks_rows(s->sh, spread_down_rows, &j);
  j.from = s->washes; j.to = s->b; marks_rows(s->sh, spread_across_rows, &j);
  j.from = s->b; j.to = s->washes; marks_rows(s->sh, spread_down_rows, &j);
  /* Accents from the unsmoothed picture. */
  flow_lines_blur(s->raw, s->sw, s->sh, 0.7, s->t1, s->b);
  flow_lines_blur(s->raw, s->sw, s->sh, 2.0, s->t2, s->b);
  marks_rows(s->sh, line_rows, &j);
  marks_rows(s->sh, pack_rows, &j);
  marks_rows(f->height, paint_rows, &j);
  brush_hold(s->hold, f->in, f->out);
  return 1;
}
