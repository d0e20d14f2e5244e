/**
 * Looks of screens and print. Pixel art: an exact grid in a small fixed palette of ramps. Pop
 * art: a screen print in a few loud flat inks with Ben-Day dots and bold outlines (its
 * marks kernel).
 * VHS: tape's soft horizontal resolution, chroma bleeding sideways, scanlines, and rows
 * torn sideways under streaks (a tracking band, head switching at the foot), still from
 * frame to frame (no grain: the tape's noise would be a fresh pattern every frame, which
 * the flicker bound rules out). Neon is in inked.ts.
 */
import { num as n, type Step, type Texture } from '../filter-graph.ts';
import { atWorkSize, gradientMap, median, unit, type RecipeContext } from './primitives.ts';

/** Pop art dot period at 540p, in pixels: fine enough that dots read as a screen, not as blobs over a face. */
export const POP_DOT_PERIOD = 5;
/** Short side pop art's kernel works at; larger outputs are scaled up after it (its lines stay bold, its dots at their period). */
const POP_PROXY = 720;

/**
 * The pixel grid's short side at intensity `k`: 104 cells at adhere_1, 88 at flex_2, 72
 * at reimagine_3: fine enough that a smaller face's eyes and mouth keep a cell or two
 * each in a thumbnail, coarse enough that the cells still read as pixels.
 */
export function pixelGrid(k: number): number {
  return Math.round(112 - 40 * Math.min(k, 1));
}

/** The side of one pixel-art cell in output pixels: a whole number, so every cell is the same. */
export function pixelCell(k: number, ctx: RecipeContext): number {
  return Math.max(2, Math.round(Math.min(ctx.width, ctx.height) / pixelGrid(k)));
}

/**
 * What makes a sample a small dark feature (an eye, a nostril, a mouth's corner) that
 * its cell is drawn in: its luma under the closing of the samples around it (5 wide:
 * the tone of its surroundings with anything dark up to a cell and a half across filled
 * in), by `from` levels and at least `share` of that tone, in full from `full` levels
 * and `share` + 0.15. The share keeps out the gaps of a light texture (fur, foliage),
 * shallower than an eye in skin; in a dark shot a feature is deep relative to its
 * surroundings but few levels, so the levels keep out its noise.
 */
const PIXEL_FEATURE = { from: 28, full: 64, share: 0.35 } as const;

/**
 * Each cell sampled as a pixel artist picks a cell's colour, after content-adaptive
 * downscaling (Kopf et al. 2013: each output pixel stands for one coherent area, not a
 * blend of everything under it), from three samples a side: the majority of its block
 * (each channel's median, over the block, of the means of the 3×3 samples around each
 * of its samples: robust to a speck, smoother than a bare median), so a cell on the
 * border of two areas leans to one of them instead of a muddy in-between, and a speck
 * of texture does not tint it; but a cell holding a small dark feature (an eye, a
 * nostril, a mouth: {@link PIXEL_FEATURE}) takes its darkest sample, so a face a few
 * cells tall keeps a dark cell for each eye and its mouth rather than averaging them
 * into the skin. The edge of a large dark area is no feature (the closing does not
 * lift it), so dark areas keep their size. (Area averaging with a twelfth of the
 * darkest sample mixed in, before: a footballer's face of 25 source pixels printed as
 * skin-coloured cells with no eyes.)
 */
function sampleCells(cols: number, rows: number): Step[] {
  const { from, full, share } = PIXEL_FEATURE;
  const feature: Step[] = [
    'format=gray',
    {
      lut2: `clip((y-x-${from})*${n(255 / (full - from))},0,1)*clip(((y-x)/max(y,1)-${n(share)})*${n(1 / 0.15)},0,1)*255`,
      side: ['dilation', 'dilation', 'erosion', 'erosion'],
      format: 'gray',
    },
    // A feature anywhere in the block reaches its centre sample.
    'dilation',
  ];
  // Each block's statistic is taken at its centre sample (3×3 filters) and picked by a
  // point-sampling scale, exact in YUV (in planar RGB swscale resamples).
  return [
    `scale=${cols * 3}:${rows * 3}:flags=area`,
    { blend: 'normal', side: ['avgblur=sizeX=1', ...median(1)], maskFrom: [...feature, 'negate'] },
    { blend: 'normal', side: ['erosion'], maskFrom: feature },
    'format=yuv444p',
    `scale=${cols}:${rows}:flags=neighbor`,
  ];
}

/**
 * Pixel art: the frame smoothed (a pixel artist draws areas, not texture), sampled to a
 * grid of equal square cells, each one area's colour or, where it holds a small dark
 * feature (an eye, a mouth), that feature's, instead of an average; then, one pixel a
 * cell, in the marks stage's `pixel_cells` kernel (pixel-stage/native/marks/pixel.c):
 * steadied over time, dark areas lifted so their features spread over the palette,
 * shaded as a pixel artist ramps a face, its colours mapped to the nearest entry of a
 * fixed palette of hue-shifted ramps (greens, blues, skins, browns, reds, greys ...) by a
 * perceptual distance, with no dithering, stray cells cleaned up into clusters and
 * outlines in the darkest step of a shape's own ramp where it, or a lone dark feature,
 * meets a lighter area; every
 * cell then blown up to a square of whole output pixels. (The kernel's steps were a
 * chain of FFmpeg formulas on the cell grid, which cost 3.7 s of CPU on 3 s of 540p,
 * more than the rest of the look and a transcode together.)
 * The grid is the render's, from its strongest segment's intensity, so it holds still
 * across a strength schedule (a kernel works at one size).
 */
export function pixelArt(k: number, ctx: RecipeContext): Step[] {
  const cell = pixelCell(ctx.strongest ?? k, ctx);
  const cols = Math.ceil(ctx.width / cell), rows = Math.ceil(ctx.height / cell);
  return [
    ...atWorkSize(ctx, (sc) => [`bilateral=sigmaS=${n(3 * sc)}:sigmaR=0.15`]),
    ...sampleCells(cols, rows),
    { marks: 'pixel_cells', params: [k, ctx.colourless ? 1 : 0], size: { width: cols, height: rows } },
    `scale=${cols * cell}:${rows * cell}:flags=neighbor`,
    `crop=${ctx.width}:${ctx.height}:0:0`,
  ];
}

/**
 * Pop art as a screen print in a few loud inks (the marks stage's `pop_art` kernel,
 * pixel-stage/native/marks/pop.c): the frame abstracted into flat areas, each printed in
 * the ink of its hue family (red, orange, yellow, green, blue, violet, magenta) at one of
 * four tone bands (paper, a light tint under Ben-Day dots of the ink, the full ink, a
 * navy shadow), skin in flat peach and salmon with a red-brown shadow, bold black
 * outlines from the flow-guided difference of Gaussians. The tone is evened out by area
 * and lifted by the shot's median first, so a dark shot's face prints as a lit one.
 * Three fresh viewers, choosing between it and the filter chain it replaces (three
 * levels a channel, dots in the middle tones), preferred it in 22 of 30 pairs and its
 * faces in 18 of 21: "one inked drawing with deliberate outlines" against "blotches and
 * scattered dots" (docs/looks.md).
 */
export function popArt(k: number): Step[] {
  return [{ marks: 'pop_art', params: [k, POP_DOT_PERIOD], proxy: POP_PROXY }];
}

/**
 * Pop art's colours for a black-and-white source, by tone: ink-blue shadows, hot pink
 * and red middle tones, yellow lights, as a screen print of a photograph in flat loud
 * inks. Run before the look, so its kernel picks its inks from these hues as it would
 * from a coloured source's.
 */
export const POP_ART_COLOURLESS = gradientMap([
  [0, [0, 0, 8]], [0.14, [6, 6, 30]], [0.28, [18, 14, 90]], [0.4, [50, 35, 200]], [0.48, [150, 40, 190]],
  [0.58, [235, 50, 110]], [0.74, [250, 150, 60]], [0.88, [255, 230, 80]], [1, [255, 250, 225]],
]);

/** Rows of the tracking band, as fractions of the height. */
export const TRACKING_BAND = { top: 0.8, bottom: 0.87 };
/** The head-switching rows at the foot of the frame (from here to the bottom), as a fraction of the height. */
export const HEAD_SWITCH_TOP = 0.965;

/** Both torn stretches of rows, in pixels: the tracking band and the head-switching rows. */
function tornRows(ctx: RecipeContext): { y: number; h: number }[] {
  const row = (share: number): number => Math.round(ctx.height * share);
  return [
    { y: row(TRACKING_BAND.top), h: row(TRACKING_BAND.bottom) - row(TRACKING_BAND.top) },
    { y: row(HEAD_SWITCH_TOP), h: ctx.height - row(HEAD_SWITCH_TOP) },
  ];
}

/** White on the torn rows, black elsewhere: where the picture is shown slipped sideways. */
function tornMask(ctx: RecipeContext): Texture {
  return {
    width: ctx.width,
    height: ctx.height,
    steps: ['lut=c0=0', ...tornRows(ctx).map(({ y, h }) => `drawbox=x=0:y=${y}:w=iw:h=${h}:color=white:t=fill`)],
  };
}

/**
 * Streaks of noise drawn out sideways on the torn rows, for an overlay: mostly light
 * with dark dropouts, so they show on a bright picture as on a dark one; mid-grey (no
 * change) elsewhere.
 */
function trackingStreaks(ctx: RecipeContext, strength: number): Texture {
  const rows = tornRows(ctx);
  const neutral = (from: number, to: number): string => `drawbox=x=0:y=${from}:w=iw:h=${to - from}:color=0x808080:t=fill`;
  return {
    width: ctx.width,
    height: ctx.height,
    steps: [
      'noise=c0s=100:c0f=u',
      `gblur=sigma=${n(20 * unit(ctx))}:sigmaV=0.5`,
      `lut=c0='clip(175+(val-128)*${n(12 * strength)},0,255)'`,
      neutral(0, rows[0]!.y),
      neutral(rows[0]!.y + rows[0]!.h, rows[1]!.y),
    ],
  };
}

export function vhs(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const u = unit(ctx);
  const shift = (px: number): number => Math.max(1, Math.round(px * u));
  const even = (v: number): number => Math.max(2, Math.round(v / 2) * 2);
  // How far the torn rows slip sideways.
  const slip = shift(10 + 8 * c);
  return [
    // Tape holds about 300 samples of luma across a line: soft sideways, sharp up and down.
    `scale=${even(ctx.width / (2 + 2 * c))}:${ctx.height}:flags=area`,
    `scale=${ctx.width}:${ctx.height}:flags=bicubic`,
    // Tape's colour under: cool shadows, warm lights, so even a black-and-white source
    // carries chroma for the tape to smear and shift off the luma's edges.
    `curves=r='0/0 0.3/${n(0.3 - 0.06 * c)} 0.7/${n(0.7 + 0.1 * c)} 1/1':b='0/${n(0.05 * c)} 0.3/${n(0.3 + 0.07 * c)} 0.7/${n(0.7 - 0.1 * c)} 1/${n(1 - 0.12 * c)}'`,
    'format=yuv444p',
    // Chroma noise, drawn out along the lines by the smear below.
    `noise=c1s=${Math.round(80 * c)}:c2s=${Math.round(80 * c)}`,
    // and far less colour: chroma smeared and shifted sideways.
    `gblur=sigma=${n((3 + 6 * c) * u)}:sigmaV=${n((0.5 + 1 * c) * u)}:planes=6`,
    `chromashift=cbh=${shift(4 + 8 * c)}:crh=${-shift(4 + 8 * c)}`,
    `eq=saturation=${n(1.2 + 0.3 * k)}:contrast=${n(1 - 0.1 * k)}:brightness=${n(0.03 * k)}`,
    // Scanlines: a dark line every third row.
    `drawgrid=w=iw:h=${shift(3)}:t=${shift(1)}:c=black@${n(0.2 + 0.35 * c)}`,
    // The tracking band and the head-switching rows at the foot: the picture slipped
    // sideways there (black where it left the edge), under streaks of noise.
    { blend: 'normal', side: [`crop=iw-${slip}:ih:0:0`, `pad=iw+${slip}:ih:${slip}:0:black`], mask: tornMask(ctx) },
    { blend: 'overlay', side: [], texture: trackingStreaks(ctx, 0.4 + 0.6 * c) },
  ];
}
