/* Paint regions for the oil kernel: anisotropic Kuwahara filtering at half size (kuwahara.c). */
#ifndef RETAKE_KUWAHARA_H
#define RETAKE_KUWAHARA_H

#include <stdint.h>

/*
 * `in` (RGB, w × h) filtered along the field of directions (angle, coherence: w × h) with
 * a disc of `radius` pixels of the half-size frame, into `out` (RGB, w × h). `half_in` and
 * `half_out` hold ((w + 1) / 2) × ((h + 1) / 2) RGB pixels each; `in` NULL when `half_in`
 * already holds the frame halved (marks_halve). 0 when out of memory.
 */
int kuwahara_half(const uint8_t *in, int w, int h, const float *angle, const float *coherence, float radius, uint8_t *half_in, uint8_t *half_out, uint8_t *out);

#endif
