/*
 * The frame a painter looks at: small, dense texture (fur, grass, gravel, a knit) gone,
 * the shapes and edges that hold the picture (an eye, a lid, a roof line) kept
 * (abstraction.c). Watercolor lays its washes on it, so the photograph's texture does not
 * show through them.
 */
#ifndef RETAKE_ABSTRACTION_H
#define RETAKE_ABSTRACTION_H

#include <stdint.h>
#include "../marks.h"

typedef struct {
  int w, h;
  float *planes; /* the working planes, one allocation */
  uint8_t *rgb;  /* the abstracted frame, then the frame halved */
  int *cols, *step; /* spreading a half-size plane back (marks_double_columns) */
  float *frac;
} marks_abstraction;

/*
 * `in` (RGB, w × h) with structure smaller than `scale` pixels removed where texture is
 * dense, into a->rgb (allocated on first use, again when the size changes). NULL when
 * out of memory.
 */
const uint8_t *marks_abstract(marks_abstraction *a, const uint8_t *in, int w, int h, float scale);
void marks_abstraction_free(marks_abstraction *a);
/*
 * `frame` as a kernel sees it, with its picture abstracted (texture finer than `texture`
 * pixels at 540 rows removed where it is dense), into `out`. 0 when out of memory.
 */
int marks_abstract_frame(marks_abstraction *a, const marks_frame *frame, float texture, marks_frame *out);

#endif
