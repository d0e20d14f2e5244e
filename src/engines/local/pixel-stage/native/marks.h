/*
 * The marks stage: named kernels that turn one RGB frame into another, run frame after
 * frame in order by the marks child (marks/stage.ts). A kernel sees the frame, its
 * parameters (an array of numbers whose meaning the kernel documents), the index of the
 * frame in the run and a per-run state it may allocate on the first frame and keep
 * (the previous frame, advected textures ...), so marks can stay coherent in time.
 * Kernels are listed in marks-kernels.h; marks_rows spreads a pass over the rows on all
 * the stage's threads.
 */
#ifndef RETAKE_MARKS_H
#define RETAKE_MARKS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  const uint8_t *in;   /* RGB, width × height × 3, interleaved */
  uint8_t *out;        /* RGB, the same size; never the same memory as `in` */
  int width, height;
  const float *params;
  int param_count;
  long frame;          /* index in the run, from 0 */
  void **state;        /* the run's state: NULL on the first frame; the kernel may set it */
} marks_frame;

/* One frame; 1 when done, 0 when out of memory (the run then fails). */
typedef int (*marks_run_fn)(const marks_frame *f);
/* Frees a run's state (called once, when the run ends, if the state is not NULL). */
typedef void (*marks_free_fn)(void *state);

typedef struct {
  const char *name;
  marks_run_fn run;
  marks_free_fn release;
} marks_kernel;

/* The kernel named `name`; NULL when there is none. */
const marks_kernel *marks_find(const char *name);
/* The registry, in the order of marks-kernels.h. */
size_t marks_count(void);
const marks_kernel *marks_at(size_t index);

/* Parameter `i` of the frame, or `fallback` when the caller gave fewer. */
static inline float marks_param(const marks_frame *f, int i, float fallback) {
  return i < f->param_count ? f->params[i] : fallback;
}

/* body(ctx, y0, y1) for row bands covering 0..rows, on the stage's threads (all cores,
   or RETAKE_MARKS_THREADS); returns when every band is done. */
void marks_rows(int rows, void (*body)(void *ctx, int y0, int y1), void *ctx);

#endif
