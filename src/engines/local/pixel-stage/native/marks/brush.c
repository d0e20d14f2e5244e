/*
 * Strokes along the form for the painted kernels: the frame's field of directions
 * (flow.c, the smoothed structure tensor) and a line integral convolution of a noise
 * fixed to the run along it (Cabral and Leedom 1993), so every stroke runs with the edge
 * it lies beside rather than one way across the screen.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../pixel-stage.h"
#include "brush.h"

static inline float hash01(int x, int y) {
  uint32_t h = (uint32_t)x * 2246822519u + (uint32_t)y * 3266489917u;
  h = (h ^ (h >> 15)) * 668265263u;
  return (float)((h ^ (h >> 13)) & 0xffffff) / 16777215.0f;
}

brush_state *brush_state_for(const marks_frame *f, float noise_size) {
  brush_state *s = *f->state;
  if (s && s->width == f->width && s->height == f->height) return s;
  free(s);
  *f->state = NULL;
  /* One allocation, so that the registry frees the run's state with plain free. */
  const size_t n = (size_t)f->width * f->height;
  const size_t floats = PS_FLOW_WORKSPACE(n) + 7 * n;
  s = malloc(sizeof *s + floats * sizeof(float) + n * 9);
  if (!s) return NULL;
  float *p = (float *)(s + 1);
  s->width = f->width; s->height = f->height;
  s->ws = p; p += PS_FLOW_WORKSPACE(n);
  s->angle = p; p += n; s->coherence = p; p += n; s->noise = p; p += n; s->strokes = p; p += n; s->plane = p; p += n;
  s->dx = p; p += n; s->dy = p; p += n;
  s->rgb = (uint8_t *)p;
  s->prev_in = s->rgb + n * 3; s->prev_out = s->prev_in + n * 3; s->has_prev = 0;
  /* Sparse bristle noise: mostly dark with bright flecks a bristle wide, so that the
     convolution draws distinct streaks rather than a grey smear. */
  if (noise_size < 1) noise_size = 1;
  for (int y = 0; y < f->height; y++) {
    for (int x = 0; x < f->width; x++) {
      const int cx = (int)(x / noise_size), cy = (int)(y / noise_size);
      const float v = hash01(cx, cy);
      s->noise[(size_t)y * f->width + x] = v * v * v;
    }
  }
  *f->state = s;
  return s;
}

int brush_flow(brush_state *s, const uint8_t *rgb) {
  return ps_flow_field(rgb, s->width, s->height, 2.0, s->ws, s->angle, s->coherence);
}

typedef struct {
  brush_state *s;
  int length;
} lic_job;

static void lic_rows(void *ctx, int y0, int y1) {
  const lic_job *j = ctx;
  const brush_state *s = j->s;
  const int w = s->width, h = s->height;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      float sum = s->noise[(size_t)y * w + x];
      int count = 1;
      for (int dir = -1; dir <= 1; dir += 2) {
        float px = x + 0.5f, py = y + 0.5f;
        const size_t i0 = (size_t)y * w + x;
        float dx = dir * s->dx[i0], dy = dir * s->dy[i0];
        for (int step = 0; step < j->length; step++) {
          px += dx; py += dy;
          const int ix = (int)px, iy = (int)py;
          if (px < 0 || py < 0 || ix >= w || iy >= h) break;
          const size_t i = (size_t)iy * w + ix;
          float nx = s->dx[i], ny = s->dy[i];
          /* The tensor's direction has no sign: keep heading the way the line goes. */
          if (nx * dx + ny * dy < 0) { nx = -nx; ny = -ny; }
          dx = nx; dy = ny;
          sum += s->noise[i];
          count++;
        }
      }
      /* The noise's mean is 1/4 and a long stroke's mean varies little: stretch it. */
      const float m = sum / count;
      s->strokes[(size_t)y * w + x] = (m - 0.25f) * 6.0f;
    }
  }
}

static void direction_rows(void *ctx, int y0, int y1) {
  brush_state *s = ctx;
  for (size_t i = (size_t)y0 * s->width; i < (size_t)y1 * s->width; i++) { s->dx[i] = cosf(s->angle[i]); s->dy[i] = sinf(s->angle[i]); }
}

void brush_strokes(brush_state *s, int length) {
  marks_rows(s->height, direction_rows, s);
  lic_job j = { s, length < 1 ? 1 : length };
  marks_rows(s->height, lic_rows, &j);
}

typedef struct {
  brush_state *s;
  const uint8_t *in;
  uint8_t *out;
  float keep, tolerance;
} hold_job;

static void hold_rows(void *ctx, int y0, int y1) {
  const hold_job *j = ctx;
  brush_state *s = j->s;
  const size_t from = (size_t)y0 * s->width, to = (size_t)y1 * s->width;
  for (size_t i = from; i < to; i++) {
    const uint8_t *a = j->in + i * 3, *b = s->prev_in + i * 3;
    const float change = 255.0f * fabsf(brush_luma(a) - brush_luma(b));
    const float keep = j->keep * brush_clamp01(1.0f - change / j->tolerance);
    uint8_t *o = j->out + i * 3, *po = s->prev_out + i * 3, *pi = s->prev_in + i * 3;
    for (int c = 0; c < 3; c++) {
      o[c] = brush_byte(keep * po[c] + (1 - keep) * o[c]);
      po[c] = o[c];
      pi[c] = a[c];
    }
  }
}

void brush_hold(brush_state *s, const uint8_t *in, uint8_t *out) { brush_hold_by(s, in, out, 0.65f, 10.0f); }

void brush_hold_by(brush_state *s, const uint8_t *in, uint8_t *out, float keep, float tolerance) {
  const size_t n = (size_t)s->width * s->height;
  if (!s->has_prev) {
    memcpy(s->prev_in, in, n * 3);
    memcpy(s->prev_out, out, n * 3);
    s->has_prev = 1;
    return;
  }
  hold_job j = { s, in, out, keep, tolerance };
  marks_rows(s->height, hold_rows, &j);
}
