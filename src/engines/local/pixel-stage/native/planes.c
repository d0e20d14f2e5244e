/*
 * The planes of one frame (guided/features.ts computePlanes): luma, its blurs, gradient,
 * contrast and ridge, and the blurred colour. Same operations in the same order as the
 * reference; box blurs by running sums, so their cost does not depend on the radius.
 */
#include <math.h>
#include <string.h>
#include "pixel-stage.h"

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

size_t ps_workspace_floats(size_t n) { return 17 * n; }

void ps_planes_in(ps_planes *p, int width, int height, float *ws, double *sums) {
  size_t n = (size_t)width * height;
  p->width = width;
  p->height = height;
  p->y = ws; p->y_near = ws + n; p->y_far = ws + 2 * n; p->gx = ws + 3 * n; p->gy = ws + 4 * n;
  p->grad = ws + 5 * n; p->std = ws + 6 * n; p->ridge = ws + 7 * n;
  p->rgb_near = ws + 8 * n; p->tmp = ws + 11 * n; p->spare = ws + 14 * n;
  p->sums = sums;
}

PS_CLONES void ps_box_blur(const float *src, int width, int height, int radius, int stride, float *out, float *tmp, double *sums) {
  const double norm = 1.0 / (2 * radius + 1);
  for (int c = 0; c < stride; c++) {
    for (int y = 0; y < height; y++) {
      const long row = (long)y * width;
      double s = 0;
      for (int d = -radius; d <= radius; d++) s += src[(row + clampi(d, 0, width - 1)) * stride + c];
      const int in_from = radius < width ? radius : width;
      const int in_to = in_from > width - radius - 1 ? in_from : width - radius - 1;
      const long ahead = (long)(radius + 1) * stride, behind = (long)radius * stride;
      for (int x = 0; x < width; x++) {
        if (x == in_from) {
          for (long i = (row + x) * stride + c; x < in_to; x++, i += stride) {
            tmp[i] = (float)(s * norm);
            s += (double)src[i + ahead] - (double)src[i - behind];
          }
        }
        tmp[(row + x) * stride + c] = (float)(s * norm);
        const int enter = x + radius + 1 < width - 1 ? x + radius + 1 : width - 1;
        const int leave = x - radius > 0 ? x - radius : 0;
        s += (double)src[(row + enter) * stride + c] - (double)src[(row + leave) * stride + c];
      }
    }
    memset(sums, 0, sizeof(double) * width);
    for (int d = -radius; d <= radius; d++) {
      const long row = (long)clampi(d, 0, height - 1) * width;
      for (int x = 0; x < width; x++) sums[x] += tmp[(row + x) * stride + c];
    }
    for (int y = 0; y < height; y++) {
      const long row = (long)y * width;
      const long enter = (long)(y + radius + 1 < height - 1 ? y + radius + 1 : height - 1) * width;
      const long leave = (long)(y - radius > 0 ? y - radius : 0) * width;
      if (stride == 1) {
        /* The common case, in a form the compiler vectorises. */
        float *o = out + row;
        const float *e = tmp + enter, *l = tmp + leave;
        for (int x = 0; x < width; x++) {
          o[x] = (float)(sums[x] * norm);
          sums[x] += (double)e[x] - (double)l[x];
        }
      } else {
        for (int x = 0; x < width; x++) {
          out[(row + x) * stride + c] = (float)(sums[x] * norm);
          sums[x] += (double)tmp[(enter + x) * stride + c] - (double)tmp[(leave + x) * stride + c];
        }
      }
    }
  }
}

/* The ridge plane (features.ts computeRidge): `work` 2n and `g` 3n are scratch. */
PS_CLONES static void compute_ridge(ps_planes *p, float *work, float *g) {
  const int width = p->width, height = p->height;
  const long n = (long)width * height;
  float *once = work, *smooth = work + n;
  ps_box_blur(p->y, width, height, 1, 1, once, g, p->sums);
  ps_box_blur(once, width, height, 1, 1, smooth, g, p->sums);
  float *gx = g, *gy = g + n, *grad = g + 2 * n, *out = p->ridge;
  memset(grad, 0, sizeof(float) * n);
  for (int row = 1; row < height - 1; row++) {
    for (long x = 1, i = (long)row * width + 1; x < width - 1; x++, i++) {
      const long up = i - width, down = i + width;
      const double dx = ((double)smooth[up + 1] - smooth[up - 1] + 2 * ((double)smooth[i + 1] - smooth[i - 1]) + smooth[down + 1] - smooth[down - 1]) / 4;
      const double dy = ((double)smooth[down - 1] - smooth[up - 1] + 2 * ((double)smooth[down] - smooth[up]) + smooth[down + 1] - smooth[up + 1]) / 4;
      gx[i] = (float)dx;
      gy[i] = (float)dy;
      grad[i] = (float)sqrt(dx * dx + dy * dy);
    }
  }
  memset(out, 0, sizeof(float) * n);
  for (int row = 1; row < height - 1; row++) {
    for (long x = 1, i = (long)row * width + 1; x < width - 1; x++, i++) {
      const double gv = grad[i];
      if (gv == 0) continue;
      const double ax = fabs((double)gx[i]), ay = fabs((double)gy[i]);
      const long step = ay <= 0.4142 * ax ? 1 : ax <= 0.4142 * ay ? width : ((gx[i] > 0) == (gy[i] > 0)) ? width + 1 : width - 1;
      if (gv >= grad[i + step] && gv >= grad[i - step]) out[i] = (float)gv;
    }
  }
}

PS_CLONES void ps_compute_planes(ps_planes *p, const uint8_t *data) {
  const int width = p->width, height = p->height;
  const long n = (long)width * height;
  float *y = p->y, *spare = p->spare, *tmp = p->tmp;
  float *y_sq = spare, *mean5 = spare + n, *sq5 = spare + 2 * n;
  for (long i = 0, j = 0; i < n; i++, j += 3) {
    const double v = 0.299 * (data[j] / 255.0) + 0.587 * (data[j + 1] / 255.0) + 0.114 * (data[j + 2] / 255.0);
    y[i] = (float)v;
    y_sq[i] = (float)(v * v);
  }
  for (int row = 0; row < height; row++) {
    const long up = (long)(row > 0 ? row - 1 : 0) * width;
    const long mid = (long)row * width;
    const long down = (long)(row < height - 1 ? row + 1 : height - 1) * width;
    for (int x = 0; x < width; x++) {
      const int l = x > 0 ? x - 1 : 0;
      const int r = x < width - 1 ? x + 1 : width - 1;
      p->gx[mid + x] = (float)(((double)y[up + r] - y[up + l] + 2 * ((double)y[mid + r] - y[mid + l]) + y[down + r] - y[down + l]) / 4);
      p->gy[mid + x] = (float)(((double)y[down + l] - y[up + l] + 2 * ((double)y[down + x] - y[up + x]) + y[down + r] - y[up + r]) / 4);
    }
  }
  ps_box_blur(y, width, height, 2, 1, mean5, tmp, p->sums);
  ps_box_blur(y_sq, width, height, 2, 1, sq5, tmp, p->sums);
  for (long i = 0; i < n; i++) {
    const double m = mean5[i], v = (double)sq5[i] - m * m;
    p->std[i] = (float)sqrt(v > 0 ? v : 0);
    const double gx = p->gx[i], gy = p->gy[i];
    p->grad[i] = (float)sqrt(gx * gx + gy * gy);
  }
  compute_ridge(p, spare, tmp);
  for (long j = 0; j < n * 3; j++) spare[j] = (float)(data[j] / 255.0);
  ps_box_blur(y, width, height, PS_NEAR_RADIUS, 1, p->y_near, tmp, p->sums);
  ps_box_blur(y, width, height, PS_FAR_RADIUS, 1, p->y_far, tmp, p->sums);
  ps_box_blur(spare, width, height, PS_NEAR_RADIUS, 3, p->rgb_near, tmp, p->sums);
}
