/* Per-pixel functions written as selects between values all computed, each test made on
   its own (a test only after another, or a branch around a division, keeps a loop
   scalar), so GCC vectorises the loops that use them in a file built with
   no-trapping-math. The same results as fast_tanh and clampf for every finite input:
   fast_tanh's rational is exactly ±1 at ±3, so clamping its argument there is its
   saturation. Used by the inked and neon kernels' full-size passes. */
#ifndef MARKS_SELECTS_H
#define MARKS_SELECTS_H

static inline float tanh_sel(float x) {
  x = x > 3 ? 3 : x;
  x = x < -3 ? -3 : x;
  const float x2 = x * x;
  return x * (27 + x2) / (27 + 9 * x2);
}

static inline float clamp_sel(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

#endif
