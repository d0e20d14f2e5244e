/* The medium's tone distribution and the matching of a shot's histogram to it (drawing-tone.h). */
#include <math.h>
#include <stdint.h>
#include "drawing-tone.h"

#define MODEL_STEPS 1024

/* Neighbouring pixels counted into separate tallies: a smooth tone puts them in one bin, and each count would wait on the last. */
#define TALLIES 4

void tone_histogram(const float *tone, size_t n, double *hist) {
  uint32_t count[TALLIES][TONE_BINS] = { { 0 } };
  for (size_t i = 0; i < n; i++) {
    const float v = tone[i];
    const int b = v <= 0 ? 0 : v >= 1 ? TONE_BINS - 1 : (int)(v * (TONE_BINS - 1) + 0.5f);
    count[i % TALLIES][b]++;
  }
  for (int b = 0; b < TONE_BINS; b++) {
    uint32_t total = 0;
    for (int t = 0; t < TALLIES; t++) total += count[t][b];
    hist[b] = total / (n > 0 ? (double)n : 1);
  }
}

/* The model's density at tone t. */
static double density(const tone_model *m, double t) {
  const double mid = 1 - m->paper - m->dark;
  const double paper = m->paper / m->paper_spread * exp(-(1 - t) / m->paper_spread);
  const double band = t >= m->mid_low && t <= m->mid_high ? mid / (m->mid_high - m->mid_low) : 0;
  const double z = (t - m->dark_mean) / m->dark_spread;
  const double dark = m->dark / (m->dark_spread * 2.5066283) * exp(-0.5 * z * z);
  return paper + band + dark;
}

void tone_model_lut(const tone_model *m, const double *hist, float clip, float *lut) {
  /* The model's cumulative distribution over MODEL_STEPS + 1 points of 0..1. */
  double cdf[MODEL_STEPS + 1];
  cdf[0] = 0;
  for (int k = 1; k <= MODEL_STEPS; k++) cdf[k] = cdf[k - 1] + density(m, (k - 0.5) / MODEL_STEPS);
  for (int k = 1; k <= MODEL_STEPS; k++) cdf[k] /= cdf[MODEL_STEPS];
  /* The shot's, clipped: what a bin holds over the limit is spread over all bins. */
  double clipped[TONE_BINS], excess = 0;
  const double limit = clip / TONE_BINS;
  for (int b = 0; b < TONE_BINS; b++) { clipped[b] = hist[b] > limit ? limit : hist[b]; excess += hist[b] - clipped[b]; }
  double total = 0;
  for (int b = 0; b < TONE_BINS; b++) { clipped[b] += excess / TONE_BINS; total += clipped[b]; }
  double below = 0;
  int k = 0;
  for (int b = 0; b < TONE_BINS; b++) {
    /* The bin's middle quantile, and the model's tone at that quantile. */
    const double q = (below + 0.5 * clipped[b]) / (total > 0 ? total : 1);
    below += clipped[b];
    while (k < MODEL_STEPS && cdf[k + 1] < q) k++;
    const double span = cdf[k + 1] - cdf[k];
    const double t = (k + (span > 1e-12 ? (q - cdf[k]) / span : 0.5)) / MODEL_STEPS;
    lut[b] = (float)(t < 0 ? 0 : t > 1 ? 1 : t);
  }
}
