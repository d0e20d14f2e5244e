/*
 * The tone of a drawing after Lu, Xu and Jia (NPAR 2012): a hand drawing's tones follow
 * a distribution of three parts, not the photograph's. Paper: an exponential falling
 * from white (most of a pencil drawing is the paper itself); a flat band of mid tones
 * laid by hatching; a Gaussian of darks. Each shot's own histogram is matched to the
 * medium's distribution, so a dark shot and a bright one are both drawn in the medium's
 * full range (a dark shot keeps its structure instead of turning to mud).
 */
#ifndef RETAKE_MARKS_DRAWING_TONE_H
#define RETAKE_MARKS_DRAWING_TONE_H

#include <stddef.h>

#define TONE_BINS 256

typedef struct {
  float paper, dark;          /* shares of the paper and the darks; the mid band has the rest */
  float paper_spread;         /* the paper's exponential scale, 0..1 below white */
  float mid_low, mid_high;    /* the mid band */
  float dark_mean, dark_spread;
} tone_model;

/* Histogram (TONE_BINS bins, summing to 1) of `tone` (0..1, n values). */
void tone_histogram(const float *tone, size_t n, double *hist);
/* The matching curve: lut[b] is the medium's tone for a shot pixel in bin b. The shot's
   histogram is first clipped at `clip` times its mean bin (a large flat area would
   otherwise stretch its own noise over a whole band of tones). */
void tone_model_lut(const tone_model *m, const double *hist, float clip, float *lut);
/*
 * lut at tone v (0..1), linear between bins. Inline, and without a branch (both reads
 * inside the table, the last bin's value chosen after): it runs once per pixel.
 */
static inline float tone_lookup(const float *lut, float v) {
  const float f = (v <= 0 ? 0 : v >= 1 ? 1 : v) * (TONE_BINS - 1);
  const int b = (int)f, below = b - (b > TONE_BINS - 2);
  const float between = lut[below] + (lut[below + 1] - lut[below]) * (f - below);
  return b >= TONE_BINS - 1 ? lut[TONE_BINS - 1] : between;
}

#endif
