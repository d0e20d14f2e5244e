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
 * bold contours, spotted blacks, a dot screen in the middle shadows, a print palette on
 * grey; the cartoon's frames are what they were before it was split off.
 *
 * Everything is computed on a proxy of half the frame's short side (270 to 540 pixels);
 * the full frame samples it bilinearly and the lines are thresholded at full size, so
 * they stay crisp for a quarter of the work.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../marks.h"
#include "flow-lines.h"

#define LIFT_STEPS 1024
#define COS_STEPS 1024
static float cos_table[COS_STEPS];
static int cos_ready = 0;
/* cos(2π·t) for any t, from a table. */
static inline float turn_cos(float t) {
  const float f = t - floorf(t);
  return cos_table[(int)(f * COS_STEPS) & (COS_STEPS - 1)];
}

/* A soft staircase of `levels` over 0..1; `sharp` the steepness of each step. */
static inline float soft_quantise(float v, int levels, float sharp) {
  const float step = 1.0f / (float)(levels - 1);
  const float q = floorf(v / step + 0.5f) * step;
  return q + 0.5f * step * fast_tanh(sharp * (v - q) / step);
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

/* The cartoon's per-pixel composition of the full frame. */
typedef struct {
  const marks_frame *f;
  const proxy *p;
  const float *detail;
  float c, k, gain, sx, sy;
  float palette; /* how much of the cel palette a grey part takes: all on a black-and-white frame */
  float lift[LIFT_STEPS];
} compose_job;

static void compose_rows(void *ctx, int y0, int y1) {
  const compose_job *job = ctx;
  const proxy *p = job->p;
  const float c = job->c, k = job->k;
  const int width = job->f->width;
  for (int j = y0; j < y1; j++) {
    const float py = ((float)j + 0.5f) * job->sy - 0.5f;
    for (int i = 0; i < width; i++) {
      const float px = ((float)i + 0.5f) * job->sx - 0.5f;
      const bilinear at = bilinear_at(p->w, p->h, px, py);
      const proxy_colour src = colour_at(&at, p);
      const float ink = ink_of(fetch(&at, p->line), job->gain);
      const float y = src.y, cb = src.cb, cr = src.cr;
      /* Soft steps, softer where the picture is detailed (features keep their shading). */
      const float det = fetch(&at, job->detail);
      const int levels = 6 - (int)lroundf(c);
      const float sharp = (3.0f + 6 * c) / (1 + 12 * det);
      /* Shadows lifted first, so dark shots keep their forms rather than going black. */
      const float lifted = job->lift[(int)(clampf(y, 0, 1) * (LIFT_STEPS - 1) + 0.5f)];
      /* A cel is painted in flat tones: the steps replace most of the tone even at a
         gentle strength (the detailed parts keep their shading through `sharp`). */
      const float steps = fminf(1, 0.4f + c);
      const float yq = soft_quantise(lifted, levels, sharp);
      const float yo = (1 - steps) * y + steps * yq;
      const float sat = 1 + 0.7f * k;
      float ocb = sat * cb, ocr = sat * cr;
      /* A black-and-white frame is painted in the cel palette's flat colours by tone step. */
      const float w = job->palette * steps * clampf(1 - sqrtf(cb * cb + cr * cr) / 0.06f, 0, 1);
      if (w > 0) {
        float pb, pr;
        palette_at(&CEL, yq, &pb, &pr);
        ocb += w * (pb - ocb);
        ocr += w * (pr - ocr);
      }
      const float keep = 1 - (0.7f + 0.3f * c) * ink;
      const float ro = (yo + ocr) * keep, bo = (yo + ocb) * keep;
      const float go = (yo - (0.509f * ocr + 0.194f * ocb)) * keep;
      put_rgb(job->f->out + ((size_t)j * width + i) * 3, ro, go, bo);
    }
  }
}

/* The cartoon of the frame at intensity params[0] (0..~1.7, default 1). */
static int cartoon(const marks_frame *f) {
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  proxy p;
  if (!flow_lines_proxy(f->in, f->width, f->height, &p)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  compose_job *job = malloc(sizeof(compose_job));
  float *detail = malloc(n * sizeof(float));
  int ok = job && detail && flow_lines_field(&p, 2.5 * u);
  if (ok) {
    /* Lines from the luma before smoothing (the smoothing would move them). */
    for (int j = 0; j < p.h; j++) for (int i = 0; i < p.w; i++) detail[(size_t)j * p.w + i] = detail_at(&p, i, j);
    flow_lines_fdog(&p, p.y, (1.0 + 0.3 * c) * u, 0.99, 3 * u);
    ok = flow_lines_bilateral(&p, 2, (2 + 2 * c) * u, (1 + 0.5 * c) * u, 0.06 + 0.06 * c);
    *job = (compose_job){ .f = f, .p = &p, .detail = detail, .c = (float)c, .k = (float)k, .gain = (float)(40 + 50 * k), .palette = (float)greyness(&p) };
    job->sx = (float)p.w / f->width;
    job->sy = (float)p.h / f->height;
    /* The shadow lift, tabulated. */
    for (int q = 0; q < LIFT_STEPS; q++) job->lift[q] = (float)pow(q / (LIFT_STEPS - 1.0), 1 - 0.25 * c);
    if (ok) marks_rows(f->height, compose_rows, job);
  }
  free(job);
  free(detail);
  flow_lines_free(&p);
  return ok;
}

/*
 * The ink comic. What the proxy gives the full frame: the smoothed colour, its chroma
 * averaged over a few pixels (a region's flat tint), the FDoG lines and the same lines
 * spread by a 3×3 minimum (the bold weight of the strong contours), the detail, and per
 * frame the luma's percentiles: the median and the 25th set the lift of a dark shot, the 12th the
 * level below which the darkest masses are spotted solid black.
 */
typedef struct {
  const marks_frame *f;
  const proxy *p;
  const float *detail, *bold, *cb, *cr;
  float c, k, gain, period, sx, sy;
  float black;   /* smoothed luma (0..1) below which a mass is spotted black */
  float palette; /* how much of the print palette a grey part takes (more on a grey frame) */
  float lift[LIFT_STEPS];
} comic_job;

/* A hard ramp of ink: none below `from`, full at `from + width`. */
static inline float ramp(float v, float from, float width) { return clampf((v - from) / width, 0, 1); }

static void comic_rows(void *ctx, int y0, int y1) {
  const comic_job *job = ctx;
  const proxy *p = job->p;
  const float k = job->k;
  /* A comic is printed in flat tones even at a gentle strength: the default (0.6) is full. */
  const float c = fminf(1, 0.4f + job->c);
  const int width = job->f->width;
  for (int j = y0; j < y1; j++) {
    const float py = ((float)j + 0.5f) * job->sy - 0.5f;
    for (int i = 0; i < width; i++) {
      const float px = ((float)i + 0.5f) * job->sx - 0.5f;
      const bilinear at = bilinear_at(p->w, p->h, px, py);
      const float y = colour_at(&at, p).y;
      /* Contours: thin where the edge is weak, bold where it is strong, hard-edged. */
      const float thin = ramp(-fetch(&at, p->line) * job->gain, 0.75f, 0.5f);
      const float bold = ramp(-fetch(&at, job->bold) * job->gain, 1.4f, 0.6f);
      const float ink = fmaxf(thin, bold);
      /* Flat fills: few hard tone steps, softer only where the picture is detailed. */
      const float det = fetch(&at, job->detail);
      const float sharp = (2.0f + 3 * c) / (1 + 12 * det);
      const float lifted = job->lift[(int)(clampf(y, 0, 1) * (LIFT_STEPS - 1) + 0.5f)];
      /* The lowest fill is a dark tone, not black: black is for the spotted masses and the lines. */
      const float yq = 0.15f + 0.85f * soft_quantise(lifted, 5, sharp);
      float yo = (1 - c) * y + c * yq;
      /* The region's tint, scaled to the flat tone so shading does not show through it. */
      const float scale = clampf(yo / fmaxf(y, 0.04f), 0.5f, 1.4f) * (1 + 0.3f * k);
      float cb = fetch(&at, job->cb) * scale, cr = fetch(&at, job->cr) * scale;
      /* A grey part is printed in the palette's flat colours rather than in grey. */
      const float chroma = sqrtf(cb * cb + cr * cr);
      const float w = job->palette * c * clampf(1 - chroma / 0.06f, 0, 1);
      if (w > 0) {
        float pb, pr;
        palette_at(&PRINT, (yq - 0.15f) / 0.85f, &pb, &pr);
        cb += w * (pb - cb);
        cr += w * (pr - cr);
      }
      /* Screen tone in the middle shadows only, between the spotted blacks and the lights. */
      const float band = ramp(lifted, 0.1f, 0.06f) * (1 - ramp(lifted, 0.22f, 0.08f));
      const float cover = 0.5f * c * band;
      const float dot = cover > 0.02f ? clampf((cover - dot_screen((float)i, (float)j, job->period)) * 6 + 0.5f, 0, 1) : 0;
      /* Spotted blacks: the darkest masses filled solid, with a clean edge. */
      const float solid = c * (1 - ramp(y, job->black - 0.025f, 0.05f));
      const float keep = (1 - ink) * (1 - 0.85f * dot) * (1 - solid);
      const float ro = (yo + cr) * keep, bo = (yo + cb) * keep;
      const float go = (yo - (0.509f * cr + 0.194f * cb)) * keep;
      put_rgb(job->f->out + ((size_t)j * width + i) * 3, ro, go, bo);
    }
  }
}

/* The luma below which a share `q` of the proxy lies, from a histogram of 256 bins. */
static float luma_quantile(const unsigned *hist, size_t n, double q) {
  size_t sum = 0;
  for (int b = 0; b < 256; b++) {
    sum += hist[b];
    if ((double)sum >= q * (double)n) return (b + 0.5f) / 256;
  }
  return 1;
}

/* The ink comic of the frame at intensity params[0] (0..~1.7, default 1). */
static int ink_comic(const marks_frame *f) {
  if (!cos_ready) {
    for (int q = 0; q < COS_STEPS; q++) cos_table[q] = (float)cos(6.283185307179586 * q / COS_STEPS);
    cos_ready = 1;
  }
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  proxy p;
  if (!flow_lines_proxy(f->in, f->width, f->height, &p)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  comic_job *job = malloc(sizeof(comic_job));
  float *planes = malloc(n * 5 * sizeof(float));
  int ok = job && planes && flow_lines_field(&p, 2.5 * u);
  if (ok) {
    float *detail = planes, *bold = planes + n, *cb = planes + 2 * n, *cr = planes + 3 * n, *tmp = planes + 4 * n;
    unsigned hist[256] = { 0 };
    for (size_t q = 0; q < n; q++) hist[clampi((int)(p.y[q] * 256), 0, 255)]++;
    const float median = luma_quantile(hist, n, 0.5), quarter = luma_quantile(hist, n, 0.25), low = luma_quantile(hist, n, 0.12);
    for (int j = 0; j < p.h; j++) for (int i = 0; i < p.w; i++) detail[(size_t)j * p.w + i] = detail_at(&p, i, j);
    flow_lines_fdog(&p, p.y, (1.6 + 0.6 * c) * u, 0.99, 3 * u);
    /* The bold weight: the response's 3×3 minimum (the line spread by a pixel of the proxy). */
    for (int j = 0; j < p.h; j++) for (int i = 0; i < p.w; i++) {
      float m = 0;
      for (int dj = -1; dj <= 1; dj++) for (int di = -1; di <= 1; di++) m = fminf(m, p.line[(size_t)clampi(j + dj, 0, p.h - 1) * p.w + clampi(i + di, 0, p.w - 1)]);
      bold[(size_t)j * p.w + i] = m;
    }
    ok = flow_lines_bilateral(&p, 2, (2 + 2 * c) * u, (1 + 0.5 * c) * u, 0.08 + 0.06 * c);
    if (ok) {
      const double grey = greyness(&p);
      for (size_t q = 0; q < n; q++) {
        const float y = 0.299f * p.r[q] + 0.587f * p.g[q] + 0.114f * p.b[q];
        cb[q] = p.b[q] - y;
        cr[q] = p.r[q] - y;
      }
      flow_lines_blur(cb, p.w, p.h, 2 * u, cb, tmp);
      flow_lines_blur(cr, p.w, p.h, 2 * u, cr, tmp);
      *job = (comic_job){ .f = f, .p = &p, .detail = detail, .bold = bold, .cb = cb, .cr = cr, .c = (float)c, .k = (float)k, .gain = (float)(35 + 45 * k) };
      job->sx = (float)p.w / f->width;
      job->sy = (float)p.h / f->height;
      job->period = (float)((7 + 2 * c) * u / job->sx);
      /* A dark shot keeps its darks apart: only what is already black there is spotted. */
      job->black = clampf(1.3f * low, 0.035f, 0.16f) * clampf(median / 0.25f, 0.3f, 1);
      job->palette = (float)(0.25 + 0.75 * grey);
      /* A dark shot is lifted first (its median toward 0.4, its lower quarter toward 0.2),
         so it keeps its forms, and so does a dark face against a bright wall. */
      const double by_median = median < 0.4f ? log(0.4) / log(fmax(median, 0.01)) : 1;
      const double by_quarter = quarter < 0.2f ? log(0.2) / log(fmax(quarter, 0.01)) : 1;
      const double gamma = fmax(0.55, fmin(by_median, by_quarter));
      for (int q = 0; q < LIFT_STEPS; q++) job->lift[q] = (float)pow(q / (LIFT_STEPS - 1.0), gamma * (1 - 0.15 * c));
      marks_rows(f->height, comic_rows, job);
    }
  }
  free(job);
  free(planes);
  flow_lines_free(&p);
  return ok;
}

/* Params: [0] intensity k. */
int marks_ink_comic(const marks_frame *f) { return ink_comic(f); }
int marks_cartoon(const marks_frame *f) { return cartoon(f); }
