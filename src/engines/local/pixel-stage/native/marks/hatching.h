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
/* Sparse dots of `density` (0..1), one per cell of `size` pixels of texture space, each with
   its own pressure (0.45..1; 0 where a cell has none): a fixed table, made once per run. */
typedef struct {
  uint32_t seed;
  float density, size;
  int u0, v0, cols, rows;  /* the table's first cell and extent */
  float *dot;
} hatch_dots;
/* (Re)make `d` for a `width`×`height` frame unless it already holds these dots; 0 when out of memory. */
int hatch_dots_make(hatch_dots *d, int width, int height, uint32_t seed, float density, float size);
void hatch_dots_free(hatch_dots *d);
/* The dots at the advected coordinates, softly edged (bilinear between cells); into `out` (n floats). */
void hatch_seeds(const marks_advection *a, const hatch_dots *dots, float *out);
/* Longest stroke hatch_lic draws, pixels each way. */
#define HATCH_MAX_LENGTH 64
/* Line integral convolution of `src` along (dx, dy) with `len[p]` pixels each way at p (at most
   HATCH_MAX_LENGTH) and weights falling linearly toward the ends (a tapered stroke); into `out`.
   Where `mask` (when not NULL) is at or above `limit` the strokes are not wanted: 0 there. */
void hatch_lic(const float *src, const float *dx, const float *dy, const float *len, const float *mask, float limit, int width, int height, float *out);

#endif
