/*
 * pastel_chalk: soft pastel on a tinted, toothy paper. At half size: the field of
 * directions and chalk strokes along it (line integral convolution of a coarse noise
 * fixed to the run, brush.c); where the picture has no clear direction the strokes turn
 * to the slant a hand lays in a background. The chalk's colour is the picture's, lifted
 * toward a light key by a curve that keeps the darks dark (pupils, dark accents) and the
 * lights apart, thinned in colour and mixed with a soft palette by tone (indigo in the
 * darks, lavender, rose, cream in the lights) the more the less colour the picture has;
 * each stroke a little lighter or darker than its neighbours. At full size the chalk
 * covers the paper by pressure: the stroke, the paper's raised tooth (the chalk breaks
 * on its pits) and the tone (dark passages pressed harder, so the paper shows in the
 * lights).
 * Params: [0] strength 0..1, [1] stroke length (px), [2] tooth size (px), [3] stroke
 * width (px).
 */
#include <math.h>
#include <stdlib.h>
#include "brush.h"
#include "primitives.h"

typedef struct {
  int width, height, sw, sh;
  float tooth_size, stroke_width;
  brush_state *field;  /* half size: the field of directions and the strokes along it */
  brush_state *hold;   /* full size: the previous frame and its chalk */
  uint8_t *small;      /* half-size RGB */
  float *prep;         /* half size, 8 per pixel: the rubbed-in chalk's RGB, the stroke's RGB,
                          and what each layer's cover takes from the tone and the stroke */
  float *tooth;        /* full size: the paper's tooth, −1..1 (raised positive) */
} pastel_state;

static void pastel_release(pastel_state *s) {
  if (!s) return;
  free(s->field);
  free(s->hold);
  free(s->small);
  free(s->prep);
  free(s->tooth);
  free(s);
}

void marks_pastel_free(void *state) { pastel_release(state); }

static void tooth_rows(void *ctx, int y0, int y1) {
  pastel_state *s = ctx;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < s->width; x++) {
      s->tooth[(size_t)y * s->width + x] = marks_paper_tooth(x, y, s->tooth_size);
    }
  }
}

static pastel_state *state_for(const marks_frame *f, float tooth_size, float stroke_width) {
  pastel_state *s = *f->state;
  if (s && s->width == f->width && s->height == f->height && s->tooth_size == tooth_size && s->stroke_width == stroke_width) return s;
  pastel_release(s);
  *f->state = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->width = f->width; s->height = f->height;
  s->sw = (f->width + 1) / 2; s->sh = (f->height + 1) / 2;
  s->tooth_size = tooth_size; s->stroke_width = stroke_width;
  s->small = malloc((size_t)s->sw * s->sh * 3);
  s->prep = malloc((size_t)s->sw * s->sh * 8 * sizeof(float));
  s->tooth = malloc((size_t)f->width * f->height * sizeof(float));
  /* The run's brush planes, through frames that point at this state's slots for them. */
  marks_frame half = *f, full = *f;
  half.width = s->sw; half.height = s->sh; half.state = (void **)&s->field;
  full.state = (void **)&s->hold;
  if (!s->small || !s->prep || !s->tooth || !brush_state_for(&half, 0.5f * stroke_width) || !brush_state_for(&full, 1)) {
    pastel_release(s);
    return NULL;
  }
  marks_rows(f->height, tooth_rows, s);
  *f->state = s;
  return s;
}

typedef struct {
  const marks_frame *f;
  pastel_state *s;
  float strength;
  int steps;               /* steps of the strokes' convolution each way */
  float key[256];          /* the light key by luma (0..255) */
  float palette[257][3];   /* the palette's chroma by tone (0..256) */
} pastel_job;

/* Where the field has no clear direction, or the picture too little contrast for one to
   matter (a sky's gentle gradient), the strokes take a slant (about 60° up to the right),
   blended in the doubled angle, where directions have no sign. */
static void slant_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  brush_state *b = s->field;
  const int w = s->sw, h = s->sh;
  const float slant = -1.05f, cs = cosf(2 * slant), ss = sinf(2 * slant);
  for (size_t i = (size_t)y0 * w; i < (size_t)y1 * w; i++) {
    const int x = (int)(i % w), y = (int)(i / w);
    const uint8_t *l = s->small + ((size_t)y * w + (x > 1 ? x - 2 : 0)) * 3, *r = s->small + ((size_t)y * w + (x < w - 2 ? x + 2 : w - 1)) * 3;
    const uint8_t *u = s->small + ((size_t)(y > 1 ? y - 2 : 0) * w + x) * 3, *d = s->small + ((size_t)(y < h - 2 ? y + 2 : h - 1) * w + x) * 3;
    const float contrast = 255.0f * (fabsf(brush_luma(r) - brush_luma(l)) + fabsf(brush_luma(d) - brush_luma(u)));
    const float t = fminf(brush_clamp01((b->coherence[i] - 0.3f) / 0.4f), brush_clamp01((contrast - 6.0f) / 14.0f));
    float angle = slant;
    if (t >= 1) angle = b->angle[i];
    else if (t > 0) {
      const float a = 2 * b->angle[i];
      angle = 0.5f * atan2f(t * sinf(a) + (1 - t) * ss, t * cosf(a) + (1 - t) * cs);
    }
    b->dx[i] = cosf(angle); b->dy[i] = sinf(angle);
  }
}

/* The soft palette's colour at tone t, as its difference from its own grey. */
static void palette_chroma(float t, float out[3]) {
  static const float stops[4][3] = { { 62, 52, 104 }, { 152, 136, 198 }, { 234, 164, 172 }, { 252, 240, 204 } };
  static const float at[4] = { 0, 0.38f, 0.68f, 1 };
  int k = t < at[1] ? 0 : t < at[2] ? 1 : 2;
  const float u = brush_clamp01((t - at[k]) / (at[k + 1] - at[k]));
  float rgb[3];
  for (int c = 0; c < 3; c++) rgb[c] = stops[k][c] + (stops[k + 1][c] - stops[k][c]) * u;
  const float grey = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
  for (int c = 0; c < 3; c++) out[c] = (rgb[c] - grey) / 255.0f;
}

/* The strokes at half size: the run's noise averaged along the field (line integral
   convolution in steps of 2 pixels, a noise cell's width, turning with the field),
   then each layer's colour and what its cover takes from the tone and the stroke,
   into s->prep. */
static void stroke_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const brush_state *b = s->field;
  const int w = s->sw, h = s->sh, steps = j->steps;
  const float k = j->strength;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < w; x++) {
      const size_t i0 = (size_t)y * w + x;
      float sum = b->noise[i0];
      int count = 1;
      for (int dir = -1; dir <= 1; dir += 2) {
        float px = x + 0.5f, py = y + 0.5f, dx = dir * b->dx[i0], dy = dir * b->dy[i0];
        for (int step = 0; step < steps; step++) {
          px += 2.0f * dx; py += 2.0f * dy;
          if (px < 0 || py < 0 || px >= w || py >= h) break;
          const size_t i = (size_t)(int)py * w + (int)px;
          float nx = b->dx[i], ny = b->dy[i];
          /* The field's direction has no sign: keep heading the way the line goes. */
          if (nx * dx + ny * dy < 0) { nx = -nx; ny = -ny; }
          dx = nx; dy = ny;
          sum += b->noise[i];
          count++;
        }
      }
      /* The noise's mean is 1/4 and a long stroke's mean varies little: stretch it. */
      const float stroke = (sum / count - 0.25f) * 6.0f;
      const uint8_t *p = s->small + i0 * 3;
      const float col[3] = { p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f };
      const float l = brush_luma(p);
      const float mx = fmaxf(col[0], fmaxf(col[1], col[2])), mn = fminf(col[0], fminf(col[1], col[2]));
      const float sat = mx > 0.02f ? (mx - mn) / mx : 0;
      /* A light key that keeps the darks and the lights' contrast: l + a·l(1 − l)² lifts
         the lower middle most. */
      const float key = j->key[(int)(l * 255.0f + 0.5f)];
      const float m = k * (0.25f + 0.75f * (1.0f - brush_clamp01(sat * 3.0f)));
      /* Thinned colour, and no stick more vivid than a soft pastel's (a spread of about 0.36). */
      float thinned = (1.0f - 0.35f * k) * (1 - 0.5f * m);
      if ((mx - mn) * thinned > 0.36f) thinned = 0.36f / (mx - mn);
      /* The rubbed-in chalk a shade darker than the key; each stroke a little lighter or
         darker than the next, as layered sticks are. */
      const float tones[2] = { brush_clamp01(key - 0.03f), brush_clamp01(key + 0.12f * stroke) };
      float *o = s->prep + i0 * 8;
      for (int layer = 0; layer < 2; layer++) {
        const float *pal = j->palette[(int)(tones[layer] * 256.0f + 0.5f)];
        for (int c = 0; c < 3; c++) o[layer * 3 + c] = tones[layer] + (col[c] - l) * thinned + pal[c] * m * 1.1f;
      }
      /* Dark passages are pressed harder, so the paper shows most in the lights. */
      o[6] = 0.35f + 0.75f * (1.0f - key);
      o[7] = stroke + 0.5f * (1.0f - key) - 0.05f;
    }
  }
}

/* Full size: two layers on the paper. Chalk rubbed in catches the raised tooth only;
   the strokes over it break where the tooth dips. */
static void chalk_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const marks_frame *f = j->f;
  const int w = s->width, sw = s->sw, sh = s->sh;
  /* A warm grey-beige sheet, lighter than the middle tone. */
  static const float paper[3] = { 0.87f, 0.84f, 0.79f };
  const float k = j->strength;
  for (int y = y0; y < y1; y++) {
    float v = (y + 0.5f) * 0.5f - 0.5f;
    v = v > sh - 1.001f ? sh - 1.001f : v; v = v < 0 ? 0 : v;
    const int iv = (int)v;
    const float tv = v - iv;
    for (int x = 0; x < w; x++) {
      const size_t i = (size_t)y * w + x;
      float u = (x + 0.5f) * 0.5f - 0.5f;
      u = u > sw - 1.001f ? sw - 1.001f : u; u = u < 0 ? 0 : u;
      const int iu = (int)u;
      const float tu = u - iu;
      /* Neighbours stay inside a picture one half-size pixel wide or high. */
      const size_t right = iu + 1 < sw ? 8 : 0, down = iv + 1 < sh ? (size_t)sw * 8 : 0;
      const float *a = s->prep + ((size_t)iv * sw + iu) * 8, *bq = a + right, *c0 = a + down, *d = c0 + right;
      const float w00 = (1 - tu) * (1 - tv), w01 = tu * (1 - tv), w10 = (1 - tu) * tv, w11 = tu * tv;
      float q[8];
      for (int c = 0; c < 8; c++) q[c] = w00 * a[c] + w01 * bq[c] + w10 * c0[c] + w11 * d[c];
      const float tooth = s->tooth[i];
      const float under = 1.0f - k * (1.0f - brush_clamp01(q[6] + 0.6f * tooth));
      const float t = brush_clamp01((q[7] + 0.3f * tooth) / 0.3f);
      const float over = k * t * t * (3 - 2 * t);
      uint8_t *o = f->out + i * 3;
      for (int c = 0; c < 3; c++) {
        float rgb = paper[c] + under * (q[c] - paper[c]);
        rgb += over * (q[3 + c] - rgb);
        o[c] = brush_byte(255.0f * rgb);
      }
    }
  }
}

int marks_pastel_chalk(const marks_frame *f) {
  float tooth = marks_param(f, 2, 1.4f), width = marks_param(f, 3, 3);
  if (tooth < 0.5f) tooth = 0.5f;
  if (width < 2) width = 2;
  pastel_state *s = state_for(f, tooth, width);
  if (!s) return 0;
  /* About 4 kB of tables: on the stack. */
  pastel_job j = { .f = f, .s = s, .strength = brush_clamp01(marks_param(f, 0, 1)) };
  for (int v = 0; v < 256; v++) {
    const float l = v / 255.0f;
    j.key[v] = l + 1.3f * j.strength * l * (1 - l) * (1 - l);
  }
  for (int t = 0; t <= 256; t++) palette_chroma(t / 256.0f, j.palette[t]);
  marks_halve(f->in, s->width, s->height, s->small);
  if (!brush_flow(s->field, s->small)) return 0;
  marks_rows(s->sh, slant_rows, &j);
  /* The stroke's length is given at full size; the strokes are drawn at half. */
  j.steps = (int)(marks_param(f, 1, 14) / 4.0f + 0.5f);
  if (j.steps < 1) j.steps = 1;
  marks_rows(s->sh, stroke_rows, &j);
  marks_rows(f->height, chalk_rows, &j);
  brush_hold(s->hold, f->in, f->out);
  return 1;
}
