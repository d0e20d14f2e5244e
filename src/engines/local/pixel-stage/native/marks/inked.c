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

typedef enum { INKED_COMIC, INKED_CARTOON } inked_look;

/* What the per-pixel composition of the full frame reads. */
typedef struct {
  const marks_frame *f;
  const proxy *p;
  inked_look look;
  const float *detail;
  float c, k, gain, period, sx, sy;
  float lift[LIFT_STEPS];
} compose_job;

static void compose_rows(void *ctx, int y0, int y1) {
  const compose_job *job = ctx;
  const proxy *p = job->p;
  const inked_look look = job->look;
  const float c = job->c, k = job->k;
  const int width = job->f->width;
  for (int j = y0; j < y1; j++) {
    const float py = ((float)j + 0.5f) * job->sy - 0.5f;
    for (int i = 0; i < width; i++) {
      const float px = ((float)i + 0.5f) * job->sx - 0.5f;
      const bilinear at = bilinear_at(p->w, p->h, px, py);
      const float r = fetch(&at, p->r), g = fetch(&at, p->g), b = fetch(&at, p->b);
      const float ink = ink_of(fetch(&at, p->line), job->gain);
      const float y = 0.299f * r + 0.587f * g + 0.114f * b;
      const float cb = b - y, cr = r - y;
      /* Soft steps, softer where the picture is detailed (features keep their shading). */
      const float det = fetch(&at, job->detail);
      const int levels = look == INKED_COMIC ? 5 : 6 - (int)lroundf(c);
      const float sharp = (look == INKED_COMIC ? 1.5f + 3 * c : 3.0f + 6 * c) / (1 + 12 * det);
      /* Shadows lifted first, so dark shots keep their forms rather than going black. */
      const float lifted = job->lift[(int)(clampf(y, 0, 1) * (LIFT_STEPS - 1) + 0.5f)];
      /* A cel is painted in flat tones: the cartoon's steps replace most of the tone even
         at a gentle strength (the detailed parts keep their shading through `sharp`). */
      const float steps = look == INKED_CARTOON ? fminf(1, 0.4f + c) : c;
      float yo = (1 - steps) * y + steps * soft_quantise(lifted, levels, sharp);
      const float sat = 1 + (look == INKED_COMIC ? 0.1f : 0.7f) * k;
      if (look == INKED_COMIC) {
        /* Screen tone in the shadows: dots grow as the tone darkens, never closing to solid. */
        const float shade = clampf((0.42f - y) / 0.42f, 0, 1);
        const float cover = 0.6f * c * shade;
        const float dot = cover > 0.02f ? clampf((cover - dot_screen((float)i, (float)j, job->period)) * 6 + 0.5f, 0, 1) : 0;
        yo *= 1 - 0.75f * dot;
      }
      const float keep = 1 - (look == INKED_COMIC ? 1.0f : 0.7f + 0.3f * c) * ink;
      const float ro = (yo + sat * cr) * keep, bo = (yo + sat * cb) * keep;
      const float go = (yo - sat * (0.509f * cr + 0.194f * cb)) * keep;
      uint8_t *o = job->f->out + ((size_t)j * width + i) * 3;
      o[0] = (uint8_t)(clampf(ro, 0, 1) * 255 + 0.5f); o[1] = (uint8_t)(clampf(go, 0, 1) * 255 + 0.5f); o[2] = (uint8_t)(clampf(bo, 0, 1) * 255 + 0.5f);
    }
  }
}

/* `look` of the frame at intensity params[0] (0..~1.7, default 1). */
static int inked(const marks_frame *f, inked_look look) {
  if (!cos_ready) {
    for (int q = 0; q < COS_STEPS; q++) cos_table[q] = (float)cos(6.283185307179586 * q / COS_STEPS);
    cos_ready = 1;
  }
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
    const double sigma_c = look == INKED_COMIC ? 1.4 + 0.5 * c : 1.0 + 0.3 * c;
    const double gain = look == INKED_COMIC ? 35 + 45 * k : 40 + 50 * k;
    flow_lines_fdog(&p, p.y, sigma_c * u, 0.99, 3 * u);
    ok = flow_lines_bilateral(&p, look == INKED_CARTOON ? 2 : 1, (2 + 2 * c) * u, (1 + 0.5 * c) * u, 0.06 + 0.06 * c);
    *job = (compose_job){ .f = f, .p = &p, .look = look, .detail = detail, .c = (float)c, .k = (float)k, .gain = (float)gain };
    job->sx = (float)p.w / f->width;
    job->sy = (float)p.h / f->height;
    job->period = (float)((7 + 2 * c) * u / job->sx);
    /* The shadow lift, tabulated. */
    for (int q = 0; q < LIFT_STEPS; q++) job->lift[q] = (float)pow(q / (LIFT_STEPS - 1.0), 1 - 0.25 * c);
    if (ok) marks_rows(f->height, compose_rows, job);
  }
  free(job);
  free(detail);
  flow_lines_free(&p);
  return ok;
}

/* Params: [0] intensity k. */
int marks_ink_comic(const marks_frame *f) { return inked(f, INKED_COMIC); }
int marks_cartoon(const marks_frame *f) { return inked(f, INKED_CARTOON); }
