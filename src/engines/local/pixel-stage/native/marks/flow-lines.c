/*
 * Flow-guided filters the inked looks share; see flow-lines.h. The heavy passes run on
 * row bands on the stage's threads (marks_rows).
 */
#include <stdlib.h>
#include "../marks.h"
#include "../pixel-stage.h"
#include "flow-lines.h"

#define MAX_TAPS 24
#define RANGE_STEPS 1024
/* The proxy's short side: half the frame's, within these bounds. */
#define PROXY_MIN 270
#define PROXY_MAX 540

void flow_lines_free(proxy *p) {
  free(p->r);
  free(p->rgb);
}

/* How much the frame is shrunk for its proxy, and the proxy's size. */
static double proxy_shape(int width, int height, int *pw, int *ph) {
  const int short_side = width < height ? width : height;
  const double target = short_side / 2.0 < PROXY_MIN ? PROXY_MIN : short_side / 2.0 > PROXY_MAX ? PROXY_MAX : short_side / 2.0;
  const double shrink = short_side > target * 1.2 ? (double)short_side / target : 1;
  *pw = (int)lround(width / shrink);
  *ph = (int)lround(height / shrink);
  return shrink;
}

void flow_lines_proxy_size(int width, int height, int *pw, int *ph) { proxy_shape(width, height, pw, ph); }

/* The frame shrunk by area averaging to the proxy size (or copied when small enough). */
int flow_lines_proxy(const uint8_t *data, int width, int height, proxy *p) {
  return flow_lines_proxy_in(data, width, height, p, NULL, NULL);
}

int flow_lines_proxy_in(const uint8_t *data, int width, int height, proxy *p, float *planes, uint8_t *rgb) {
  const double shrink = proxy_shape(width, height, &p->w, &p->h);
  const size_t n = (size_t)p->w * p->h;
  p->r = planes ? planes : malloc(n * 11 * sizeof(float));
  p->rgb = rgb ? rgb : malloc(n * 3);
  if (!p->r || !p->rgb) { if (!planes) free(p->r); if (!rgb) free(p->rgb); p->r = NULL; p->rgb = NULL; return 0; }
  p->g = p->r + n; p->b = p->r + 2 * n; p->y = p->r + 3 * n; p->tx = p->r + 4 * n; p->ty = p->r + 5 * n;
  p->coh = p->r + 6 * n; p->line = p->r + 7 * n; p->tmp = p->r + 8 * n; p->tmp2 = p->r + 9 * n; p->tmp3 = p->r + 10 * n;
  for (int j = 0; j < p->h; j++) {
    const int y0 = (int)(j * shrink), y1 = clampi((int)ceil((j + 1) * shrink), y0 + 1, height);
    for (int i = 0; i < p->w; i++) {
      const int x0 = (int)(i * shrink), x1 = clampi((int)ceil((i + 1) * shrink), x0 + 1, width);
      unsigned s[3] = { 0, 0, 0 };
      for (int y = y0; y < y1; y++) {
        const uint8_t *row = data + ((size_t)y * width + x0) * 3;
        for (int x = x0; x < x1; x++, row += 3) { s[0] += row[0]; s[1] += row[1]; s[2] += row[2]; }
      }
      const unsigned count = (unsigned)((y1 - y0) * (x1 - x0));
      const size_t k = (size_t)j * p->w + i;
      for (int c = 0; c < 3; c++) p->rgb[k * 3 + c] = (uint8_t)((s[c] + count / 2) / count);
      const float inv = 1.0f / (255.0f * (float)count);
      p->r[k] = (float)s[0] * inv; p->g[k] = (float)s[1] * inv; p->b[k] = (float)s[2] * inv;
      p->y[k] = 0.299f * p->r[k] + 0.587f * p->g[k] + 0.114f * p->b[k];
    }
  }
  return 1;
}

/* Tangent vectors and coherence from the field of directions (flow.c). */
int flow_lines_field(proxy *p, double sigma) { return flow_lines_field_in(p, sigma, NULL); }

int flow_lines_field_in(proxy *p, double sigma, float *work) {
  const size_t n = (size_t)p->w * p->h;
  float *ws = work ? work : malloc(PS_FLOW_WORKSPACE(n) * sizeof(float));
  if (!ws) return 0;
  const int ok = ps_flow_field(p->rgb, p->w, p->h, sigma, ws, p->tx, p->coh);
  if (!work) free(ws);
  if (!ok) return 0;
  for (size_t i = 0; i < n; i++) { const float a = p->tx[i]; p->tx[i] = cosf(a); p->ty[i] = sinf(a); }
  return 1;
}

/* Normalised Gaussian taps 0..radius of `sigma`. */
static int taps(double sigma, float *k, int max) {
  int radius = (int)ceil(2 * sigma);
  if (radius > max) radius = max;
  if (radius < 1) radius = 1;
  for (int d = 0; d <= radius; d++) k[d] = (float)exp(-(double)d * d / (2 * sigma * sigma));
  return radius;
}


/*
 * One pass of the flow-guided bilateral filter along the tangent (`across` 0) or the
 * gradient (`across` 1) of interleaved RGB: neighbours on a straight line through the
 * pixel, weighted by distance and by colour difference (σr in 0..1 RGB). A row is worked
 * a run of pixels at a time, four side by side in vectors, each tap taken for the whole
 * run before the next: every pixel's sums are the same, in the same order, as one pixel
 * at a time (a bilinear sample with clamped edges; inside the frame the clamps change
 * nothing).
 */
#define RUN 128
typedef float v4f __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));

typedef struct {
  const proxy *p;
  const float *src;
  float *dst;
  int across, radius;
  float k[MAX_TAPS + 1];
  float range[RANGE_STEPS + 1];
} bilateral_job;

static inline v4f splat(float v) { return (v4f){ v, v, v, v }; }
/* v where `mask` is 0, `other` where it is all ones. */
static inline v4f pick(v4i mask, v4f other, v4f v) {
  const v4i a = (v4i)other, b = (v4i)v;
  return (v4f)((mask & a) | (~mask & b));
}
static inline v4f gather4(const float *p, v4i at, int plus) {
  return (v4f){ p[at[0] + plus], p[at[1] + plus], p[at[2] + plus], p[at[3] + plus] };
}

static void bilateral_rows(void *ctx, int y0, int y1) {
  const bilateral_job *b = ctx;
  const proxy *p = b->p;
  const float *src = b->src, *k = b->k, *range = b->range;
  const int w = p->w, h = p->h, radius = b->radius;
  const v4f zero = splat(0), one = splat(1), xmax = splat((float)(w - 1)), ymax = splat((float)(h - 1)), steps = splat(RANGE_STEPS / 3.0f);
  const v4i wv = { w, w, w, w }, hv = { h, h, h, h }, lane = { 0, 1, 2, 3 };
  v4f dx[RUN / 4], dy[RUN / 4], cr[RUN / 4], cg[RUN / 4], cb[RUN / 4], sr[RUN / 4], sg[RUN / 4], sb[RUN / 4], sw[RUN / 4];
  for (int j = y0; j < y1; j++) {
    const v4f yj = splat((float)j);
    for (int i0 = 0; i0 < w; i0 += RUN) {
      const int m = w - i0 < RUN ? w - i0 : RUN, groups = (m + 3) / 4;
      const size_t c0 = (size_t)j * w + i0;
      const float *s0 = src + c0 * 3;
      /* Lanes past the row's end: a still pixel on black, read inside the frame and dropped. */
      for (int g = 0; g < groups; g++) {
        for (int l = 0; l < 4; l++) {
          const int q = g * 4 + l;
          const int in = q < m;
          dx[g][l] = !in ? 0 : b->across ? -p->ty[c0 + q] : p->tx[c0 + q];
          dy[g][l] = !in ? 0 : b->across ? p->tx[c0 + q] : p->ty[c0 + q];
          cr[g][l] = in ? s0[q * 3] : 0; cg[g][l] = in ? s0[q * 3 + 1] : 0; cb[g][l] = in ? s0[q * 3 + 2] : 0;
        }
        sr[g] = cr[g]; sg[g] = cg[g]; sb[g] = cb[g]; sw[g] = one;
      }
      for (int d = 1; d <= radius; d++) {
        for (int side = -1; side <= 1; side += 2) {
          const v4f t = splat((float)(side * d)), kd = splat(k[d]);
          for (int g = 0; g < groups; g++) {
            v4f x = __builtin_convertvector(lane + (i0 + g * 4), v4f) + t * dx[g], y = yj + t * dy[g];
            x = pick(x < zero, zero, x); x = pick(x > xmax, xmax, x);
            y = pick(y < zero, zero, y); y = pick(y > ymax, ymax, y);
            const v4i x0 = __builtin_convertvector(x, v4i), yr = __builtin_convertvector(y, v4i);
            /* The next column and row, or this one at the last. */
            const v4i x1 = x0 - (x0 + 1 < wv), y1r = yr - (yr + 1 < hv);
            const v4f fx = x - __builtin_convertvector(x0, v4f), fy = y - __builtin_convertvector(yr, v4f);
            const v4f wa = (one - fx) * (one - fy), wb = fx * (one - fy), wc = (one - fx) * fy, wd = fx * fy;
            const v4i ia = (yr * w + x0) * 3, ib = (yr * w + x1) * 3, ic = (y1r * w + x0) * 3, id = (y1r * w + x1) * 3;
            const v4f v0 = wa * gather4(src, ia, 0) + wb * gather4(src, ib, 0) + wc * gather4(src, ic, 0) + wd * gather4(src, id, 0);
            const v4f v1 = wa * gather4(src, ia, 1) + wb * gather4(src, ib, 1) + wc * gather4(src, ic, 1) + wd * gather4(src, id, 1);
            const v4f v2 = wa * gather4(src, ia, 2) + wb * gather4(src, ib, 2) + wc * gather4(src, ic, 2) + wd * gather4(src, id, 2);
            const v4f dist = (v0 - cr[g]) * (v0 - cr[g]) + (v1 - cg[g]) * (v1 - cg[g]) + (v2 - cb[g]) * (v2 - cb[g]);
            const v4i at = __builtin_convertvector(dist * steps, v4i);
            const v4f wgt = kd * gather4(range, at, 0);
            sr[g] += wgt * v0; sg[g] += wgt * v1; sb[g] += wgt * v2; sw[g] += wgt;
          }
        }
      }
      float *o = b->dst + c0 * 3;
      for (int q = 0; q < m; q++) {
        const int g = q / 4, l = q % 4;
        o[q * 3] = sr[g][l] / sw[g][l]; o[q * 3 + 1] = sg[g][l] / sw[g][l]; o[q * 3 + 2] = sb[g][l] / sw[g][l];
      }
    }
  }
}

static void bilateral_pass(const proxy *p, const float *src, float *dst, double sigma, double sigma_r, int across) {
  bilateral_job b = { .p = p, .src = src, .dst = dst, .across = across };
  b.radius = taps(sigma, b.k, MAX_TAPS);
  /* The range weight exp(−d²/2σr²) tabulated over d² in 0..3 (RGB in 0..1). */
  for (int q = 0; q <= RANGE_STEPS; q++) b.range[q] = (float)exp(-(3.0 * q / RANGE_STEPS) / (2 * sigma_r * sigma_r));
  marks_rows(p->h, bilateral_rows, &b);
}

/* `iterations` rounds of the two passes on the proxy's colour (r, g, b planes), in place;
   `work` 6 planes of scratch, or NULL for new ones. */
int flow_lines_bilateral(proxy *p, int iterations, double sigma_t, double sigma_g, double sigma_r, float *work) {
  const size_t n = (size_t)p->w * p->h;
  float *a = work ? work : malloc(n * 6 * sizeof(float));
  if (!a) return 0;
  float *b = a + 3 * n;
  for (size_t i = 0; i < n; i++) { a[i * 3] = p->r[i]; a[i * 3 + 1] = p->g[i]; a[i * 3 + 2] = p->b[i]; }
  for (int it = 0; it < iterations; it++) {
    bilateral_pass(p, a, b, sigma_t, sigma_r, 0);
    bilateral_pass(p, b, a, sigma_g, sigma_r, 1);
  }
  for (size_t i = 0; i < n; i++) { p->r[i] = a[i * 3]; p->g[i] = a[i * 3 + 1]; p->b[i] = a[i * 3 + 2]; }
  if (!work) free(a);
  return 1;
}

/*
 * The FDoG response into p->line: negative on the dark side of an edge, the deeper the
 * stronger. σc the centre of the DoG across the edge (surround 1.6σc, weighted ρ), σm
 * the reach along the streamline.
 */
typedef struct {
  proxy *p;
  const float *lum;
  float *across;
  int rs, rm;
  float f[2 * MAX_TAPS + 1], km[MAX_TAPS + 1];
} fdog_job;

/* The 1-D DoG across the edge, along the gradient. */
static void fdog_across(void *ctx, int y0, int y1) {
  const fdog_job *job = ctx;
  const proxy *p = job->p;
  const int rs = job->rs;
  for (int j = y0; j < y1; j++) {
    for (int i = 0; i < p->w; i++) {
      const size_t c = (size_t)j * p->w + i;
      const float gx = -p->ty[c], gy = p->tx[c];
      float s = 0;
      for (int d = -rs; d <= rs; d++) s += job->f[d + rs] * sample(job->lum, p->w, p->h, (float)i + d * gx, (float)j + d * gy);
      job->across[c] = s;
    }
  }
}

/* Its Gaussian average along the streamline through each pixel, both ways. */
static void fdog_along(void *ctx, int y0, int y1) {
  const fdog_job *job = ctx;
  proxy *p = job->p;
  const float *km = job->km;
  for (int j = y0; j < y1; j++) {
    for (int i = 0; i < p->w; i++) {
      const size_t c = (size_t)j * p->w + i;
      float s = km[0] * job->across[c], sw = km[0];
      for (int side = -1; side <= 1; side += 2) {
        float x = (float)i, y = (float)j, vx = side * p->tx[c], vy = side * p->ty[c];
        for (int d = 1; d <= job->rm; d++) {
          x += vx; y += vy;
          if (x < 0 || y < 0 || x > p->w - 1 || y > p->h - 1) break;
          const size_t q = (size_t)(int)(y + 0.5f) * p->w + (int)(x + 0.5f);
          float nx = p->tx[q], ny = p->ty[q];
          if (nx * vx + ny * vy < 0) { nx = -nx; ny = -ny; }
          vx = nx; vy = ny;
          s += km[d] * sample(job->across, p->w, p->h, x, y);
          sw += km[d];
        }
      }
      p->line[c] = s / sw;
    }
  }
}

void flow_lines_fdog(proxy *p, const float *lum, double sigma_c, double rho, double sigma_m) {
  fdog_job job = { .p = p, .lum = lum, .across = p->tmp };
  float kc[MAX_TAPS + 1], ks[MAX_TAPS + 1];
  job.rs = taps(1.6 * sigma_c, ks, MAX_TAPS);
  const int rc = taps(sigma_c, kc, MAX_TAPS);
  double sc = 0, ss = 0;
  for (int d = -job.rs; d <= job.rs; d++) { const int a = abs(d); sc += a <= rc ? kc[a] : 0; ss += ks[a]; }
  for (int d = -job.rs; d <= job.rs; d++) {
    const int a = abs(d);
    job.f[d + job.rs] = (float)((a <= rc ? kc[a] : 0) / sc - rho * ks[a] / ss);
  }
  job.rm = taps(sigma_m, job.km, MAX_TAPS);
  marks_rows(p->h, fdog_across, &job);
  marks_rows(p->h, fdog_along, &job);
}

/* `src` blurred by a Gaussian of `sigma` (clamped edges) into `dst`, `tmp` a plane of scratch; 0 when σ is too wide. */
int flow_lines_blur(const float *src, int w, int h, double sigma, float *dst, float *tmp) {
  float k[MAX_TAPS + 1];
  const int r = taps(sigma, k, MAX_TAPS);
  float sum = k[0];
  for (int d = 1; d <= r; d++) sum += 2 * k[d];
  for (int d = 0; d <= r; d++) k[d] /= sum;
  for (int j = 0; j < h; j++) {
    const float *row = src + (size_t)j * w;
    for (int i = 0; i < w; i++) {
      float s = k[0] * row[i];
      for (int d = 1; d <= r; d++) s += k[d] * (row[clampi(i - d, 0, w - 1)] + row[clampi(i + d, 0, w - 1)]);
      tmp[(size_t)j * w + i] = s;
    }
  }
  for (int j = 0; j < h; j++) {
    for (int i = 0; i < w; i++) {
      float s = k[0] * tmp[(size_t)j * w + i];
      for (int d = 1; d <= r; d++) s += k[d] * (tmp[(size_t)clampi(j - d, 0, h - 1) * w + i] + tmp[(size_t)clampi(j + d, 0, h - 1) * w + i]);
      dst[(size_t)j * w + i] = s;
    }
  }
  return 1;
}
