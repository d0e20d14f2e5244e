/*
 * Guided mode's prediction and the strength blend (model.ts applyGuidedModel). The two
 * stages (guided-stages.h) run compiled for AVX2 (guided-avx2.c) on a processor that
 * has it, else as compiled here for any; both give the same frames.
 */
#define STAGE_ONE stage_one
#define CONTEXT_STAGE context_stage
#include "guided-stages.h"

void ps_widen_weights(const float *weights, size_t features, double *wide) {
  for (size_t k = 0; k < features; k++) {
    wide[k * 4] = weights[k * 3];
    wide[k * 4 + 1] = weights[k * 3 + 1];
    wide[k * 4 + 2] = weights[k * 3 + 2];
    wide[k * 4 + 3] = 0;
  }
}

void ps_predict(const ps_model *m, ps_planes *p, const uint8_t *data, float *result) {
  ps_compute_planes(p, data);
  if (ps_stages_avx2(m, p, data, result)) return;
  stage_one(m, p, data, result);
  if (m->has_context) context_stage(m, p, data, result);
}

PS_CLONES void ps_finish(const uint8_t *data, const float *mapped, size_t length, double strength, uint8_t *out) {
  for (size_t q = 0; q < length; q++) {
    const double v = data[q] + strength * ((double)mapped[q] * 255 - data[q]);
    out[q] = v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)floor(v + 0.5);
  }
}
