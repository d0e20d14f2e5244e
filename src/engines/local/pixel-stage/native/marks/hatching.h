/*
 * Hatching for the drawn media (drawing.c): strokes that vary the way a hand's do. Each
 * stroke is a dot of the advected texture (primitives.h) with its own pressure, drawn out
 * by a line integral convolution whose length changes from place to place and whose
 * weights taper toward the ends, so strokes thin out instead of stopping square; a slow
 * noise, also carried by the picture, lets their direction wander a little. Nothing
 * repeats at a fixed period, so flat areas never show a screen.
 */
#ifndef RETAKE_MARKS_HATCHING_H
#define RETAKE_MARKS_HATCHING_H

#include <stddef.h>
#include <stdint.h>
#include "primitives.h"

/* Smooth value noise 0..1 at pixel `i`'s advected texture coordinates, cells of `scale` pixels. */
float hatch_noise(const marks_advection *a, size_t i, float scale, uint32_t seed);
/* Sparse dots of `density` (0..1) and `size` pixels at the advected coordinates, each with its
   own pressure (0.45..1; 0 between dots), softly edged; into `out` (n floats). */
void hatch_seeds(const marks_advection *a, uint32_t seed, float density, float size, float *out);
/* Line integral convolution of `src` along (dx, dy) with `len[p]` pixels each way at p and
   weights falling linearly toward the ends (a tapered stroke); into `out`. */
void hatch_lic(const float *src, const float *dx, const float *dy, const float *len, int width, int height, float *out);

#endif
