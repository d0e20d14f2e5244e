/*
 * pastel_chalk: soft pastel on a tinted, toothy paper. At half size: the field of
 * directions (brush.c), and the chalk's colour by pixel: the picture's, lifted toward a
 * light key by a curve that keeps the darks dark (pupils, dark accents) and the lights
 * apart, thinned in colour and mixed with a soft palette by tone (indigo in the darks,
 * lavender, rose, cream in the lights) the more the less colour the picture has. Then
 * strokes, each a short stick of chalk laid on a jittered grid fixed to the run: along
 * the form where the picture has a clear direction, elsewhere in the direction a hand
 * takes in that patch of the paper (a slow noise, so neighbouring passages differ), each
 * with its own length, width, pressure and a little turn of its own; a second layer
 * crosses the first in the middle and dark tones. A stroke carries the colour at its
 * middle half-way into its own, a shade lighter or darker than its neighbours. At full
 * size the chalk covers the paper by pressure: the strokes break on the paper's pits and
 * the rubbed-in layer under them takes its raised tooth, more where the tone is dark, so
 * the paper shows in the lights; in a few places a finger has blended the chalk into a
 * smooth layer.
 * Params: [0] strength 0..1, [1] stroke length (px), [2] tooth size (px), [3] stroke
 * width (px).
 */
#include <math.h>
#include <stdlib.h>
#include "brush.h"
#include "primitives.h"
#include "value-noise.h"

typedef struct {
  int width, height, sw, sh;
  float tooth_size, stroke_width;
  brush_state *field;  /* half size: the field of directions and the strokes along it */
  brush_state *hold;   /* full size: the previous frame and its chalk */
  uint8_t *small;      /* half-size RGB */
  float *prep;         /* half size, 8 per pixel: the rubbed-in chalk's RGB, the top stroke's RGB,
                          the rubbed-in layer's cover, the top stroke's pressure */
  float *chalk;        /* half size RGB: the chalk's colour by pixel */
  float *depth;        /* half size: the order of the stroke on top (strokes are laid in a
                          fixed random order, so the one laid last shows) */
  float *hand;         /* half size, per run: the direction a hand lays strokes in (radians) */
  float *smudge;       /* half size, per run: where a finger blended the chalk, 0..1 */
  float *tooth;        /* full size: the paper's tooth, −1..1 (raised positive) */
} pastel_state;

static void pastel_release(pastel_state *s) {
  if (!s) return;
  free(s->field);
  free(s->hold);
  free(s->small);
  free(s->prep);
  free(s->chalk);
  free(s->tooth);
  free(s);
}

void marks_pastel_free(void *state) { pastel_release(state); }

static void tooth_rows(void *ctx, int y0, int y1) {
  pastel_state *s = ctx;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < s->width; x++) {
      s->tooth[(size_t)y * s->width + x] = marks_paper_tooth(x, y, s->tooth_size);
      if ((x & 1) || (y & 1)) continue;
      /* Patches of a hand's direction some 40 half-size pixels across, mostly between
         about −110° and +30° (right-handed strokes lean up to the right), and finger
         smudges. */
      const size_t k = (size_t)(y / 2) * s->sw + x / 2;
      const float hx = x / 100.0f, hy = y / 100.0f;
      s->hand[k] = -0.7f + 1.5f * (0.7f * marks_value_noise(hx, hy, 41) + 0.3f * marks_value_noise(3 * hx, 3 * hy, 42));
      s->smudge[k] = brush_clamp01((marks_value_noise(x / 90.0f, y / 90.0f, 43) - 0.3f) / 0.4f);
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
  s->chalk = malloc((size_t)s->sw * s->sh * 6 * sizeof(float));
  s->tooth = malloc((size_t)f->width * f->height * sizeof(float));
  /* The run's brush planes, through frames that point at this state's slots for them. */
  marks_frame half = *f, full = *f;
  half.width = s->sw; half.height = s->sh; half.state = (void **)&s->field;
  full.state = (void **)&s->hold;
  if (s->chalk) { s->depth = s->chalk + (size_t)s->sw * s->sh * 3; s->hand = s->depth + (size_t)s->sw * s->sh; s->smudge = s->hand + (size_t)s->sw * s->sh; }
  if (!s->small || !s->prep || !s->chalk || !s->tooth || !brush_state_for(&half, 0.5f * stroke_width) || !brush_state_for(&full, 1)) {
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
  float length, width;     /* a stroke's half length and half width, half-size pixels */
  int cell;                /* the strokes' grid, half-size pixels */
  float key[256];          /* the light key by luma (0..255) */
  float palette[257][3];   /* the palette's chroma by tone (0..256) */
} pastel_job;

/* Where the field has no clear direction, or the picture too little contrast for one to
   matter (a sky's gentle gradient), the strokes take the hand's direction in that patch,
   blended in the doubled angle, where directions have no sign. */
static void slant_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  brush_state *b = s->field;
  const int w = s->sw, h = s->sh;
  for (size_t i = (size_t)y0 * w; i < (size_t)y1 * w; i++) {
    const float slant = s->hand[i], cs = cosf(2 * slant), ss = sinf(2 * slant);
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

/* The chalk's colour by pixel at half size, and the rubbed-in layer: its colour and how
   much of the paper it covers (more where the tone is dark, all of it where a finger
   blended it). */
static void colour_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const float k = j->strength;
  for (size_t i0 = (size_t)y0 * s->sw; i0 < (size_t)y1 * s->sw; i0++) {
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
    const float *pal = j->palette[(int)(brush_clamp01(key) * 256.0f + 0.5f)];
    float *chalk = s->chalk + i0 * 3, *o = s->prep + i0 * 8;
    for (int c = 0; c < 3; c++) {
      chalk[c] = key + (col[c] - l) * thinned + pal[c] * m * 1.1f;
      /* The rubbed-in chalk a shade darker; the stroke layer starts as it (no stroke). */
      o[c] = o[3 + c] = chalk[c] - 0.03f;
    }
    o[6] = 0.35f + 0.75f * (1.0f - key) + 0.6f * s->smudge[i0];
    o[7] = 0;
    s->depth[i0] = -1;
  }
}

/* The strokes, laid on rows y0..y1 of the half-size picture: every stroke of the grid
   that reaches those rows is drawn clipped to them, so each band of rows is drawn alone
   and the order of the strokes, not of the bands, decides which one is on top. */
static void lay_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const brush_state *b = s->field;
  const int w = s->sw, h = s->sh, cell = j->cell;
  const float reach = 1.35f * j->length + 1.4f * j->width + 2;
  const int cy0 = (int)floorf((y0 - reach) / cell), cy1 = (int)floorf((y1 + reach) / cell);
  const int cols = (w + cell - 1) / cell;
  for (int layer = 0; layer < 2; layer++) {
    for (int cy = cy0 < 0 ? 0 : cy0; cy <= cy1; cy++) {
      for (int cx = 0; cx < cols; cx++) {
        const uint32_t seed = 50 + 8 * layer;
        const float px = (cx + marks_hash(cx, cy, seed)) * cell, py = (cy + marks_hash(cx, cy, seed + 1)) * cell;
        if (py >= h || px >= w) continue;
        const size_t c0 = (size_t)py * w + (int)px;
        const float *chalk = s->chalk + c0 * 3;
        const float tone = 0.299f * chalk[0] + 0.587f * chalk[1] + 0.114f * chalk[2];
        /* The crossing layer is thicker the darker the tone, a few strokes in the lights. */
        if (layer == 1 && marks_hash(cx, cy, seed + 2) > 0.08f + 1.5f * (0.8f - tone)) continue;
        const float turn = (marks_hash(cx, cy, seed + 3) - 0.5f) * 0.5f + (layer ? 0.95f + 0.5f * marks_hash(cx, cy, seed + 4) : 0);
        const float ux0 = b->dx[c0], uy0 = b->dy[c0], ct = cosf(turn), st = sinf(turn);
        const float ux = ux0 * ct - uy0 * st, uy = ux0 * st + uy0 * ct;
        const float len = j->length * (0.55f + 0.8f * marks_hash(cx, cy, seed + 5)), wid = j->width * (0.6f + 0.8f * marks_hash(cx, cy, seed + 6));
        const float pressure = 0.65f + 0.35f * marks_hash(cx, cy, seed + 7);
        const float shade = 0.15f * (marks_hash(cy, cx, seed + 3) - 0.5f);
        const float order = layer + marks_hash(cy, cx, seed + 5);
        const float ex = fabsf(ux) * len + fabsf(uy) * wid + 1, ey = fabsf(uy) * len + fabsf(ux) * wid + 1;
        int ya = (int)floorf(py - ey), yb = (int)ceilf(py + ey), xa = (int)floorf(px - ex), xb = (int)ceilf(px + ex);
        if (ya < y0) ya = y0;
        if (yb > y1 - 1) yb = y1 - 1;
        if (xa < 0) xa = 0;
        if (xb > w - 1) xb = w - 1;
        for (int y = ya; y <= yb; y++) {
          /* The pixels of this row inside the stroke: where |along| < len and |across| < wid. */
          const float ry = y + 0.5f - py;
          float lo = xa - px - 0.5f, hi = xb - px + 0.5f;
          if (fabsf(ux) > 1e-4f) {
            const float a = (-len - ry * uy) / ux, b2 = (len - ry * uy) / ux;
            lo = fmaxf(lo, fminf(a, b2)); hi = fminf(hi, fmaxf(a, b2));
          }
          if (fabsf(uy) > 1e-4f) {
            const float a = (ry * ux - wid) / uy, b2 = (ry * ux + wid) / uy;
            lo = fmaxf(lo, fminf(a, b2)); hi = fminf(hi, fmaxf(a, b2));
          }
          if (lo > hi) continue;
          const int xs = (int)ceilf(px + lo - 0.5f), xe = (int)floorf(px + hi - 0.5f);
          for (int x = xs < xa ? xa : xs; x <= (xe > xb ? xb : xe); x++) {
            const float rx = x + 0.5f - px, ry = y + 0.5f - py;
            const float along = fabsf(rx * ux + ry * uy), across = fabsf(ry * ux - rx * uy);
            if (along >= len || across >= wid) continue;
            const size_t i = (size_t)y * w + x;
            if (order <= s->depth[i]) continue;
            /* Soft at its sides, thinning toward its ends as a stick lifts off. */
            const float side = brush_clamp01((wid - across) / 0.9f), end = brush_clamp01((len - along) / (0.4f * len));
            const float cover = pressure * side * (0.35f + 0.65f * end);
            if (cover < 0.2f) continue;
            s->depth[i] = order;
            float *o = s->prep + i * 8;
            const float *here = s->chalk + i * 3;
            /* A stroke's soft side goes over the chalk beneath it, not over bare paper. */
            const float was = o[7], now = cover * (1.0f - 0.6f * s->smudge[i]);
            const float a = was > 0 ? now / fmaxf(now, was) : 1;
            /* The stick's own colour, less where it crosses into another tone (an edge stays
               an edge, not a fringe of hairs). */
            const float step = fabsf(0.299f * here[0] + 0.587f * here[1] + 0.114f * here[2] - tone);
            const float own = 0.45f * brush_clamp01(1.0f - step / 0.2f);
            for (int c = 0; c < 3; c++) o[3 + c] += a * (here[c] + own * (chalk[c] - here[c]) + shade - o[3 + c]);
            o[7] = fmaxf(now, 0.8f * was);
          }
        }
      }
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
      /* The stroke breaks where the tooth dips, the less the harder it is pressed. */
      const float t = brush_clamp01((q[7] - 0.3f + 0.35f * tooth) / 0.3f);
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
  /* The stroke's length and width are given at full size; the strokes are drawn at half. */
  j.length = marks_param(f, 1, 14) / 3.0f;
  if (j.length < 1.5f) j.length = 1.5f;
  j.width = 0.5f * width;
  j.cell = (int)(2.6f * j.width + 0.5f);
  if (j.cell < 2) j.cell = 2;
  marks_rows(s->sh, colour_rows, &j);
  marks_rows(s->sh, lay_rows, &j);
  marks_rows(f->height, chalk_rows, &j);
  brush_hold(s->hold, f->in, f->out);
  return 1;
}
