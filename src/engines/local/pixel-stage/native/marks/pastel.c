/*
 * pastel_chalk: soft pastel on a tinted, toothy paper, the whole picture built of strokes.
 * At quarter size the field of directions of the larger form (brush.c); at half size the
 * chalk's colour by pixel: the picture's, lifted toward a light key by a power curve that
 * opens the middle tones (a face's features keep their contrast) and the lights apart,
 * the deepest darks raised to a deep coloured chalk, not black, its hues kept, a near-grey
 * tinted by tone (cool in the shadows, an ochre in the middle tones, warm in the lights,
 * as a pastellist warms the lights and cools the shadows). Then strokes laid on jittered
 * grids fixed to the run, each a hatched cluster of two or three parallel lines of one
 * stick a hand's spacing apart (each line 62 to 90 % of the stroke's length): along the
 * form where the picture has a direction, elsewhere in the one direction a hand takes in
 * that patch of the paper; long on an even patch, shorter where the picture is detailed;
 * each stick coloured from the blurred chalk around it, a little lighter or darker,
 * turned a little in hue, so a patch is laid in several related hues, not one flat
 * colour. On skin fewer strokes, of the skin's own hue and only a shade lighter or
 * darker, over chalk that keeps the face's tones but takes its colour blurred (a face in
 * blotches of clashing sticks reads as mud). Five layers: the body of the picture; a
 * second crossing the first in the middle and dark tones away from the detail and the
 * skin; darker accents where the picture is darker than around it (eyes, mouths, folds);
 * light strokes in the lights; dark contour strokes on the main edges. The deep darks'
 * sticks are umbers where the chalk is warm, a violet-brown or an indigo-violet where it
 * is cool, one per stroke; a coloured dark (a deep green) keeps its own colour, lifted with
 * its saturation rather than only its chroma. At full size the chalk goes on a warm sand paper: under the
 * strokes an even, finger-blended film of the blurred chalk (no specks of bare paper
 * through it); between the strokes the paper's light tint lifts that film by about a
 * tenth; the strokes break on a coarse tooth (seen in a small picture) on their soft
 * sides and where pressed lightly, and the tooth lights their chalk's peaks.
 * In the sheet's margin (marks_margin) the chalk gives out, its edge made of stroke ends,
 * and the toned paper shows.
 * Params: [0] strength 0..1, [1] stroke length (px), [2] tooth size (px), [3] a line's
 * width (px), [4] the lines' spacing (px), [5] how far the chalk fades to paper in the
 * margin, 0..1 (0 if not given), [6] the margin's depth, a share of the short side (0.11).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "brush.h"
#include "primitives.h"
#include "value-noise.h"

#define DARK_SATURATION 2.0f /* how much more of a lifted dark's saturation its chalk keeps, at most */
#define DEEP_COLOURED 8.0f   /* chroma (per its inverse) from which a dark's own colour wins over the deep sticks */

typedef struct {
  int width, height, sw, sh;
  float tooth_size, stroke_width, margin_depth;
  int qw, qh;
  brush_state *shape;  /* quarter size: the field of directions of the larger form (a contour,
                          the round of a face), not of every hair of the photograph */
  brush_state *field;  /* half size: the strokes' directions */
  brush_state *hold;   /* full size: the previous frame and its chalk */
  uint8_t *small;      /* half-size RGB */
  uint8_t *quarter;    /* quarter-size RGB */
  float *prep;         /* half size, 8 per pixel: the rubbed-in chalk's RGB, the top stroke's RGB,
                          the rubbed-in layer's cover, the top stroke's pressure */
  float *chalk;        /* half size RGB: the chalk's colour by pixel */
  float *soft;         /* half size, three planes: the chalk blurred, the rubbed-in layer's colour */
  float *tone;         /* half size: the chalk's tone */
  float *around;       /* half size: the tone around each pixel (blurred wide) */
  float *depth;        /* half size: the order of the stroke on top (strokes are laid in a
                          fixed random order, so the one laid last shows) */
  float *hand, *hand2; /* half size, per run: the direction a hand lays strokes in, as the
                          cosine and sine of its doubled angle (directions have no sign) */
  float *smudge;       /* half size, per run: where a finger blended the chalk, 0..1 */
  float *detail;       /* half size: the picture's local contrast, spread (strokes shrink with it) */
  float *shade;        /* half size: the chalk's tone lightly blurred (for the contour strokes) */
  float *skin;         /* half size: how much a pixel's colour is skin's, spread, 0..1 (blended
                          with a finger, its sticks of near hues) */
  float *lum;          /* half size: the picture's luma blurred over a stroke's width (the
                          darks' chalk keeps the folds around it) */
  float *ws;           /* half size plus a row: the blurs' scratch */
  float *tooth;        /* full size: the paper's tooth, −1..1 (raised positive) */
  float *margin;       /* full size: how far a pixel lies in the sheet's margin, 0..1 (marks_margin) */
  int *cols, *step;    /* per full-size column: its half-size column and the step right */
  float *frac;         /* and the right one's weight (marks_double_columns) */
} pastel_state;

static void pastel_release(pastel_state *s) {
  if (!s) return;
  free(s->shape);
  free(s->field);
  free(s->quarter);
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
      s->margin[(size_t)y * s->width + x] = marks_margin(x, y, s->width, s->height, s->margin_depth);
      if ((x & 1) || (y & 1)) continue;
      /* Patches of a hand's direction some 40 half-size pixels across, mostly between
         about −110° and +30° (right-handed strokes lean up to the right), and finger
         smudges. */
      const size_t k = (size_t)(y / 2) * s->sw + x / 2;
      const float hx = x / 100.0f, hy = y / 100.0f;
      const float slant = -0.8f + 1.7f * (0.7f * marks_value_noise(hx, hy, 41) + 0.3f * marks_value_noise(3 * hx, 3 * hy, 42));
      s->hand[k] = cosf(2 * slant); s->hand2[k] = sinf(2 * slant);
      s->smudge[k] = brush_clamp01((marks_value_noise(x / 90.0f, y / 90.0f, 43) - 0.45f) / 0.4f);
    }
  }
}

static pastel_state *state_for(const marks_frame *f, float tooth_size, float stroke_width, float margin_depth) {
  pastel_state *s = *f->state;
  if (s && s->width == f->width && s->height == f->height && s->tooth_size == tooth_size && s->stroke_width == stroke_width && s->margin_depth == margin_depth) return s;
  pastel_release(s);
  *f->state = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->width = f->width; s->height = f->height;
  s->sw = (f->width + 1) / 2; s->sh = (f->height + 1) / 2;
  s->qw = (s->sw + 1) / 2; s->qh = (s->sh + 1) / 2;
  s->tooth_size = tooth_size; s->stroke_width = stroke_width; s->margin_depth = margin_depth;
  const size_t n = (size_t)s->sw * s->sh;
  s->small = malloc(n * 3);
  s->quarter = malloc((size_t)s->qw * s->qh * 3);
  s->prep = malloc(n * 8 * sizeof(float));
  s->chalk = malloc((n * 18 + s->sw) * sizeof(float));
  s->tooth = malloc((size_t)f->width * f->height * 2 * sizeof(float));
  s->margin = s->tooth ? s->tooth + (size_t)f->width * f->height : NULL;
  s->cols = marks_double_columns(f->width, s->sw, &s->step, &s->frac);
  /* The run's brush planes, through frames that point at this state's slots for them. */
  marks_frame quarter = *f, half = *f, full = *f;
  quarter.width = s->qw; quarter.height = s->qh; quarter.state = (void **)&s->shape;
  half.width = s->sw; half.height = s->sh; half.state = (void **)&s->field;
  full.state = (void **)&s->hold;
  if (s->chalk) {
    s->soft = s->chalk + n * 3; s->tone = s->soft + n * 3; s->around = s->tone + n;
    s->depth = s->around + n; s->hand = s->depth + n; s->hand2 = s->hand + n; s->smudge = s->hand2 + n;
    s->detail = s->smudge + n; s->shade = s->detail + n; s->skin = s->shade + n; s->lum = s->skin + n; s->ws = s->lum + n;
  }
  if (!s->small || !s->quarter || !brush_state_for(&quarter, 1) || !s->prep || !s->chalk || !s->tooth || !s->cols || !brush_state_for(&half, 0.5f * stroke_width) || !brush_state_for(&full, 1)) {
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
  float fade;              /* how far the chalk fades to bare paper in the sheet's margin, 0..1 */
  float length, width;     /* a stroke's half length and a line's half width, half-size pixels */
  float spacing;           /* the lines of a hatched cluster apart, half-size pixels */
  float key[256];          /* the light key by luma (0..255) */
} pastel_job;

/* Where the field has no clear direction, or the picture too little contrast for one to
   matter (a sky's gentle gradient), the strokes take the hand's direction in that patch,
   blended in the doubled angle, where directions have no sign. */
static void slant_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  brush_state *b = s->field;
  const brush_state *q = s->shape;
  const int w = s->sw, h = s->sh;
  for (size_t i = (size_t)y0 * w; i < (size_t)y1 * w; i++) {
    const int x = (int)(i % w), y = (int)(i / w);
    const size_t k = (size_t)(y / 2) * q->width + x / 2;
    const uint8_t *l = s->small + ((size_t)y * w + (x > 1 ? x - 2 : 0)) * 3, *r = s->small + ((size_t)y * w + (x < w - 2 ? x + 2 : w - 1)) * 3;
    const uint8_t *u = s->small + ((size_t)(y > 1 ? y - 2 : 0) * w + x) * 3, *d = s->small + ((size_t)(y < h - 2 ? y + 2 : h - 1) * w + x) * 3;
    const float contrast = 255.0f * (fabsf(brush_luma(r) - brush_luma(l)) + fabsf(brush_luma(d) - brush_luma(u)));
    /* A gentle gradient with a clear direction (a cheek's shading, a petal's) is form too:
       its strokes follow it. */
    const float t = fminf(brush_clamp01((q->coherence[k] - 0.25f) / 0.35f), brush_clamp01((contrast - 2.0f) / 6.0f));
    s->detail[i] = contrast;
    s->lum[i] = brush_luma(s->small + i * 3);
    float c2 = s->hand[i], s2 = s->hand2[i];
    if (t > 0) {
      const float ca = cosf(q->angle[k]), sa = sinf(q->angle[k]);
      c2 += t * (ca * ca - sa * sa - c2); s2 += t * (2 * sa * ca - s2);
      const float m = hypotf(c2, s2);
      if (m > 1e-6f) { c2 /= m; s2 /= m; } else { c2 = 1; s2 = 0; }
    }
    /* Back from the doubled angle by the half-angle formulas. */
    b->dx[i] = sqrtf(fmaxf(0.0f, 0.5f * (1 + c2))); b->dy[i] = copysignf(sqrtf(fmaxf(0.0f, 0.5f * (1 - c2))), s2);
  }
}


/* How much a colour is skin's, 0..1: red the highest, a hue from a rose to an orange, some
   colour but not a vivid one (as a share of its red, so a face in shadow counts), not in
   the dark. */
static inline float skin_share(const float col[3], float l) {
  const float low = fminf(col[1], col[2]), ch = col[0] - low;
  if (col[0] < fmaxf(col[1], col[2]) || ch < 0.02f) return 0;
  const float sat = ch / col[0], hue = (col[1] - col[2]) / ch;
  return brush_clamp01((sat - 0.12f) / 0.1f) * brush_clamp01((0.7f - sat) / 0.15f) * brush_clamp01(1.0f - fabsf(hue - 0.25f) / 0.55f) * brush_clamp01((l - 0.12f) / 0.12f);
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
    /* In the darks the key's gentle slope would flatten a dark coat's folds into one patch:
       the tone's difference from its surroundings is put back, about doubled. */
    const float deep = brush_clamp01((0.35f - s->lum[i]) / 0.25f);
    const float key = fmaxf(0.85f * j->key[0], j->key[(int)(l * 255.0f + 0.5f)] + deep * k * (l - s->lum[i]));
    float kept = 1.0f - 0.12f * k;
    if ((mx - mn) * kept > 0.45f) kept = 0.45f / (mx - mn);
    /* Warm light, cool shadow, the more the less colour the picture has here. */
    /* A coloured patch (skin, a petal) keeps its own hue: a cool cast over warm skin in
       shadow reads as mud. */
    /* A dark lifted to a light key keeps more of its saturation, not only its chroma (up to
       1 + DARK_SATURATION times it where the key lifts it twice or more): a deep green is a
       green stick, a dark red-brown a warm one, not a grey tinted cool. */
    const float keep_sat = 1.0f + DARK_SATURATION * deep * brush_clamp01(key / (l + 0.03f) - 1.0f);
    const float grey = k * (0.12f + 1.38f * (1.0f - brush_clamp01((mx - mn) * keep_sat * 8.0f)));
    const float warm = brush_clamp01((key - 0.35f) / 0.4f);
    /* The deepest darks take their hues from the sticks laid there (lay_rows), not from
       one cool cast that turns them all one navy. */
    const float cool = (1 - warm) * (1.0f - 0.7f * deep);
    /* And an ochre in the middle tones, where warm and cool cross. */
    const float middle = 4.0f * warm * (1 - warm);
    const float tint[3] = { 0.045f * warm - 0.035f * cool + 0.03f * middle, 0.01f * warm - 0.005f * cool, -0.07f * warm + 0.08f * cool - 0.025f * middle };
    float *chalk = s->chalk + i * 3;
    s->skin[i] = skin_share(col, l);
    for (int c = 0; c < 3; c++) {
      chalk[c] = key + (col[c] - l) * kept * keep_sat + tint[c] * grey;
      s->soft[c * n + i] = chalk[c];
    }
    s->tone[i] = s->around[i] = brush_luma_f(chalk);
    s->depth[i] = -1;
  }
}

/* How deep in the darks the chalk's tone is, 0..1. */
static inline float dark_share(float tone) { return brush_clamp01((0.45f - tone) / 0.15f); }

/* The chalk at pixel i of the half-size picture, on skin its colour (not its tone) taken
   from the blurred chalk: a face keeps its features' tones but not the photograph's
   blotches of colour. */
static inline void skin_chalk(const pastel_state *s, size_t i, float out[3]) {
  const size_t n = (size_t)s->sw * s->sh;
  const float *c = s->chalk + i * 3, k = s->skin[i];
  const float soft[3] = { s->soft[i], s->soft[n + i], s->soft[2 * n + i] };
  const float d = brush_luma_f(c) - brush_luma_f(soft);
  for (int ch = 0; ch < 3; ch++) out[ch] = c[ch] + k * (soft[ch] + d - c[ch]);
}

/* The rubbed-in layer: the blurred chalk a shade darker, covering the paper more where the
   tone is dark and where a finger blended it; no stroke yet. */
static void under_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const size_t n = (size_t)s->sw * s->sh;
  for (size_t i = (size_t)y0 * s->sw; i < (size_t)y1 * s->sw; i++) {
    float *o = s->prep + i * 8;
    /* On skin the finger blends the chalk, it does not smear the features: the blended
       layer keeps more of the drawing's own shapes there. */
    /* In the darks it keeps the folds: a dark coat rubbed flat reads as one patch. */
    const float keep = fmaxf(0.6f * s->skin[i], 0.7f * dark_share(s->tone[i]));
    float face[3];
    skin_chalk(s, i, face);
    for (int c = 0; c < 3; c++) {
      const float rubbed = s->soft[c * n + i] + keep * (s->chalk[i * 3 + c] - s->soft[c * n + i]);
      o[c] = o[3 + c] = rubbed + s->skin[i] * (face[c] - rubbed) - 0.02f;
    }
    o[6] = 0.4f + 0.9f * (1.0f - s->tone[i]) + 0.6f * fmaxf(s->smudge[i], s->skin[i]);
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

enum { BODY, CROSS, ACCENT, LIGHT, CONTOUR, LAYERS };

/* A layer's strokes: the grid's spacing (in line spacings), the stroke's length and a
   line's width (shares of the base's). The body, crossing and light layers lay hatched
   clusters of every length on a grid thinned where they are long (see stroke_size), so a
   flat patch gets fewer long strokes and a detailed one more short ones, the same cover of
   chalk; accents and contours are single lines. */
static const struct { float cell, len, wid; uint32_t seed; int sized; } LAYER[LAYERS] = {
  [BODY] = { 1.5f, 1.35f, 1.0f, 50, 1 },
  [CROSS] = { 1.7f, 0.85f, 0.95f, 58, 1 },
  [ACCENT] = { 0.9f, 0.7f, 0.8f, 66, 0 },
  [LIGHT] = { 1.6f, 0.8f, 0.9f, 74, 1 },
  [CONTOUR] = { 1.4f, 1.0f, 0.75f, 82, 0 },
};

/* Largest and smallest stroke size (of its length): long strokes on an even patch (a wall,
   a sky), short ones where the picture is detailed (a face, an edge). */
#define SIZE_BROAD 1.0f
#define SIZE_FINE 0.5f

/* A stroke's size by the spread local contrast of the picture (levels over 4 pixels). */
static inline float stroke_size(float detail) {
  return SIZE_BROAD - (SIZE_BROAD - SIZE_FINE) * brush_clamp01((detail - 3.0f) / 14.0f);
}

/* The gradient of the lightly blurred tone at (x, y) of the half-size picture, clamped. */
static void tone_gradient(const pastel_state *s, int x, int y, float *gx, float *gy) {
  const int w = s->sw, h = s->sh;
  x = x < 1 ? 1 : x > w - 2 ? w - 2 : x;
  y = y < 1 ? 1 : y > h - 2 ? h - 2 : y;
  const float *t = s->shade + (size_t)y * w + x;
  *gx = 0.5f * (t[1] - t[-1]);
  *gy = 0.5f * (t[w] - t[-w]);
}

/* The strokes, laid on rows y0..y1 of the half-size picture: every stroke of the grid
   that reaches those rows is drawn clipped to them, so each band of rows is drawn alone
   and the order of the strokes, not of the bands, decides which one is on top. */
static void lay_rows(void *ctx, int y0, int y1) {
  const pastel_job *j = ctx;
  const pastel_state *s = j->s;
  const brush_state *b = s->field;
  const int w = s->sw, h = s->sh;
  const float reach = 1.1f * j->length + 1.5f * j->spacing + 2 * j->width + 3;
  for (int layer = 0; layer < LAYERS; layer++) {
    const float cell = fmaxf(1.0f, LAYER[layer].cell * j->spacing);
    const int cy0 = (int)floorf((y0 - reach) / cell), cy1 = (int)floorf((y1 + reach) / cell);
    const int cols = (int)ceilf(w / cell);
    const uint32_t seed = LAYER[layer].seed;
    for (int cy = cy0 < 0 ? 0 : cy0; cy <= cy1; cy++) {
      for (int cx = 0; cx < cols; cx++) {
        float px = (cx + marks_hash(cx, cy, seed)) * cell, py = (cy + marks_hash(cx, cy, seed + 1)) * cell;
        if (py >= h || px >= w) continue;
        size_t c0 = (size_t)py * w + (int)px;
        const float size = LAYER[layer].sized ? stroke_size(s->detail[c0]) : 1.0f;
        /* Thinned to keep the cover even: a stroke twice as long, half as many. */
        /* Fewer strokes on skin: a face is blended, a few strokes over it. */
        const float bare = layer == BODY ? 1.0f - 0.75f * s->skin[c0] : layer == CROSS || layer == LIGHT ? 1.0f - s->skin[c0] : 1.0f;
        if (LAYER[layer].sized && marks_hash(cx, cy, seed + 9) > bare * SIZE_FINE / size) continue;
        const float pick = marks_hash(cx, cy, seed + 2);
        float ux0 = b->dx[c0], uy0 = b->dy[c0];
        float edge = 0;
        if (layer == CONTOUR) {
          /* Firm strokes on the main edges only: the grid point moves across the edge onto
             its steepest line, and the stroke runs along it. */
          float gx, gy;
          tone_gradient(s, (int)px, (int)py, &gx, &gy);
          float m = hypotf(gx, gy);
          if (m < 0.02f) continue;
          const float nx = gx / m, ny = gy / m;
          float best = m, at = 0;
          for (float t = -0.5f * cell; t <= 0.5f * cell; t += 0.5f) {
            const int qx = (int)(px + t * nx), qy = (int)(py + t * ny);
            if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
            tone_gradient(s, qx, qy, &gx, &gy);
            const float q = hypotf(gx, gy);
            if (q > best) { best = q; at = t; }
          }
          if (pick > 0.85f * brush_clamp01((best - 0.035f) / 0.05f)) continue;
          px += at * nx; py += at * ny;
          if (px < 0 || py < 0 || px >= w || py >= h) continue;
          c0 = (size_t)py * w + (int)px;
          if (s->shape->coherence[(size_t)((int)py / 2) * s->qw + (int)px / 2] < 0.4f) continue;
          tone_gradient(s, (int)px, (int)py, &gx, &gy);
          m = hypotf(gx, gy);
          if (m < 1e-4f) continue;
          ux0 = -gy / m; uy0 = gx / m;
          edge = m;
        }
        const float tone = s->tone[c0], dark = s->around[c0] - tone;
        /* The crossing layer is thicker the darker the tone, a few strokes in the lights,
           and stays off the detailed parts (a face is modelled, not cross-hatched);
           accents only where the picture is darker than around it; light strokes only in
           the lights that stand out. */
        if (layer == CROSS && pick > (0.1f + 1.6f * (0.75f - tone)) * brush_clamp01((size - 0.6f) / 0.25f)) continue;
        if (layer == ACCENT && pick > brush_clamp01((dark - 0.025f) / 0.05f)) continue;
        if (layer == LIGHT && pick > 0.7f * brush_clamp01((tone - 0.55f) / 0.25f) * brush_clamp01((-0.01f - dark) / 0.04f)) continue;
        /* Long strokes on an even patch keep the hand's one direction there (hatching),
           short ones turn a little more. */
        const float wobble = layer == CONTOUR ? 0.1f : 0.4f - 0.25f * brush_clamp01((size - 0.7f) / 0.3f);
        const float turn = wobble * (marks_hash(cx, cy, seed + 3) - 0.5f) + (layer == CROSS ? 0.95f + 0.5f * marks_hash(cx, cy, seed + 4) : 0);
        const float ct = cosf(turn), st = sinf(turn);
        const float ux = ux0 * ct - uy0 * st, uy = ux0 * st + uy0 * ct;
        /* On a face the accents and contours are short: a long dark stroke laid along the
           face's round runs across an eye. */
        const float on_skin = layer == ACCENT || layer == CONTOUR ? 1.0f - 0.55f * s->skin[c0] : 1.0f;
        const float len = LAYER[layer].len * j->length * size * on_skin * (0.85f + 0.3f * marks_hash(cx, cy, seed + 5));
        const float wid = LAYER[layer].wid * j->width * (0.85f + 0.3f * marks_hash(cx, cy, seed + 6));
        /* Long strokes laid lightly (the tooth shows through them), short ones pressed
           firmly. */
        const float fine = 1.0f - brush_clamp01((size - SIZE_FINE) / (SIZE_BROAD - SIZE_FINE));
        const float pressure = layer == LIGHT || layer == CONTOUR ? 0.95f : fminf(1.0f, 0.6f + 0.25f * fine + 0.3f * marks_hash(cx, cy, seed + 7));
        /* Small strokes on top of large ones within a layer. */
        const float order = layer + 0.5f * fine + 0.5f * marks_hash(cy, cx, seed + 5);
        /* The stick: the colour at the stroke's middle, a shade lighter or darker, its hue
           turned a little and its chroma a little more or less, less so for the small
           strokes of the detailed parts (a face is not laid in clashing hues); accents
           darker, lights lighter and toward a cream, contours in the darker side's colour. */
        const size_t np = (size_t)w * h;
        /* From the blurred chalk, in the darks nearer the chalk there (the folds kept). */
        const float sharp = 0.7f * dark_share(s->tone[c0]);
        float mid[3];
        for (int c = 0; c < 3; c++) mid[c] = s->soft[c * np + c0] + sharp * (s->chalk[c0 * 3 + c] - s->soft[c * np + c0]);
        float stick[3] = { mid[0], mid[1], mid[2] };
        const float h1 = marks_hash(cy, cx, seed + 3), h2 = marks_hash(cy, cx, seed + 4), h3 = marks_hash(cy, cx, seed + 6);
        const float jitter = (0.35f + 0.65f * brush_clamp01((size - SIZE_FINE) / 0.3f)) * (1.0f - s->skin[c0]);
        turn_hue(stick, 0.95f * jitter * (h1 - 0.5f), 1.0f + jitter * (0.45f * h2 - 0.165f));
        /* A stick from the warm or the cool side of the box (warm ones more in the lights),
           the more where the picture has little colour of its own. */
        const float mc = fmaxf(mid[0], fmaxf(mid[1], mid[2])) - fminf(mid[0], fminf(mid[1], mid[2]));
        const float lean = (0.03f + 0.03f * h2) * (1.0f - 0.8f * brush_clamp01(mc * 5.0f)) * (1.0f - s->skin[c0]);
        const int warm = marks_hash(cx, cy, seed + 8) < 0.2f + 0.6f * tone;
        stick[0] += lean * (warm ? 0.5f : -0.3f); stick[1] += lean * (warm ? 0.1f : 0.05f); stick[2] += lean * (warm ? -0.9f : 0.7f);
        /* On skin a stick a shade lighter or darker, of the same hue. */
        float shade = (0.2f * jitter + 0.05f * s->skin[c0]) * (h3 - 0.5f);
        /* A face's features drawn firmer over its blended skin. */
        if (layer == ACCENT) shade = -0.05f - (0.7f + 0.6f * s->skin[c0]) * dark;
        if (layer == CONTOUR) {
          /* The darker side's chalk, darker still. */
          const int ox = (int)(px + 2.5f * uy0), oy = (int)(py - 2.5f * ux0), qx = (int)(px - 2.5f * uy0), qy = (int)(py + 2.5f * ux0);
          const int ok1 = ox >= 0 && oy >= 0 && ox < w && oy < h, ok2 = qx >= 0 && qy >= 0 && qx < w && qy < h;
          const size_t i1 = ok1 ? (size_t)oy * w + ox : c0, i2 = ok2 ? (size_t)qy * w + qx : c0;
          const float *side = s->chalk + (s->tone[i1] < s->tone[i2] ? i1 : i2) * 3;
          for (int c = 0; c < 3; c++) stick[c] = side[c] * 0.72f;
          shade = -0.03f - 0.6f * edge;
        }
        for (int c = 0; c < 3; c++) stick[c] += shade;
        /* In the deep darks a stick from a few related warm deep hues (a raw umber, a
           burnt umber, a violet-brown), one per stroke, not a navy: the picture's own
           colour there keeps some of its say, and all of it where the chalk is coloured
           (from 1 / DEEP_COLOURED of chroma): a deep green stays a green. */
        const float deep = layer == CONTOUR ? 0 : dark_share(tone) * (0.85f - 0.6f * brush_clamp01(mc * 4.0f)) * (1.0f - s->skin[c0]) * (1.0f - brush_clamp01(mc * DEEP_COLOURED));
        if (deep > 0) {
          /* Umbers where the chalk there is warm, a violet-brown and an indigo-violet where
             it is cool (a grey picture's cool shadows stay cool). */
          static const float DEEP[4][3] = { { 0.10f, 0.0f, -0.12f }, { 0.13f, -0.035f, -0.09f }, { 0.075f, -0.056f, 0.07f }, { 0.0f, -0.05f, 0.11f } };
          const float cool = brush_clamp01(0.5f + 12.0f * (mid[2] - mid[0]));
          const int side = marks_hash(cx, cy, seed + 10) < cool ? 2 : 0;
          const float *hue = DEEP[side + (marks_hash(cy, cx, seed + 10) < 0.5f)];
          const float ty = brush_luma_f(stick);
          for (int c = 0; c < 3; c++) stick[c] += deep * (ty + hue[c] - stick[c]);
        }
        if (layer == LIGHT) {
          static const float cream[3] = { 1.0f, 0.96f, 0.86f };
          const float lift = 0.2f + 0.2f * h3;
          for (int c = 0; c < 3; c++) stick[c] += lift * (cream[c] - stick[c]);
        }
        float delta[3];
        for (int c = 0; c < 3; c++) delta[c] = stick[c] - mid[c];
        /* A hatched cluster: two or three parallel lines of the same stick a hand's
           spacing apart, each 62 to 90 % of the stroke's length, a little offset along it;
           accents and contours are one line. */
        const int lines = LAYER[layer].sized ? 2 + (marks_hash(cx, cy, seed + 11) < 0.5f) : 1;
        for (int li = 0; li < lines; li++) {
          const float gap = (li - 0.5f * (lines - 1)) * j->spacing * (0.9f + 0.2f * marks_hash(cx + li, cy, seed + 12));
          const float slide = (marks_hash(cx, cy + li, seed + 13) - 0.5f) * 0.15f * len;
          const float lx = px - gap * uy + slide * ux, ly = py + gap * ux + slide * uy;
          const float ll = lines > 1 ? len * (0.62f + 0.28f * marks_hash(cx + li, cy + li, seed + 14)) : len;
          const float lp = lines > 1 ? pressure * (0.88f + 0.12f * marks_hash(cy + li, cx, seed + 15)) : pressure;
          /* A line's sides fade over about a pixel (the stick's edge drags lighter). */
          const float by_side = 1.0f / fmaxf(0.9f, 0.35f * wid), by_end = 1.0f / (0.4f * ll);
          const float ex = fabsf(ux) * ll + fabsf(uy) * wid + 1, ey = fabsf(uy) * ll + fabsf(ux) * wid + 1;
          int ya = (int)floorf(ly - ey), yb = (int)ceilf(ly + ey), xa = (int)floorf(lx - ex), xb = (int)ceilf(lx + ex);
          if (ya < y0) ya = y0;
          if (yb > y1 - 1) yb = y1 - 1;
          if (xa < 0) xa = 0;
          if (xb > w - 1) xb = w - 1;
          for (int y = ya; y <= yb; y++) {
            /* The pixels of this row inside the stroke: where |along| < len and |across| < wid. */
            const float ry = y + 0.5f - ly;
            float lo = xa - lx - 0.5f, hi = xb - lx + 0.5f;
            if (fabsf(ux) > 1e-4f) {
              const float a = (-ll - ry * uy) / ux, b2 = (ll - ry * uy) / ux;
              lo = fmaxf(lo, fminf(a, b2)); hi = fminf(hi, fmaxf(a, b2));
            }
            if (fabsf(uy) > 1e-4f) {
              const float a = (ry * ux - wid) / uy, b2 = (ry * ux + wid) / uy;
              lo = fmaxf(lo, fminf(a, b2)); hi = fminf(hi, fmaxf(a, b2));
            }
            if (lo > hi) continue;
            const int xs = (int)ceilf(lx + lo - 0.5f), xe = (int)floorf(lx + hi - 0.5f);
            for (int x = xs < xa ? xa : xs; x <= (xe > xb ? xb : xe); x++) {
              const float rx = x + 0.5f - lx;
              const float along = fabsf(rx * ux + ry * uy), across = fabsf(ry * ux - rx * uy);
              if (along >= ll || across >= wid) continue;
              const size_t i = (size_t)y * w + x;
              if (order <= s->depth[i]) continue;
              /* Soft at its sides, thinning toward its ends as a stick lifts off. */
              const float side = brush_clamp01((wid - across) * by_side), end = brush_clamp01((ll - along) * by_end);
              float cover = lp * side * (0.35f + 0.65f * end);
              /* On a face an accent darkens the feature it is laid on (an eye, a mouth), not
                 the skin its ends reach. */
              if (layer == ACCENT) cover *= 1.0f - s->skin[c0] * (1.0f - brush_clamp01((s->around[i] - s->tone[i] + 0.005f) / 0.03f));
              if (cover < 0.2f) continue;
              s->depth[i] = order;
              float *o = s->prep + i * 8;
              float here[3];
              skin_chalk(s, i, here);
              /* A stroke's soft side goes over the chalk beneath it, not over bare paper. */
              const float was = o[7], now = cover * (1.0f - 0.3f * fmaxf(s->smudge[i], 0.8f * s->skin[i]));
              const float a = was > 0 ? now / fmaxf(now, was) : 1;
              /* The stick's colour where the tone is its own; where it crosses into another
                 tone it takes that tone's (an edge stays an edge, not a fringe of hairs); a
                 contour keeps its own. */
              const float own = layer == CONTOUR ? 1.0f : brush_clamp01(1.0f - (fabsf(s->tone[i] - tone) - 0.08f) * (1 / 0.14f)) * (1.0f - s->skin[i]);
              /* In the darks the stick presses harder or lighter with the picture's tone under
                 it, so a dark coat's folds show through its strokes. */
              const float fold = own * 0.8f * dark_share(tone) * (s->tone[i] - tone);
              for (int c = 0; c < 3; c++) o[3 + c] += a * (here[c] + own * (mid[c] - here[c]) + delta[c] + fold - o[3 + c]);
              o[7] = fmaxf(now, 0.8f * was);
            }
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
  static const float paper[3] = { 0.76f, 0.70f, 0.60f }, light[3] = { 1.0f, 0.95f, 0.85f };
  const float k = j->strength, cover = 0.4f + 0.6f * k;
  /* The half-size row this full-size row falls on, interpolated between its two rows once,
     so each pixel interpolates along its row only. */
  float *line = malloc((size_t)sw * 8 * sizeof(float));
  if (!line) return;
  for (int y = y0; y < y1; y++) {
    float v = (y + 0.5f) * 0.5f - 0.5f;
    v = v > sh - 1.001f ? sh - 1.001f : v; v = v < 0 ? 0 : v;
    const int iv = (int)v;
    const float tv = v - iv;
    /* Neighbours stay inside a picture one half-size pixel wide or high. */
    const float *top = s->prep + (size_t)iv * sw * 8, *bottom = iv + 1 < sh ? top + (size_t)sw * 8 : top;
    for (int c = 0; c < sw * 8; c++) line[c] = top[c] + tv * (bottom[c] - top[c]);
    const float *tooth_row = s->tooth + (size_t)y * w, *margin_row = s->margin + (size_t)y * w, *skin_row = s->skin + (size_t)iv * sw;
    uint8_t *o = f->out + (size_t)y * w * 3;
    for (int x = 0; x < w; x++, o += 3) {
      const float tu = s->frac[x];
      const float *a = line + (size_t)s->cols[x] * 8, *bq = a + 8 * s->step[x];
      float q[8];
      for (int c = 0; c < 8; c++) q[c] = a[c] + tu * (bq[c] - a[c]);
      const float tooth = tooth_row[x];
      /* The rubbed-in layer: an even film of the blended chalk, thinner in the lights, no
         specks of bare paper through it. */
      const float u = brush_clamp01((q[6] - 0.4f) * (1 / 0.6f));
      float under = cover * (0.72f + 0.28f * u);
      /* The stroke breaks where the tooth dips: on its soft sides and where it is pressed
         lightly, not in its firm middle. */
      const float t = brush_clamp01((q[7] - 0.3f + 0.45f * tooth) * (1 / 0.3f));
      float over = cover * t * t * (3 - 2 * t);
      /* In the sheet's margin the chalk gives out: the rubbed-in film first, a stroke
         further out the harder it was pressed, so the edge is made of stroke ends. */
      const float m = margin_row[x];
      under *= 1 - j->fade * smoothstep(0, 1, 2.0f * m);
      over *= 1 - j->fade * marks_margin_gone(m, q[7]);
      /* Between the strokes the paper's light tint lifts the blended layer by about a
         tenth (on skin by tone only, its colour kept). */
      const float skin = skin_row[s->cols[x]];
      const float g = 0.1f * (1.0f - brush_clamp01(q[7] * (1 / 0.45f)));
      /* The chalk on the tooth's peaks catches the light, its pits lie in shadow. */
      const float grain = 255.0f * (1.0f + 0.08f * k * tooth * over * (1.0f - skin));
      float rgb[3];
      for (int c = 0; c < 3; c++) rgb[c] = paper[c] + under * (q[c] - paper[c]);
      const float yl = brush_luma_f(rgb);
      for (int c = 0; c < 3; c++) {
        rgb[c] += g * ((1.0f - skin) * (light[c] - rgb[c]) + 0.7f * skin * (1.0f - yl));
        rgb[c] += over * (q[3 + c] - rgb[c]);
        o[c] = brush_byte(rgb[c] * grain);
      }
    }
  }
  free(line);
}

int marks_pastel_chalk(const marks_frame *f) {
  float tooth = marks_param(f, 2, 1.4f), width = marks_param(f, 3, 3);
  if (tooth < 0.5f) tooth = 0.5f;
  if (width < 2) width = 2;
  pastel_state *s = state_for(f, tooth, width, marks_param(f, 6, 0.11f));
  if (!s) return 0;
  /* About 1 kB of tables: on the stack. */
  pastel_job j = { .f = f, .s = s, .strength = brush_clamp01(marks_param(f, 0, 1)), .fade = brush_clamp01(marks_param(f, 5, 0)) };
  for (int v = 0; v < 256; v++) {
    const float l = v / 255.0f;
    const float m = 1 - l;
    const float m4 = m * m * m * m;
    /* The deepest dark lifted to a deep chalk, the curve still rising there (m⁵, not a
       steeper power, which flattened the darks to one level). */
    j.key[v] = 1 - powf(m, 1 + 0.8f * j.strength) + 0.25f * j.strength * m4 * m;
  }
  marks_halve(f->in, s->width, s->height, s->small);
  /* The field at quarter size, its tensor blurred over about 8 pixels of the frame:
     strokes follow the larger form (a contour, the round of a face), not every hair and
     grain of the photograph; a stroke takes its direction at its middle only. */
  marks_halve(s->small, s->sw, s->sh, s->quarter);
  if (!brush_flow(s->shape, s->quarter)) return 0;
  marks_rows(s->sh, slant_rows, &j);
  /* The stroke's length and width are given at full size; the strokes are drawn at half. */
  j.length = marks_param(f, 1, 38) / 4.0f;
  if (j.length < 1.5f) j.length = 1.5f;
  j.width = 0.25f * width;
  j.spacing = fmaxf(1.0f, 0.5f * marks_param(f, 4, 8));
  /* The blurs reach over a cluster's line and a half. */
  const float wr = 0.56f * j.spacing;
  marks_box_blur(s->lum, s->sw, s->sh, (int)(1.5f * wr + 0.5f), s->ws);
  marks_rows(s->sh, colour_rows, &j);
  /* The rubbed-in layer's colour, and the tone around each pixel (for accents and lights). */
  const size_t n = (size_t)s->sw * s->sh;
  const int r = (int)(1.5f * wr + 0.5f);
  for (int c = 0; c < 3; c++) marks_box_blur(s->soft + c * n, s->sw, s->sh, r, s->ws);
  marks_box_blur(s->around, s->sw, s->sh, (int)(3 * wr + 0.5f), s->ws);
  marks_box_blur(s->skin, s->sw, s->sh, (int)(2 * wr + 0.5f), s->ws);
  /* The detail spread over a stroke's reach, so the size changes over a patch, not from
     stroke to stroke; the tone lightly blurred for the contours' edges. */
  marks_box_blur(s->detail, s->sw, s->sh, (int)(3 * wr + 0.5f), s->ws);
  memcpy(s->shade, s->tone, n * sizeof(float));
  marks_box_blur(s->shade, s->sw, s->sh, 1, s->ws);
  marks_rows(s->sh, under_rows, &j);
  marks_rows(s->sh, lay_rows, &j);
  marks_rows(f->height, chalk_rows, &j);
  brush_hold(s->hold, f->in, f->out);
  return 1;
}
