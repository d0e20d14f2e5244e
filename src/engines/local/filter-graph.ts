/**
 * A tiny language for filter recipes that need more than a straight chain: a step is a
 * filter, or a blend of the picture with a processed copy of itself (edge lines
 * multiplied in, a blurred copy screened on for glow, a colour-dodge sketch ...), or a
 * combination of the picture with a still texture (paper, a halftone screen, hatching)
 * made once per render and repeated, so it is fixed to the frame and costs nothing
 * per frame to make. `composeGraph` turns the steps into FFmpeg filtergraph text with
 * unique labels; `link` writes one chain of a graph (render-plan.ts builds its outer
 * graph with it).
 */

export type BlendMode = 'normal' | 'multiply' | 'screen' | 'overlay' | 'softlight' | 'dodge' | 'subtract' | 'lighten' | 'darken';

/** A still picture made once: `steps` run on one mid-grey frame of `width`×`height`. */
export interface Texture {
  width: number;
  height: number;
  steps: Step[];
}

export interface BlendStep {
  blend: BlendMode;
  /** Steps applied to the copy. Ignored when `texture` is given. */
  side: Step[];
  /**
   * Blend with this still texture instead of a copy of the picture. The picture stays
   * FFmpeg's first input (it sets the timing; the texture only repeats), so asymmetric
   * modes see the texture as the bottom layer.
   */
  texture?: Texture | undefined;
  /**
   * For `normal` with a copy: a still grey texture weighting the copy pixel by pixel
   * (0 keeps the picture, 255 takes the copy), FFmpeg's `maskedmerge`; `opacity` is then
   * ignored. An effect that falls off toward the frame's edges, for example.
   */
  mask?: Texture | undefined;
  /**
   * For `normal` with a copy: a grey mask made from the picture itself by these steps,
   * weighting the copy pixel by pixel as `mask` does, but changing with every frame
   * (a cell's own test, a tone band ...). `opacity` is then ignored.
   */
  maskFrom?: Step[] | undefined;
  /**
   * For `normal`: the weight of the copy. For the other modes: how much of the blended
   * result replaces the picture. Default 1.
   */
  opacity?: number;
  /** Put the copy on top (FFmpeg's first blend input); needed for the asymmetric modes. */
  sideOnTop?: boolean;
  /**
   * Pixel format the blend runs in. Default `gbrp`; `gray` for pictures that are grey
   * already (edge masks, sketches): one plane instead of three, and no RGB conversion.
   */
  format?: 'gbrp' | 'gray';
}

/**
 * A two-input lookup table (FFmpeg `lut2`): every plane becomes `expression` of `x`
 * (the picture) and `y` (the processed copy or the texture), both 0..255. Computed once
 * as a table, so a threshold against a halftone screen costs a lookup per pixel.
 */
export interface LookupStep {
  /** One expression for every plane, or one a plane. */
  lut2: string | readonly [string, string, string];
  side: Step[];
  texture?: Texture | undefined;
  /** As for {@link BlendStep.format}; `yuv444p` for a table over luma and colour differences. */
  format?: 'gbrp' | 'gray' | 'yuv444p';
}

/**
 * A named kernel of the marks stage (marks/stage.ts), run on every frame in order in a
 * child process: the render is cut there into decoder | marks | encoder, the steps before
 * it running in the decoder's graph and the steps after it in the encoder's. At most one
 * per look, at the top level (not inside a blend's side).
 */
export interface MarksStep {
  /** The kernel's name (pixel-stage/native/marks-kernels.h). */
  marks: string;
  /** The kernel's parameters, in the order the kernel documents. */
  params: readonly number[];
  /**
   * Short side, in pixels, the kernel works at: frames are scaled to it before the
   * kernel and back to the output size after. Default: the output size.
   */
  proxy?: number | undefined;
  /**
   * The exact size of the frames the kernel works on, which the look's steps before it
   * produce (pixel art's cell grid, one pixel a cell); the steps after it bring the
   * frame back to the output size. Not with `proxy`.
   */
  size?: { width: number; height: number } | undefined;
}

export type Step = string | BlendStep | LookupStep | MarksStep;

/** Whether `step` is a marks step. */
export const isMarks = (step: Step): step is MarksStep => typeof step === 'object' && 'marks' in step;

/** Format a filter parameter: at most three decimals, no exponent. */
export const num = (value: number): string => String(Math.round(value * 1000) / 1000);

/** Labels as FFmpeg writes them: `[a][b]`. */
const labelled = (names: string | readonly string[]): string =>
  (typeof names === 'string' ? [names] : names).map((name) => `[${name}]`).join('');

/**
 * One chain of a filtergraph: `[inputs]filter,filter[outputs]`. An input may be a
 * stream specifier (`0:v`); no filters is `null`, FFmpeg's pass-through. Chains join
 * into a graph with `;`.
 */
export function link(inputs: string | readonly string[], filters: string | readonly string[], outputs: string | readonly string[]): string {
  const chain = typeof filters === 'string' ? filters : filters.length > 0 ? filters.join(',') : 'null';
  return `${labelled(inputs)}${chain}${labelled(outputs)}`;
}

/**
 * Filtergraph text that reads `[input]`, applies `steps` and writes `[output]`. Internal
 * labels start with `prefix`, so several fragments can share one graph.
 */
export function composeGraph(steps: readonly Step[], input: string, output: string, prefix: string): string {
  let counter = 0;
  const label = (): string => `${prefix}${counter++}`;
  const build = (list: readonly Step[], from: string, to: string): string[] => {
    const parts: string[] = [];
    let current = from;
    let chain: string[] = [];
    for (const step of list) {
      if (typeof step === 'string') {
        chain.push(step);
        continue;
      }
      if ('marks' in step) throw new Error(`The marks step ${step.marks} cannot run inside a filter graph; the render plan cuts the look there`);
      const [main, copy, processed, merged] = [label(), label(), label(), label()];
      // Blends run in planar RGB (or grey): multiplying or screening YUV chroma planes is meaningless.
      const format = `format=${step.format ?? 'gbrp'}`;
      if (step.texture) {
        parts.push(link(current, [...chain, format], main));
        const { width, height, steps } = step.texture;
        // One frame, processed once, then repeated for as long as the picture runs.
        parts.push(link([], [`color=c=0x808080:s=${width}x${height}:r=1:d=1`, 'format=gray'], copy));
        // Pinned grey to the end: otherwise FFmpeg may convert to the blend's format
        // right at the source and run grey-only steps (noise, lut c0) on one plane of three.
        parts.push(...build([...steps, 'format=gray', format, 'loop=loop=-1:size=1'], copy, processed));
      } else if ('mask' in step && step.mask) {
        // The mask made once and repeated, timed by a third copy of the picture (a lut2
        // that ends with it: maskedmerge alone would wait on the endless mask).
        const [clock, still, looped, mask] = [label(), label(), label(), label()];
        parts.push(link(current, [...chain, format, 'split=3'], [main, copy, clock]));
        parts.push(...build([...step.side, format], copy, processed));
        const { width, height, steps } = step.mask;
        parts.push(link([], [`color=c=0x808080:s=${width}x${height}:r=1:d=1`, 'format=gray'], still));
        parts.push(...build([...steps, 'format=gray', 'loop=loop=-1:size=1'], still, looped));
        const [grey, weights] = [label(), label()];
        parts.push(link(clock, 'format=gray', grey));
        parts.push(link([grey, looped], "lut2=c0='y':shortest=1", weights));
        parts.push(link(weights, format, mask));
        parts.push(link([main, processed, mask], 'maskedmerge', merged));
      } else if ('maskFrom' in step && step.maskFrom) {
        const [source, mask] = [label(), label()];
        parts.push(link(current, [...chain, format, 'split=3'], [main, copy, source]));
        parts.push(...build([...step.side, format], copy, processed));
        parts.push(...build([...step.maskFrom, 'format=gray', format], source, mask));
        parts.push(link([main, processed, mask], 'maskedmerge', merged));
      } else {
        parts.push(link(current, [...chain, format, 'split'], [main, copy]));
        parts.push(...build([...step.side, format], copy, processed));
      }
      chain = [];
      if ((('mask' in step && step.mask) || ('maskFrom' in step && step.maskFrom)) && !step.texture) {
        // Merged above.
      } else if ('lut2' in step) {
        const planes = step.format === 'gray' ? ['c0'] : ['c0', 'c1', 'c2'];
        const expr = (i: number): string => (typeof step.lut2 === 'string' ? step.lut2 : step.lut2[i]!);
        parts.push(link([main, processed], `lut2=${planes.map((c, i) => `${c}='${expr(i)}'`).join(':')}${step.texture ? ':shortest=1' : ''}`, merged));
      } else {
        const [top, bottom] = !step.texture && (step.sideOnTop || step.blend === 'normal') ? [processed, main] : [main, processed];
        // A normal blend with a texture: the opacity is the texture's weight, as for a copy.
        const opacity = step.texture && step.blend === 'normal' ? 1 - (step.opacity ?? 1) : (step.opacity ?? 1);
        parts.push(link([top, bottom], `blend=all_mode=${step.blend}:all_opacity=${num(opacity)}${step.texture ? ':shortest=1' : ''}`, merged));
      }
      current = merged;
    }
    parts.push(link(current, chain, to));
    return parts;
  };
  return build(steps, input, output).join(';');
}
