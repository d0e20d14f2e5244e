/**
 * Looks of screens and print. Pixel art: an exact grid with a small fixed palette. Pop
 * art: a screen print in a few loud flat inks with Ben-Day dots and bold outlines (its
 * marks kernel).
 * VHS: tape's soft horizontal resolution, chroma bleeding sideways, scanlines, and rows
 * torn sideways under streaks (a tracking band, head switching at the foot), still from
 * frame to frame (no grain: the tape's noise would be a fresh pattern every frame, which
 * the flicker bound rules out). Neon is in inked.ts.
 */
import { num as n, type Step, type Texture } from '../filter-graph.ts';
import { atWorkSize, gradientMap, median, softQuantise, unit, type RecipeContext } from './primitives.ts';

/** Pop art dot period at 540p, in pixels: fine enough that dots read as a screen, not as blobs over a face. */
export const POP_DOT_PERIOD = 5;
/** Short side pop art's kernel works at; larger outputs are scaled up after it (its lines stay bold, its dots at their period). */
const POP_PROXY = 720;

/**
 * The pixel grid's short side at intensity `k`: 104 cells at adhere_1, 88 at flex_2, 72
 * at reimagine_3: fine enough that a smaller face's eyes and mouth keep a cell or two
 * each in a thumbnail, coarse enough that the cells still read as pixels. (Cells of 5 px
 * at 540p instead of 6 cost 1.44 times the cell grid's formulas: pixel art at 6.8 times
 * a transcode's CPU, over the 6 allowed.)
 */
export function pixelGrid(k: number): number {
  return Math.round(112 - 40 * Math.min(k, 1));
}

/** The side of one pixel-art cell in output pixels: a whole number, so every cell is the same. */
export function pixelCell(k: number, ctx: RecipeContext): number {
  return Math.max(2, Math.round(Math.min(ctx.width, ctx.height) / pixelGrid(k)));
}

/**
 * Pixel art's palette as steps of luma and of the two colour differences (full range
 * YUV): every cell takes the nearest entry of one fixed lattice, the same for every
 * frame and shot, so the palette never flickers. Few luma steps keep the cells flat;
 * the colour steps are wide, after a saturation boost, so the entries are distinct,
 * saturated hues rather than muddy in-betweens. Eight luma steps (each tinted along
 * {@link PIXEL_RAMP}): a face's eye, socket, nose and cheek land on different steps.
 */
export const PIXEL_PALETTE = { luma: 8, chroma: 9 };
/**
 * The red colour difference (128 neutral) stretched most where it is faint (×3 at 5
 * levels, ×1.2 beyond 30), on skin-like hues in warm middle tones only: a shaded cheek
 * or eye socket keeps the skin's hue instead of falling to grey, while near-greys (a
 * warm grey wall or floor, under 16 levels of colour after the saturation boost), blues and purples, near-white
 * walls and near-black hair stay as they are, and the palette small. A formula of the
 * cell's three planes (FFmpeg `geq`), cheap on the cell grid.
 */
const WARM_TINT: string = (() => {
  // The cell's values are read once and kept (FFmpeg's st/ld): 0 the red colour
  // difference, 1 the blue, 2 the ring's red, 3 the ring's blue; `if` skips what a cell
  // does not need (geq's cost is the formula's length, evaluated every cell).
  const d = 'ld(0)', e = 'ld(1)', y = 'lum(X,Y)';
  const tones = `clip((${y}-40)/30,0,1)*clip((200-${y})/40,0,1)`;
  // Coloured enough to be skin rather than a tinted grey: the colour differences' length.
  const coloured = `clip((hypot(${d},${e})-16)/6,0,1)`;
  // Skin's hue: red over blue, and not far toward the blue side (a purple or pink shirt).
  const skin = `clip((${d}-max(${e},0)*1.5-1)/3,0,1)`;
  // A faint cell inside skin (an eye socket, a shaded cheek) is tinted too: the mean
  // colour of eight cells four away around it (past a socket's or a lens's edge), when
  // it is skin's and not a strong colour (a red car's grey tyre next to the paint stays grey).
  const ring = (p: string): string => `(${[[-4, 0], [4, 0], [0, -4], [0, 4], [-3, -3], [3, -3], [-3, 3], [3, 3]].map(([dx, dy]) => `${p}(X+(${dx}),Y+(${dy}))`).join('+')})/8`;
  const [rd, re] = ['ld(2)', 'ld(3)'];
  // Zero unless the cell leans red (d > -2), so the ring is read only there.
  const inSkin = `if(gt(${d},-2),st(2,${ring('cr')}-128);st(3,${ring('cb')}-128);clip((hypot(${rd},${re})-16)/6,0,1)*clip((50-hypot(${rd},${re}))/10,0,1)*clip((${rd}-max(${re},0)*1.5-1)/3,0,1)*clip((${d}+2)/2,0,1),0)`;
  // Read in this order so most cells stop early with the value they would reach anyway:
  // outside the warm middle tones (4) the cell keeps its value; a cell already wholly
  // skin (5) needs no ring (the ring's factor is at most 1).
  const tinted = `st(4,${tones});if(gt(ld(4),0),st(5,${coloured}*${skin});clip(128+${d}+ld(4)*if(lt(ld(5),1),max(ld(5),${inSkin}),1)*(max(${d}*1.2,6.5*sqrt(abs(${d})))-${d}),0,255),128+${d})`;
  return `geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='st(0,cr(X,Y)-128);st(1,cb(X,Y)-128);${tinted}'`;
})();
/** A ramp of tints: luma (video range) and the blue and red colour differences added at it. */
type Ramp = readonly (readonly [number, number, number])[];
/**
 * Pixel art's hand-picked ramp: each luma step of the palette tinted along one ramp, as a
 * pixel artist shifts hue down a ramp: deep indigo shadows, slate and lavender-grey
 * middles, sand and cream lights (luma of video range, and the blue and red colour
 * differences added at it). A coloured cell keeps its colour step, shifted the same way,
 * so the palette stays as small. The red difference stays under 9 levels, so a grey wall
 * does not print pink.
 */
const PIXEL_RAMP: Ramp = [
  [16, 22, 8], [60, 16, 5], [100, 8, 2], [140, 0, 3], [180, -8, 6], [215, -12, 7], [235, -6, 3],
];
/**
 * A black-and-white source's whole palette: a ramp of its own, warm where the colour
 * ramp is lavender, as a pixel artist would colour an old photograph: navy-grey shadows
 * (blue over red and green, never violet), warm umber and tan middles where a face's
 * tones lie, sand and cream lights. On {@link PIXEL_RAMP} a grey face printed as a
 * lavender-grey mask, its features a darker violet ("blocky lavender shapes", said a
 * blind viewer of a black-and-white film frame).
 */
const PIXEL_GREY_RAMP: Ramp = [
  [16, 11, -5], [60, 10, -5], [100, -2, 5], [140, -9, 9], [180, -12, 10], [215, -13, 8], [235, -7, 4],
];
/** `ramp` added to a cell's colour differences by its luma (FFmpeg `geq`, cheap on the cell grid). */
function rampTint(ramp: Ramp): string {
  const along = (c: 1 | 2): string => {
    let expr = n(ramp.at(-1)![c]);
    for (let i = ramp.length - 2; i >= 0; i--) {
      const a = ramp[i]!, b = ramp[i + 1]!;
      expr = `if(lt(ld(0),${b[0]}),${n(a[c])}+(clip(ld(0),${a[0]},${b[0]})-${a[0]})*${n((b[c] - a[c]) / (b[0] - a[0]))},${expr})`;
    }
    return expr;
  };
  return `geq=lum='lum(X,Y)':cb='st(0,lum(X,Y));clip(cb(X,Y)+${along(1)},0,255)':cr='st(0,lum(X,Y));clip(cr(X,Y)+${along(2)},0,255)'`;
}
/** The palette's darkest luma (of video range 16..235): a very dark grey, so a dark shot's cells stay cells instead of one black field. */
const PIXEL_FLOOR = 34;

/**
 * Outlines one cell wide, on the cell grid: a cell much darker than its lightest
 * neighbour (of four) is drawn in the dark outline ink, as a pixel artist outlines a
 * shape on its dark side. `step` is the luma difference (0..255) that starts a line.
 */
function cellOutlines(step: number, ink: number): Step[] {
  const lightest = 'max(max(lum(X-1,Y),lum(X+1,Y)),max(lum(X,Y-1),lum(X,Y+1)))';
  // Only a cell of a shape (one of its eight neighbours about as dark as it) or a lone
  // cell far darker than its ground (a feature: an eye, a nostril): a lone cell a step
  // or two darker in a textured ground (fur, gravel) is not a shape's edge, and inked it
  // reads as dirt.
  const diagonal = 'min(min(lum(X-1,Y-1),lum(X+1,Y-1)),min(lum(X-1,Y+1),lum(X+1,Y+1)))';
  const darkest = `min(${diagonal},min(min(lum(X-1,Y),lum(X+1,Y)),min(lum(X,Y-1),lum(X,Y+1))))`;
  // The lightest neighbour read once (FFmpeg's st/ld), and the shape test only where a line may start.
  const ofShape = `max(clip((lum(X,Y)+16-${darkest})/8,0,1),clip((ld(0)-lum(X,Y)-${n(2 * step)})/12,0,1))`;
  return ['format=gray', `geq=lum='st(0,${lightest});255-if(gt(ld(0)-lum(X,Y),${n(step)}),${n(255 * ink)}*${ofShape}*clip((ld(0)-lum(X,Y)-${n(step)})/12,0,1),0)'`];
}

/**
 * A grey mask, 255 × `formula` of each pixel of a planar RGB picture (FFmpeg `geq`, on
 * the red plane, which is then taken out): the pixel's R, G and B are read once into
 * ld(0), ld(1) and ld(2), as `geq`'s cost is the formula's length, evaluated every pixel.
 * `stores` keeps more values before it (`st(3,…);`).
 */
function rgbMask(formula: string, stores = ''): Step[] {
  return [`geq=r='st(0,r(X,Y));st(1,g(X,Y));st(2,b(X,Y));${stores}255*${formula}':g='0':b='0'`, 'extractplanes=r'];
}

/**
 * Stray cells cleaned up, as a pixel artist removes a lone pixel that reads as noise: a
 * cell unlike all eight of its neighbours (no neighbour within `tolerance`, summed over
 * R, G and B) takes their majority (each channel's median of the 3×3, which is the
 * majority colour wherever one colour holds five of the nine cells). A lone cell much
 * darker than its neighbours (by `feature` levels of their mean luma) is a feature, an
 * eye or a nostril, and stays. Runs in planar RGB on the cell grid.
 */
export function cleanStrayCells(tolerance: number, feature: number): Step {
  const around = [[-1, -1], [0, -1], [1, -1], [-1, 0], [1, 0], [-1, 1], [0, 1], [1, 1]] as const;
  const at = (dx: number, dy: number): string => `(X+${dx}),(Y+${dy})`;
  // The cell's R, G, B read once (FFmpeg's st/ld), and the neighbours tested one by one
  // with `if`, which stops at the first neighbour like the cell: most cells have one
  // among the first two, so the formula (geq's cost) is mostly not evaluated.
  const unlike = around.map(([dx, dy]) => `gt(abs(r(${at(dx, dy)})-ld(0))+abs(g(${at(dx, dy)})-ld(1))+abs(b(${at(dx, dy)})-ld(2)),${n(tolerance)})`);
  const luma = (x: string): string => `(0.299*r(${x})+0.587*g(${x})+0.114*b(${x}))`;
  const meanAround = `(${around.map(([dx, dy]) => luma(at(dx, dy))).join('+')})/8`;
  const lone = unlike.reduceRight((inner, test) => `if(${test},${inner})`, `lt(${meanAround}-${luma('X,Y')},${n(feature)})`);
  return { blend: 'normal', side: median(1), maskFrom: rgbMask(lone) };
}

/**
 * How far a dark surrounding (a blur of σ 8 cells) is lifted toward luma 140: the share of
 * the difference, in full from the default strength (k 0.6) up, less below it, so a
 * gentler edit stays nearer the source.
 */
const PIXEL_DODGE = { lift: 0.4, fullFrom: 0.6, toward: 140, sigma: 8 } as const;

/**
 * The palette spread over the shot's tones, as a pixel artist picks a ramp for each
 * area: every cell in a dark area (a face in a dark shot, a dark coat) is lifted by part
 * of what its surroundings lack of the middle, so its features keep their differences
 * but fall on the palette's middle steps instead of one dark blotch; light areas keep
 * their tones, and their colour differences stretched by the same ratio as their luma,
 * so a lifted face keeps its skin's colour. A table on the cell grid of the cell's
 * planes (x) and its surroundings' luma (y).
 * (Pushing a cell from its surroundings' tone as well left lone cells on a textured
 * ground: 6.3 % of a gravel shot's cells, against 5.0 % without.)
 */
function dodgeCells(k: number): Step {
  const { toward, sigma } = PIXEL_DODGE;
  const lift = PIXEL_DODGE.lift * Math.min(1, k / PIXEL_DODGE.fullFrom);
  // Luma lifted as before; the colour differences scaled by the same ratio the luma
  // rose by (at most 2.5), so a lifted face keeps its skin's saturation rather than
  // turning a greyish lavender. (One gain on R, G and B instead also stretched a dark
  // ground's texture into lone cells: 6.4 % of a gravel shot's cells, against 5.1 %.)
  // The side carries the surroundings' luma in all three planes.
  const lifted = `(y+${n(lift)}*max(${toward}-y,0))`;
  const chroma = `clip(128+(x-128)*min(${lifted}/max(y,16),2.5),16,240)`;
  return {
    lut2: [`clip(x+${n(lift)}*max(${toward}-y,0),16,235)`, chroma, chroma],
    side: [`gblur=sigma=${sigma}:planes=1`, "geq=lum='lum(X,Y)':cb='lum(X,Y)':cr='lum(X,Y)'"],
    format: 'yuv444p',
  };
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
 * feature (an eye, a mouth), that feature's, instead of an average, dark areas lifted so their
 * features spread over the palette, its colours mapped to the nearest entry of a small
 * fixed palette tinted along a hand-picked ramp, with no dithering, dark outlines one cell wide where a
 * shape meets a lighter one, and every cell blown up to a square of whole output pixels.
 */
export function pixelArt(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  const cell = pixelCell(k, ctx);
  const cols = Math.ceil(ctx.width / cell), rows = Math.ceil(ctx.height / cell);
  const { luma, chroma } = PIXEL_PALETTE;
  return [
    ...atWorkSize(ctx, (sc) => [`bilateral=sigmaS=${n(3 * sc)}:sigmaR=0.15`]),
    ...sampleCells(cols, rows),
    `eq=saturation=${n(1.4 + 0.5 * k)}:contrast=${n(1.05 + 0.1 * k)}`,
    'format=yuv444p',
    // Shading, as a pixel artist ramps it: each cell's tone pushed away from its
    // neighbourhood's (about seven cells), so a face's cheek, brow and eye socket land on
    // different steps and a dark coat's folds on two, and the darks opened up so the
    // lowest steps are not one block. The cells are first steadied over time (a recursive
    // temporal filter, strongest where they barely change), so the push does not tip
    // them between steps. (atadenoise would wait for frames a short clip never has.)
    // Dark areas are lifted toward the middle first, so a dark shot's face spreads over
    // the palette too.
    'hqdn3d=0:0:6:6',
    dodgeCells(k),
    `unsharp=lx=7:ly=7:la=${n(0.25 + 0.15 * c)}:cx=3:cy=3:ca=0`,
    `lutyuv=y='255*pow(val/255,0.7)'`,
    // One hue across a shaded face: a faint warm tint is pushed out to the palette's
    // first colour step, so a shaded socket stays skin, darker, rather than a grey hole.
    WARM_TINT,
    `lutyuv=y='${softQuantise(luma, 60, PIXEL_FLOOR)}':u='${softQuantise(chroma, 60)}':v='${softQuantise(chroma, 60)}'`,
    // The palette's luma steps tinted along the hand-picked ramp (a grey source's own ramp is its whole palette).
    rampTint(ctx.colourless ? PIXEL_GREY_RAMP : PIXEL_RAMP),
    cleanStrayCells(24, 70),
    { blend: 'multiply', side: cellOutlines(64 - 12 * c, 0.8), opacity: 1 },
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
