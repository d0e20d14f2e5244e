/*
 * pastel_chalk: soft pastel on a tinted, toothy paper, the whole picture built of strokes.
 * At half size: the field of directions (brush.c), and the chalk's colour by pixel: the
 * picture's, lifted toward a light key by a curve that keeps the darks dark (pupils, dark
 * accents) and the lights apart, its hues kept, a near-grey tinted by tone (cool in the
 * shadows, warm in the lights, as a pastellist warms the lights and cools the shadows).
 * Then strokes, each a short stick of chalk laid on a jittered grid fixed to the run:
 * along the form where the picture has a clear direction, elsewhere in the direction a
 * hand takes in that patch of the paper, each with its own length, width, pressure and
 * its own stick: the colour at its middle a little lighter or darker, turned a little in
 * hue, so a patch is laid in several related hues, not one flat colour. Four layers: the
 * body of the picture; a second crossing the first in the middle and dark tones; darker
 * accents where the picture is darker than around it (eyes, mouths, folds); light
 * opaque strokes on top in the lights. At full size the chalk covers the tinted paper by
 * pressure: the strokes break on the paper's pits, the rubbed-in layer under them (the
 * colour blurred, no photograph's detail) takes its raised tooth, and in a few places a
 * finger has blended the chalk into a smooth layer.
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
  float *soft;         /* half size, three planes: the chalk blurred, the rubbed-in layer's colour */
  float *tone;         /* half size: the chalk's tone */
  float *around;       /* half size: the tone around each pixel (blurred wide) */
  float *depth;        /* half size: the order of the stroke on top (strokes are laid in a
                          fixed random order, so the one laid last shows) */
  float *hand;         /* half size, per run: the direction a hand lays strokes in (radians) */
  float *smudge;       /* half size, per run: where a finger blended the chalk, 0..1 */
  float *ws;           /* half size plus a row: the blurs' scratch */
  float *tooth;        /* full size: the paper's tooth, −1..1 (raised positive) */
  int *cols, *step;    /* per full-size column: its half-size column and the step right */
  float *frac;         /* and the right one's weight (marks_double_columns) */
} pastel_state;

static void pastel_release(pastel_state *s) {
  if (!s) return;
  free(s->field);
  free(s->hold);
  free(s->small);
  free(s->prep);
  free(s->chalk);
  free(s->tooth);
  free(s->cols);
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
      s->smudge[k] = brush_clamp01((marks_value_noise(x / 90.0f, y / 90.0f, 43) - 0.45f) / 0.4f);
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
  const size_t n = (size_t)s->sw * s->sh;
  s->small = malloc(n * 3);
  s->prep = malloc(n * 8 * sizeof(float));
  s->chalk = malloc((n * 13 + s->sw) * sizeof(float));
  s->tooth = malloc((size_t)f->width * f->height * sizeof(float));
  s->cols = marks_double_columns(f->width, s->sw, &s->step, &s->frac);
  /* The run's brush planes, through frames that point at this state's slots for them. */
  marks_frame half = *f, full = *f;
  half.width = s->sw; half.height = s->sh; half.state = (void **)&s->field;
  full.state = (void **)&s->hold;
  if (s->chalk) {
    s->soft = s->chalk + n * 3; s->tone = s->soft + n * 3; s->around = s->tone + n;
    s->depth = s->around + n; s->hand = s->depth + n; s->smudge = s->hand + n; s->ws = s->smudge + n;
  }
  if (!s->small || !s->prep || !s->chalk || !s->tooth || !s->cols || !brush_state_for(&half, 0.5f * stroke_width) || !brush_state_for(&full, 1)) {
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
  float key[256];          /* the light key by luma (0..255) */
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


/* The chalk's colour by pixel at half size: the light key, the picture's hue kept (its
   spread capped at a pastel stick's), a near-grey tinted by tone: a cool blue-violet in
   the shadows, a warm ochre to cream in the lights. */
static void colour_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const float k = j->strength;
  const size_t n = (size_t)s->sw * s->sh;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    const uint8_t *p = s->small + i * 3;
    const float col[3] = { p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f };
    const float l = brush_luma(p);
    const float mx = fmaxf(col[0], fmaxf(col[1], col[2])), mn = fminf(col[0], fminf(col[1], col[2]));
    const float key = j->key[(int)(l * 255.0f + 0.5f)];
    float kept = 1.0f - 0.12f * k;
    if ((mx - mn) * kept > 0.45f) kept = 0.45f / (mx - mn);
    /* Warm light, cool shadow, the more the less colour the picture has here. */
    const float grey = k * (0.3f + 1.2f * (1.0f - brush_clamp01((mx - mn) * 5.0f)));
    const float warm = brush_clamp01((key - 0.35f) / 0.4f);
    const float tint[3] = { 0.045f * warm - 0.01f * (1 - warm), 0.01f * warm - 0.02f * (1 - warm), -0.07f * warm + 0.07f * (1 - warm) };
    float *chalk = s->chalk + i * 3;
    for (int c = 0; c < 3; c++) {
      chalk[c] = key + (col[c] - l) * kept + tint[c] * grey;
      s->soft[c * n + i] = chalk[c];
    }
    s->tone[i] = s->around[i] = brush_luma_f(chalk);
    s->depth[i] = -1;
  }
}

/* The rubbed-in layer: the blurred chalk a shade darker, covering the paper more where the
   tone is dark and where a finger blended it; no stroke yet. */
static void under_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const size_t n = (size_t)s->sw * s->sh;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    float *o = s->prep + i * 8;
    for (int c = 0; c < 3; c++) o[c] = o[3 + c] = s->soft[c * n + i] - 0.02f;
    o[6] = 0.6f + 0.5f * (1.0f - s->tone[i]) + 0.6f * s->smudge[i];
    o[7] = 0;
  }
}

/* `rgb` with its hue turned by `turn` (radians) and its chroma scaled by `sat`, its tone kept. */
static void turn_hue(float rgb[3], float turn, float sat) {
  const float y = brush_luma_f(rgb), cr = rgb[0] - y, cb = rgb[2] - y;
  const float ct = cosf(turn) * sat, st = sinf(turn) * sat;
  rgb[0] = y + cr * ct - cb * st;
  rgb[2] = y + cr * st + cb * ct;
  rgb[1] = (y - 0.299f * rgb[0] - 0.114f * rgb[2]) / 0.587f;
}

enum { BODY, CROSS, ACCENT, LIGHT, LAYERS };

/* A layer's strokes: the grid's spacing, length and width (shares of the base stroke's). */
static const struct { float cell, len, wid; uint32_t seed; } LAYER[LAYERS] = {
  [BODY] = { 2.8f, 1.0f, 1.0f, 50 },
  [CROSS] = { 2.8f, 0.8f, 0.85f, 58 },
  [ACCENT] = { 1.5f, 0.65f, 0.55f, 66 },
  [LIGHT] = { 2.1f, 0.75f, 0.85f, 74 },
};

/* The strokes, laid on rows y0..y1 of the half-size picture: every stroke of the grid
   that reaches those rows is drawn clipped to them, so each band of rows is drawn alone
   and the order of the strokes, not of the bands, decides which one is on top. */
static void lay_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const brush_state *b = s->field;
  const int w = s->sw, h = s->sh;
  const float reach = 1.65f * j->length + 1.4f * j->width + 2;
  for (int layer = 0; layer < LAYERS; layer++) {
    const float cell = fmaxf(2.0f, LAYER[layer].cell * j->width);
    const int cy0 = (int)floorf((y0 - reach) / cell), cy1 = (int)floorf((y1 + reach) / cell);
    const int cols = (int)ceilf(w / cell);
    const uint32_t seed = LAYER[layer].seed;
    for (int cy = cy0 < 0 ? 0 : cy0; cy <= cy1; cy++) {
      for (int cx = 0; cx < cols; cx++) {
        const float px = (cx + marks_hash(cx, cy, seed)) * cell, py = (cy + marks_hash(cx, cy, seed + 1)) * cell;
        if (py >= h || px >= w) continue;
        const size_t c0 = (size_t)py * w + (int)px;
        const float tone = s->tone[c0], dark = s->around[c0] - tone;
        const float pick = marks_hash(cx, cy, seed + 2);
        /* The crossing layer is thicker the darker the tone, a few strokes in the lights;
           accents only where the picture is darker than around it; light strokes only in
           the lights that stand out. */
        if (layer == CROSS && pick > 0.1f + 1.6f * (0.75f - tone)) continue;
        if (layer == ACCENT && pick > brush_clamp01((dark - 0.025f) / 0.05f)) continue;
        if (layer == LIGHT && pick > 0.7f * brush_clamp01((tone - 0.55f) / 0.25f) * brush_clamp01((-0.01f - dark) / 0.04f)) continue;
        const float turn = (marks_hash(cx, cy, seed + 3) - 0.5f) * 0.5f + (layer == CROSS ? 0.95f + 0.5f * marks_hash(cx, cy, seed + 4) : 0);
        const float ux0 = b->dx[c0], uy0 = b->dy[c0], ct = cosf(turn), st = sinf(turn);
        const float ux = ux0 * ct - uy0 * st, uy = ux0 * st + uy0 * ct;
        /* Longer strokes where the picture is even (a wall, a sky), shorter in its detail. */
        const float even = 1.0f - brush_clamp01((fabsf(dark) - 0.02f) / 0.08f);
        const float len = LAYER[layer].len * j->length * (0.85f + 0.4f * even) * (0.55f + 0.8f * marks_hash(cx, cy, seed + 5));
        const float wid = LAYER[layer].wid * j->width * (0.6f + 0.8f * marks_hash(cx, cy, seed + 6));
        const float pressure = layer == LIGHT ? 0.95f : 0.7f + 0.3f * marks_hash(cx, cy, seed + 7);
        const float order = layer + marks_hash(cy, cx, seed + 5);
        /* The stick: the colour at the stroke's middle, a shade lighter or darker, its hue
           turned a little and its chroma a little more or less; accents darker, lights
           lighter and toward a cream. */
        const float *mid = s->chalk + c0 * 3;
        float stick[3] = { mid[0], mid[1], mid[2] };
        const float h1 = marks_hash(cy, cx, seed + 3), h2 = marks_hash(cy, cx, seed + 4), h3 = marks_hash(cy, cx, seed + 6);
        turn_hue(stick, 0.9f * (h1 - 0.5f), 0.85f + 0.4f * h2);
        /* A stick from the warm or the cool side of the box (warm ones more in the lights),
           the more where the picture has little colour of its own. */
        const float mc = fmaxf(mid[0], fmaxf(mid[1], mid[2])) - fminf(mid[0], fminf(mid[1], mid[2]));
        const float lean = (0.03f + 0.03f * h2) * (1.0f - 0.6f * brush_clamp01(mc * 4.0f));
        const int warm = marks_hash(cx, cy, seed + 8) < 0.2f + 0.6f * tone;
        stick[0] += lean * (warm ? 0.5f : 0.05f); stick[1] += lean * (warm ? 0.1f : -0.25f); stick[2] += lean * (warm ? -0.9f : 0.7f);
        float shade = 0.2f * (h3 - 0.5f);
        if (layer == ACCENT) shade = -0.05f - 0.7f * dark;
        for (int c = 0; c < 3; c++) stick[c] += shade;
        if (layer == LIGHT) {
          static const float cream[3] = { 1.0f, 0.96f, 0.86f };
          const float lift = 0.2f + 0.2f * h3;
          for (int c = 0; c < 3; c++) stick[c] += lift * (cream[c] - stick[c]);
        }
        float delta[3];
        for (int c = 0; c < 3; c++) delta[c] = stick[c] - mid[c];
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
            const float rx = x + 0.5f - px;
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
            const float was = o[7], now = cover * (1.0f - 0.3f * s->smudge[i]);
            const float a = was > 0 ? now / fmaxf(now, was) : 1;
            /* The stick's colour where the tone is its own; where it crosses into another
               tone it takes that tone's (an edge stays an edge, not a fringe of hairs). */
            const float own = brush_clamp01(1.0f - (fabsf(s->tone[i] - tone) - 0.08f) / 0.14f);
            for (int c = 0; c < 3; c++) o[3 + c] += a * (here[c] + own * (mid[c] - here[c]) + delta[c] - o[3 + c]);
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
  /* A mid-value warm grey sheet. */
  static const float paper[3] = { 0.66f, 0.61f, 0.54f };
  const float k = j->strength, cover = 0.4f + 0.6f * k;
  for (int y = y0; y < y1; y++) {
    float v = (y + 0.5f) * 0.5f - 0.5f;
    v = v > sh - 1.001f ? sh - 1.001f : v; v = v < 0 ? 0 : v;
    const int iv = (int)v;
    const float tv = v - iv;
    /* Neighbours stay inside a picture one half-size pixel wide or high. */
    const size_t down = iv + 1 < sh ? (size_t)sw * 8 : 0;
    const float *row = s->prep + (size_t)iv * sw * 8;
    for (int x = 0; x < w; x++) {
      const size_t i = (size_t)y * w + x;
      const float tu = s->frac[x];
      const float *a = row + (size_t)s->cols[x] * 8, *bq = a + 8 * s->step[x], *c0 = a + down, *d = c0 + 8 * s->step[x];
      float q[8];
      for (int c = 0; c < 8; c++) {
        const float top = a[c] + tu * (bq[c] - a[c]), bottom = c0[c] + tu * (d[c] - c0[c]);
        q[c] = top + tv * (bottom - top);
      }
      const float tooth = s->tooth[i];
      const float under = 1.0f - cover * (1.0f - brush_clamp01(q[6] + 0.6f * tooth));
      /* The stroke breaks where the tooth dips, the less the harder it is pressed. */
      const float t = brush_clamp01((q[7] - 0.3f + 0.45f * tooth) / 0.3f);
      const float over = cover * t * t * (3 - 2 * t);
      /* The chalk on the tooth's peaks catches the light, its pits lie in shadow. */
      const float grain = 1.0f + 0.07f * k * tooth;
      uint8_t *o = f->out + i * 3;
      for (int c = 0; c < 3; c++) {
        float rgb = paper[c] + under * (q[c] - paper[c]);
        rgb += over * (q[3 + c] - rgb);
        o[c] = brush_byte(255.0f * rgb * grain);
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
  /* About 1 kB of tables: on the stack. */
  pastel_job j = { .f = f, .s = s, .strength = brush_clamp01(marks_param(f, 0, 1)) };
  for (int v = 0; v < 256; v++) {
    const float l = v / 255.0f;
    j.key[v] = l + 1.0f * j.strength * l * (1 - l) * (1 - l);
  }
  marks_halve(f->in, s->width, s->height, s->small);
  if (!brush_flow(s->field, s->small)) return 0;
  marks_rows(s->sh, slant_rows, &j);
  /* The stroke's length and width are given at full size; the strokes are drawn at half. */
  j.length = marks_param(f, 1, 14) / 3.0f;
  if (j.length < 1.5f) j.length = 1.5f;
  j.width = 0.5f * width;
  marks_rows(s->sh, colour_rows, &j);
  /* The rubbed-in layer's colour, and the tone around each pixel (for accents and lights). */
  const size_t n = (size_t)s->sw * s->sh;
  const int r = (int)(1.5f * j.width + 0.5f);
  for (int c = 0; c < 3; c++) marks_box_blur(s->soft + c * n, s->sw, s->sh, r, s->ws);
  marks_box_blur(s->around, s->sw, s->sh, (int)(3 * j.width + 0.5f), s->ws);
  marks_rows(s->sh, under_rows, &j);
  marks_rows(s->sh, lay_rows, &j);
  marks_rows(f->height, chalk_rows, &j);
  brush_hold(s->hold, f->in, f->out);
  return 1;
}
