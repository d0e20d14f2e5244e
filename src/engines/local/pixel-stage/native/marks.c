/* The registry of marks kernels (marks-kernels.h) and the row-band threads they share. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "marks.h"

#define MARKS_KERNEL(name, run, release) int run(const marks_frame *f); void release(void *state);
#include "marks-kernels.h"
#undef MARKS_KERNEL

static const marks_kernel kernels[] = {
#define MARKS_KERNEL(name, run, release) { #name, run, release },
#include "marks-kernels.h"
#undef MARKS_KERNEL
};

size_t marks_count(void) { return sizeof kernels / sizeof kernels[0]; }
const marks_kernel *marks_at(size_t index) { return index < marks_count() ? &kernels[index] : NULL; }

const marks_kernel *marks_find(const char *name) {
  for (size_t i = 0; i < marks_count(); i++) if (strcmp(kernels[i].name, name) == 0) return &kernels[i];
  return NULL;
}

#define MAX_THREADS 16

static int thread_count(void) {
  const char *setting = getenv("RETAKE_MARKS_THREADS");
  long n = setting ? strtol(setting, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

typedef struct {
  void (*body)(void *ctx, int y0, int y1);
  void *ctx;
  int y0, y1;
} band;

static void *run_band(void *arg) {
  band *b = arg;
  b->body(b->ctx, b->y0, b->y1);
  return NULL;
}

void marks_rows(int rows, void (*body)(void *ctx, int y0, int y1), void *ctx) {
  int threads = thread_count();
  if (threads > rows / 16) threads = rows / 16;
  if (threads <= 1) { body(ctx, 0, rows); return; }
  band bands[MAX_THREADS];
  pthread_t ids[MAX_THREADS];
  int started[MAX_THREADS] = { 0 };
  for (int t = 0; t < threads; t++) {
    bands[t] = (band){ body, ctx, (int)((long)rows * t / threads), (int)((long)rows * (t + 1) / threads) };
    /* Band 0 runs on this thread; a band whose thread cannot start runs here too. */
    if (t > 0) started[t] = pthread_create(&ids[t], NULL, run_band, &bands[t]) == 0;
  }
  run_band(&bands[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else run_band(&bands[t]);
  }
}
