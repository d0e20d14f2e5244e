/*
 * Smooth value noise for textures made once per run (watercolor's turbulence, wobble
 * and wet patches; pastel's hand directions and finger smudges).
 */
#ifndef RETAKE_VALUE_NOISE_H
#define RETAKE_VALUE_NOISE_H

#include <math.h>
#include "primitives.h"

/* Value noise on the integer lattice of `seed` at (x, y), smoothstep-interpolated; −1..1. */
static inline float marks_value_noise(float x, float y, uint32_t seed) {
  const int ix = (int)floorf(x), iy = (int)floorf(y);
  float tx = x - ix, ty = y - iy;
  tx = tx * tx * (3 - 2 * tx); ty = ty * ty * (3 - 2 * ty);
  const float a = marks_hash(ix, iy, seed), b = marks_hash(ix + 1, iy, seed), c = marks_hash(ix, iy + 1, seed), d = marks_hash(ix + 1, iy + 1, seed);
  const float top = a + (b - a) * tx, bottom = c + (d - c) * tx;
  return 2.0f * (top + (bottom - top) * ty) - 1.0f;
}

#endif
