/*
 * The oil painting kernel (recipes/paint.ts): a picture painted in brush strokes.
 *
 * 1. Paint regions: anisotropic Kuwahara filtering (kuwahara.c) at half size: the
 *    underpainting, and the colour the coarse strokes take. The field of directions and
 *    the map of detail are made at half size too.
 * 2. Strokes in layers, coarse to fine (after Hertzmann, Painterly Rendering with Curved
 *    Brush Strokes of Multiple Sizes, SIGGRAPH 1998): one stroke per cell of a jittered
 *    grid, its colour the underpainting's at its seed, its path traced along the field
 *    of directions both ways, bending gently, until the colour under it or the frame's own
 *    value changes (so a stroke runs along an edge and stops at it, and never drags a lid
 *    or a lip across a cheek); it is shorter where the detail is fine, and at a feature
 *    (an eye, a nose, a mouth: the gradient at their scale against the local value, so a
 *    dark shot's count too) shorter, narrower and quicker to stop, so a face is modelled
 *    in small strokes along its form rather than smeared by broad ones across it. The
 *    coarse layer covers everything; where the picture is flat it lays fewer strokes,
 *    much longer and wider, with faint bristles (a backdrop swept in deliberate strokes,
 *    not a texture). The finer layers are laid, layer after layer,
 *    only where the canvas left so far is still wrong, and mix in the frame's own colour,
 *    so a face is modelled in bold strokes with small ones at its eyes, mouth and edges.
 *    The figure (what is not a face, on a colour source) is laid broader: fewer small
 *    strokes, longer ones that run over its small detail, its colour broken further, so a
 *    motorcycle or a coat is painted as the backdrop is, not kept as the photograph.
 *    Each stroke mixes its colour a little lighter or darker, warmer or cooler than its
 *    neighbours, its value moved toward one of a few steps (planes of colour), its darks
 *    mixed with colour (umber or ultramarine, lifted off black, never a green-black). On a
 *    colourless source the strokes bring a painter's palette of their own. Where the
 *    field has no clear direction a stroke turns by its own random angle, so flat
 *    passages are not combed one way.
 * 3. Each stroke carries bristle ridges along its length and a body that thins at its
 *    ends; painted over one another they make a height field, lit from the upper left
 *    (impasto), the canvas's weave showing faintly where the paint is thin. The light
 *    shows a slope across a stroke (its ridges, its sides) in full and along it little,
 *    so the relief reads as brushstrokes, not as the crumpled foil that the steps where
 *    strokes of every direction overlap make when lit every way. A stroke's texture is
 *    its own: neighbouring strokes differ in width, length, direction and bristles,
 *    rather than one texture laid over the picture.
 * 4. Dark accents, as a small brush adds them last: where the frame is darker than its
 *    surroundings at that scale (eyes, nostrils, a mouth's line), the paint darkens; and
 *    where the frame has a sharp edge, the paint's value is drawn back to the frame's, so
 *    the features stay crisp.
 *
 * The grid lives in texture coordinates carried by the picture's motion (primitives.c),
 * so strokes move with what they paint; a cell's stroke sits where the pixel nearest its
 * seed now is. Marks lean on the previous frame's where the picture has not changed
 * (brush.c), so they do not boil.
 *
 * Params: [0] strength 0..1, [1] Kuwahara radius (px), [2] coarse stroke length (px, from
 * the seed each way), [3] impasto 0..1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "brush.h"
#include "flow-lines.h"
#include "kuwahara.h"
#include "../pixel-stage.h"
#include "primitives.h"

#define LAYERS 3
#define WEAVE 0.06f   /* relief of the canvas weave */
#define PLANES 7.0f   /* value steps of the paint, 0..1 */
#define GLINT 0.1f   /* the lit ridges' own light (and shadow), whatever the paint's value */
#define HOLD 0.75f    /* share of the previous frame's marks kept where the frame is unchanged */
#define HOLD_TOLERANCE 14.0f /* change of luma (levels) at which none is kept */
#define LIFT 0.16f    /* how far the darkest paint is lifted off black */
#define CRISP 0.7f     /* how far the paint's value goes back to the frame's at its sharpest edges */
#define EDGE_FLOOR 0.06f /* luma step over two pixels below which an edge is the strokes' to paint */
#define EDGE_GAIN 8.0f  /* how fast the crisp edge comes in above the floor */
#define FEATURE_SIGMA 1.5f /* scale of the map of features, half-size pixels */
#define FEATURE_GAIN 9.0f  /* contrast (gradient over local value) at which the map of features is full */
#define FEATURE_DARK 0.08f /* value added to the local one, so noise in black does not count as features */
#define FEATURE_FLOOR 0.15f /* share of the map that skin's and a wall's texture stays under */
#define RIM 0.2f         /* a stroke's paint at its rim, of its body's: low, so a stroke's outline is no embossed cut */
#define RIDGE_RISE 3.0f  /* how high the bristle ridges rise, per unit of a stroke's `ridge` */
#define BRISTLE_TONE 1.8f /* how far the bristles streak a stroke's colour along its length, per unit of its `ridge` */
#define RIDGE_GAP 2.2f   /* spacing of a stroke's bristle ridges, pixels of the proxy */
#define ALONG 0.2f       /* share of the relief's slope along a stroke the light shows (its ridges run along it; its ends catch a little) */
#define POINTS 9          /* points of a stroke's path each way from the seed, at most */
/*
 * The figure: what is not a face (smooth skin and the features it holds) nor a deep dark,
 * on a colour source (on a colourless one no skin tells a face, and all keeps the old handling).
 * A painter lays it in broader handling than the photograph's detail: the finer layers
 * only where the detail is 1 + FIGURE_DETAIL times their threshold, strokes
 * 1 + FIGURE_LONGER times as long that stop only at 1 + FIGURE_RUN times the change of
 * colour or value, fewer crisp edges and dark accents drawn back, and the strokes' own
 * colour broken further (FIGURE_TINT ...); a face keeps the handling that keeps its
 * features, and a figure's stroke stops where it reaches one.
 */
#define FIGURE_DETAIL 4.0f  /* how much higher the finer layers' threshold of detail is on the figure */
#define FIGURE_LONGER 1.0f  /* how much longer a stroke is */
#define FIGURE_RUN 2.0f     /* how much further it runs before a change of colour or value stops it */
#define FIGURE_ACCENT 0.65f /* share of the dark accents left out */
#define FIGURE_CRISP 0.85f  /* share of the crisp edges left out */
#define FIGURE_TINT 0.3f    /* more of a stroke's own lighter or darker mix */
#define FIGURE_WARM 0.2f    /* more of its own warmer or cooler mix */
#define FIGURE_STEP 0.06f   /* more of its own step of value */
#define FIGURE_PLANES 1.0f  /* fewer value steps */
#define FACE_SMOOTH_FROM 0.07f /* skin's blurred gradient (per pixel) from which it is not smooth ... */
#define FACE_SMOOTH_TO 0.14f   /* ... and to which, wholly */
#define FACE_SPREAD 6.0f       /* spread of smooth skin over the features it holds, half-size pixels */
#define FACE_GAIN 2.5f         /* the spread map's gain (a face's middle is wholly face) */
#define FACE_CB_LOW 62.0f      /* skin's range in Cb from (Chai and Ngan's 81, taking in an animated face's saturated orange) */
#define FACE_CR_TOP 192.0f     /* and in Cr to (their 177) */
#define FIGURE_DARK_FROM 0.1f  /* luma under which a dark is painted as before (deep strokes, lit ridges) ... */
#define FIGURE_DARK_TO 0.3f    /* ... and from which it is wholly figure */
#define FIGURE_LEAVE 0.5f      /* fall of the figure along a stroke at which it stops (it reached a face) */

/*
 * How much more a step of value counts in the shadows (1 from the middle tones up, up to
 * 2.5 in the darks): an eye in a dark shot is as much a feature as in a bright one,
 * though its edges step by fewer levels.
 */
static inline float in_shadow(float around) {
  const float k = 0.65f / (0.15f + around);
  return k < 1 ? 1 : k > 2.5f ? 2.5f : k;
}

/* ---- strokes ---- */

typedef struct {
  float x[2 * POINTS + 1], y[2 * POINTS + 1];
  int points;
  float width, colour[3], thickness, ridge, round; /* ridge: how far the bristles shade the paint, either way; round: how high its body rises in the middle */
  float bristle[9];   /* bristle heights across the stroke, 0..1 */
  int x0, y0, x1, y1; /* bounding box, pixels */
  uint32_t order;
} stroke;

typedef struct {
  int w, h;
  brush_state *brush;   /* field of directions, previous frame (brush.c) */
  marks_advection adv;
  float *luma, *detail, *tmp, *height, *relief, *canvas, *accent, *feature, *local, *figure; /* figure: 0 on a face, a deep dark or a colourless source .. 1 (the handling above) */ /* local: the frame's value around each pixel, at a small brush's scale */ /* tmp's half-size scratch may run into height, which is filled after it */
  float *lay;           /* the top stroke's direction at each pixel, as its doubled angle's cosine and sine (0, 0 where none) */
  uint8_t *paint;       /* the underpainting (Kuwahara), made at half size and scaled up */
  uint8_t *half_in, *half_paint;
  int hw, hh;
  int *cols, *step;     /* the half-size columns each full-size column reads (marks_double_columns) */
  float *frac;
  stroke *strokes;
  size_t stroke_cap;
} oil_state;

static void oil_release(oil_state *s) {
  if (!s) return;
  marks_advection_free(&s->adv);
  free(s->brush); free(s->luma); free(s->strokes); free(s->paint); free(s->half_in); free(s->cols);
  free(s);
}

void marks_oil_free(void *state) { oil_release(state); }

/* The cell grid of texture space, with a margin for coordinates carried past the frame. */
typedef struct { float size, margin; int cols, rows; } grid;

static grid grid_for(const oil_state *s, float size) {
  grid g = { size, 0.15f * (float)(s->w > s->h ? s->w : s->h), 0, 0 };
  g.cols = (int)((s->w + 2 * g.margin) / size) + 1;
  g.rows = (int)((s->h + 2 * g.margin) / size) + 1;
  return g;
}

static oil_state *state_for(const marks_frame *f) {
  oil_state *s = *f->state;
  if (s && s->w == f->width && s->h == f->height) return s;
  oil_release(s);
  *f->state = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->w = f->width; s->h = f->height;
  const size_t n = (size_t)s->w * s->h;
  marks_frame sub = *f;
  sub.state = (void **)&s->brush;
  s->luma = malloc(n * 14 * sizeof(float));
  s->paint = malloc(n * 3);
  s->hw = (s->w + 1) / 2; s->hh = (s->h + 1) / 2;
  s->half_in = malloc((size_t)s->hw * s->hh * 6);
  s->half_paint = s->half_in ? s->half_in + (size_t)s->hw * s->hh * 3 : NULL;
  s->cols = marks_double_columns(s->w, s->hw, &s->step, &s->frac);
  if (!s->luma || !s->paint || !s->half_in || !s->cols || !brush_state_for(&sub, 1) || !marks_advection_init(&s->adv, s->w, s->h)) { oil_release(s); return NULL; }
  s->detail = s->luma + n; s->tmp = s->detail + n; s->height = s->tmp + n; s->relief = s->height + n; s->canvas = s->relief + n; s->accent = s->canvas + 3 * n; s->feature = s->accent + n; s->local = s->feature + n; s->figure = s->local + n; s->lay = s->figure + n;
  *f->state = s;
  return s;
}

typedef struct {
  oil_state *s;
  float strength, impasto, length;
  float grey;          /* 0 (a colour source) .. 1 (a colourless one): how far the strokes bring a painter's palette of their own */
  const uint8_t *in;   /* the frame: the finer layers take their colour from it, so features stay */
  int layer;
} paint_job;

/* Colour distance (0..~1.7) of the underpainting at (x, y) from `c`. */
static inline float colour_off(const oil_state *s, int x, int y, const float c[3]) {
  const uint8_t *p = s->paint + ((size_t)y * s->w + x) * 3;
  const float d0 = p[0] / 255.0f - c[0], d1 = p[1] / 255.0f - c[1], d2 = p[2] / 255.0f - c[2];
  return sqrtf(d0 * d0 + d1 * d1 + d2 * d2);
}

/* Shape of layer l: cell size, half-width and half-length per pixel of the coarse length. */
static const float LAYER_CELL[LAYERS] = { 1.45f, 0.65f, 0.42f };
static const float LAYER_WIDTH[LAYERS] = { 0.34f, 0.23f, 0.15f };
static const float LAYER_LENGTH[LAYERS] = { 1.0f, 0.55f, 0.32f };
/* Detail above which a finer layer lays its strokes. */
static const float LAYER_DETAIL[LAYERS] = { -1.0f, 0.12f, 0.25f };
/* Share of the frame's own colour a layer's strokes mix into the underpainting's. */
static const float LAYER_OWN[LAYERS] = { 0.0f, 0.4f, 0.8f };
/* Mean error of the canvas (RGB distance) above which a finer layer lays a stroke. */
static const float LAYER_ERROR[LAYERS] = { 0.0f, 0.16f, 0.14f };

/* The canvas's mean colour error against a layer's reference at five points around (x, y). */
static float canvas_error(const oil_state *s, const uint8_t *in, float own, float x, float y, float r) {
  static const float DX[5] = { 0, -1, 1, 0, 0 }, DY[5] = { 0, 0, 0, -1, 1 };
  float sum = 0;
  for (int k = 0; k < 5; k++) {
    const float fx = x + r * DX[k], fy = y + r * DY[k];
    const int ix = fx < 0 ? 0 : fx > s->w - 1 ? s->w - 1 : (int)(fx + 0.5f), iy = fy < 0 ? 0 : fy > s->h - 1 ? s->h - 1 : (int)(fy + 0.5f);
    const size_t i = (size_t)iy * s->w + ix;
    float e = 0;
    for (int c = 0; c < 3; c++) {
      const float d = s->canvas[i * 3 + c] - ((1 - own) * s->paint[i * 3 + c] + own * in[i * 3 + c]) / 255.0f;
      e += d * d;
    }
    sum += sqrtf(e);
  }
  return 0.2f * sum;
}

/* Colour change (RGB distance) that ends a stroke. */
static const float LAYER_STOP[LAYERS] = { 0.2f, 0.14f, 0.1f };
/* Change of the frame's own luma (0..1) from the seed that ends a stroke: the edge of a feature. */
static const float LAYER_EDGE[LAYERS] = { 0.16f, 0.11f, 0.08f };

/*
 * A stroke's colour as mixed paint: its value moved toward one of a few steps (a soft
 * staircase, so a gradient is modelled in planes with a visible step between them, and a
 * seed moving a little moves its stroke's value continuously), and its darks given colour
 * (a dark is a deep, saturated mix, umber or ultramarine, never a neutral black).
 */
static void stroke_paint(float c[3], float strength, float r, float grey, float planes_n) {
  const float L = brush_luma_f(c);
  const float f = L * planes_n, base = floorf(f), fr = f - base;
  float t = brush_clamp01((fr - 0.3f) * 2.5f);
  t = t * t * (3 - 2 * t);
  float q = (base + t) / planes_n;
  if (q < L && base < 1) q = L; /* the darkest step is not pushed toward black: darks keep their shape */
  /* A crushed dark is lifted into a deep, readable value (the lift fades out by the middle tones). */
  const float o = 1 - L, o2 = o * o;
  const float planes = brush_clamp01(1.3f * strength) * (q - L), shift = planes + LIFT * strength * o2 * o2 * o2;
  const float Lq = L + shift;
  const float dark = brush_clamp01((0.32f - L - planes) / 0.32f) * strength; /* as deep a mix as before the lift */
  const float sat = 1.0f + 1.2f * dark;
  float ch[3] = { c[0] - L, c[1] - L, c[2] - L };
  /* A dark is not a murky green-black: its green cast goes (a painter mixes no olive into a shadow). */
  const float green = ch[1] - 0.5f * (ch[0] + ch[2]);
  if (green > 0) { ch[1] -= dark * green; ch[0] += 0.3f * dark * green; ch[2] += 0.3f * dark * green; }
  /*
   * The darks as a painter mixes them, umber or ultramarine: warm where the source's dark
   * leans warm, cool where it leans cool, either at random where it is neutral; the mix
   * stays coloured down to the deepest dark.
   */
  const float lean = (ch[0] - ch[2]) + 0.02f + 0.06f * (r - 0.5f);
  /* Of no luma of their own: strokes that go warm or cool side by side do not speckle the value. */
  static const float UMBER[3] = { 0.05f, -0.008f, -0.09f }, ULTRAMARINE[3] = { -0.03f, -0.005f, 0.1f };
  const float *deep = lean > 0 ? UMBER : ULTRAMARINE;
  /*
   * On a colourless source the strokes bring a palette of their own (the underpainting's
   * warm ground, cool half-tones, warm lights): ultramarine and umber darks as above,
   * middle tones that go warm or cool stroke by stroke, cream lights.
   */
  float own[3] = { 0, 0, 0 };
  if (grey > 0) {
    const float mid = brush_clamp01(1.0f - fabsf(L - 0.5f) * 2.6f), light = brush_clamp01((L - 0.6f) * 3.0f);
    const float side = r > 0.5f ? 1.0f : -0.7f; /* a warm ochre or a cool blue-grey */
    for (int k = 0; k < 3; k++) own[k] = grey * strength * (mid * side * 0.9f * UMBER[k] + light * (k == 0 ? 0.04f : k == 1 ? 0.02f : -0.05f) + (1 - mid) * (1 - light) * 0.8f * deep[k]);
  }
  for (int k = 0; k < 3; k++) c[k] = Lq + ch[k] * sat + deep[k] * dark + own[k];
}

/* The stroke of the cell whose nearest pixel is `at`, seeded at texture point (su, sv); 0 when the layer lays none there. */
static int stroke_build(const oil_state *s, const paint_job *j, int at, float su, float sv, uint32_t key, stroke *out) {
  const int w = s->w, h = s->h, l = j->layer;
  const float px = (float)(at % w) + (su - s->adv.u[at]), py = (float)(at / w) + (sv - s->adv.v[at]);
  const int ix = px < 0 ? 0 : px >= w - 1 ? w - 1 : (int)(px + 0.5f), iy = py < 0 ? 0 : py >= h - 1 ? h - 1 : (int)(py + 0.5f);
  const size_t i = (size_t)iy * w + ix;
  /* Features only where the picture has some detail at all: a dark, smooth backdrop's noise is no feature. */
  const float d = s->detail[i], fe = s->feature[i] * brush_clamp01(2.5f * d);
  const float figure = s->figure[i];
  const float r1 = marks_hash((int)key, l, 11), r2 = marks_hash((int)key, l, 12), r3 = marks_hash((int)key, l, 13);
  /* The finer layers go where the picture is detailed, and to its features whatever the detail around them. */
  if (brush_max(d, fe) < LAYER_DETAIL[l] * (l > 0 ? 1.0f + FIGURE_DETAIL * figure : 1.0f) + 0.2f * (r1 - 0.5f)) return 0;
  /*
   * A finer layer paints only where the canvas so far is wrong (Hertzmann): where a broad
   * stroke already says the colour, it stays, so a cheek or a sleeve keeps its bold strokes
   * and the small ones go to the eyes, the mouth, an edge.
   */
  if (l > 0 && canvas_error(s, j->in, LAYER_OWN[l], px, py, 0.3f * j->length * LAYER_CELL[l]) < LAYER_ERROR[l] * (0.8f + 0.4f * r3)) return 0;
  /* How flat the place is: a wall, a sky, a backdrop (the detail map saturates on any texture, so it is read low). */
  const float flat = brush_clamp01(1.0f - 1.6f * d);
  /* Where the picture is flat the coarse layer lays fewer, broader, longer strokes: deliberate sweeps, not a texture. */
  /* So many that they still cover the canvas about one and a half times, as the narrow ones do. */
  if (l == 0 && marks_hash((int)key, l, 15) > 1.6f / ((1.0f + 0.9f * flat * flat) * (1.0f + 0.9f * flat))) return 0;
  /*
   * The colour: the underpainting's for the coarse layer; the finer layers mix in the
   * frame's own (a painter's small strokes model the features, not the regions). Each
   * stroke's mix is its own: a little lighter or darker, a little warmer or cooler.
   */
  const uint8_t *p = s->paint + i * 3, *q = j->in + i * 3;
  const float own = LAYER_OWN[l];
  const float r4 = marks_hash((int)key, l, 16);
  const float tint = 1.0f + (0.42f + FIGURE_TINT * figure) * j->strength * (r2 - 0.5f), warm = (0.24f + FIGURE_WARM * figure) * j->strength * (r4 - 0.5f);
  const float mix[3] = { tint + warm, tint + 0.3f * warm, tint - warm };
  /* Lighter or darker by a share and by a step of its own, so a dark stroke differs from its neighbours too. */
  const float step_of_own = (0.1f + FIGURE_STEP * figure) * j->strength * (r2 - 0.5f);
  for (int c = 0; c < 3; c++) out->colour[c] = ((1 - own) * p[c] + own * q[c]) / 255.0f * mix[c] + step_of_own;
  stroke_paint(out->colour, j->strength, r4, j->grey, PLANES - FIGURE_PLANES * figure);
  const float grow = l == 0 ? 1.0f + 0.9f * flat : 1.0f;
  /*
   * At a feature (an eye, a nose, a mouth) every stroke is narrower and shorter, so the
   * brush models the feature in small strokes rather than laying one across it.
   */
  const float narrow = 1.0f / (1.0f + (l == 0 ? 0.8f : 0.4f) * fe), shorter = 1.0f / (1.0f + 1.3f * fe);
  out->width = j->length * LAYER_WIDTH[l] * (0.75f + 0.5f * r3) * (l == 0 ? 1.0f + 0.9f * flat * flat : 1.0f) * narrow;
  if (out->width < 0.8f) out->width = 0.8f;
  /* Broad strokes of a loaded brush show their bristles faintly; small ones more. */
  out->ridge = l == 0 ? 0.12f - 0.08f * flat : 0.16f;
  /* Shorter where the detail is fine: small dabs model an eye, long ones a cheek. */
  const float half = (1.0f + FIGURE_LONGER * figure) * j->length * LAYER_LENGTH[l] * (0.6f + 0.8f * r2) * grow * (1.0f - 0.45f * d) * shorter;
  const float step = fmaxf(1.0f, 1.6f * out->width);
  const int steps = (int)fminf(POINTS, ceilf(half / step));
  /* Where the field has no clear direction, the stroke turns by its own angle. */
  const float turn = (1.0f - s->brush->coherence[i]) * (r1 - 0.5f) * 0.8f;
  /* A stroke in a detailed place stops sooner at a change of colour: it does not drag an eye across a cheek. */
  const float stop = (1.0f + FIGURE_RUN * figure) * LAYER_STOP[l] * (0.6f + 0.4f * flat) * (1.0f - 0.4f * fe);
  /* Nor does it cross an edge of the frame itself (the underpainting has softened the small ones: a lid, a lip, a frame of glasses). */
  const float edge = (1.0f + FIGURE_RUN * figure) * LAYER_EDGE[l] * (1.0f - 0.5f * fe), seed_luma = s->luma[i];
  float xs[2][POINTS], ys[2][POINTS];
  int count[2] = { 0, 0 };
  for (int side = 0; side < 2; side++) {
    float x = px, y = py, dx = 0, dy = 0, last = seed_luma;
    for (int k = 0; k < steps; k++) {
      const int cx = x < 0 ? 0 : x >= w - 1 ? w - 1 : (int)(x + 0.5f), cy = y < 0 ? 0 : y >= h - 1 ? h - 1 : (int)(y + 0.5f);
      const size_t q = (size_t)cy * w + cx;
      const float a = s->brush->angle[q] + turn;
      float nx = cosf(a), ny = sinf(a);
      if (k == 0) { if (side) { nx = -nx; ny = -ny; } }
      else {
        if (nx * dx + ny * dy < 0) { nx = -nx; ny = -ny; }
        /* A loaded brush bends gently: half the field's turn a step, so a stroke is a dab along the form, not a curl. */
        nx = dx + 0.5f * (nx - dx); ny = dy + 0.5f * (ny - dy);
        const float len = sqrtf(nx * nx + ny * ny);
        if (len < 1e-3f) break;
        nx /= len; ny /= len;
      }
      dx = nx; dy = ny;
      /* Halfway there as well: a step does not jump over a thin edge (a lid, a lip). */
      const float hx = x + 0.5f * dx * step, hy = y + 0.5f * dy * step;
      const int mx = hx < 0 ? 0 : hx >= w - 1 ? w - 1 : (int)(hx + 0.5f), my = hy < 0 ? 0 : hy >= h - 1 ? h - 1 : (int)(hy + 0.5f);
      const float half_way = s->luma[(size_t)my * w + mx];
      if (fabsf(half_way - seed_luma) > edge || fabsf(half_way - last) > 0.6f * edge) break;
      x += dx * step; y += dy * step;
      if (x < -2 || y < -2 || x > w + 1 || y > h + 1) break;
      const int ex = x < 0 ? 0 : x >= w - 1 ? w - 1 : (int)(x + 0.5f), ey = y < 0 ? 0 : y >= h - 1 ? h - 1 : (int)(y + 0.5f);
      const float here = s->luma[(size_t)ey * w + ex];
      if (fabsf(here - seed_luma) > edge || fabsf(here - last) > 0.6f * edge) break;
      /* A stroke of the figure runs over small detail, not into a face (nor a deep dark). */
      if (s->figure[(size_t)ey * w + ex] < figure - FIGURE_LEAVE) break;
      if (k > 0 && colour_off(s, ex, ey, out->colour) > stop) break;
      last = here;
      xs[side][count[side]] = x; ys[side][count[side]] = y; count[side]++;
    }
  }
  out->points = 0;
  for (int k = count[1] - 1; k >= 0; k--) { out->x[out->points] = xs[1][k]; out->y[out->points] = ys[1][k]; out->points++; }
  out->x[out->points] = px; out->y[out->points] = py; out->points++;
  for (int k = 0; k < count[0]; k++) { out->x[out->points] = xs[0][k]; out->y[out->points] = ys[0][k]; out->points++; }
  float x0 = px, x1 = px, y0 = py, y1 = py;
  for (int k = 0; k < out->points; k++) { x0 = fminf(x0, out->x[k]); x1 = fmaxf(x1, out->x[k]); y0 = fminf(y0, out->y[k]); y1 = fmaxf(y1, out->y[k]); }
  const float pad = out->width + 1.5f;
  out->x0 = (int)floorf(x0 - pad); out->x1 = (int)ceilf(x1 + pad); out->y0 = (int)floorf(y0 - pad); out->y1 = (int)ceilf(y1 + pad);
  /*
   * A small stroke laid over the broad ones stands on them, its body rounded: lit on one
   * side and shaded on the other, so a face's modelling strokes show as ridges of paint.
   */
  out->thickness = (l == 0 ? 1.0f : l == 1 ? 1.05f : 1.1f) * (0.9f + 0.2f * r3);
  out->round = l == 0 ? 0.3f : 0.55f;
  for (int q = 0; q < 9; q++) out->bristle[q] = marks_hash((int)key * 9 + q, l, 21);
  out->order = ((uint32_t)l << 24) | (uint32_t)(marks_hash((int)key, l, 14) * 16777215.0f);
  return 1;
}

static int by_order(const void *a, const void *b) {
  const uint32_t x = ((const stroke *)a)->order, y = ((const stroke *)b)->order;
  return x < y ? -1 : x > y;
}

/* The stroke's bristle ridges at t (0..8 across it): a smooth 1-D noise. */
static inline float bristles(const stroke *st, float t) {
  t = t < 0 ? 0 : t > 7.999f ? 7.999f : t;
  const int f = (int)t;
  const float u = t - f, s = u * u * (3 - 2 * u);
  return st->bristle[f] + (st->bristle[f + 1] - st->bristle[f]) * s;
}

typedef struct {
  oil_state *s;
  const stroke *strokes;
  size_t count;
} raster_job;

/* What a stroke's pixels share, worked out once per stroke rather than per pixel. */
typedef struct { float inv_width, end_scale, open, ridges; } stroke_span;

/*
 * One pixel of a stroke: `dist` from its path, `across` it (signed), `along` it (0..1);
 * (c2, s2) the segment's direction as its doubled angle, so the light can tell a
 * stroke's length from its breadth.
 */
static inline void raster_pixel(oil_state *s, const stroke *st, const stroke_span *sp, size_t i, float dist, float across, float along, float c2, float s2) {
  float alpha = st->width + 0.5f - dist;
  if (alpha <= 0) return;
  alpha = alpha > 1 ? 1 : alpha;
  const float v = across * sp->inv_width; /* −1..1 across the stroke */
  /* Bristle ridges run along the stroke; they part toward its ends (dry brush). */
  const float b = bristles(st, (v + 1) * sp->ridges);
  const float end = brush_min(along, 1 - along) * sp->end_scale;
  const float dry = end < 1.2f ? 0.55f * (1.2f - end) : 0;
  /* A loaded brush (faint ridges) leaves no gaps between its bristles but at its dry ends. */
  alpha *= brush_clamp01((b - dry) * 4.0f + sp->open);
  if (alpha <= 0) return;
  /* The body's cross-section, rounded (a parabola: the paint's bead under the brush). */
  const float body = brush_max(0, 1 - v * v);
  const float hs = st->thickness * (RIM + st->round * body + RIDGE_RISE * st->ridge * b);
  s->height[i] += alpha * (hs - s->height[i]);
  s->lay[2 * i] += alpha * (c2 - s->lay[2 * i]);
  s->lay[2 * i + 1] += alpha * (s2 - s->lay[2 * i + 1]);
  const float shade = 1.0f + BRISTLE_TONE * st->ridge * (2 * b - 1);
  float *c = s->canvas + i * 3;
  for (int ch = 0; ch < 3; ch++) c[ch] += alpha * (st->colour[ch] * shade - c[ch]);
}

static void raster_rows(void *ctx, int y0, int y1) {
  const raster_job *j = ctx;
  oil_state *s = j->s;
  const int w = s->w;
  for (size_t k = 0; k < j->count; k++) {
    const stroke *st = &j->strokes[k];
    if (st->y1 < y0 || st->y0 >= y1) continue;
    const float W = st->width, pad = W + 1.0f;
    float total = 0;
    for (int q = 1; q < st->points; q++) total += hypotf(st->x[q] - st->x[q - 1], st->y[q] - st->y[q - 1]);
    /*
     * Ridges about RIDGE_GAP pixels apart (two to four across a stroke): a bristle a pixel
     * wide falls under a viewer's tile's pixel and reads as a crinkle, not a ridge.
     */
    const float ridges = fminf(4.0f, fmaxf(1.0f, W / RIDGE_GAP));
    const stroke_span sp = { 1.0f / W, (total + W) / (W + 1e-3f), 0.5f + 5.0f * (0.2f - st->ridge), ridges };
    const float inv_total = total > 0 ? 1 / total : 0;
    /* Segment by segment (a capsule each); where two meet, the later paints over with the same colour. */
    float run = 0, pbx = 0, pby = 0, plen = 0;
    const int last = st->points > 1 ? st->points - 2 : 0;
    for (int q = 0; q <= last; q++) {
      const float ax = st->x[q], ay = st->y[q];
      const float bx = st->points > 1 ? st->x[q + 1] - ax : 0, by = st->points > 1 ? st->y[q + 1] - ay : 0;
      const float len2 = bx * bx + by * by, len = sqrtf(len2), inv_len2 = len2 > 1e-6f ? 1 / len2 : 0, inv_len = len > 1e-3f ? 1 / len : 0;
      const float c2 = (bx * bx - by * by) * inv_len2, s2 = 2 * bx * by * inv_len2;
      int xa = (int)floorf(brush_min(ax, ax + bx) - pad), xb = (int)ceilf(brush_max(ax, ax + bx) + pad);
      int ya = (int)floorf(brush_min(ay, ay + by) - pad), yb = (int)ceilf(brush_max(ay, ay + by) + pad);
      xa = xa < 0 ? 0 : xa; xb = xb >= w ? w - 1 : xb;
      ya = ya < y0 ? y0 : ya; yb = yb >= y1 ? y1 - 1 : yb;
      const float reach = W + 0.7f;
      const int straight = q > 0 && (bx * pbx + by * pby) > 0.85f * len * plen;
      for (int y = ya; y <= yb; y++) {
        /* The row's span inside the band |across| ≤ reach around the segment's line (the capsule lies in it). */
        int xl = xa, xr = xb;
        if (fabsf(by) > 1e-3f * len) {
          const float fy = y + 0.5f - ay, e0 = (fy * bx - reach * len) / by, e1 = (fy * bx + reach * len) / by;
          const int l = (int)floorf(ax - 0.5f + brush_min(e0, e1)) - 1, r = (int)ceilf(ax - 0.5f + brush_max(e0, e1)) + 1;
          if (l > xl) xl = l;
          if (r < xr) xr = r;
        }
        for (int x = xl; x <= xr; x++) {
          const float fx = x + 0.5f - ax, fy = y + 0.5f - ay;
          float t = (fx * bx + fy * by) * inv_len2;
          /*
           * Past a joint the next segment paints it (from its start), so no pixel is painted
           * twice there; where the path runs nearly straight on, the round start of the next
           * segment is left to the previous one's body as well.
           */
          if (t > 1 && q < last) continue;
          if (t < 0 && straight) continue;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const float ex = fx - t * bx, ey = fy - t * by, dist = sqrtf(ex * ex + ey * ey);
          if (dist > reach) continue;
          const float across = (ex * by - ey * bx) * inv_len;
          raster_pixel(s, st, &sp, (size_t)y * w + x, dist, across, total > 0 ? (run + t * len) * inv_total : 0.5f, c2, s2);
        }
      }
      run += len;
      pbx = bx; pby = by; plen = len;
    }
  }
}

typedef struct {
  oil_state *s;
  const marks_frame *f;
  float impasto, accent, crisp;
  const float *weave_x, *weave_y; /* the weave's sine and cosine across x (w each), then y (h each) */
} finish_job;

/*
 * The relief's slope (dx, dy) as the light shows it on a stroke laid in direction `lay`
 * (its doubled angle): across the stroke in full (its ridges, its sides), along it only
 * ALONG of it, so the light draws strokes rather than the crumple of every step where
 * strokes overlap. Where no stroke lies, the slope is left as it is.
 */
static inline void along_stroke(const float lay[2], float *dx, float *dy) {
  const float m = sqrtf(lay[0] * lay[0] + lay[1] * lay[1]);
  if (m < 1e-3f) return;
  const float c = lay[0] / m, tx = sqrtf(0.5f * (1 + c)), ty = copysignf(sqrtf(brush_max(0, 0.5f * (1 - c))), lay[1]);
  const float cut = (1 - ALONG) * brush_min(1, m) * (*dx * tx + *dy * ty);
  *dx -= cut * tx; *dy -= cut * ty;
}

static void finish_rows(void *ctx, int y0, int y1) {
  const finish_job *j = ctx;
  const oil_state *s = j->s;
  const int w = s->w, h = s->h;
  for (int y = y0; y < y1; y++) {
    const int up = y > 0 ? y - 1 : 0, down = y < h - 1 ? y + 1 : y;
    for (int x = 0; x < w; x++) {
      const int l = x > 0 ? x - 1 : 0, r = x < w - 1 ? x + 1 : x;
      const size_t i = (size_t)y * w + x;
      /* The canvas's weave (its threads' bumps, lit from the side) shows through where the paint is thin (a dry end, a scumble). */
      /* Less in the detailed parts: a face's small strokes cover the weave, it does not screen the features. */
      const float thin = (0.15f + brush_clamp01(1.0f - 1.6f * s->height[i])) * (1.0f - 0.5f * s->detail[i]);
      float dx = s->relief[(size_t)y * w + r] - s->relief[(size_t)y * w + l];
      float dy = s->relief[(size_t)down * w + x] - s->relief[(size_t)up * w + x];
      along_stroke(s->lay + 2 * i, &dx, &dy);
      dx += thin * WEAVE * j->weave_x[x + w] * j->weave_y[y];
      /*
       * Light from the upper left: slopes facing it brighten, the others shade. Partly a
       * share of the paint's colour, partly a glint and a shadow of their own, so a dark
       * passage shows its ridges as a light one does instead of sinking flat.
       */
      const float slope = j->impasto * (-dx - dy);
      /* The glint is strongest on the detailed parts, where the strokes are small: a broad, flat sweep stays calm. */
      /* And in the darks, so their strokes read as paint rather than a murky flat. */
      const float *cv = s->canvas + i * 3;
      const float in_dark = brush_clamp01((0.3f - brush_luma_f(cv)) * 3.3f);
      const float light = 1.0f + 0.45f * slope, glint = GLINT * (0.35f + 0.65f * s->detail[i]) * (1.0f + 1.5f * in_dark) * slope;
      /* The dark accents a painter draws last with a small brush: eyes, nostrils, the line of a mouth or a frame. */
      const float deep = brush_clamp01(brush_luma_f(cv) * 5.0f); /* no accent sinks a dark to black */
      const float shade = light * (1.0f - j->accent * (1.0f - FIGURE_ACCENT * s->figure[i]) * deep * s->accent[i]);
      /*
       * The crisp edges a painter draws last (a lid, a lip, a frame of glasses): where the
       * frame has a sharp edge, the paint's value is drawn back to the frame's, so the
       * features stay where the strokes would soften them.
       */
      const float *L = s->luma;
      const float gx = L[(size_t)y * w + r] - L[(size_t)y * w + l], gy = L[(size_t)down * w + x] - L[(size_t)up * w + x];
      const float sharp = j->crisp * (1.0f - FIGURE_CRISP * s->figure[i]) * brush_clamp01((sqrtf(gx * gx + gy * gy) * brush_min(1.5f, in_shadow(s->local[i])) - EDGE_FLOOR) * EDGE_GAIN);
      const float lift = sharp * (L[i] - brush_luma_f(cv));
      uint8_t *o = j->f->out + i * 3;
      for (int c = 0; c < 3; c++) o[c] = brush_byte(255.0f * (shade * (cv[c] + lift) + glint));
    }
  }
}

typedef struct { oil_state *s; const uint8_t *in; } luma_job;

static void luma_rows(void *ctx, int y0, int y1) {
  const luma_job *j = ctx;
  for (size_t i = (size_t)y0 * j->s->w; i < (size_t)y1 * j->s->w; i++) j->s->luma[i] = brush_luma(j->in + i * 3);
}

/* A half-size map spread back to every pixel, bilinearly, times `gain` and clamped to 0..1. */
static void spread_half(const oil_state *s, const float *half, float gain, float *full) {
  marks_double_plane(half, s->hw, s->hh, s->w, s->h, s->cols, s->step, s->frac, full);
  for (size_t i = 0; i < (size_t)s->w * s->h; i++) full[i] = brush_clamp01(full[i] * gain);
}

/*
 * Detail: the gradient of the luma, blurred to the scale of features, 0 (flat) .. 1. It is
 * a broad map, so it is made on the halved frame and spread back bilinearly.
 */
static void detail_map(oil_state *s, float scale) {
  const int hw = s->hw, hh = s->hh;
  float *luma = s->tmp, *grad = s->tmp + (size_t)hw * hh, *blurred = grad + (size_t)hw * hh, *scratch = blurred + (size_t)hw * hh;
  for (size_t i = 0; i < (size_t)hw * hh; i++) luma[i] = brush_luma(s->half_in + i * 3);
  for (int y = 0; y < hh; y++) {
    const int up = y > 0 ? y - 1 : 0, down = y < hh - 1 ? y + 1 : y;
    for (int x = 0; x < hw; x++) {
      const int l = x > 0 ? x - 1 : 0, r = x < hw - 1 ? x + 1 : x;
      /* Differences two half pixels apart: per full pixel, as the full-size map measured. */
      const float gx = 0.5f * (luma[(size_t)y * hw + r] - luma[(size_t)y * hw + l]), gy = 0.5f * (luma[(size_t)down * hw + x] - luma[(size_t)up * hw + x]);
      grad[(size_t)y * hw + x] = sqrtf(gx * gx + gy * gy);
    }
  }
  flow_lines_blur(grad, hw, hh, 0.5f * scale, blurred, scratch);
  spread_half(s, blurred, 9.0f, s->detail);
  /*
   * Features: the same gradient at the scale of an eye or a mouth, against the local
   * value (so a dark shot's features count as a bright one's do), less a floor that skin
   * and a smooth wall stay under. The tmp plane's scratch runs on into height here.
   */
  const size_t m = (size_t)hw * hh;
  float *fine = scratch + m, *around = fine + m, *more = around + m;
  flow_lines_blur(grad, hw, hh, FEATURE_SIGMA, fine, more);
  flow_lines_blur(luma, hw, hh, 3.0f * FEATURE_SIGMA, around, more);
  for (size_t i = 0; i < m; i++) fine[i] = FEATURE_GAIN * fine[i] / (FEATURE_DARK + around[i]) - FEATURE_FLOOR;
  spread_half(s, fine, 1.0f, s->feature);
  /*
   * A face: smooth skin, spread over the features it holds (an eye, a mouth are detailed,
   * the cheeks around them smooth); figure_map makes the figure of it.
   */
  float *face = more + m, *spread = face + m;
  for (size_t i = 0; i < m; i++) face[i] = marks_skin_to(s->half_in + 3 * i, FACE_CB_LOW, FACE_CR_TOP) * (1.0f - smoothstep(FACE_SMOOTH_FROM, FACE_SMOOTH_TO, blurred[i]));
  flow_lines_blur(face, hw, hh, FACE_SPREAD, spread, more);
  spread_half(s, spread, FACE_GAIN, s->figure);
}

/*
 * The figure (into s->figure, which holds the face map): the rest but for the deep darks,
 * and none of it on a colourless source (`grey` 1), where no skin tells a face.
 */
static void figure_map(oil_state *s, float grey) {
  for (size_t i = 0; i < (size_t)s->w * s->h; i++) s->figure[i] = (1.0f - grey) * (1.0f - s->figure[i]) * smoothstep(FIGURE_DARK_FROM, FIGURE_DARK_TO, s->luma[i]);
}

/*
 * Dark accents: where the frame is darker than its surroundings at the scale of a small
 * brush (a difference of Gaussians of the luma, its dark side), 0..1, into s->accent.
 * Eyes, nostrils, a mouth's line, a frame of glasses: what the strokes would blur away.
 * Made on the halved frame (its 2×2 average is the small Gaussian) and spread back
 * bilinearly: a quarter of the pixels, and no full-size blur.
 */
static void dark_accents(oil_state *s) {
  const int w = s->w, h = s->h, hw = s->hw, hh = s->hh;
  const size_t m = (size_t)hw * hh;
  float *luma = s->tmp, *wide = luma + m, *scratch = wide + m;
  for (size_t i = 0; i < m; i++) luma[i] = brush_luma(s->half_in + i * 3);
  const float unit = (float)(w < h ? w : h) / 360.0f;
  flow_lines_blur(luma, hw, hh, 1.25 * unit, wide, scratch);
  spread_half(s, wide, 1.0f, s->local);
  for (size_t i = 0; i < m; i++) wide[i] = brush_clamp01((wide[i] - luma[i]) * 9.0f * brush_min(2.0f, in_shadow(wide[i])) - 0.15f);
  spread_half(s, wide, 1.0f, s->accent);
}

/*
 * The field of directions on the halved frame (σ 1 there, 2 here), spread back to every
 * pixel: strokes follow the broad form, and a quarter of the pixels costs a quarter.
 */
static int half_field(oil_state *s) {
  const int w = s->w, h = s->h, hw = s->hw, hh = s->hh;
  brush_state *b = s->brush;
  float *angle = s->tmp, *coherence = s->tmp + (size_t)hw * hh;
  if (!ps_flow_field(s->half_in, hw, hh, 1.0, b->ws, angle, coherence)) return 0;
  for (int y = 0; y < h; y++) {
    const size_t from = (size_t)(y / 2 < hh ? y / 2 : hh - 1) * hw;
    for (int x = 0; x < w; x++) {
      const size_t k = from + (x / 2 < hw ? x / 2 : hw - 1);
      b->angle[(size_t)y * w + x] = angle[k];
      b->coherence[(size_t)y * w + x] = coherence[k];
    }
  }
  return 1;
}

/*
 * How colourless the frame is, 0 (a colour picture) .. 1 (black and white): its mean
 * chroma over the halved frame, under a few levels (a compressed grey frame's own noise)
 * counting as none.
 */
static float colourless(const oil_state *s) {
  const size_t m = (size_t)s->hw * s->hh;
  double sum = 0;
  for (size_t i = 0; i < m; i++) {
    const uint8_t *p = s->half_in + i * 3;
    const int hi = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
    const int lo = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
    sum += hi - lo;
  }
  const float chroma = (float)(sum / (double)(m ? m : 1));
  return brush_clamp01((12.0f - chroma) / 6.0f);
}

/*
 * The pixel whose texture coordinates are nearest (su, sv): the coordinates are the
 * pixel's own plus a smooth drift, so a few steps of "move by what is left" find it.
 * −1 when the point has left the frame (nothing near it within `reach`).
 */
static int seed_pixel(const oil_state *s, float su, float sv, float reach) {
  const int w = s->w, h = s->h;
  float px = su, py = sv;
  int at = -1;
  for (int k = 0; k < 4; k++) {
    const int x = px < 0 ? 0 : px > w - 1 ? w - 1 : (int)(px + 0.5f), y = py < 0 ? 0 : py > h - 1 ? h - 1 : (int)(py + 0.5f);
    at = y * w + x;
    const float du = su - s->adv.u[at], dv = sv - s->adv.v[at];
    if (fabsf(du) < 0.5f && fabsf(dv) < 0.5f) return at;
    px = x + du; py = y + dv;
  }
  const float du = su - s->adv.u[at], dv = sv - s->adv.v[at];
  return du * du + dv * dv < reach * reach ? at : -1;
}

int marks_oil_paint(const marks_frame *f) {
  const float length = fmaxf(3, marks_param(f, 2, 12));
  oil_state *s = state_for(f);
  if (!s) return 0;
  const int w = s->w, h = s->h;
  const size_t n = (size_t)w * h;
  marks_halve(f->in, w, h, s->half_in);
  if (!half_field(s)) return 0;
  /* The regions at half size: the strokes cover them, and take their colour from them. */
  if (!kuwahara_half(NULL, w, h, s->brush->angle, s->brush->coherence, 0.5f * marks_param(f, 1, 4), s->half_in, s->half_paint, s->paint)) return 0;
  paint_job j = { .s = s, .strength = brush_clamp01(marks_param(f, 0, 1)), .impasto = marks_param(f, 3, 0.6f), .length = length, .grey = colourless(s), .in = f->in };
  luma_job lj = { s, f->in };
  marks_rows(h, luma_rows, &lj);
  marks_advect(&s->adv, s->luma);
  detail_map(s, fmaxf(1.5f, 0.3f * length));
  figure_map(s, j.grey);
  dark_accents(s);
  /* The underpainting, bare canvas height. */
  /* Its darks lifted as the strokes' are (stroke_paint), so no gap between strokes shows a crushed black. */
  for (size_t i = 0; i < n; i++) {
    const uint8_t *p = s->paint + i * 3;
    const float o = 1.0f - brush_luma(p), o2 = o * o, lift = LIFT * j.strength * o2 * o2 * o2;
    s->height[i] = 0;
    s->lay[2 * i] = s->lay[2 * i + 1] = 0;
    for (int c = 0; c < 3; c++) s->canvas[i * 3 + c] = p[c] / 255.0f + lift;
  }
  size_t count = 0;
  for (int l = 0; l < LAYERS; l++) {
    j.layer = l;
    const grid g = grid_for(s, length * LAYER_CELL[l]);
    const size_t cells = (size_t)g.cols * g.rows;
    if (count + cells > s->stroke_cap) {
      stroke *grown = realloc(s->strokes, (count + cells) * sizeof(stroke));
      if (!grown) return 0;
      s->strokes = grown; s->stroke_cap = count + cells;
    }
    /* Each cell's seed, jittered within it, is painted where the pixel nearest it now is. */
    const size_t first = count;
    for (size_t c = 0; c < cells; c++) {
      const int cu = (int)(c % g.cols), cv = (int)(c / g.cols);
      const float su = (cu + 0.2f + 0.6f * marks_hash(cu, cv, 31 + l)) * g.size - g.margin, sv = (cv + 0.2f + 0.6f * marks_hash(cu, cv, 41 + l)) * g.size - g.margin;
      const int at = seed_pixel(s, su, sv, 0.5f * g.size);
      if (at >= 0) count += stroke_build(s, &j, at, su, sv, (uint32_t)c, &s->strokes[count]);
    }
    /* Layer by layer, so that the next finds the canvas this one left. */
    qsort(s->strokes + first, count - first, sizeof(stroke), by_order);
    raster_job rj = { s, s->strokes + first, count - first };
    marks_rows(h, raster_rows, &rj);
  }
  /* The paint's relief is soft-edged: a stroke's rim is a ridge, not a cut. */
  flow_lines_blur(s->height, w, h, 1.0, s->relief, s->tmp);
  /* The canvas: threads about 3 pixels of the 360-pixel proxy apart each way (the tmp plane is free by now). */
  float *weave = s->tmp;
  const float period = fmaxf(2.5f, 0.0085f * (float)(w < h ? w : h)), a = 6.2831853f / period;
  for (int x = 0; x < w; x++) { weave[x] = sinf(a * x); weave[x + w] = cosf(a * x); }
  for (int y = 0; y < h; y++) { weave[2 * w + y] = sinf(a * y); weave[2 * w + y + h] = cosf(a * y); }
  finish_job fj = { s, f, j.impasto, 0.6f * j.strength, CRISP * j.strength, weave, weave + 2 * w };
  marks_rows(h, finish_rows, &fj);
  /* Lit ridges and broken colour make a stroke that comes and goes show more: hold the marks a little harder than the plain hold does. */
  brush_hold_by(s->brush, f->in, f->out, HOLD, HOLD_TOLERANCE);
  return 1;
}
