/*
 * The neon look's kernel, from one RGB frame to one RGB frame, nothing random: the scene
 * sinks into a saturated night lit in magenta, violet and cyan, and the contours of its
 * main forms glow as tubes. The contours are the flow-guided difference of Gaussians the
 * inked looks draw their lines from (flow-lines.c; Kang, Lee, Chui, Coherent Line
 * Drawing, NPAR 2007), on a proxy of half the frame's short side; the halo is the tubes'
 * light spread a few pixels around them.
 *
 * Every choice a pixel makes is a smooth function of smoothed quantities (the luma
 * blurred at two scales, the field's coherence blurred, the lines' spread), so grain
 * and small motions do not switch anything on and off from frame to frame.
 */
#include <math.h>
#include <stdlib.h>
#include "../marks.h"
#include "flow-lines.h"
#include "primitives.h"

#define SINK_STEPS 1024
/* The FDoG's rho: the share of the surround the centre is compared with. */
#define FDOG_RHO 0.99f
/* The luma of the night where the source is black: a deep tone, never a solid black. */
#define NEON_FLOOR 0.09f
/* Most the feature-scale relief adds to or takes from the sunk tone (0..1 luma). */
#define NEON_RELIEF 0.16f

/* Glow 0..1 of an FDoG response on the bright side of an edge: the response less the
   share (1 − rho) of the local luma the DoG leaves in, so a flat bright area stays off. */
static inline float glow_of(float response, float luma, float gain) {
  return ink_of((1 - FDOG_RHO) * luma - response, gain);
}


typedef struct {
  const marks_frame *f;
  const proxy *p;
  const float *glow, *tone, *smooth, *order, *crowd;
  float c, k, gain, relief, sx, sy;
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
      const proxy_colour src = colour_at(&at, p);
      const float y = src.y, cb = src.cb, cr = src.cr;
      const float chroma = sqrtf(cr * cr + cb * cb);
      /* Tubes lie on the bright side of an edge (a dark eye is ringed by light). */
      const float ink = glow_of(fetch(&at, p->line), fetch(&at, p->y), job->gain);
      const float gl = fetch(&at, job->glow);
      /* The broad tone (wider than an eye) sinks into a dim range above the floor; the
         relief at the scale of features, from a lightly blurred luma, rides on it, so a
         face keeps its shading and features and a dark area its folds. An overexposed
         shot comes with its shadows brought down by the shot's tone stage (shot-tone.ts). */
      const float broad = clampf(fetch(&at, job->tone), 0, 1), fine = fetch(&at, job->smooth);
      const float dark = 0.3f - 0.1f * c;
      const float base = NEON_FLOOR + (dark - NEON_FLOOR) * job->sink[(int)(broad * (SINK_STEPS - 1) + 0.5f)];
      const float lift = job->relief * (fine - broad);
      const float limit = lift > 0 ? NEON_RELIEF : fminf(NEON_RELIEF, 0.6f * (base - NEON_FLOOR) + 0.02f);
      float yo = base + limit * fast_tanh(lift / limit);
      /* Only the strongest colours keep their light (a wooden wall is coloured, not a lamp). */
      const float lamp = clampf((chroma - 0.2f) / 0.12f, 0, 1);
      yo += lamp * (0.5f - 0.15f * c) * (clampf(y, 0, 1) * 0.8f - yo);
      /* The night's light: violet in the shadows, magenta in the middle tones, cyan on the
         lights and on the lit side of a form, whatever colour the source had (so a grey
         shot is lit in colour too); a coloured pixel takes less of it. */
      const float h = clampf(0.1f + 0.9f * broad + 2.5f * (fine - broad), 0, 1);
      const float toward_cyan = smoothstep(0.5f, 0.85f, h), toward_violet = 1 - smoothstep(0.08f, 0.32f, h);
      float tr = 0.707f + (-0.84f - 0.707f) * toward_cyan, tb = 0.707f + (0.54f - 0.707f) * toward_cyan;
      tr += (0.31f - tr) * toward_violet; tb += (0.95f - tb) * toward_violet;
      const float tn = 1 / sqrtf(tr * tr + tb * tb + 1e-6f);
      const float own = clampf((chroma - 0.03f) / 0.1f, 0, 1);
      const float tint = (0.3f + 0.7f * c) * (0.1f + 0.8f * yo) * (1 - 0.55f * own);
      /* The source's own colours grow while the luma sinks, warm ones toward magenta (a
         skin or a wooden wall would otherwise sink to a muddy red-brown). */
      const float vivid = clampf((chroma - 0.15f) / 0.15f, 0, 1);
      const float sat = (1.5f + 0.6f * k) * fminf(1 + 0.4f * vivid, 0.45f + 2 * yo + 1.4f * vivid);
      const float ocr = sat * cr + tint * tr * tn, ocb = sat * (cb + fabsf(cr)) + tint * tb * tn;
      const float nr = clampf(yo + ocr, 0, 1), nb = clampf(yo + ocb, 0, 1), ng = clampf(yo - 0.509f * ocr - 0.194f * ocb, 0, 1);
      /* The tube in the source's hue where it has one; else pink on the cyan lights and
         cyan elsewhere, the opposite of the light around it. */
      const float norm = own / (chroma + 1e-6f), pink = toward_cyan;
      const float nr0 = 0.35f + 0.65f * pink, ng0 = 0.9f - 0.55f * pink, nb0 = 1.0f - 0.1f * pink;
      const float hr = (1 - own) * nr0 + own * 0.6f + 1.6f * cr * norm;
      const float hg = (1 - own) * ng0 + own * 0.6f - 1.6f * (0.509f * cr + 0.194f * cb) * norm;
      const float hb = (1 - own) * nb0 + own * 0.6f + 1.6f * cb * norm;
      /* Tubes on the main forms only: where the field is incoherent (grass, grain, a
         textured coat) or lines crowd, they fade smoothly, and their halo with them. */
      const float ord = fetch(&at, job->order);
      const float dens = fetch(&at, job->crowd) / 0.3f;
      const float keep = smoothstep(0.35f, 0.7f, ord) / (1 + dens * dens * dens * dens);
      const float tube = 1.15f * keep * clampf((ink - 0.3f) * 1.8f, 0, 1), core = 0.5f * keep * clampf((ink - 0.6f) * 2.5f, 0, 1);
      const float halo = (0.8f * c + 0.6f) * (0.25f + 0.75f * keep) * gl;
      const float er = clampf(tube * (hr + core) + halo * (0.2f + 0.6f * pink), 0, 1);
      const float eg = clampf(tube * (hg + core) + halo * (0.75f - 0.45f * pink), 0, 1);
      const float eb = clampf(tube * (hb + core) + halo, 0, 1);
      const float ro = 1 - (1 - nr) * (1 - er), go = 1 - (1 - ng) * (1 - eg), bo = 1 - (1 - nb) * (1 - eb);
      put_rgb(job->f->out + ((size_t)j * width + i) * 3, ro, go, bo);
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
  float *planes = malloc(n * 5 * sizeof(float));
  int ok = job && planes && flow_lines_field(&p, 2.5 * u);
  if (ok) {
    float *glow = planes, *tone = planes + n, *smooth = planes + 2 * n, *order = planes + 3 * n, *crowd = planes + 4 * n;
    const double gain = 40 + 40 * k;
    flow_lines_fdog(&p, p.y, (1.6 + 0.4 * c) * u, FDOG_RHO, 3 * u);
    /* The halo: the tubes' light spread a few pixels around them. The broad tone: the luma
       blurred at about 2 % of the frame, wider than an eye or a mouth; the relief from the
       luma blurred a little, so the grain it would carry does not flicker; the order of
       the field (its coherence) blurred, so the tubes fade over a textured area as a whole;
       the lines' density over a wider area, so they fade where they crowd. */
    for (size_t q = 0; q < n; q++) p.tmp2[q] = glow_of(p.line[q], p.y[q], (float)gain);
    ok = flow_lines_blur(p.tmp2, p.w, p.h, (3 + 3 * c) * u, glow, p.tmp3) && flow_lines_blur(p.y, p.w, p.h, 22 * u, tone, p.tmp3)
      && flow_lines_blur(p.y, p.w, p.h, 3.5 * u, smooth, p.tmp3) && flow_lines_blur(p.coh, p.w, p.h, 6 * u, order, p.tmp3)
      && flow_lines_blur(p.tmp2, p.w, p.h, 10 * u, crowd, p.tmp3);
    *job = (neon_job){ .f = f, .p = &p, .glow = glow, .tone = tone, .smooth = smooth, .order = order, .crowd = crowd, .c = (float)c, .k = (float)k, .gain = (float)gain };
    job->relief = (float)(1.7 - 0.3 * c);
    job->sx = (float)p.w / f->width;
    job->sy = (float)p.h / f->height;
    for (int q = 0; q < SINK_STEPS; q++) job->sink[q] = (float)pow(q / (SINK_STEPS - 1.0), 0.9);
    if (ok) marks_rows(f->height, neon_rows, job);
  }
  free(job);
  free(planes);
  flow_lines_free(&p);
  return ok;
}
