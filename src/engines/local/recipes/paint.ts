/**
 * Painted looks, their marks drawn by kernels of the marks stage (pixel-stage/native/
 * marks/: oil.c, watercolor.c, pastel.c) along the frame's field of directions. Watercolour after Bousseau et al.
 * (NPAR 2006): abstracted washes on white paper, bled wet in wet in places, then pigment
 * density in C (darker pigment at the hard wash edges, granulation in the paper's tooth
 * and a slow turbulence in the middle washes). Oil: anisotropic Kuwahara regions
 * (Kyprianidis et al. 2009), brush strokes along the form and impasto lit from the
 * painted surface. Pastel: short, crossing chalk strokes along the form on a tinted,
 * toothy paper in a soft light palette that a colourless source takes too.
 * Dreamy: a soft-focus veil over the whole frame and bloom spreading from its lights.
 */
import { num as n, type Step, type Texture } from '../filter-graph.ts';
import { splitTone } from '../palette-grades.ts';
import { atWorkSize, lutAll, type RecipeContext, SHEET_MARGIN } from './primitives.ts';

/** Short side the painted kernels work at: the marks are drawn there and scaled up. */
const PAINT_PROXY = { oil: 360, watercolor: 540, pastel: 540 };

/** Pixels at the kernel's size per pixel of a 540p frame. */
function proxyUnit(ctx: RecipeContext, proxy: number): number {
  return Math.min(proxy, Math.min(ctx.width, ctx.height)) / 540;
}

/**
 * Watercolour, all in one kernel (native/marks/watercolor.c): the picture abstracted into
 * a few flat washes with a hand's wobble at their edges, thinned to transparent pigment on
 * white paper (the large lights left bare, a small light patch inside a wash given a
 * faint wash, skin one warm transparent wash); where the sheet was wet (a quiet
 * background) a darker wash bleeds out into a lighter one, elsewhere (the figure, laid
 * wet on dry) darker pigment pools where washes meet; granulation in the paper's tooth and
 * a slow turbulence of the pigment's density in the middle washes, the darks two
 * overlapping glazes varying between a cool and a warm dark, the deepest with darker
 * rims where they overlap and pigment flowing and granulating in it; a texture's darker
 * marks (stripes, grain, hair) kept as brushed strokes.
 * The steps between washes are hard only at the picture's own edges (graded elsewhere),
 * and the painting stops at a ragged margin of bare paper inside the frame.
 */
export function watercolor(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const pu = proxyUnit(ctx, PAINT_PROXY.watercolor);
  // Washes, their rims, paper and pigment all in the kernel: params abstraction, edge
  // darkening, granulation, turbulence, tooth size, turbulence size, wobble, paper tone,
  // dark accents, wet-in-wet bleeding.
  // The washes are flat from the middle of the range up (a prompt's default is 0.6).
  const a = Math.min(1, 0.3 + 1.2 * c);
  return [{ marks: 'watercolor_paint', params: [a, 0.5 + 0.6 * c, 0.22 + 0.26 * c, 0.04 + 0.05 * c, 1.6 * pu, 60 * pu, (1 + 2 * c) * pu, 0.74 - 0.06 * c, 0.8, 0.75 + 0.35 * c], proxy: PAINT_PROXY.watercolor }];
}

export function oilPainting(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const pu = proxyUnit(ctx, PAINT_PROXY.oil);
  return [
    `eq=saturation=${n(1.25 + 0.45 * k)}:contrast=${n(1 + 0.15 * k)}`,
    // Regions, strokes along the form and impasto: params strength, radius, stroke length, impasto.
    { marks: 'oil_paint', params: [c, (4 + 2.5 * c) * pu, Math.round((9 + 9 * c) * pu), 0.45 + 0.35 * c], proxy: PAINT_PROXY.oil },
  ];
}

/**
 * Soft pastel (native/marks/pastel.c): hatched clusters of two or three parallel chalk
 * lines along the form (where the picture has no direction, the one way a hand lays that
 * patch), a second layer crossing them in the darker tones, on a warm, toothy paper whose
 * light tint shows between the lines; an even finger-blended film of chalk under them, a
 * face blended smooth with few strokes; a light key whose darks are deep umber or violet
 * chalk, not black, the colour mixed with a soft palette by tone, so a colourless source
 * turns pastel too. At 540p lines about 24 + 14k px long and 5.5 wide, 8 apart, and a
 * tooth of 3 px: big enough to read in a 360 px preview. The chalk gives out in the
 * sheet's margin (SHEET_MARGIN), its edge made of stroke ends, and the toned paper shows:
 * three viewers preferred it in 29 of 30 paired comparisons (docs/looks.md).
 */
export function pastel(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const pu = proxyUnit(ctx, PAINT_PROXY.pastel);
  // Chalk along the form on tinted paper: params strength, stroke length, tooth size, line
  // width, line spacing, then the sheet's margin (the chalk giving out, and its depth).
  const params = [0.4 + 0.6 * c, Math.round((24 + 14 * c) * pu), 3 * pu, 5.5 * pu, 8 * pu, SHEET_MARGIN.fade(c), SHEET_MARGIN.depth];
  return [{ marks: 'pastel_chalk', params, proxy: PAINT_PROXY.pastel }];
}

/**
 * The copy the bloom is taken from stretched so the frame's brightest pixel is white: a
 * dark shot's lights glow as a bright one's do (a well exposed frame is left as it is).
 * Smoothed over half a second so the stretch does not flicker.
 */
const OWN_LIGHTS = 'normalize=blackpt=black:whitept=white:smoothing=15:independence=0';

/**
 * Dreamy, as the Orton effect through a diffusion filter: a blurred copy lies over the
 * whole picture as a soft-focus veil (eyes and mouths still read under it, the frame's
 * edges go all soft), and a copy overexposed and blurred wide is screened over it, so the
 * lights glow into their surroundings. The highlights and whatever is brighter than its
 * surroundings add wider blooms (halation, on a dark or a washed-out shot too), the
 * shadows lift into a milky floor and the lights toward a rose and peach pastel.
 */
export function dreamy(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  // How far from the centre the soft focus sets in (0 centre, 1 a corner) and how much
  // of the edge's own detail the haze covers there.
  const edge = softEdge(ctx, 0.3, 0.95);
  // The veil: the share of the blurred copy laid over the picture, from the middle of the
  // frame (enough that the fine texture goes soft while eyes and mouths still read) to all
  // of it toward the edges.
  const veil = softEdge(ctx, 0.3, 0.95, 0.3 + 0.1 * c);
  return [
    // Soft focus over the whole frame, as a diffusion filter: a blurred copy over the sharp
    // picture, falling off toward all blur at the edges.
    { blend: 'normal', side: atWorkSize(ctx, (sc) => [`gblur=sigma=${n((3 + 3 * c) * sc)}`]), mask: veil },
    // Soft-focus glow: the picture overexposed and blurred wide, screened over the sharp
    // one, weighted toward the frame's edges: the middle keeps its edges under a light
    // glow, the edges dissolve into a soft luminous haze (a vignette of blur and light).
    {
      blend: 'screen',
      opacity: 1,
      side: [
        ...atWorkSize(ctx, (sc) => [lutAll(`255*pow(val/255,${n(2 - 0.5 * c)})`), `gblur=sigma=${n((10 + 8 * c) * sc)}`]),
        { lut2: `min(255,x*(${n(0.25 + 0.1 * c)}+${n(0.45)}*y/255)+${n(30 + 25 * c)}*y/255)`, side: [], texture: edge },
      ],
    },
    // Bloom: the lights alone, spread wide in two sizes, glow into the darker things around
    // them; the lights are the frame's own (a dark shot's too: OWN_LIGHTS).
    {
      blend: 'screen',
      opacity: 0.8,
      side: atWorkSize(ctx, (sc) => [OWN_LIGHTS, lutAll(`clip((val-${Math.round(185 - 45 * c)})*3,0,255)`), `gblur=sigma=${n((10 + 10 * c) * sc)}`]),
    },
    {
      blend: 'screen',
      opacity: 0.5 + 0.2 * c,
      side: atWorkSize(ctx, (sc) => [OWN_LIGHTS, lutAll(`clip((val-${Math.round(170 - 40 * c)})*2,0,255)`), `gblur=sigma=${n((30 + 25 * c) * sc)}`]),
    },
    // Bloom from whatever is brighter than its surroundings (a lamp in a dark shot, a face
    // against a washed-out wall), so a frame with no lights near white still haloes.
    {
      blend: 'screen',
      opacity: 0.6 + 0.3 * c,
      side: [
        { lut2: `clip((x-y)*${n(3 + 2 * c)},0,255)`, side: atWorkSize(ctx, (sc) => [`gblur=sigma=${n(25 * sc)}`]) },
        ...atWorkSize(ctx, (sc) => [`gblur=sigma=${n((12 + 8 * c) * sc)}`]),
      ],
    },
    // Hazy shadows: the blacks lifted into a soft milky floor, the contrast eased.
    lutAll(`${Math.round(14 + 18 * c)}+val*${n(1 - (14 + 18 * c) / 255)}`),
    `eq=saturation=${n(0.95 - 0.1 * c)}`,
    // Lights lifted toward a warm pastel (peach and rose), shadows a little lavender.
    splitTone({ shadows: [0.04 * k, -0.01 * k, 0.1 * k], midtones: [0.06 * k, -0.01 * k, 0.05 * k], highlights: [0.08 * k, 0.02 * k, 0.04 * k] }),
  ];
}

/**
 * Dreamy's colour on a black-and-white source, which its own grade above (a shift of the
 * colour a picture has) would leave grey: peach and rose in the lights and middle
 * tones, a soft lavender only in the shadows.
 */
export function dreamyColourless(k: number): string {
  const c = Math.min(1, Math.max(0.5, k));
  return splitTone({ shadows: [0.05 * c, -0.03 * c, 0.1 * c], midtones: [0.16 * c, 0.02 * c, -0.02 * c], highlights: [0.06 * c, -0.03 * c, -0.1 * c] });
}

/**
 * A still mask, 0 in the middle of the frame rising to 255 toward its edges and corners
 * (by the distance from the centre in shares of the half-diagonal, from `from` to `to`),
 * for effects that fall off toward the frame's edges.
 */
function softEdge(ctx: RecipeContext, from: number, to: number, floor = 0): Texture {
  const r = `hypot((X-W/2)/(W/2),(Y-H/2)/(H/2))/sqrt(2)`;
  const rise = `pow(clip((${r}-${n(from)})/${n(to - from)},0,1),1.5)`;
  return { width: ctx.width, height: ctx.height, steps: [`geq=lum='255*(${n(floor)}+${n(1 - floor)}*${rise})'`] };
}
