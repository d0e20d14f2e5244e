/*
 * The field of directions (marks/flow-field.ts): Sobel gradients of the luma, the
 * structure tensor blurred by a Gaussian (marks/gaussian.ts), its tangent angle and
 * coherence. Same operations in the same order and precision as the reference.
 */
#include <math.h>
#include <stdlib.h>
#include "pixel-stage.h"

#define PS_PI 3.14159265358979323846

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Separable Gaussian of `sigma` (taps to ceil(3σ), normalised), clamped edges; `tmp` n floats. */
static int gaussian(const float *src, int width, int height, double sigma, float *out, float *tmp) {
  int radius = (int)ceil(3 * sigma);
  if (radius < 1) radius = 1;
  double *k = malloc((size_t)(2 * radius + 1) * sizeof(double));
  if (!k) return 0;
  double sum = 0;
  for (int d = -radius; d <= radius; d++) { k[d + radius] = exp(-(double)(d * d) / (2 * sigma * sigma)); sum += k[d + radius]; }
  for (int d = 0; d <= 2 * radius; d++) k[d] /= sum;
  double *acc = malloc((size_t)width * sizeof(double));
  if (!acc) { free(k); return 0; }
  /* Along the rows, a tap at a time over the row's inner pixels (each pixel's sum still
     adds its taps from the left, as one pixel at a time would), so the loop runs several
     pixels per instruction; the edges' clamped taps a pixel at a time. */
  for (int y = 0; y < height; y++) {
    const float *row = src + (size_t)y * width;
    float *out = tmp + (size_t)y * width;
    for (int x = 0; x < width; x++) {
      if (x == radius && x + radius < width) x = width - radius;
      double s = 0;
      for (int d = -radius; d <= radius; d++) s += k[d + radius] * row[clampi(x + d, 0, width - 1)];
      out[x] = (float)s;
    }
    if (2 * radius < width) {
      for (int x = radius; x < width - radius; x++) acc[x] = 0;
      for (int d = -radius; d <= radius; d++) {
        const double w = k[d + radius];
        for (int x = radius; x < width - radius; x++) acc[x] += w * row[x + d];
      }
      for (int x = radius; x < width - radius; x++) out[x] = (float)acc[x];
    }
  }
  for (int y = 0; y < height; y++) {
    for (int x = 0; x < width; x++) acc[x] = 0;
    for (int d = -radius; d <= radius; d++) {
      const float *row = tmp + (size_t)clampi(y + d, 0, height - 1) * width;
      const double w = k[d + radius];
      for (int x = 0; x < width; x++) acc[x] += w * row[x];
    }
    for (int x = 0; x < width; x++) out[(size_t)y * width + x] = (float)acc[x];
  }
  free(acc);
  free(k);
  return 1;
}

int ps_flow_field(const uint8_t *data, int width, int height, double sigma, float *ws, float *angle, float *coherence) {
  const size_t n = (size_t)width * height;
  float *y = ws, *e = ws + n, *f = ws + 2 * n, *g = ws + 3 * n, *tmp = ws + 4 * n, *blurred = ws + 5 * n;
  for (size_t i = 0, j = 0; i < n; i++, j += 3) y[i] = (float)((0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2]) / 255);
  for (int r = 0; r < height; r++) {
    const size_t up = (size_t)clampi(r - 1, 0, height - 1) * width, row = (size_t)r * width, down = (size_t)clampi(r + 1, 0, height - 1) * width;
    for (int c = 0; c < width; c++) {
      const int l = clampi(c - 1, 0, width - 1), rt = clampi(c + 1, 0, width - 1);
      const double a = y[up + l], b = y[up + c], d = y[up + rt], ee = y[row + l], ff = y[row + rt];
      const double gg = y[down + l], h = y[down + c], k = y[down + rt];
      const float gx = (float)((d + 2 * ff + k - (a + 2 * ee + gg)) / 8);
      const float gy = (float)((gg + 2 * h + k - (a + 2 * b + d)) / 8);
      e[row + c] = (float)((double)gx * gx); f[row + c] = (float)((double)gx * gy); g[row + c] = (float)((double)gy * gy);
    }
  }
  /* Blur E, F, G in turn, reusing planes: E → angle, F → coherence, G → blurred. */
  if (!gaussian(e, width, height, sigma, angle, tmp) || !gaussian(f, width, height, sigma, coherence, tmp) || !gaussian(g, width, height, sigma, blurred, tmp)) return 0;
  for (size_t i = 0; i < n; i++) {
    const double a = angle[i], b = coherence[i], c = blurred[i];
    const double trace = a + c;
    const double root = sqrt((a - c) * (a - c) + 4 * b * b);
    double t = 0.5 * atan2(2 * b, a - c) + PS_PI / 2;
    if (t > PS_PI / 2) t -= PS_PI;
    angle[i] = (float)t;
    coherence[i] = (float)(trace > 1e-12 ? root / trace : 0);
  }
  return 1;
}
