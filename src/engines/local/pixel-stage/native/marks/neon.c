/*
 * The neon look's kernel, from one RGB frame to one RGB frame, nothing random: the scene
 * sinks into a saturated night and its contours glow as tubes. The contours are the
 * flow-guided difference of Gaussians the inked looks draw their lines from (flow-lines.c;
 * Kang, Lee, Chui, Coherent Line Drawing, NPAR 2007), on a proxy of half the frame's
 * short side; the halo is the lines' ink spread a few pixels around them.
 */
#include <math.h>
#include <stdlib.h>
#include "../marks.h"
#include "flow-lines.h"

#define SINK_STEPS 1024

typedef struct {
  const marks_frame *f;
  const proxy *p;
  const float *glow;
  float c, k, gain, sx, sy;
  float sink[SINK_STEPS];
} neon_job;

static void neon_rows(void *ctx, int y0, int y1) {
  const neon_job *job = ctx;
  const proxy *p = job->p;
  const float c = job->c, k = job->k;
  const int width = job->f->width;
  for (int j = y0; j < y1; j++) {
    const float py = ((float)j + 0.5f) * job->sy - 0.5f;
    for (int i = 0; i < width; i++) {
      const float px = ((float)i + 0.5f) * job->sx - 0.5f;
      const bilinear at = bilinear_at(p->w, p->h, px, py);
      const float r = fetch(&at, p->r), g = fetch(&at, p->g), b = fetch(&at, p->b);
      const float ink = ink_of(fetch(&at, p->line), job->gain);
      const float y = 0.299f * r + 0.587f * g + 0.114f * b;
      const float cb = b - y, cr = r - y;
      /* The scene sinks into the night with its colours pushed up; the contours glow. An
         overexposed shot comes with its shadows brought down by the shot's tone stage
         (shot-tone.ts), measured once per shot, so the night holds still. */
      const float gl = fetch(&at, job->glow);
      const float ys = clampf(y, 0, 1);
      const float dark = 0.3f - 0.12f * c;
      /* Dull colours sink into the night; strong ones keep a little light, as signs and lamps do. */
      const float vivid = clampf((sqrtf(cr * cr + cb * cb) - 0.15f) / 0.15f, 0, 1);
      /* The night has a floor a little above black, so a flat area keeps a deep tone rather
         than turning into one solid black field. */
      float yo = 0.07f + (dark - 0.07f) * job->sink[(int)(ys * (SINK_STEPS - 1) + 0.5f)];
      /* Only the strongest colours keep their light (a wooden wall is coloured, not a lamp). */
      const float lamp = clampf((sqrtf(cr * cr + cb * cb) - 0.2f) / 0.12f, 0, 1);
      yo += lamp * (0.55f - 0.15f * c) * (ys * 0.8f - yo);
      /* Chroma grows while the luma sinks, so the night is more saturated than the day was.
         Its hues move toward the night's: warm toward magenta (a skin or a wooden wall
         would otherwise sink to a muddy red-brown), green toward teal; and the ground
         takes an indigo tint, deepest where the source has no colour of its own. The
         chroma sinks with the luma, less steeply, so a brightly coloured wall turns a
         deep colour rather than staying a bright one. */
      const float sat = (1.7f + 0.7f * k) * fminf(1 + 0.4f * vivid, 0.45f + 2 * yo + 1.4f * vivid);
      const float ncr = cr, ncb = cb + fabsf(cr);
      const float nr = clampf(yo + sat * ncr + c * (0.01f + 0.1f * yo), 0, 1), nb = clampf(yo + sat * ncb + c * (0.06f + 0.6f * yo), 0, 1);
      /* Green from the source's own chroma: the shift toward magenta adds blue and leaves the
         luma's structure (mostly green) as it was, so a face keeps its features. */
      const float ng = clampf(yo - sat * (0.509f * cr + 0.194f * cb), 0, 1);
      /* The tube in the source's hue (magenta where it has none), the halo cyan-violet. */
      const float chroma = sqrtf(cr * cr + cb * cb);
      /* Faded in with the chroma, so a near-grey pixel's noisy hue does not flicker. */
      const float own = clampf((chroma - 0.03f) / 0.1f, 0, 1), norm = own / (chroma + 1e-6f);
      const float hr = (1 - own) + own * 0.6f + 1.6f * cr * norm;
      const float hg = (1 - own) * 0.15f + own * 0.6f - 1.6f * (0.509f * cr + 0.194f * cb) * norm;
      const float hb = (1 - own) * 0.9f + own * 0.6f + 1.6f * cb * norm;
      /* Faint lines (texture, grain) stay off; a tube burns white at its core. */
      const float tube = clampf((ink - 0.3f) * 1.8f, 0, 1), core = 0.45f * clampf((ink - 0.6f) * 2.5f, 0, 1);
      const float halo = (1.5f * c + 0.5f) * gl;
      const float er = clampf(tube * (hr + core) + halo * 0.35f, 0, 1), eg = clampf(tube * (hg + core) + halo * 0.8f, 0, 1), eb = clampf(tube * (hb + core) + halo, 0, 1);
      const float ro = 1 - (1 - nr) * (1 - er), go = 1 - (1 - ng) * (1 - eg), bo = 1 - (1 - nb) * (1 - eb);
      uint8_t *o = job->f->out + ((size_t)j * width + i) * 3;
      o[0] = (uint8_t)(clampf(ro, 0, 1) * 255 + 0.5f); o[1] = (uint8_t)(clampf(go, 0, 1) * 255 + 0.5f); o[2] = (uint8_t)(clampf(bo, 0, 1) * 255 + 0.5f);
    }
  }
}

/* Params: [0] intensity k (0..~1.7, default 1). */
int marks_neon(const marks_frame *f) {
  const double k = marks_param(f, 0, 1), c = k < 1 ? k : 1;
  proxy p;
  if (!flow_lines_proxy(f->in, f->width, f->height, &p)) return 0;
  const double u = (p.w < p.h ? p.w : p.h) / 540.0; /* radii are given at 540p, on the proxy */
  const size_t n = (size_t)p.w * p.h;
  neon_job *job = malloc(sizeof(neon_job));
  float *glow = malloc(n * sizeof(float));
  int ok = job && glow && flow_lines_field(&p, 2.5 * u);
  if (ok) {
    const double gain = 40 + 40 * k;
    flow_lines_fdog(&p, p.y, (1.6 + 0.4 * c) * u, 0.99, 3 * u);
    /* The halo: the lines' ink spread a few pixels around them. */
    for (size_t q = 0; q < n; q++) p.tmp2[q] = ink_of(p.line[q], (float)gain);
    ok = flow_lines_blur(p.tmp2, p.w, p.h, (3 + 3 * c) * u, glow, p.tmp3);
    *job = (neon_job){ .f = f, .p = &p, .glow = glow, .c = (float)c, .k = (float)k, .gain = (float)gain };
    job->sx = (float)p.w / f->width;
    job->sy = (float)p.h / f->height;
    for (int q = 0; q < SINK_STEPS; q++) job->sink[q] = (float)pow(q / (SINK_STEPS - 1.0), 1.4);
    if (ok) marks_rows(f->height, neon_rows, job);
  }
  free(job);
  free(glow);
  flow_lines_free(&p);
  return ok;
}
