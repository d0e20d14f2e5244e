/**
 * A tiny language for filter recipes that need more than a straight chain: a step is a
 * filter, or a blend of the picture with a processed copy of itself (edge lines
 * multiplied in, a blurred copy screened on for glow, a colour-dodge sketch ...).
 * `composeGraph` turns the steps into FFmpeg filtergraph text with unique labels.
 */

export type BlendMode = 'normal' | 'multiply' | 'screen' | 'overlay' | 'softlight' | 'dodge' | 'subtract' | 'lighten' | 'darken';

export interface BlendStep {
  blend: BlendMode;
  /** Steps applied to the copy. */
  side: Step[];
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

export type Step = string | BlendStep;

/** Format a filter parameter: at most three decimals, no exponent. */
export const num = (value: number): string => String(Math.round(value * 1000) / 1000);

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
      const [main, copy, processed, merged] = [label(), label(), label(), label()];
      // Blends run in planar RGB (or grey): multiplying or screening YUV chroma planes is meaningless.
      const format = `format=${step.format ?? 'gbrp'}`;
      parts.push(`[${current}]${[...chain, format, 'split'].join(',')}[${main}][${copy}]`);
      chain = [];
      parts.push(...build([...step.side, format], copy, processed));
      const [top, bottom] = step.sideOnTop || step.blend === 'normal' ? [processed, main] : [main, processed];
      parts.push(`[${top}][${bottom}]blend=all_mode=${step.blend}:all_opacity=${num(step.opacity ?? 1)}[${merged}]`);
      current = merged;
    }
    parts.push(`[${current}]${chain.length > 0 ? chain.join(',') : 'null'}[${to}]`);
    return parts;
  };
  return build(steps, input, output).join(';');
}
