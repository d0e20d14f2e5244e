/*
 * Pixel art's clean-up and outlines (pixel-clusters.h). Viewers called the cells before
 * "stray black pixels, no hand-placed clusters": a lone cell that was far darker than
 * its neighbours was kept as a feature, so every dark speck of fur or foliage stayed
 * and was outlined, the cell multiplied toward black. The outlines keep where that rule
 * drew them (viewers credited it with crisp outlines), in the palette's own darks.
 */
#include <math.h>
#include <stdlib.h>
#include "pixel-clusters.h"
#include "primitives.h"

static const int AROUND[8][2] = { { -1, -1 }, { 0, -1 }, { 1, -1 }, { -1, 0 }, { 1, 0 }, { -1, 1 }, { 0, 1 }, { 1, 1 } };

/*
 * A small dark feature: a cell FEATURE_DEPTH of OKLab lightness darker than the mean of
 * its other neighbours (about the depth of an eye in skin), on an even ground (its
 * neighbours of at most FEATURE_GROUND entries: skin and a brow, not a busy texture), with at
 * most FEATURE_COMPANY cells about as dark (within FEATURE_NEAR) on the ring two cells
 * away. An eye has a brow or the other eye there at most; a dark speck of fur, foliage or
 * gravel lies on a busy ground among other specks, and goes.
 */
#define FEATURE_DEPTH 0.16f
#define FEATURE_NEAR 0.06f
#define FEATURE_COMPANY 3
#define FEATURE_GROUND 5

static inline int inside(int x, int y, int w, int h) { return x >= 0 && y >= 0 && x < w && y < h; }

/* How many of the cell's eight neighbours share its entry, and (when one does) which. */
static int same_around(const int16_t *in, int w, int h, int x, int y, int *which) {
  int same = 0;
  for (int j = 0; j < 8; j++) {
    const int nx = x + AROUND[j][0], ny = y + AROUND[j][1];
    if (inside(nx, ny, w, h) && in[ny * w + nx] == in[y * w + x]) { same++; *which = ny * w + nx; }
  }
  return same;
}

/* The mean lightness of the cell's neighbours (but `skip`), and how many entries they hold. */
static float ground_of(const pixel_palette *p, const int16_t *in, int w, int h, int x, int y, int skip, int *kinds) {
  float sum = 0;
  int n = 0;
  int16_t seen[8];
  *kinds = 0;
  for (int j = 0; j < 8; j++) {
    const int nx = x + AROUND[j][0], ny = y + AROUND[j][1];
    if (!inside(nx, ny, w, h) || ny * w + nx == skip) continue;
    const int16_t v = in[ny * w + nx];
    sum += p->entries[v].L; n++;
    int known = 0;
    for (int k = 0; k < *kinds; k++) known |= seen[k] == v;
    if (!known) seen[(*kinds)++] = v;
  }
  return n ? sum / n : NAN;
}

static int dark_feature(const pixel_palette *p, const int16_t *in, int w, int h, int x, int y, int partner) {
  const float L = p->entries[in[y * w + x]].L;
  int kinds;
  const float ground = ground_of(p, in, w, h, x, y, partner, &kinds);
  if (!(ground - L >= FEATURE_DEPTH) || kinds > FEATURE_GROUND) return 0;
  int company = 0;
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++) {
      if (abs(dx) < 2 && abs(dy) < 2) continue;
      const int nx = x + dx, ny = y + dy;
      if (inside(nx, ny, w, h) && ny * w + nx != partner && p->entries[in[ny * w + nx]].L <= L + FEATURE_NEAR) company++;
    }
  return company <= FEATURE_COMPANY;
}

/*
 * A catch-light: a lone cell FEATURE_DEPTH lighter than the mean of its neighbours, which
 * are dark (under CATCH_DARK of lightness) and of at most FEATURE_GROUND entries: the
 * glint in an animal's eye. Cleaned away, a squirrel's eye printed as "a dark blob that
 * merges into the muzzle".
 */
#define CATCH_DARK 0.4f
static int catch_light(const pixel_palette *p, const int16_t *in, int w, int h, int x, int y) {
  int kinds;
  const float ground = ground_of(p, in, w, h, x, y, -1, &kinds);
  return ground < CATCH_DARK && p->entries[in[y * w + x]].L - ground >= FEATURE_DEPTH && kinds <= FEATURE_GROUND;
}

/*
 * The neighbours' commonest entry other than the cell's own; a tie goes to the entry
 * nearest the cell's colour. When it holds MAJORITY of the eight, the cell is a speck in
 * its cluster (`stray` set).
 */
#define MAJORITY 5
static int commonest(const pixel_palette *p, const int16_t *in, int w, int h, int x, int y, int *stray) {
  const int16_t own = in[y * w + x];
  const pixel_entry *e = &p->entries[own];
  int best = own, best_count = 0;
  float best_d = INFINITY;
  for (int j = 0; j < 8; j++) {
    const int nx = x + AROUND[j][0], ny = y + AROUND[j][1];
    if (!inside(nx, ny, w, h)) continue;
    const int16_t v = in[ny * w + nx];
    if (v == own) continue;
    int count = 0;
    for (int k = 0; k < 8; k++) {
      const int mx = x + AROUND[k][0], my = y + AROUND[k][1];
      count += inside(mx, my, w, h) && in[my * w + mx] == v;
    }
    const pixel_entry *c = &p->entries[v];
    const float d = (c->L - e->L) * (c->L - e->L) + (c->a - e->a) * (c->a - e->a) + (c->b - e->b) * (c->b - e->b);
    if (count > best_count || (count == best_count && d < best_d)) { best = v; best_count = count; best_d = d; }
  }
  if (best_count >= MAJORITY) *stray = 1;
  return best;
}

void pixel_clean(const pixel_palette *p, const int16_t *in, int16_t *out, int w, int h) {
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const int i = y * w + x;
      int partner = -1, other = -1;
      const int same = same_around(in, w, h, x, y, &partner);
      // A lone cell, one of a pair that nothing else around either shares, or a speck
      // of two in a cluster of another entry.
      int stray = same == 0 || (same == 1 && same_around(in, w, h, partner % w, partner / w, &other) == 1);
      int to = in[i];
      if (same <= 1) {
        to = commonest(p, in, w, h, x, y, &stray);
      }
      const int kept = dark_feature(p, in, w, h, x, y, same == 1 ? partner : -1) || (same == 0 && catch_light(p, in, w, h, x, y));
      out[i] = stray && !kept ? (int16_t)to : in[i];
    }
}

/*
 * An edge worth outlining: the lightest of the four neighbours EDGE_FROM (at k 0) to
 * EDGE_FROM − EDGE_K (at k 1) of OKLab lightness lighter than the cell, about two steps
 * of a ramp. The cell is outlined in its ramp's darkest step (or a deeper ramp's) when it
 * is of a shape (a neighbour within SHAPE_NEAR of its lightness) or far darker than
 * around (twice the step: a lone feature, an eye), as main's pixel art outlined: viewers
 * credited those outlines with "crisp black outlines" on a tripod, a lattice and a face's
 * features. Outlines only on shapes of five cells in 5×5, two steps down their ramp, left
 * faces "a white blob" and struts "grey smears" (faces 0 to 11 against main on stills
 * no change was made on). Where a stretch of edge is fainter, down to EDGE_WEAK of that,
 * it is drawn two steps down its ramp beside an outlined cell, so a shape's outline runs
 * on rather than breaking into dots where its contrast dips.
 */
#define EDGE_FROM 0.2f
#define EDGE_K 0.05f
#define EDGE_WEAK 0.6f
#define SHAPE_NEAR 0.06f

/* 2: an edge to outline, 1: a fainter one, 0: none. */
static int edge_at(const pixel_palette *p, const int16_t *in, int w, int h, int x, int y, float strong) {
  const float L = p->entries[in[y * w + x]].L;
  float lightest = L;
  int kin = 0;
  for (int j = 0; j < 8; j++) {
    const int nx = x + AROUND[j][0], ny = y + AROUND[j][1];
    if (!inside(nx, ny, w, h)) continue;
    const float n = p->entries[in[ny * w + nx]].L;
    if (AROUND[j][0] == 0 || AROUND[j][1] == 0) lightest = fmaxf(lightest, n);
    kin += fabsf(n - L) <= SHAPE_NEAR;
  }
  if (lightest - L <= strong * EDGE_WEAK) return 0;
  if (!kin && lightest - L <= 2 * strong) return 0;
  return lightest - L > strong ? 2 : 1;
}

void pixel_outline(const pixel_palette *p, const int16_t *in, int16_t *out, uint8_t *edges, int w, int h, float k) {
  const float strong = EDGE_FROM - EDGE_K * clampf(k, 0, 1);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) edges[y * w + x] = (uint8_t)edge_at(p, in, w, h, x, y, strong);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      const int i = y * w + x;
      int beside = 0;
      for (int j = 0; j < 8 && edges[i] == 1 && !beside; j++) {
        const int nx = x + AROUND[j][0], ny = y + AROUND[j][1];
        beside = inside(nx, ny, w, h) && edges[ny * w + nx] == 2;
      }
      out[i] = edges[i] == 2 ? (int16_t)p->entries[in[i]].ink : beside ? (int16_t)p->entries[in[i]].shade : in[i];
    }
}
