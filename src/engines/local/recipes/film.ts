/**
 * Looks of old film. Noir: low-key black and white of hard light, deep shadows that keep
 * their detail, pools of light in a dark frame, the shadow of venetian blinds where it
 * could fall, lights that glow on the film, a heavy vignette and grain, no colour at any
 * strength. Sepia: a brown monochrome of faded paper, vignette and grain.
 */
import { num as n, type Step, type Texture } from '../filter-graph.ts';
import { lightsLevel, toneWindow } from '../tone-windows.ts';
import { atWorkSize, lutAll, type RecipeContext, unit, workSize } from './primitives.ts';

const staticGrain = (amount: number): string => `noise=c0s=${Math.max(1, Math.round(amount))}:c0f=u`;

/**
 * Pools of light: each pixel scaled by its surroundings' level (a blur of σ 40 at 540p)
 * over `level`, to the power `power`, within [`floor`, `lift`]: what lies in a dark part
 * of the frame sinks further, what the light falls on rises a little, so the frame reads
 * as lit by a few hard sources rather than evenly. The lift (`level` 150 and `lift` 1.25,
 * from 170 and 1.1) keeps the pools' contrast where the blinds' shade darkens a lit wall:
 * on the face clip, its middle tones in dark surroundings print at 0.48× those in light
 * ones (0.47× before the slats fell on its lit wall, 0.53× with them and the old lift);
 * deepening the `floor` to 0.45 instead crushed 1.2 % of a dark shot to black (0.86 %).
 * The lift fades out over the top of the range (wholly from `shoulder.from`, none at
 * `shoulder.to`) where the surroundings are brighter than `level`: a bright face lit by
 * a warm key, already near white after the tone stage, is not pressed flat white.
 * `level` and the shoulder were 150 and 150–235 while the tone stage took noir's lights
 * to white; it now takes them to 0.88 (tone-windows.ts, LIGHTS), and they moved with it.
 * Levels under `toe` are left as they are and the scaling comes in over the next `ramp`,
 * so the darks' own detail is not pressed to black (scaled alike, 2.4 % of a dark shot
 * went solid black, against 0.5 % before the pools).
 */
export const NOIR_POOLS = { sigma: 40, level: 135, power: 0.9, floor: 0.55, lift: 1.25, toe: 40, ramp: 100, shoulder: { from: 135, to: 212 } };

/** The blinds' slats at 540p: `period` pixels apart, `across` the direction (degrees) across them. */
export const NOIR_BLINDS = { period: 46, across: 114 };

/**
 * Where the blinds' shadow may fall, from measures of the source (levels 0..255 of a
 * copy at work size, all under blurs of σ 10 or more at 540p or taken over the whole
 * frame, so the mask neither flickers nor crawls). The source is the frame as the look
 * receives it: the tone stage has spread the shot over noir's whole window, so its
 * brightest tenth is white whatever it shows (a lit desk as much as a lamp or a sky),
 * and a level says where a surface stands in its shot, not how bright it was:
 * - `blue`: G+B over 2·R (a sky's blue, leaves' green) and `warm`: 1.5·R over G/2+B
 *   (skin, wood, yellowed leaves) over which a surface is no place for the slats,
 *   wholly so `tintRamp` levels above; a black-and-white source has neither;
 * - `busy`: texture and structure at the scale of features (four times the absolute
 *   difference from a blur of σ `grain`, averaged over `reach`) from which a surface
 *   counts as busy, wholly so `busyRamp` above: a face, a figure or a ball, which a
 *   black-and-white source gives no hue to tell by;
 * - `litFrom`: the level from which a surface is lit (wholly 40 above); `lampFrom`: the
 *   level near white from which it may be a light source (wholly `lamp.ramp` above),
 *   and is one only if small: where under a blur of `lamp.sigma` no more than
 *   `lamp.share` of its surroundings (255 for all) is as bright (none from
 *   `lamp.shareRamp` more). A lamp is a spot in its shot; a lit desk or wall, white
 *   after the tone stage as well, fills its surroundings (as judged by "over 205",
 *   a lit desk took no slats);
 * - `skyFrom`: in the upper part of the frame (wholly to `skyTop` of the height, not
 *   below `skyBottom`), a surface this bright (the level with its blue, wholly 30
 *   above) is a sky; `outdoors`: the sky's mean over the frame from which the frame is
 *   out of doors and the slats leave it (wholly at `full`). After the tone stage: a
 *   skyline 112, a desk lit from the top of the frame 50, an office with a lit ceiling
 *   46, a studio backdrop 29 (from 180, as the source's own levels were judged, they
 *   were 113, 76, 60 and 59: all four "out of doors", and no slats on the three indoors);
 * - `surface`: a place holds slats only where the mask under a blur of `sigma` is past
 *   `from` (wholly `ramp` above), so a small or faint patch gives way to its surroundings;
 * - `feather`: the blur (σ at 540p) that softens the mask's edges, so the shadow reads
 *   as cast light and not a cut-out.
 * - `margin`: the tint's and the busy measure's exclusions widened before the feather
 *   (a blur of σ `sigma` at 540p, then `gain` times), so the feathering does not carry
 *   the slats onto a cheek or over a figure's edge.
 */
export const NOIR_BLINDS_WHERE = {
  blue: 16, warm: 14, tintRamp: 24, busy: 10, busyRamp: 12, grain: 2.2, reach: 16, litFrom: 65, lampFrom: 230,
  lamp: { ramp: 20, sigma: 60, share: 90, shareRamp: 50 },
  skyFrom: 225, skyTop: 0.3, skyBottom: 0.65, outdoors: { from: 60, full: 90 },
  surface: { sigma: 20, from: 60, ramp: 80 }, feather: 8, margin: { sigma: 16, gain: 4 },
};

/** A still, 255 where the frame counts as its upper part (a sky's place), 0 below. */
function upperFrame(width: number, height: number): Texture {
  const { skyTop, skyBottom } = NOIR_BLINDS_WHERE;
  return { width, height, steps: [`geq=lum='255*clip((${n(skyBottom)}-Y/H)/${n(skyBottom - skyTop)},0,1)'`] };
}

/** The blinds' slats: a triangle wave across them, its upper part shade with soft edges (255 in the slats' shade). */
function slats(ctx: RecipeContext): Texture {
  const period = NOIR_BLINDS.period * unit(ctx);
  const a = (NOIR_BLINDS.across * Math.PI) / 180;
  const across = `(X*${n(Math.cos(a))}+Y*${n(Math.sin(a))})`;
  const tri = `abs(mod(${across},${n(period)})/${n(period)}*2-1)`;
  return { width: ctx.width, height: ctx.height, steps: [`geq=lum='255*clip((${tri}-0.45)*5,0,1)'`] };
}

/**
 * The shadow of venetian blinds as a multiply map of the source (255 where the light is
 * whole, `255·(1−depth)` in the slats' shade), cast only on flat, lit, untextured
 * surfaces: a wall, a desk, a floor, a backdrop; not a sky, skin, a light source or busy
 * texture, and none out of doors. Across the whole frame the slats read as "a flat
 * overlay" (docs/looks.md). The measures travel as the planes of one planar RGB copy
 * (FFmpeg's lut2 takes its planes in the order green, blue, red) and meet in a channel
 * mix: lit, less what is tinted, sky or busy.
 */
function blindsShadow(ctx: RecipeContext, depth: number): Step[] {
  const w = NOIR_BLINDS_WHERE;
  const work = workSize(ctx);
  const ramp = (from: number, over: number): string => `clip((val-${from})*${n(255 / over)},0,255)`;
  // The window's middle, from which the tone stage's curve differs from one that takes
  // the lights to the top; and where it takes them.
  const window = toneWindow('noir');
  const middle = 255 * (window.low + 0.5 * (window.high - window.low)), top = 255 * lightsLevel(window);
  const where = atWorkSize(ctx, (sc): Step[] => {
    // An exclusion (G, plane 0 of gbrp, or B, plane 1) widened past its edge: blurred,
    // then scaled up, so the feather below does not carry the slats onto what it keeps out.
    const widened = (channel: 'g' | 'b'): string[] => [
      `gblur=sigma=${n(w.margin.sigma * sc)}:planes=${channel === 'g' ? 1 : 2}`,
      `lutrgb=${channel}='min(255,${n(w.margin.gain)}*val)'`,
    ];
    return [
      // The levels as the measures were set on: the tone stage puts noir's lights at its
      // window's `lights`, not at white, so what lies above the window's middle is
      // stretched back up to white; the middle and below are as they were.
      lutAll(`if(lt(val,${n(middle)}),val,min(255,${n(middle)}+(val-${n(middle)})*${n((255 - middle) / (top - middle))}))`),
      // Level; a sky's blue or leaves' green (G+B over 2·R); the warm of skin, wood,
      // yellowed leaves (1.5·R over G/2+B).
      'colorchannelmixer=rr=0.299:rg=0.587:rb=0.114:gr=-2:gg=1:gb=1:br=1.5:bg=-0.5:bb=-1',
      `lutrgb=g='${ramp(w.blue, w.tintRamp)}':b='${ramp(w.warm, w.tintRamp)}'`,
      // Level; tint; the level with the blue or green, so a blue sky counts as bright as a white one.
      'colorchannelmixer=rr=1:rg=0:rb=0:gr=0:gg=1:gb=1:br=1:bg=1:bb=0',
      // A bright sky in the upper frame ...
      {
        lut2: ['x', `255*clip((x-${w.skyFrom})/30,0,1)*y/255`, 'x'],
        format: 'gbrp',
        side: [],
        texture: upperFrame(work.width, work.height),
      },
      // ... and, past `outdoors.from`, the sky's share of the whole frame: a frame with
      // much sky is out of doors, where no blinds hang.
      {
        lut2: ['x', `min(255,x+${n(255 / (w.outdoors.full - w.outdoors.from))}*max(0,y-${w.outdoors.from}))`, 'x'],
        format: 'gbrp',
        side: ['scale=1:1:flags=area', `scale=${work.width}:${work.height}`],
      },
      // Level; tint and sky, what is no surface for the slats; the level again, for its texture.
      'colorchannelmixer=rr=1:rg=0:rb=0:gr=0:gg=1:gb=1:br=1:bg=0:bb=0',
      { lut2: ['x', 'min(4*abs(x-y),255)', 'x'], format: 'gbrp', side: [`gblur=sigma=${n(w.grain * sc)}`] },
      `gblur=sigma=${n(w.reach * sc)}`,
      ...widened('g'),
      // Lit and not a light source; tinted or sky; busy. A light source is at the top of
      // the range AND small: what is as bright over a wide reach is a lit surface.
      {
        lut2: ['x', ramp(w.busy, w.busyRamp).replaceAll('val', 'x'),
          `255*clip((x-${w.litFrom})/40,0,1)*(1-clip((x-${w.lampFrom})/${w.lamp.ramp},0,1)*clip((${w.lamp.share + w.lamp.shareRamp}-y)/${w.lamp.shareRamp},0,1))`],
        format: 'gbrp',
        side: [`lutrgb=r='${ramp(w.lampFrom, w.lamp.ramp)}'`, `gblur=sigma=${n(w.lamp.sigma * sc)}`],
      },
      ...widened('b'),
      // What is lit, less what is tinted, sky or busy.
      'colorchannelmixer=rr=1:rg=-1:rb=-1:gr=1:gg=-1:gb=-1:br=1:bg=-1:bb=-1',
      'format=gray',
      // Only a surface large enough to hold a few slats: a small or faint patch (a leaf, a
      // cheek) gives way to its surroundings.
      { lut2: `x*clip((y-${w.surface.from})/${w.surface.ramp},0,1)`, format: 'gray', side: [`gblur=sigma=${n(w.surface.sigma * sc)}`] },
      `gblur=sigma=${n(w.feather * sc)}`,
    ];
  });
  return [...where, { lut2: `255-${n(depth)}*x*y/255`, format: 'gray', side: [], texture: slats(ctx) }];
}

export function noir(k: number, ctx: RecipeContext): Step[] {
  const c = Math.min(k, 1);
  // An odd size, 9 pixels at 540p: FFmpeg's unsharp refuses a square matrix over 13
  // ("matrix size too big"), so 1080p gets 13, not 17.
  const hardEdge = Math.min(13, 2 * Math.round(4 * unit(ctx)) + 1);
  return [
    // The blinds first, on the source's colour and light, as the light itself would be cut.
    { lut2: 'x*y/255', format: 'gbrp', side: blindsShadow(ctx, 0.3 + 0.15 * c) },
    'hue=s=0',
    // Low key: the middle tones sink toward the shadows, which keep a long toe of detail
    // (no level is flattened to black, so a dark face keeps its features); highlights
    // stay bright.
    `curves=all='0/0 0.08/0.055 0.25/${n(0.16 - 0.03 * c)} 0.5/${n(0.42 - 0.06 * c)} 0.8/0.84 1/1'`,
    // Pools of light, then hard light's crisp edges (local contrast a few pixels wide).
    {
      lut2: `x-(1-clip(pow(y/${NOIR_POOLS.level},${n(NOIR_POOLS.power)}),${n(NOIR_POOLS.floor)},${n(NOIR_POOLS.lift)}))*x*clip((x-${NOIR_POOLS.toe})/${NOIR_POOLS.ramp},0,1)`
        + `*if(gt(y,${NOIR_POOLS.level}),clip((${NOIR_POOLS.shoulder.to}-x)/${NOIR_POOLS.shoulder.to - NOIR_POOLS.shoulder.from},0,1),1)`,
      side: atWorkSize(ctx, (sc) => [`gblur=sigma=${n(NOIR_POOLS.sigma * sc)}`]),
      format: 'gray',
    },
    `unsharp=lx=${hardEdge}:ly=${hardEdge}:la=0.7`,
    // Halation: the lights glow into the film around them. From 185 (it was 170): a face
    // that is most of a night shot's lights glowed as a whole into a white mask.
    {
      blend: 'screen',
      opacity: 0.45 + 0.2 * c,
      side: atWorkSize(ctx, (sc) => [lutAll('clip((val-185)*4,0,255)'), `gblur=sigma=${n(9 * sc)}`]),
    },
    `vignette=a=${n(0.4 + 0.3 * c)}:dither=0`,
    // After the vignette, whose rounding would nudge neutral chroma off grey.
    'hue=s=0',
    'format=yuv444p',
    staticGrain(6 + 8 * k),
  ];
}

export function sepia(k: number): Step[] {
  const c = Math.min(k, 1);
  // Mostly sepia at every level (otherwise it is not sepia); the strength finishes
  // the toning and drives the fade, vignette and grain.
  const m = Math.min(1, 0.7 + 0.3 * k);
  const mix = (toned: number, identity: number): string => n(m * toned + (1 - m) * identity);
  return [
    `colorchannelmixer=rr=${mix(0.393, 1)}:rg=${mix(0.769, 0)}:rb=${mix(0.189, 0)}` +
      `:gr=${mix(0.349, 0)}:gg=${mix(0.686, 1)}:gb=${mix(0.168, 0)}` +
      `:br=${mix(0.272, 0)}:bg=${mix(0.534, 0)}:bb=${mix(0.131, 1)}`,
    // Faded print: lifted blacks, dimmed whites.
    `curves=all='0/${n(0.1 + 0.08 * k)} 1/${n(0.95 - 0.08 * k)}'`,
    'format=yuv444p',
    `vignette=a=${n(0.25 + 0.35 * c)}`,
    staticGrain(4 + 8 * k),
  ];
}
