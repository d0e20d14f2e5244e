/*
 * Flow-guided filters the inked looks share (flow-lines.c): a proxy of the frame at half
 * its short side (270 to 540 pixels) with the field of directions as tangent vectors, a
 * flow-guided bilateral filter, and the flow-guided difference of Gaussians (FDoG; Kang,
 * Lee, Chui, Coherent Line Drawing, NPAR 2007). Radii are in proxy pixels.
 */
#ifndef RETAKE_FLOW_LINES_H
#define RETAKE_FLOW_LINES_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "primitives.h"

/* tanh by a rational approximation (within 2 % of it), saturating beyond ±3: libm's is the hot spot of the per-pixel loop. */
static inline float fast_tanh(float x) {
  if (x > 3) return 1;
  if (x < -3) return -1;
  const float x2 = x * x;
  return x * (27 + x2) / (27 + 9 * x2);
}

/* Ink 0..1 of an FDoG response: 0 off the line, toward 1 on it (soft, so it does not flicker). */
static inline float ink_of(float response, float gain) {
  return response < 0 ? fast_tanh(-response * gain) : 0;
}

/* The four pixels a bilinear sample at (x, y) reads, edges clamped, and its weights. */
static inline void sample_corners(int w, int h, float x, float y, int *x0, int *y0, int *x1, int *y1, float *fx, float *fy) {
  if (x >= 0 && y >= 0 && x < (float)(w - 1) && y < (float)(h - 1)) {
    *x0 = (int)x; *y0 = (int)y; *x1 = *x0 + 1; *y1 = *y0 + 1;
  } else {
    x = clampf(x, 0, (float)(w - 1));
    y = clampf(y, 0, (float)(h - 1));
    *x0 = (int)x; *y0 = (int)y;
    *x1 = *x0 + 1 < w ? *x0 + 1 : *x0; *y1 = *y0 + 1 < h ? *y0 + 1 : *y0;
  }
  *fx = x - (float)*x0; *fy = y - (float)*y0;
}

/* Bilinear sample of a plane with clamped edges. */
static inline float sample(const float *p, int w, int h, float x, float y) {
  int x0, y0, x1, y1;
  float fx, fy;
  sample_corners(w, h, x, y, &x0, &y0, &x1, &y1, &fx, &fy);
  const float *r0 = p + (size_t)y0 * w, *r1 = p + (size_t)y1 * w;
  const float top = r0[x0] + (r0[x1] - r0[x0]) * fx, bottom = r1[x0] + (r1[x1] - r1[x0]) * fx;
  return top + (bottom - top) * fy;
}

/* Where a bilinear sample reads, worked out once for several planes of the same size. */
typedef struct { size_t a, b, c, d; float wa, wb, wc, wd; } bilinear;

static inline bilinear bilinear_at(int w, int h, float x, float y) {
  x = clampf(x, 0, (float)(w - 1));
  y = clampf(y, 0, (float)(h - 1));
  const int x0 = (int)x, y0 = (int)y;
  const int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
  const float fx = x - (float)x0, fy = y - (float)y0;
  return (bilinear){ (size_t)y0 * w + x0, (size_t)y0 * w + x1, (size_t)y1 * w + x0, (size_t)y1 * w + x1,
    (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy };
}

static inline float fetch(const bilinear *s, const float *p) {
  return s->wa * p[s->a] + s->wb * p[s->b] + s->wc * p[s->c] + s->wd * p[s->d];
}

typedef struct {
  int w, h;
  float *r, *g, *b, *y, *tx, *ty, *coh, *line, *tmp, *tmp2, *tmp3;
  uint8_t *rgb;
} proxy;

/* The proxy's colour at a sample, with its luma and chroma (b − y, r − y). */
typedef struct { float r, g, b, y, cb, cr; } proxy_colour;

static inline proxy_colour colour_at(const bilinear *at, const proxy *p) {
  proxy_colour o = { fetch(at, p->r), fetch(at, p->g), fetch(at, p->b), 0, 0, 0 };
  o.y = 0.299f * o.r + 0.587f * o.g + 0.114f * o.b;
  o.cb = o.b - o.y;
  o.cr = o.r - o.y;
  return o;
}

/* An RGB pixel of 0..1 values written as bytes, clamped and rounded. */
static inline void put_rgb(uint8_t *o, float r, float g, float b) {
  o[0] = (uint8_t)(clampf(r, 0, 1) * 255 + 0.5f);
  o[1] = (uint8_t)(clampf(g, 0, 1) * 255 + 0.5f);
  o[2] = (uint8_t)(clampf(b, 0, 1) * 255 + 0.5f);
}

/* The frame shrunk by area averaging into a new proxy (r, g, b, y and rgb filled); 0 when out of memory. */
int flow_lines_proxy(const uint8_t *data, int width, int height, proxy *p);
/* The proxy's size for a frame of width × height. */
void flow_lines_proxy_size(int width, int height, int *pw, int *ph);
/* flow_lines_proxy into `planes` (11 proxy planes) and `rgb` (3 bytes a proxy pixel) the
   caller keeps, or new ones where NULL (then flow_lines_free frees them). */
int flow_lines_proxy_in(const uint8_t *data, int width, int height, proxy *p, float *planes, uint8_t *rgb);
void flow_lines_free(proxy *p);
/* Tangent vectors (tx, ty) and coherence from the field of directions, tensor blurred by `sigma`. */
int flow_lines_field(proxy *p, double sigma);
/* flow_lines_field with `work` (6 proxy planes of scratch), or new scratch where NULL. */
int flow_lines_field_in(proxy *p, double sigma, float *work);
/* Floats of scratch flow_lines_bilateral takes for a proxy of w × h: eight planes, eight rows and eight floats. */
#define FLOW_LINES_BILATERAL_WORK(w, h) ((size_t)8 * ((size_t)(w) * ((h) + 1) + 1))
/* `iterations` rounds of the flow-guided bilateral filter on r, g, b in place: σt along the tangent, σg across, σr of colour (0..1);
   `work` FLOW_LINES_BILATERAL_WORK(w, h) floats of scratch, or NULL for new ones. */
int flow_lines_bilateral(proxy *p, int iterations, double sigma_t, double sigma_g, double sigma_r, float *work);
/* The FDoG response of `lum` into p->line (uses p->tmp): negative on the dark side of an edge. */
void flow_lines_fdog(proxy *p, const float *lum, double sigma_c, double rho, double sigma_m);
/* Two FDoGs along the same field and reach, each as flow_lines_fdog gives it, for less than
   two: `lum`'s into p->line, `lum2`'s (σc `sigma_c2`) into `line2`; `work`
   FLOW_LINES_FDOG_PAIR_WORK(w × h) floats of scratch (NULL for new ones). */
#define FLOW_LINES_FDOG_PAIR_WORK(n) ((size_t)6 * (n))
int flow_lines_fdog_pair(proxy *p, const float *lum, double sigma_c, const float *lum2, double sigma_c2, double rho, double sigma_m, float *line2, float *work);
/* `src` (w × h) blurred by a Gaussian of `sigma` into `dst`, using `tmp` (w × h). */
int flow_lines_blur(const float *src, int w, int h, double sigma, float *dst, float *tmp);
/* The histogram of the proxy's luma (p->y, 0..1) in 256 bins. */
void flow_lines_luma_histogram(const proxy *p, unsigned hist[256]);
/* The luma at quantile `q` (0..1) of such a histogram of `n` pixels, at its bin's middle. */
float flow_lines_luma_quantile(const unsigned *hist, size_t n, double q);

#endif
