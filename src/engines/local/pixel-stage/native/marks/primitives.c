/* Mark primitives: a stroke texture advected with the picture, and line integral convolution (primitives.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "primitives.h"

#define QUARTER 4
#define BLOCK 4          /* quarter pixels per block side */
#define SEARCH 4         /* quarter pixels each way */
#define RELAX 0.02f      /* share of the way back to the frame's own coordinates per frame */
#define CUT_CHANGE 0.11f /* mean luma change (0..1) of a cut */

int marks_advection_init(marks_advection *a, int width, int height) {
  memset(a, 0, sizeof *a);
  a->width = width; a->height = height;
  a->qw = width / QUARTER > 0 ? width / QUARTER : 1;
  a->qh = height / QUARTER > 0 ? height / QUARTER : 1;
  const size_t n = (size_t)width * height, q = (size_t)a->qw * a->qh;
  const size_t blocks = (size_t)(a->qw / BLOCK + 1) * (a->qh / BLOCK + 1);
  a->prev_quarter = malloc(q * sizeof(float)); a->quarter = malloc(q * sizeof(float));
  a->mvx = malloc(blocks * sizeof(float)); a->mvy = malloc(blocks * sizeof(float));
  a->u = malloc(n * sizeof(float)); a->v = malloc(n * sizeof(float));
  a->scratch_u = malloc(n * sizeof(float)); a->scratch_v = malloc(n * sizeof(float));
  if (!a->prev_quarter || !a->quarter || !a->mvx || !a->mvy || !a->u || !a->v || !a->scratch_u || !a->scratch_v) { marks_advection_free(a); return 0; }
  return 1;
}

void marks_advection_free(marks_advection *a) {
  free(a->prev_quarter); free(a->quarter); free(a->mvx); free(a->mvy);
  free(a->u); free(a->v); free(a->scratch_u); free(a->scratch_v);
  memset(a, 0, sizeof *a);
}

static void quarter_luma(const float *luma, int width, int qw, int qh, float *out) {
  for (int y = 0; y < qh; y++) for (int x = 0; x < qw; x++) {
    float s = 0;
    for (int j = 0; j < QUARTER; j++) for (int i = 0; i < QUARTER; i++) s += luma[(size_t)(y * QUARTER + j) * width + x * QUARTER + i];
    out[(size_t)y * qw + x] = s / (QUARTER * QUARTER);
  }
}

static float block_sad(const marks_advection *a, int bx, int by, int dx, int dy) {
  float s = 0;
  /* A block and its shifted twin both inside the frame: no clamping (the same sum, in the same order). */
  if (bx - dx >= 0 && by - dy >= 0 && bx + BLOCK <= a->qw && by + BLOCK <= a->qh && bx - dx + BLOCK <= a->qw && by - dy + BLOCK <= a->qh) {
    const float *cur = a->quarter + (size_t)by * a->qw + bx, *prev = a->prev_quarter + (size_t)(by - dy) * a->qw + (bx - dx);
    for (int j = 0; j < BLOCK; j++, cur += a->qw, prev += a->qw)
      for (int i = 0; i < BLOCK; i++) s += fabsf(cur[i] - prev[i]);
    return s;
  }
  for (int j = 0; j < BLOCK; j++) {
    const int y = by + j, py = y - dy;
    if (y >= a->qh) break;
    const int cy = py < 0 ? 0 : py >= a->qh ? a->qh - 1 : py;
    for (int i = 0; i < BLOCK; i++) {
      const int x = bx + i, px = x - dx;
      if (x >= a->qw) break;
      const int cx = px < 0 ? 0 : px >= a->qw ? a->qw - 1 : px;
      s += fabsf(a->quarter[(size_t)y * a->qw + x] - a->prev_quarter[(size_t)cy * a->qw + cx]);
    }
  }
  return s;
}

/* Sub-pixel offset of the minimum of a parabola through (−1, l), (0, c), (1, r). */
static float parabola(float l, float c, float r) {
  const float d = l - 2 * c + r;
  if (d <= 1e-9f) return 0;
  const float o = 0.5f * (l - r) / d;
  return o < -0.5f ? -0.5f : o > 0.5f ? 0.5f : o;
}

static void estimate_motion(marks_advection *a) {
  const int bw = a->qw / BLOCK + 1, bh = a->qh / BLOCK + 1;
  for (int by = 0; by < bh; by++) for (int bx = 0; bx < bw; bx++) {
    float best = 1e30f;
    int bdx = 0, bdy = 0;
    const float still = block_sad(a, bx * BLOCK, by * BLOCK, 0, 0);
    for (int dy = -SEARCH; dy <= SEARCH; dy++) for (int dx = -SEARCH; dx <= SEARCH; dx++) {
      const float s = block_sad(a, bx * BLOCK, by * BLOCK, dx, dy);
      if (s < best) { best = s; bdx = dx; bdy = dy; }
    }
    float mx = 0, my = 0;
    /* A flat or still block keeps its marks where they are: motion only when clearly better. */
    if (best < still * 0.85f && still > 0.02f * BLOCK * BLOCK) {
      mx = bdx; my = bdy;
      if (abs(bdx) < SEARCH) mx += parabola(block_sad(a, bx * BLOCK, by * BLOCK, bdx - 1, bdy), best, block_sad(a, bx * BLOCK, by * BLOCK, bdx + 1, bdy));
      if (abs(bdy) < SEARCH) my += parabola(block_sad(a, bx * BLOCK, by * BLOCK, bdx, bdy - 1), best, block_sad(a, bx * BLOCK, by * BLOCK, bdx, bdy + 1));
    }
    a->mvx[by * bw + bx] = mx * QUARTER;
    a->mvy[by * bw + bx] = my * QUARTER;
  }
}

typedef struct { marks_advection *a; } warp_job;

static void warp_rows(void *ctx, int y0, int y1) {
  marks_advection *a = ((warp_job *)ctx)->a;
  const int bw = a->qw / BLOCK + 1, bh = a->qh / BLOCK + 1;
  const float cell = QUARTER * BLOCK;
  for (int y = y0; y < y1; y++) for (int x = 0; x < a->width; x++) {
    /* The block motion, bilinear between block centres. */
    float fx = (x + 0.5f) / cell - 0.5f, fy = (y + 0.5f) / cell - 0.5f;
    if (fx < 0) fx = 0;
    if (fy < 0) fy = 0;
    int ix = (int)fx, iy = (int)fy;
    if (ix > bw - 2) ix = bw - 2 < 0 ? 0 : bw - 2;
    if (iy > bh - 2) iy = bh - 2 < 0 ? 0 : bh - 2;
    float tx = fx - ix, ty = fy - iy;
    if (tx > 1) tx = 1;
    if (ty > 1) ty = 1;
    const int ix1 = ix + 1 < bw ? ix + 1 : ix, iy1 = iy + 1 < bh ? iy + 1 : iy;
    const float mx = (a->mvx[iy * bw + ix] * (1 - tx) + a->mvx[iy * bw + ix1] * tx) * (1 - ty) + (a->mvx[iy1 * bw + ix] * (1 - tx) + a->mvx[iy1 * bw + ix1] * tx) * ty;
    const float my = (a->mvy[iy * bw + ix] * (1 - tx) + a->mvy[iy * bw + ix1] * tx) * (1 - ty) + (a->mvy[iy1 * bw + ix] * (1 - tx) + a->mvy[iy1 * bw + ix1] * tx) * ty;
    /* This pixel shows what was at (x − m) a frame ago: it takes that pixel's coordinates. */
    int sx = (int)lrintf(x - mx), sy = (int)lrintf(y - my);
    sx = sx < 0 ? 0 : sx >= a->width ? a->width - 1 : sx;
    sy = sy < 0 ? 0 : sy >= a->height ? a->height - 1 : sy;
    const size_t from = (size_t)sy * a->width + sx, at = (size_t)y * a->width + x;
    /* The source pixel's coordinates, moved by the sub-pixel rest of the motion, then relaxed home. */
    const float u = a->u[from] + (sx - (x - mx)), v = a->v[from] + (sy - (y - my));
    a->scratch_u[at] = u + (x - u) * RELAX;
    a->scratch_v[at] = v + (y - v) * RELAX;
  }
}

void marks_advect(marks_advection *a, const float *luma) {
  quarter_luma(luma, a->width, a->qw, a->qh, a->quarter);
  const size_t q = (size_t)a->qw * a->qh;
  float change = 0;
  if (a->frames > 0) for (size_t i = 0; i < q; i++) change += fabsf(a->quarter[i] - a->prev_quarter[i]);
  a->cut = a->frames == 0 || change / q > CUT_CHANGE;
  if (a->cut) {
    for (int y = 0; y < a->height; y++) for (int x = 0; x < a->width; x++) { a->u[(size_t)y * a->width + x] = x; a->v[(size_t)y * a->width + x] = y; }
  } else {
    estimate_motion(a);
    warp_job job = { a };
    marks_rows(a->height, warp_rows, &job);
    float *t = a->u; a->u = a->scratch_u; a->scratch_u = t;
    t = a->v; a->v = a->scratch_v; a->scratch_v = t;
  }
  float *t = a->prev_quarter; a->prev_quarter = a->quarter; a->quarter = t;
  a->frames++;
}

float marks_hash(int x, int y, uint32_t seed) {
  uint32_t h = (uint32_t)x * 374761393u + (uint32_t)y * 668265263u + seed * 2246822519u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return (float)((h ^ (h >> 16)) & 0xffffff) / 16777215.0f;
}

typedef struct { const uint8_t *in; int w, h, hw; uint8_t *out; } halve_job;

static void halve_rows(void *ctx, int y0, int y1) {
  const halve_job *j = ctx;
  const int w = j->w;
  for (int y = y0; y < y1; y++) {
    const int ya = 2 * y, yb = 2 * y + 1 < j->h ? 2 * y + 1 : 2 * y;
    for (int x = 0; x < j->hw; x++) {
      const int xa = 2 * x, xb = 2 * x + 1 < w ? 2 * x + 1 : 2 * x;
      for (int c = 0; c < 3; c++) {
        const int sum = j->in[((size_t)ya * w + xa) * 3 + c] + j->in[((size_t)ya * w + xb) * 3 + c] + j->in[((size_t)yb * w + xa) * 3 + c] + j->in[((size_t)yb * w + xb) * 3 + c];
        j->out[((size_t)y * j->hw + x) * 3 + c] = (uint8_t)((sum + 2) >> 2);
      }
    }
  }
}

void marks_halve(const uint8_t *in, int width, int height, uint8_t *out) {
  halve_job j = { in, width, height, (width + 1) / 2, out };
  marks_rows((height + 1) / 2, halve_rows, &j);
}

typedef struct { const float *src, *dx, *dy; int width, height, length; float *out; uint8_t *near; } lic_job;

/*
 * Which pixels have a non-zero source pixel within `length` each way (a square around
 * them): every tap of the convolution lies in that square, so elsewhere the result is
 * exactly 0 and the taps need not be read. A source of thresholded edges (drawing.c's
 * contours) is zero over most of a frame. Rows first (a sliding count along each row),
 * then columns (a count per column, slid down the band's rows).
 */
static void near_rows(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const int w = j->width, L = j->length;
  for (int y = y0; y < y1; y++) {
    const float *row = j->src + (size_t)y * w;
    uint8_t *out = j->near + (size_t)y * w;
    int count = 0;
    for (int x = 0; x < L && x < w; x++) count += row[x] != 0;
    for (int x = 0; x < w; x++) {
      if (x + L < w) count += row[x + L] != 0;
      out[x] = count > 0;
      if (x - L >= 0) count -= row[x - L] != 0;
    }
  }
}

static void near_columns(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const int w = j->width, h = j->height, L = j->length;
  const uint8_t *rows = j->near;
  uint8_t *out = j->near + (size_t)h * w;
  int *count = calloc((size_t)w, sizeof(int));
  if (!count) { memset(out + (size_t)y0 * w, 1, (size_t)(y1 - y0) * w); return; }
  for (int y = y0 - L; y < y0 + L && y < h; y++) if (y >= 0) for (int x = 0; x < w; x++) count[x] += rows[(size_t)y * w + x];
  for (int y = y0; y < y1; y++) {
    if (y + L < h) for (int x = 0; x < w; x++) count[x] += rows[(size_t)(y + L) * w + x];
    for (int x = 0; x < w; x++) out[(size_t)y * w + x] = count[x] > 0;
    if (y - L >= 0) for (int x = 0; x < w; x++) count[x] -= rows[(size_t)(y - L) * w + x];
  }
  free(count);
}

/* As hatch_lic (hatching.c): whole-pixel offsets worked out once per direction, unclamped away from the edges. */
static void lic_rows(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const int w = j->width, h = j->height, L = j->length;
  const float norm = 1.0f / (2 * L + 1);
  const uint8_t *near = j->near ? j->near + (size_t)h * w : NULL;
  int ox[MARKS_LIC_MAX + 1], oy[MARKS_LIC_MAX + 1];
  ptrdiff_t off[MARKS_LIC_MAX + 1];
  float last_dx = NAN, last_dy = NAN;
  int reach_x = 0, reach_y = 0;
  for (int y = y0; y < y1; y++) for (int x = 0; x < w; x++) {
    const size_t at = (size_t)y * w + x;
    if (near && !near[at]) { j->out[at] = 0; continue; }
    const float dx = j->dx[at], dy = j->dy[at];
    if (dx != last_dx || dy != last_dy) {
      last_dx = dx; last_dy = dy; reach_x = 0; reach_y = 0;
      for (int k = 1; k <= L; k++) {
        ox[k] = (int)lrintf(k * dx); oy[k] = (int)lrintf(k * dy);
        off[k] = (ptrdiff_t)oy[k] * w + ox[k];
        if (abs(ox[k]) > reach_x) reach_x = abs(ox[k]);
        if (abs(oy[k]) > reach_y) reach_y = abs(oy[k]);
      }
    }
    float s = j->src[at];
    if (x >= reach_x && x + reach_x < w && y >= reach_y && y + reach_y < h) {
      const float *c = j->src + at;
      for (int k = 1; k <= L; k++) s += c[off[k]] + c[-off[k]];
    } else {
      for (int k = 1; k <= L; k++) {
        int ax = x + ox[k], ay = y + oy[k], bx = x - ox[k], by = y - oy[k];
        ax = ax < 0 ? 0 : ax >= w ? w - 1 : ax; ay = ay < 0 ? 0 : ay >= h ? h - 1 : ay;
        bx = bx < 0 ? 0 : bx >= w ? w - 1 : bx; by = by < 0 ? 0 : by >= h ? h - 1 : by;
        s += j->src[(size_t)ay * w + ax] + j->src[(size_t)by * w + bx];
      }
    }
    j->out[at] = s * norm;
  }
}

void marks_lic(const float *src, const float *dx, const float *dy, int width, int height, int length, float *out) {
  lic_job j = { src, dx, dy, width, height, length < 1 ? 1 : length > MARKS_LIC_MAX ? MARKS_LIC_MAX : length, out, NULL };
  /* The square test, when there is memory for it (else every pixel is convolved, to the same result). */
  j.near = malloc((size_t)2 * width * height);
  if (j.near) { marks_rows(height, near_rows, &j); marks_rows(height, near_columns, &j); }
  marks_rows(height, lic_rows, &j);
  free(j.near);
}

int *marks_double_columns(int width, int hw, int **step, float **frac) {
  int *cols = malloc((size_t)width * (2 * sizeof(int) + sizeof(float)));
  if (!cols) return NULL;
  *step = cols + width;
  *frac = (float *)(*step + width);
  for (int x = 0; x < width; x++) {
    float g = (x + 0.5f) * 0.5f - 0.5f;
    g = g < 0 ? 0 : g > hw - 1 ? hw - 1 : g;
    const int l = (int)g;
    cols[x] = l; (*step)[x] = l + 1 < hw ? 1 : 0; (*frac)[x] = g - l;
  }
  return cols;
}

void marks_double_plane(const float *half, int hw, int hh, int w, int h, const int *cols, const int *step, const float *frac, float *out) {
  for (int y = 0; y < h; y++) {
    float gy = (y + 0.5f) * 0.5f - 0.5f;
    gy = gy < 0 ? 0 : gy > hh - 1 ? hh - 1 : gy;
    const int a = (int)gy, b = a + 1 < hh ? a + 1 : a;
    const float ty = gy - a;
    const float *above = half + (size_t)a * hw, *below = half + (size_t)b * hw;
    float *row = out + (size_t)y * w;
    for (int x = 0; x < w; x++) {
      const int l = cols[x], r = cols[x] + step[x];
      const float top = above[l] + (above[r] - above[l]) * frac[x], bottom = below[l] + (below[r] - below[l]) * frac[x];
      row[x] = top + (bottom - top) * ty;
    }
  }
}

/*
 * The running sums of `rows` rows of a box blur along x, in lockstep: each row's sum is a
 * chain of dependent additions, and four chains side by side keep the adder busy (the
 * sums, and so the results, are those of one row at a time).
 */
#define BOX_LANES 4
static void box_rows(const float *plane, float *tmp, int w, int r, int y0, int rows) {
  const float norm = 1.0f / (2 * r + 1);
  float s[BOX_LANES];
  const float *row[BOX_LANES];
  float *out[BOX_LANES];
  for (int l = 0; l < rows; l++) {
    row[l] = plane + (size_t)(y0 + l) * w;
    out[l] = tmp + (size_t)(y0 + l) * w;
    s[l] = 0;
    for (int k = -r; k <= r; k++) s[l] += row[l][k < 0 ? 0 : k >= w ? w - 1 : k];
  }
  int x = 0;
  for (; x < w && x - r < 0; x++) {
    const int add = x + r + 1 >= w ? w - 1 : x + r + 1;
    for (int l = 0; l < rows; l++) { out[l][x] = s[l] * norm; s[l] += row[l][add] - row[l][0]; }
  }
  if (rows == BOX_LANES) {
    const float *restrict r0 = row[0], *restrict r1 = row[1], *restrict r2 = row[2], *restrict r3 = row[3];
    float *restrict o0 = out[0], *restrict o1 = out[1], *restrict o2 = out[2], *restrict o3 = out[3];
    float s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (; x + r + 1 < w; x++) {
      o0[x] = s0 * norm; s0 += r0[x + r + 1] - r0[x - r];
      o1[x] = s1 * norm; s1 += r1[x + r + 1] - r1[x - r];
      o2[x] = s2 * norm; s2 += r2[x + r + 1] - r2[x - r];
      o3[x] = s3 * norm; s3 += r3[x + r + 1] - r3[x - r];
    }
    s[0] = s0; s[1] = s1; s[2] = s2; s[3] = s3;
  } else {
    for (; x + r + 1 < w; x++) {
      for (int l = 0; l < rows; l++) { out[l][x] = s[l] * norm; s[l] += row[l][x + r + 1] - row[l][x - r]; }
    }
  }
  for (; x < w; x++) {
    for (int l = 0; l < rows; l++) { out[l][x] = s[l] * norm; s[l] += row[l][w - 1] - row[l][x - r]; }
  }
}

/*
 * Box blur of radius r, in place, using `tmp` (n + w floats); separable,
 * clamped edges. Running sums both ways; the vertical pass keeps one per column and walks
 * the rows in order, so it reads memory the way it lies.
 */
void marks_box_blur(float *plane, int w, int h, int r, float *tmp) {
  if (r < 1) return;
  const float norm = 1.0f / (2 * r + 1);
  for (int y = 0; y < h; y += BOX_LANES) box_rows(plane, tmp, w, r, y, h - y < BOX_LANES ? h - y : BOX_LANES);
  float *acc = tmp + (size_t)h * w;
  for (int x = 0; x < w; x++) acc[x] = 0;
  for (int k = -r; k <= r; k++) {
    const float *row = tmp + (size_t)(k < 0 ? 0 : k >= h ? h - 1 : k) * w;
    for (int x = 0; x < w; x++) acc[x] += row[x];
  }
  for (int y = 0; y < h; y++) {
    const float *add = tmp + (size_t)(y + r + 1 >= h ? h - 1 : y + r + 1) * w, *sub = tmp + (size_t)(y - r < 0 ? 0 : y - r) * w;
    float *out = plane + (size_t)y * w;
    for (int x = 0; x < w; x++) { out[x] = acc[x] * norm; acc[x] += add[x] - sub[x]; }
  }
}
