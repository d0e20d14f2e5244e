/*
 * Pixel art's palettes (pixel-palette.h). A pixel artist reducing a photograph works from
 * a small palette of ramps, one per material, each shifting hue along its steps: shadows
 * cooler and more saturated, lights warmer. A luma staircase tinted along one ramp, the
 * rule before, printed an aerial shot of forest, town and sea almost all grey-beige: its
 * greens and blues had no entry to land on.
 */
#include <math.h>
#include <pthread.h>
#include "pixel-palette.h"
#include "primitives.h"

/* A ramp: its colours from dark to light, and what an outline over its darkest step takes. */
typedef struct {
  const uint32_t *colours;
  int count;
  int deeper; /* the ramp (index into RAMPS) whose darkest step is darker still; -1: none */
} ramp;

/* Foliage and grass: teal in shadow, yellow-green in the light. */
static const uint32_t GREENS[] = { 0x003631, 0x185a3f, 0x3b8440, 0x7ba944, 0xc1ce66 };
/* Muted greens (hazy foliage seen from afar, moss, sage): a pixel artist keeps them green, not grey. */
static const uint32_t SAGES[] = { 0x224841, 0x4a705b, 0x799979, 0xb2c298 };
/* Sea and sky: indigo-navy in shadow, a pale cyan-leaning sky in the light. */
static const uint32_t BLUES[] = { 0x1b2452, 0x254582, 0x2c6fae, 0x549ecb, 0x98d2e6 };
/* Light skin: a rosy shadow through peach to a warm highlight. */
static const uint32_t SKIN[] = { 0x944b3e, 0xb97155, 0xd8976f, 0xeebc92, 0xf5ddbd };
/* Dark skin, wood and earth: a reddish deep brown up to tan. */
static const uint32_t DEEP[] = { 0x432019, 0x643726, 0x845334, 0xa77445 };
/* Ochre, gold and a pale yellow: straw, sand in sun, lamps. */
static const uint32_t OCHRES[] = { 0xa5761d, 0xd0ae3a, 0xf0e48c };
/*
 * Reds: a cool maroon shadow through red and a vivid red to vermilion (without the vivid
 * red a mandrill's red nose printed a dull orange-brown).
 */
static const uint32_t REDS[] = { 0x651721, 0xb02a2a, 0xe43b44, 0xdf5822 };
/*
 * Oranges: burnt orange to orange and a light orange, for a tabby's fur, a ginger head or
 * an animated character's skin, shaded and outlined toward the deep browns. On the reds'
 * ramp an orange face was outlined in red ("red-rimmed eyes"); without the light step
 * the lit side of an orange face jumped to the ochres' pale yellow, "a yellow blotch".
 */
static const uint32_t ORANGES[] = { 0x9f5021, 0xc96e27, 0xf09638, 0xffc47f };
/*
 * Pinks, their hue between the reds' and the violets' (OKLab -6 to -12 degrees, where skin
 * lies at 30 to 75) and saturated (chroma 0.15 to 0.2), so only a pink thing takes them:
 * a plum shadow, magenta and pink. Without them a mandrill's nose and a fish's magenta fin
 * printed brown-red; at a chroma of 0.13 a stadium crowd's muted mauve printed as pink
 * blobs, and a pale pink (chroma 0.08) put pink patches on a face in lilac light.
 */
static const uint32_t PINKS[] = { 0x7c1556, 0xc8368f, 0xfb69ad };
/* Violets: plum shadow, purple, a lavender light, all leaning blue (a pink or lilac light took a rosy cheek). */
static const uint32_t VIOLETS[] = { 0x3d2555, 0x784d96, 0xa792ce };
/*
 * Greys: cool in the shadows, warming through stone to a sand and a cream in the lights
 * (a light beige wall on them rather than on the skin ramp, whose peach read as pink
 * specks on a town); the darkest a blue-black, not pure black, so a dark area reads as a
 * colour and an outline over it still shows.
 */
static const uint32_t GREYS[] = { 0x10141c, 0x2a313b, 0x4c535c, 0x71787f, 0xa19e98, 0xcdc7ba, 0xf1efe4 };

#define RAMP(colours, deeper) { colours, (int)(sizeof colours / sizeof colours[0]), deeper }
enum { R_GREENS, R_SAGES, R_BLUES, R_SKIN, R_DEEP, R_OCHRES, R_REDS, R_ORANGES, R_PINKS, R_VIOLETS, R_GREYS, RAMP_COUNT };
static const ramp RAMPS[RAMP_COUNT] = {
  RAMP(GREENS, R_GREYS), RAMP(SAGES, R_GREENS), RAMP(BLUES, R_GREYS), RAMP(SKIN, R_DEEP), RAMP(DEEP, R_GREYS),
  RAMP(OCHRES, R_DEEP), RAMP(REDS, R_DEEP), RAMP(ORANGES, R_DEEP), RAMP(PINKS, R_VIOLETS), RAMP(VIOLETS, R_GREYS), RAMP(GREYS, -1),
};

/*
 * A black-and-white source's own ramp, as a pixel artist would colour an old photograph:
 * navy-grey shadows, umber and tan middles where a face's tones lie, sand and cream
 * lights (on a colour palette a grey face printed as "blocky lavender shapes", said a
 * blind viewer). Video-range luma of the 8 steps from a floor of 34 and the colour
 * differences added at them, the rule before the ramps, kept as it was.
 */
#define GREY_STEPS 8
#define GREY_FLOOR 34.0f
typedef struct { float y, cb, cr; } grey_stop;
static const grey_stop GREY_RAMP[] = {
  { 16, 11, -5 }, { 60, 10, -5 }, { 100, -2, 5 }, { 140, -9, 9 }, { 180, -12, 10 }, { 215, -13, 8 }, { 235, -7, 4 },
};
#define GREY_STOPS (int)(sizeof GREY_RAMP / sizeof GREY_RAMP[0])

static pixel_entry colour_entries[PIXEL_PALETTE_MAX], grey_entries[GREY_STEPS];
static pixel_palette colour_palette = { .entries = colour_entries }, grey_palette = { .entries = grey_entries, .count = GREY_STEPS, .grey = 1 };
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* sRGB's transfer undone, at each whole level (LINEAR_AT, filled once) and between them by a straight line. */
static float LINEAR_AT[257];
static float linear(float c) {
  const float at = clampf(c, 0, 255);
  const int i = (int)at;
  return LINEAR_AT[i] + (at - i) * (LINEAR_AT[i + 1] - LINEAR_AT[i]);
}

void pixel_oklab(float r, float g, float b, float *L, float *a, float *B) {
  const float lr = linear(r), lg = linear(g), lb = linear(b);
  const float l = cbrtf(0.4122214708f * lr + 0.5363325363f * lg + 0.0514459929f * lb);
  const float m = cbrtf(0.2119034982f * lr + 0.6806995451f * lg + 0.1073969566f * lb);
  const float s = cbrtf(0.0883024619f * lr + 0.2817188376f * lg + 0.6299787005f * lb);
  *L = 0.2104542553f * l + 0.7936177850f * m - 0.0040720468f * s;
  *a = 1.9779984951f * l - 2.4285922050f * m + 0.4505937099f * s;
  *B = 0.0259040371f * l + 0.7827717662f * m - 0.8086757660f * s;
}

static void fill(pixel_entry *e, float r, float g, float b, int ramp) {
  e->rgb[0] = (uint8_t)r; e->rgb[1] = (uint8_t)g; e->rgb[2] = (uint8_t)b;
  pixel_oklab(r, g, b, &e->L, &e->a, &e->b);
  e->C = hypotf(e->a, e->b);
  e->ramp = ramp;
}

/* The grey ramp's colour difference at luma `y` (piecewise linear between its stops). */
static float along(float y, int plane) {
  for (int i = 0; i < GREY_STOPS - 1; i++) {
    const grey_stop *a = &GREY_RAMP[i], *b = &GREY_RAMP[i + 1];
    if (y < b->y) {
      const float av = plane == 1 ? a->cb : a->cr, bv = plane == 1 ? b->cb : b->cr;
      return av + (clampf(y, a->y, b->y) - a->y) * roundf((bv - av) / (b->y - a->y) * 1000.0f) / 1000.0f;
    }
  }
  return plane == 1 ? GREY_RAMP[GREY_STOPS - 1].cb : GREY_RAMP[GREY_STOPS - 1].cr;
}

/*
 * The distance a pixel artist judges by: lightness, chroma and hue apart. Hue counts
 * HUE_WEIGHT times as much as the plain OKLab distance would count it (in proportion to
 * both colours' chroma, and not at all against an entry of the grey ramp, whose faint
 * tint is no hue to match), so a green stays a green and a blue a blue rather than taking
 * a grey or a neighbouring ramp of closer lightness; chroma CHROMA_WEIGHT times, so a grey
 * wall stays on the grey ramp and a faint colour on a coloured one.
 */
#define HUE_WEIGHT 3.0f
#define CHROMA_WEIGHT 3.0f
/* An entry under this chroma (the grey ramp) has no hue to match. */
#define HUELESS 0.03f
/* A cell keeps last frame's entry unless another is nearer by this much (OKLab units; a step of a ramp is about 0.12 of lightness). */
#define HOLD 0.02f

static void index_entries(pixel_palette *p) {
  for (int i = 0; i < p->count; i++) {
    const pixel_entry *e = &p->entries[i];
    p->L[i] = e->L; p->a[i] = e->a; p->b[i] = e->b; p->C[i] = e->C;
    p->hue[i] = e->C < HUELESS ? 0.0f : HUE_WEIGHT;
  }
}

static void build(void) {
  for (int i = 0; i <= 256; i++) {
    const float c = fminf(i, 255) / 255.0f;
    LINEAR_AT[i] = c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
  }
  int n = 0, first[RAMP_COUNT];
  for (int r = 0; r < RAMP_COUNT; r++) {
    first[r] = n;
    for (int i = 0; i < RAMPS[r].count && n < PIXEL_PALETTE_MAX; i++, n++) {
      const uint32_t c = RAMPS[r].colours[i];
      fill(&colour_entries[n], (float)(c >> 16), (float)((c >> 8) & 255), (float)(c & 255), r);
    }
  }
  colour_palette.count = n;
  /*
   * An outline's entries: `ink`, the ramp's darkest (or, from its two darkest steps, the
   * darkest of the ramp named deeper: skin's to the deep browns', a green's to the
   * blue-black), so an outline stays a line where a shape's edge runs through its shadow;
   * `shade`, two steps down, for the fainter stretch beside it.
   */
  for (int r = 0; r < RAMP_COUNT; r++)
    for (int i = 0; i < RAMPS[r].count; i++) {
      const int deeper = RAMPS[r].deeper;
      colour_entries[first[r] + i].shade = i >= 2 ? first[r] + i - 2 : i == 1 || deeper < 0 ? first[r] : first[deeper];
      colour_entries[first[r] + i].ink = i >= 2 || deeper < 0 ? first[r] : first[deeper];
    }
  const float step = roundf((255.0f - GREY_FLOOR) / (GREY_STEPS - 1) * 1000.0f) / 1000.0f;
  for (int i = 0; i < GREY_STEPS; i++) {
    const float y = truncf(GREY_FLOOR + i * step);
    float rgb[3];
    pixel_video_rgb(y, truncf(clampf(127 + along(y, 1), 0, 255)), truncf(clampf(127 + along(y, 2), 0, 255)), rgb);
    fill(&grey_entries[i], roundf(rgb[0]), roundf(rgb[1]), roundf(rgb[2]), 0);
    /* A black-and-white shot's outlines all in its darkest grey, as a pen line (two steps down, a tripod's legs "faded out"). */
    grey_entries[i].shade = 0;
    grey_entries[i].ink = 0;
  }
  index_entries(&colour_palette);
  index_entries(&grey_palette);
}

const pixel_palette *pixel_palette_for(int grey) {
  pthread_once(&built, build);
  return grey ? &grey_palette : &colour_palette;
}

/* The distance of (L, a, b), chroma C, from entry i. */
static inline float distance(const pixel_palette *p, int i, float L, float a, float b, float C) {
  const float dL = L - p->L[i], dC = C - p->C[i], da = a - p->a[i], db = b - p->b[i];
  const float dH2 = da * da + db * db - dC * dC; /* the hue's share of the distance (never below 0 but for rounding) */
  return dL * dL + CHROMA_WEIGHT * dC * dC + p->hue[i] * (dH2 > 0 ? dH2 : 0);
}

int pixel_palette_nearest(const pixel_palette *p, float L, float a, float b, int held) {
  const int n = p->count;
  const int ok = held >= 0 && held < n;
  float d[PIXEL_PALETTE_MAX];
  if (p->grey) {
    for (int i = 0; i < n; i++) d[i] = (L - p->L[i]) * (L - p->L[i]);
  } else {
    const float C = sqrtf(a * a + b * b);
    for (int i = 0; i < n; i++) d[i] = distance(p, i, L, a, b, C);
  }
  int best = 0;
  for (int i = 1; i < n; i++) if (d[i] < d[best]) best = i;
  return ok && sqrtf(d[held]) < sqrtf(d[best]) + HOLD ? held : best;
}
