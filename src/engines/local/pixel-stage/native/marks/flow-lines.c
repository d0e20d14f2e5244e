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
 * nothing). A pixel's colour is stored in four floats (RGB and a zero), so a
 * neighbour's colour is one vector load and four of them are turned into a vector per
 * channel by a few shuffles; read a channel at a time, the loads and lane inserts were
 * half the filter's instructions. A sample's right and lower neighbours are always read
 * at the next column and row, past the frame's edge too (a row and a pixel of zeros
 * follow the colour):
 * there the sample lies on the edge, so their weights are exactly 0 and, the colours
 * being finite and not negative, what they add is +0, which changes no sum.
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
#ifdef __clang__
#define SHUFFLE(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#else
#define SHUFFLE(a, b, i, j, k, l) __builtin_shuffle(a, b, (v4i){ i, j, k, l })
#endif
/* A vector load from wherever four floats lie (a pixel's colour need not be 16-byte aligned). */
typedef float v4f_loose __attribute__((vector_size(16), aligned(4)));
/* The colours `off` floats past four pixels (four floats a pixel) as one vector per channel. */
static inline void colours4(const float *const at[4], ptrdiff_t off, v4f *r, v4f *g, v4f *b) {
  const v4f c0 = *(const v4f_loose *)(at[0] + off), c1 = *(const v4f_loose *)(at[1] + off);
  const v4f c2 = *(const v4f_loose *)(at[2] + off), c3 = *(const v4f_loose *)(at[3] + off);
  const v4f rg01 = SHUFFLE(c0, c1, 0, 4, 1, 5), rg23 = SHUFFLE(c2, c3, 0, 4, 1, 5);
  const v4f b01 = SHUFFLE(c0, c1, 2, 6, 3, 7), b23 = SHUFFLE(c2, c3, 2, 6, 3, 7);
  *r = SHUFFLE(rg01, rg23, 0, 1, 4, 5);
  *g = SHUFFLE(rg01, rg23, 2, 3, 6, 7);
  *b = SHUFFLE(b01, b23, 0, 1, 4, 5);
}

static void bilateral_rows(void *ctx, int y0, int y1) {
  const bilateral_job *b = ctx;
  const proxy *p = b->p;
  const float *src = b->src, *k = b->k, *range = b->range;
  const int w = p->w, h = p->h, radius = b->radius;
  const v4f zero = splat(0), one = splat(1), xmax = splat((float)(w - 1)), ymax = splat((float)(h - 1)), steps = splat(RANGE_STEPS / 3.0f);
  const v4i lane = { 0, 1, 2, 3 };
  const ptrdiff_t right = 4, below = (ptrdiff_t)4 * w;
  v4f dx[RUN / 4], dy[RUN / 4], cr[RUN / 4], cg[RUN / 4], cb[RUN / 4], sr[RUN / 4], sg[RUN / 4], sb[RUN / 4], sw[RUN / 4];
  for (int j = y0; j < y1; j++) {
    const v4f yj = splat((float)j);
    for (int i0 = 0; i0 < w; i0 += RUN) {
      const int m = w - i0 < RUN ? w - i0 : RUN, groups = (m + 3) / 4;
      const size_t c0 = (size_t)j * w + i0;
      const float *s0 = src + c0 * 4;
      /* Lanes past the row's end: a still pixel on black, read inside the frame and dropped. */
      for (int g = 0; g < groups; g++) {
        for (int l = 0; l < 4; l++) {
          const int q = g * 4 + l;
          const int in = q < m;
          dx[g][l] = !in ? 0 : b->across ? -p->ty[c0 + q] : p->tx[c0 + q];
          dy[g][l] = !in ? 0 : b->across ? p->tx[c0 + q] : p->ty[c0 + q];
          cr[g][l] = in ? s0[q * 4] : 0; cg[g][l] = in ? s0[q * 4 + 1] : 0; cb[g][l] = in ? s0[q * 4 + 2] : 0;
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
            const v4f fx = x - __builtin_convertvector(x0, v4f), fy = y - __builtin_convertvector(yr, v4f);
            const v4f wa = (one - fx) * (one - fy), wb = fx * (one - fy), wc = (one - fx) * fy, wd = fx * fy;
            const v4i ia = (yr * w + x0) * 4;
            const float *const corner[4] = { src + ia[0], src + ia[1], src + ia[2], src + ia[3] };
            /* wa·a + wb·b + wc·c + wd·d per channel, added in that order, a corner at a time. */
            v4f r, gr, bl;
            colours4(corner, 0, &r, &gr, &bl);
            v4f v0 = wa * r, v1 = wa * gr, v2 = wa * bl;
            colours4(corner, right, &r, &gr, &bl);
            v0 = v0 + wb * r; v1 = v1 + wb * gr; v2 = v2 + wb * bl;
            colours4(corner, below, &r, &gr, &bl);
            v0 = v0 + wc * r; v1 = v1 + wc * gr; v2 = v2 + wc * bl;
            colours4(corner, below + right, &r, &gr, &bl);
            v0 = v0 + wd * r; v1 = v1 + wd * gr; v2 = v2 + wd * bl;
            const v4f dist = (v0 - cr[g]) * (v0 - cr[g]) + (v1 - cg[g]) * (v1 - cg[g]) + (v2 - cb[g]) * (v2 - cb[g]);
            const v4i at = __builtin_convertvector(dist * steps, v4i);
            const v4f wgt = kd * gather4(range, at, 0);
            sr[g] += wgt * v0; sg[g] += wgt * v1; sb[g] += wgt * v2; sw[g] += wgt;
          }
        }
      }
      float *o = b->dst + c0 * 4;
      for (int q = 0; q < m; q++) {
        const int g = q / 4, l = q % 4;
        o[q * 4] = sr[g][l] / sw[g][l]; o[q * 4 + 1] = sg[g][l] / sw[g][l]; o[q * 4 + 2] = sb[g][l] / sw[g][l]; o[q * 4 + 3] = 0;
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
   `work` FLOW_LINES_BILATERAL_WORK floats of scratch (two copies of the colour, four floats
   a pixel, each followed by a row and a pixel of zeros), or NULL for new ones. */
int flow_lines_bilateral(proxy *p, int iterations, double sigma_t, double sigma_g, double sigma_r, float *work) {
  const size_t n = (size_t)p->w * p->h, pad = (size_t)4 * (p->w + 1);
  float *a = work ? work : malloc(FLOW_LINES_BILATERAL_WORK(p->w, p->h) * sizeof(float));
  if (!a) return 0;
  float *b = a + 4 * n + pad;
  for (size_t i = 0; i < n; i++) { a[i * 4] = p->r[i]; a[i * 4 + 1] = p->g[i]; a[i * 4 + 2] = p->b[i]; a[i * 4 + 3] = 0; }
  for (size_t i = 0; i < pad; i++) { a[4 * n + i] = 0; b[4 * n + i] = 0; }
  for (int it = 0; it < iterations; it++) {
    bilateral_pass(p, a, b, sigma_t, sigma_r, 0);
    bilateral_pass(p, b, a, sigma_g, sigma_r, 1);
  }
  for (size_t i = 0; i < n; i++) { p->r[i] = a[i * 4]; p->g[i] = a[i * 4 + 1]; p->b[i] = a[i * 4 + 2]; }
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

/* Four points clamped into the frame, 0..xmax and 0..ymax, as sample() clamps one. */
static inline void clamp_point(v4f *x, v4f *y, v4f xmax, v4f ymax) {
  const v4f zero = splat(0);
  *x = pick(*x < zero, zero, *x); *x = pick(*x > xmax, xmax, *x);
  *y = pick(*y < zero, zero, *y); *y = pick(*y > ymax, ymax, *y);
}

/* The 1-D DoG across the edge, along the gradient. Four pixels side by side in vectors,
   each tap's sample as sample() takes it on its clamped path (inside the frame the clamps
   change nothing) and added in the same order, so every sum is the one a pixel at a time
   gives; the row's last few pixels a pixel at a time. */
static void fdog_across(void *ctx, int y0, int y1) {
  const fdog_job *job = ctx;
  const proxy *p = job->p;
  const int rs = job->rs, w = p->w, h = p->h;
  const float *lum = job->lum;
  const v4f zero = splat(0), xmax = splat((float)(w - 1)), ymax = splat((float)(h - 1));
  const v4i wv = { w, w, w, w }, hv = { h, h, h, h }, lane = { 0, 1, 2, 3 };
  for (int j = y0; j < y1; j++) {
    const v4f yj = splat((float)j);
    int i = 0;
    for (; i + 4 <= w; i += 4) {
      const size_t c = (size_t)j * w + i;
      const v4f gx = -*(const v4f_loose *)(p->ty + c), gy = *(const v4f_loose *)(p->tx + c);
      const v4f xi = __builtin_convertvector(lane + i, v4f);
      v4f s = zero;
      for (int d = -rs; d <= rs; d++) {
        const v4f t = splat((float)d);
        v4f x = xi + t * gx, y = yj + t * gy;
        clamp_point(&x, &y, xmax, ymax);
        const v4i x0 = __builtin_convertvector(x, v4i), yr = __builtin_convertvector(y, v4i);
        /* The next column and row, or this one at the last. */
        const v4i x1 = x0 - (x0 + 1 < wv), y1r = yr - (yr + 1 < hv);
        const v4f fx = x - __builtin_convertvector(x0, v4f), fy = y - __builtin_convertvector(yr, v4f);
        const v4i top_row = yr * w, bottom_row = y1r * w;
        const v4f a = gather4(lum, top_row + x0, 0), b = gather4(lum, top_row + x1, 0);
        const v4f cc = gather4(lum, bottom_row + x0, 0), dd = gather4(lum, bottom_row + x1, 0);
        const v4f top = a + (b - a) * fx, bottom = cc + (dd - cc) * fx;
        s = s + splat(job->f[d + rs]) * (top + (bottom - top) * fy);
      }
      *(v4f_loose *)(job->across + c) = s;
    }
    for (; i < w; i++) {
      const size_t c = (size_t)j * p->w + i;
      const float gx = -p->ty[c], gy = p->tx[c];
      float s = 0;
      for (int d = -rs; d <= rs; d++) s += job->f[d + rs] * sample(job->lum, p->w, p->h, (float)i + d * gx, (float)j + d * gy);
      job->across[c] = s;
    }
  }
}

/*
 * One step along the streamline from (x, y) in direction (vx, vy): the point moves on, and
 * the direction becomes the field's there, turned to keep going the same way; 0 when the
 * step leaves the frame.
 */
static inline int stream_step(const proxy *p, float *x, float *y, float *vx, float *vy) {
  *x += *vx; *y += *vy;
  if (*x < 0 || *y < 0 || *x > p->w - 1 || *y > p->h - 1) return 0;
  const size_t q = (size_t)(int)(*y + 0.5f) * p->w + (int)(*x + 0.5f);
  float nx = p->tx[q], ny = p->ty[q];
  if (nx * *vx + ny * *vy < 0) { nx = -nx; ny = -ny; }
  *vx = nx; *vy = ny;
  return 1;
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
          if (!stream_step(p, &x, &y, &vx, &vy)) break;
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

/*
 * Two FDoGs over the same field at once (flow_lines_fdog_pair): the DoGs across of `lum`
 * (σc `sigma_c`) and `lum2` (σc `sigma_c2`) each take their samples at the same points
 * along the gradient, and the streamline through a pixel is traced once for both. Every
 * sum is the one flow_lines_fdog gives, added in the same order.
 */
typedef struct {
  proxy *p;
  const float *lum, *lum2, *quad;
  float *across, *line2; /* across: both DoGs, interleaved */
  int rs, rs2, rm;
  float f[2 * MAX_TAPS + 1], f2[2 * MAX_TAPS + 1], km[MAX_TAPS + 1];
} fdog_pair_job;

/* The pixel at each of four offsets into `quad` and the one after it, in both planes: four
   loads and a transpose. */
static inline void quads4(const float *quad, v4i at, v4f *a, v4f *b, v4f *a2, v4f *b2) {
  const v4f c0 = *(const v4f_loose *)(quad + at[0]), c1 = *(const v4f_loose *)(quad + at[1]);
  const v4f c2 = *(const v4f_loose *)(quad + at[2]), c3 = *(const v4f_loose *)(quad + at[3]);
  const v4f lo01 = SHUFFLE(c0, c1, 0, 4, 1, 5), lo23 = SHUFFLE(c2, c3, 0, 4, 1, 5);
  const v4f hi01 = SHUFFLE(c0, c1, 2, 6, 3, 7), hi23 = SHUFFLE(c2, c3, 2, 6, 3, 7);
  *a = SHUFFLE(lo01, lo23, 0, 1, 4, 5);
  *b = SHUFFLE(lo01, lo23, 2, 3, 6, 7);
  *a2 = SHUFFLE(hi01, hi23, 0, 1, 4, 5);
  *b2 = SHUFFLE(hi01, hi23, 2, 3, 6, 7);
}

static void fdog_pair_across(void *ctx, int y0, int y1) {
  const fdog_pair_job *job = ctx;
  const proxy *p = job->p;
  const int rs = job->rs, rs2 = job->rs2, rmax = rs > rs2 ? rs : rs2, w = p->w, h = p->h;
  const float *lum = job->lum, *lum2 = job->lum2, *quad = job->quad;
  const v4f zero = splat(0), xmax = splat((float)(w - 1)), ymax = splat((float)(h - 1));
  const v4i hv = { h, h, h, h }, lane = { 0, 1, 2, 3 };
  for (int j = y0; j < y1; j++) {
    const v4f yj = splat((float)j);
    int i = 0;
    for (; i + 4 <= w; i += 4) {
      const size_t c = (size_t)j * w + i;
      const v4f gx = -*(const v4f_loose *)(p->ty + c), gy = *(const v4f_loose *)(p->tx + c);
      const v4f xi = __builtin_convertvector(lane + i, v4f);
      v4f s = zero, s2 = zero;
      for (int d = -rmax; d <= rmax; d++) {
        const v4f t = splat((float)d);
        v4f x = xi + t * gx, y = yj + t * gy;
        clamp_point(&x, &y, xmax, ymax);
        const v4i x0 = __builtin_convertvector(x, v4i), yr = __builtin_convertvector(y, v4i);
        const v4i y1r = yr - (yr + 1 < hv);
        const v4f fx = x - __builtin_convertvector(x0, v4f), fy = y - __builtin_convertvector(yr, v4f);
        const v4i top_at = (yr * w + x0) * 4, bottom_at = (y1r * w + x0) * 4;
        v4f a, b, a2, b2, cc, dd, cc2, dd2;
        quads4(quad, top_at, &a, &b, &a2, &b2);
        quads4(quad, bottom_at, &cc, &dd, &cc2, &dd2);
        if (d >= -rs && d <= rs) {
          const v4f top = a + (b - a) * fx, bottom = cc + (dd - cc) * fx;
          s = s + splat(job->f[d + rs]) * (top + (bottom - top) * fy);
        }
        if (d >= -rs2 && d <= rs2) {
          const v4f top = a2 + (b2 - a2) * fx, bottom = cc2 + (dd2 - cc2) * fx;
          s2 = s2 + splat(job->f2[d + rs2]) * (top + (bottom - top) * fy);
        }
      }
      *(v4f_loose *)(job->across + 2 * c) = SHUFFLE(s, s2, 0, 4, 1, 5);
      *(v4f_loose *)(job->across + 2 * c + 4) = SHUFFLE(s, s2, 2, 6, 3, 7);
    }
    for (; i < w; i++) {
      const size_t c = (size_t)j * w + i;
      const float gx = -p->ty[c], gy = p->tx[c];
      float s = 0, s2 = 0;
      for (int d = -rs; d <= rs; d++) s += job->f[d + rs] * sample(lum, w, h, (float)i + d * gx, (float)j + d * gy);
      for (int d = -rs2; d <= rs2; d++) s2 += job->f2[d + rs2] * sample(lum2, w, h, (float)i + d * gx, (float)j + d * gy);
      job->across[2 * c] = s;
      job->across[2 * c + 1] = s2;
    }
  }
}

/* sample() of two interleaved planes at one point. */
static inline void sample_pair(const float *p, int w, int h, float x, float y, float *v, float *v2) {
  int x0, y0, x1, y1;
  float fx, fy;
  sample_corners(w, h, x, y, &x0, &y0, &x1, &y1, &fx, &fy);
  const float *a = p + 2 * ((size_t)y0 * w + x0), *b = p + 2 * ((size_t)y0 * w + x1);
  const float *cc = p + 2 * ((size_t)y1 * w + x0), *dd = p + 2 * ((size_t)y1 * w + x1);
  const float top = a[0] + (b[0] - a[0]) * fx, bottom = cc[0] + (dd[0] - cc[0]) * fx;
  const float top2 = a[1] + (b[1] - a[1]) * fx, bottom2 = cc[1] + (dd[1] - cc[1]) * fx;
  *v = top + (bottom - top) * fy;
  *v2 = top2 + (bottom2 - top2) * fy;
}

static void fdog_pair_along(void *ctx, int y0, int y1) {
  const fdog_pair_job *job = ctx;
  proxy *p = job->p;
  const float *km = job->km;
  for (int j = y0; j < y1; j++) {
    for (int i = 0; i < p->w; i++) {
      const size_t c = (size_t)j * p->w + i;
      float s = km[0] * job->across[2 * c], s2 = km[0] * job->across[2 * c + 1], sw = km[0];
      for (int side = -1; side <= 1; side += 2) {
        float x = (float)i, y = (float)j, vx = side * p->tx[c], vy = side * p->ty[c];
        for (int d = 1; d <= job->rm; d++) {
          if (!stream_step(p, &x, &y, &vx, &vy)) break;
          float a, a2;
          sample_pair(job->across, p->w, p->h, x, y, &a, &a2);
          s += km[d] * a;
          s2 += km[d] * a2;
          sw += km[d];
        }
      }
      p->line[c] = s / sw;
      job->line2[c] = s2 / sw;
    }
  }
}

/* The DoG across of σc `sigma_c` and surround weight ρ into `f` (2 rs + 1 taps); rs. */
static int dog_taps(double sigma_c, double rho, float *f) {
  float kc[MAX_TAPS + 1], ks[MAX_TAPS + 1];
  const int rs = taps(1.6 * sigma_c, ks, MAX_TAPS), rc = taps(sigma_c, kc, MAX_TAPS);
  double sc = 0, ss = 0;
  for (int d = -rs; d <= rs; d++) { const int a = abs(d); sc += a <= rc ? kc[a] : 0; ss += ks[a]; }
  for (int d = -rs; d <= rs; d++) {
    const int a = abs(d);
    f[d + rs] = (float)((a <= rc ? kc[a] : 0) / sc - rho * ks[a] / ss);
  }
  return rs;
}

int flow_lines_fdog_pair(proxy *p, const float *lum, double sigma_c, const float *lum2, double sigma_c2, double rho, double sigma_m, float *line2, float *work) {
  const size_t n = (size_t)p->w * p->h;
  float *quad = work ? work : malloc(FLOW_LINES_FDOG_PAIR_WORK(n) * sizeof(float));
  if (!quad) return 0;
  /* Both planes interleaved, a pixel and its right neighbour (past a row's end the next
     row's first, past the last pixel a zero): where the right neighbour is not the sample's
     (at a row's last pixel) its weight is exactly 0, and what it adds +0. */
  for (size_t i = 0; i + 1 < n; i++) {
    quad[4 * i] = lum[i]; quad[4 * i + 1] = lum[i + 1]; quad[4 * i + 2] = lum2[i]; quad[4 * i + 3] = lum2[i + 1];
  }
  quad[4 * n - 4] = lum[n - 1]; quad[4 * n - 3] = 0; quad[4 * n - 2] = lum2[n - 1]; quad[4 * n - 1] = 0;
  fdog_pair_job job = { .p = p, .lum = lum, .lum2 = lum2, .quad = quad, .across = quad + 4 * n, .line2 = line2 };
  job.rs = dog_taps(sigma_c, rho, job.f);
  job.rs2 = dog_taps(sigma_c2, rho, job.f2);
  job.rm = taps(sigma_m, job.km, MAX_TAPS);
  marks_rows(p->h, fdog_pair_across, &job);
  marks_rows(p->h, fdog_pair_along, &job);
  if (!work) free(quad);
  return 1;
}

/* `src` blurred by a Gaussian of `sigma` (clamped edges) into `dst`, `tmp` a plane of scratch; 0 when σ is too wide. */
int flow_lines_blur(const float *src, int w, int h, double sigma, float *dst, float *tmp) {
  float k[MAX_TAPS + 1];
  const int r = taps(sigma, k, MAX_TAPS);
  float sum = k[0];
  for (int d = 1; d <= r; d++) sum += 2 * k[d];
  for (int d = 0; d <= r; d++) k[d] /= sum;
  /* Both passes add a tap at a time over a run of pixels (each pixel's sum in the order
     one pixel at a time would add it), so the loops run several pixels per instruction:
     along a row its inner pixels, the clamped edges a pixel at a time; down the columns
     whole rows, the rows clamped rather than the pixels. */
  for (int j = 0; j < h; j++) {
    const float *row = src + (size_t)j * w;
    float *out = tmp + (size_t)j * w;
    for (int i = 0; i < w; i++) {
      if (i == r && i + r < w) i = w - r;
      float s = k[0] * row[i];
      for (int d = 1; d <= r; d++) s += k[d] * (row[clampi(i - d, 0, w - 1)] + row[clampi(i + d, 0, w - 1)]);
      out[i] = s;
    }
    if (2 * r < w) {
      for (int i = r; i < w - r; i++) out[i] = k[0] * row[i];
      for (int d = 1; d <= r; d++) {
        const float kd = k[d];
        for (int i = r; i < w - r; i++) out[i] += kd * (row[i - d] + row[i + d]);
      }
    }
  }
  for (int j = 0; j < h; j++) {
    const float *row = tmp + (size_t)j * w;
    float *out = dst + (size_t)j * w;
    for (int i = 0; i < w; i++) out[i] = k[0] * row[i];
    for (int d = 1; d <= r; d++) {
      const float kd = k[d], *up = tmp + (size_t)clampi(j - d, 0, h - 1) * w, *down = tmp + (size_t)clampi(j + d, 0, h - 1) * w;
      for (int i = 0; i < w; i++) out[i] += kd * (up[i] + down[i]);
    }
  }
  return 1;
}

void flow_lines_luma_histogram(const proxy *p, unsigned hist[256]) {
  const size_t n = (size_t)p->w * p->h;
  for (int b = 0; b < 256; b++) hist[b] = 0;
  for (size_t q = 0; q < n; q++) hist[clampi((int)(p->y[q] * 256), 0, 255)]++;
}

float flow_lines_luma_quantile(const unsigned *hist, size_t n, double q) {
  size_t sum = 0;
  for (int b = 0; b < 256; b++) {
    sum += hist[b];
    if ((double)sum >= q * (double)n) return (b + 0.5f) / 256;
  }
  return 1;
}
