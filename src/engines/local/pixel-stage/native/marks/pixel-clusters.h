/*
 * Pixel art's clean-up and outlines, on the cells' palette entries (pixel-palette.h):
 * what a pixel artist does after blocking in a reduced photograph.
 */
#ifndef RETAKE_MARKS_PIXEL_CLUSTERS_H
#define RETAKE_MARKS_PIXEL_CLUSTERS_H

#include <stdint.h>
#include "pixel-palette.h"

/*
 * `in`'s stray cells (w × h entries) cleaned up into `out`: a cell, or a pair of cells,
 * whose entry none of its other neighbours share takes their commonest entry, unless it
 * is a small dark feature on an even ground (an eye, a nostril) or a catch-light.
 */
void pixel_clean(const pixel_palette *p, const int16_t *in, int16_t *out, int w, int h);

/*
 * `in` outlined into `out`: on the dark side of an edge against a lighter area, a cell of
 * a shape or a lone dark feature takes its ramp's darkest step, a fainter stretch beside
 * it two steps down. `k` (0..1) the look's strength: a stronger look outlines fainter
 * edges too. `edges` is scratch of w × h.
 */
void pixel_outline(const pixel_palette *p, const int16_t *in, int16_t *out, uint8_t *edges, int w, int h, float k);

#endif
