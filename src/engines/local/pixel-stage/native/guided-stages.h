/*
 * Guided mode's two prediction stages (guided/model.ts stageOne, colour-lut.ts,
 * context-stage.ts applyContextStage), pixel by pixel in the reference's order of
 * operations. Included by guided.c (any processor) and guided-avx2.c (the same code
 * compiled for AVX2, chosen at run time), each naming the two functions with
 * STAGE_ONE and CONTEXT_STAGE: the arithmetic is the same, so both give the same frames.
 */
#include <math.h>
#ifdef __AVX__
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "pixel-stage.h"

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline double clamp01(double v) { return v <= 0 ? 0 : v >= 1 ? 1 : v; }

static int direction(double gx, double gy) {
  const int steep = fabs(gy) > fabs(gx);
  if (gy >= 0) return gx >= 0 ? (steep ? 1 : 0) : steep ? 2 : 3;
  return gx < 0 ? (steep ? 5 : 4) : steep ? 6 : 7;
}

static int bucket_of(const ps_model *m, const ps_planes *p, long i) {
  const double luma = p->y[i];
  const int level = luma < m->luma_cuts[0] ? 0 : luma < m->luma_cuts[1] ? 1 : 2;
  const double strength = p->grad[i];
  if (strength < m->gradient_cuts[0]) return level * PS_PER_LEVEL;
  const int strong = strength < m->gradient_cuts[1] ? 0 : 1;
  return level * PS_PER_LEVEL + 1 + strong * PS_ORIENTATIONS + direction(p->gx[i], p->gy[i]);
}

/* colour-lut.ts applyColourLut and applyToneCurves into out[0..8]. */
static void colour_stage(const ps_model *m, int r, int g, int b, double *out) {
  const int size = m->lut_size;
  const float *table = m->lut;
  const double scale = (size - 1) / 255.0;
  const double fr = r * scale, fg = g * scale, fb = b * scale;
  const int r0 = clampi((int)floor(fr), 0, size - 2), g0 = clampi((int)floor(fg), 0, size - 2), b0 = clampi((int)floor(fb), 0, size - 2);
  const double dr = fr - r0, dg = fg - g0, db = fb - b0;
  const long base = (((long)b0 * size + g0) * size + r0) * 3;
  const long sr = 3, sg = (long)size * 3, sb = (long)size * size * 3;
  for (int c = 0; c < 3; c++) {
    const long i = base + c;
    const double c00 = table[i] + ((double)table[i + sr] - table[i]) * dr;
    const double c10 = table[i + sg] + ((double)table[i + sg + sr] - table[i + sg]) * dr;
    const double c01 = table[i + sb] + ((double)table[i + sb + sr] - table[i + sb]) * dr;
    const double c11 = table[i + sb + sg] + ((double)table[i + sb + sg + sr] - table[i + sb + sg]) * dr;
    const double c0 = c00 + (c10 - c00) * dg;
    const double c1 = c01 + (c11 - c01) * dg;
    out[c] = c0 + (c1 - c0) * db;
  }
  const float *curves = m->curves;
  double level = round(0.299 * r + 0.587 * g + 0.114 * b);
  const long y = (long)(level < 255 ? level : 255) * PS_CURVE_FEATURES;
  out[3] = curves[r * PS_CURVE_FEATURES];
  out[4] = curves[g * PS_CURVE_FEATURES + 1];
  out[5] = curves[b * PS_CURVE_FEATURES + 2];
  out[6] = curves[y + 3];
  out[7] = curves[y + 4];
  out[8] = curves[y + 5];
}

/*
 * The three outputs' dot products of `count` features with one bucket's weights, laid
 * out four doubles per feature (outputs 0, 1, 2 and a zero; see widen_weights). The
 * reference sums feature by feature in one chain per output; here four chains run side
 * by side (features k, k+4, … in each) and meet at the end, so the processor overlaps
 * them instead of waiting on each addition, two outputs to an SSE2 register. Only the
 * order of the additions differs: results agree to double precision, far below one
 * 8-bit code value.
 */
static inline void dot3(const double *w, const double *f, int count, double out[3]) {
#if defined(__AVX__)
  /* One register holds a feature's three weights and the zero: the SSE2 branch's lanes, side by side. */
  __m256d a = _mm256_setzero_pd(), b = a, c = a, d = a;
  int k = 0;
  for (; k + 4 <= count; k += 4, w += 16) {
    a = _mm256_add_pd(a, _mm256_mul_pd(_mm256_loadu_pd(w), _mm256_set1_pd(f[k])));
    b = _mm256_add_pd(b, _mm256_mul_pd(_mm256_loadu_pd(w + 4), _mm256_set1_pd(f[k + 1])));
    c = _mm256_add_pd(c, _mm256_mul_pd(_mm256_loadu_pd(w + 8), _mm256_set1_pd(f[k + 2])));
    d = _mm256_add_pd(d, _mm256_mul_pd(_mm256_loadu_pd(w + 12), _mm256_set1_pd(f[k + 3])));
  }
  for (; k < count; k++, w += 4) a = _mm256_add_pd(a, _mm256_mul_pd(_mm256_loadu_pd(w), _mm256_set1_pd(f[k])));
  double v[4];
  _mm256_storeu_pd(v, _mm256_add_pd(_mm256_add_pd(a, b), _mm256_add_pd(c, d)));
  out[0] = v[0];
  out[1] = v[1];
  out[2] = v[2];
#elif defined(__SSE2__)
  __m128d a01 = _mm_setzero_pd(), a2 = a01, b01 = a01, b2 = a01, c01 = a01, c2 = a01, d01 = a01, d2 = a01;
  int k = 0;
  for (; k + 4 <= count; k += 4, w += 16) {
    const __m128d fa = _mm_set1_pd(f[k]), fb = _mm_set1_pd(f[k + 1]), fc = _mm_set1_pd(f[k + 2]), fd = _mm_set1_pd(f[k + 3]);
    a01 = _mm_add_pd(a01, _mm_mul_pd(_mm_loadu_pd(w), fa));
    a2 = _mm_add_pd(a2, _mm_mul_pd(_mm_loadu_pd(w + 2), fa));
    b01 = _mm_add_pd(b01, _mm_mul_pd(_mm_loadu_pd(w + 4), fb));
    b2 = _mm_add_pd(b2, _mm_mul_pd(_mm_loadu_pd(w + 6), fb));
    c01 = _mm_add_pd(c01, _mm_mul_pd(_mm_loadu_pd(w + 8), fc));
    c2 = _mm_add_pd(c2, _mm_mul_pd(_mm_loadu_pd(w + 10), fc));
    d01 = _mm_add_pd(d01, _mm_mul_pd(_mm_loadu_pd(w + 12), fd));
    d2 = _mm_add_pd(d2, _mm_mul_pd(_mm_loadu_pd(w + 14), fd));
  }
  for (; k < count; k++, w += 4) {
    const __m128d fa = _mm_set1_pd(f[k]);
    a01 = _mm_add_pd(a01, _mm_mul_pd(_mm_loadu_pd(w), fa));
    a2 = _mm_add_pd(a2, _mm_mul_pd(_mm_loadu_pd(w + 2), fa));
  }
  double v01[2], v2[2];
  _mm_storeu_pd(v01, _mm_add_pd(_mm_add_pd(a01, b01), _mm_add_pd(c01, d01)));
  _mm_storeu_pd(v2, _mm_add_pd(_mm_add_pd(a2, b2), _mm_add_pd(c2, d2)));
  out[0] = v01[0];
  out[1] = v01[1];
  out[2] = v2[0];
#else
  double a[4][3] = { { 0 } };
  for (int k = 0; k < count; k++, w += 4) {
    for (int c = 0; c < 3; c++) a[k & 3][c] += w[c] * f[k];
  }
  for (int c = 0; c < 3; c++) out[c] = (a[0][c] + a[1][c]) + (a[2][c] + a[3][c]);
#endif
}

static void STAGE_ONE(const ps_model *m, const ps_planes *p, const uint8_t *data, float *result) {
  const int width = p->width, height = p->height, half = (PS_PATCH - 1) / 2;
  const float *luma = p->y;
  double f[PS_FEATURES], v[3];
  for (int y = 0; y < height; y++) {
    const int row_inside = y >= half && y < height - half;
    for (int x = 0; x < width; x++) {
      const long i = (long)y * width + x, q = i * 3;
      const int r = data[q], g = data[q + 1], b = data[q + 2];
      /* The feature vector of features.ts gatherFeatures, then the colour stage's. */
      f[0] = 1;
      f[1] = r / 255.0;
      f[2] = g / 255.0;
      f[3] = b / 255.0;
      int k = 4;
      if (row_inside && x >= half && x < width - half) {
        for (int dy = 0; dy < PS_PATCH; dy++) {
          const float *base = luma + (long)(y + dy - half) * width + x - half;
          for (int dx = 0; dx < PS_PATCH; dx++) f[k++] = base[dx];
        }
      } else {
        for (int dy = -half; dy <= half; dy++) {
          const long row = (long)clampi(y + dy, 0, height - 1) * width;
          for (int dx = -half; dx <= half; dx++) f[k++] = luma[row + clampi(x + dx, 0, width - 1)];
        }
      }
      f[k++] = p->y_near[i];
      f[k++] = p->y_far[i];
      f[k++] = p->rgb_near[q];
      f[k++] = p->rgb_near[q + 1];
      f[k++] = p->rgb_near[q + 2];
      f[k++] = p->grad[i];
      f[k++] = p->std[i];
      f[k++] = p->ridge[i];
      colour_stage(m, r, g, b, f + PS_LUT_FEATURE);
      dot3(m->wide_weights + (long)bucket_of(m, p, i) * PS_FEATURES * 4, f, PS_FEATURES, v);
      result[q] = (float)clamp01(v[0]);
      result[q + 1] = (float)clamp01(v[1]);
      result[q + 2] = (float)clamp01(v[2]);
    }
  }
}

/*
 * context-stage.ts applyContextStage, over `first` in place. Its planes reuse the first
 * stage's (dead by now): luma, source luma, gradient, two blurs and the blur scratch.
 */
static void CONTEXT_STAGE(const ps_model *m, ps_planes *p, const uint8_t *data, float *first) {
  const int width = p->width, height = p->height;
  const long n = (long)width * height;
  float *luma = p->y, *source_luma = p->gx, *grad = p->gy, *near = p->grad, *wide = p->std, *tmp = p->tmp;
  for (long i = 0, q = 0; i < n; i++, q += 3) {
    luma[i] = (float)(0.299 * first[q] + 0.587 * first[q + 1] + 0.114 * first[q + 2]);
    source_luma[i] = (float)((0.299 * data[q] + 0.587 * data[q + 1] + 0.114 * data[q + 2]) / 255);
  }
  for (int y = 0; y < height; y++) {
    const long up = (long)(y > 0 ? y - 1 : 0) * width, down = (long)(y < height - 1 ? y + 1 : height - 1) * width, row = (long)y * width;
    for (int x = 0; x < width; x++) {
      const double dx = (double)luma[row + (x < width - 1 ? x + 1 : width - 1)] - luma[row + (x > 0 ? x - 1 : 0)];
      const double dy = (double)luma[down + x] - luma[up + x];
      grad[row + x] = (float)(sqrt(dx * dx + dy * dy) / 2);
    }
  }
  ps_box_blur(luma, width, height, 2, 1, near, tmp, p->sums);
  ps_box_blur(luma, width, height, 4, 1, wide, tmp, p->sums);
  const double cut = m->context_cut;
  double f[PS_CONTEXT_FEATURES];
  for (int y = 0; y < height; y++) {
    for (int x = 0; x < width; x++) {
      const long i = (long)y * width + x;
      f[0] = 1;
      f[1] = first[i * 3];
      f[2] = first[i * 3 + 1];
      f[3] = first[i * 3 + 2];
      int k = 4;
      if (x > 0 && y > 0 && x < width - 1 && y < height - 1) {
        for (long dy = -width; dy <= width; dy += width) {
          f[k++] = luma[i + dy - 1];
          f[k++] = luma[i + dy];
          f[k++] = luma[i + dy + 1];
        }
      } else {
        for (int dy = -1; dy <= 1; dy++) {
          const long row = (long)clampi(y + dy, 0, height - 1) * width;
          for (int dx = -1; dx <= 1; dx++) f[k++] = luma[row + clampi(x + dx, 0, width - 1)];
        }
      }
      f[k++] = near[i];
      f[k++] = wide[i];
      f[k++] = source_luma[i];
      f[k] = grad[i];
      int level = (int)floor((double)luma[i] * PS_CONTEXT_LEVELS);
      level = clampi(level, 0, PS_CONTEXT_LEVELS - 1);
      const int bucket = level * 2 + ((double)grad[i] >= cut ? 1 : 0);
      double v[3];
      dot3(m->wide_context_weights + (long)bucket * PS_CONTEXT_FEATURES * 4, f, PS_CONTEXT_FEATURES, v);
      first[i * 3] = (float)clamp01(v[0]);
      first[i * 3 + 1] = (float)clamp01(v[1]);
      first[i * 3 + 2] = (float)clamp01(v[2]);
    }
  }
}
