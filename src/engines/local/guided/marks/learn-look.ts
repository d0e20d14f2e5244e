/**
 * The whole look of a keyframe: the mapping, then what the restyle did beyond it (its
 * canvas and picture marks, marks.ts). When the restyle has a canvas, the mapping fitted
 * on the whole image has also learned the canvas's darkening or tint as if it belonged
 * to whatever stood under it on frame 0 (sky under a vignette's corner comes out dark
 * wherever it appears later), so the mapping is fitted again without the pixels the
 * canvas changes much, and the canvas again on that mapping's output.
 */
import { fitKeyframe, type Learned } from '../learn.ts';
import type { RgbFrame } from '../metrics.ts';
import { applyGuidedModel } from '../model.ts';
import { borderMask, canvasMask } from './fit-canvas.ts';
import { learnKeyframeMarks, type GuidedParts, type Marks } from './marks.ts';

/** The refit is made only when at least this share of the frame is left to learn from. */
const MIN_KEPT = 0.15;

export interface LearnedLook extends Learned {
  marks: Marks | undefined;
  /** The parts found; undefined when the image did not align. */
  parts: GuidedParts | undefined;
}

/** The mapping (refitted without the canvas's pixels when there is a canvas), the marks and the parts of `learned`. */
export function learnLook(source: RgbFrame, learned: Learned): LearnedLook {
  const { model, target, valid } = learned;
  if (!model) return { ...learned, marks: undefined, parts: undefined };
  const first = learnKeyframeMarks(source, model, target, valid);
  const canvas = first.marks?.canvas;
  if (!canvas || !(canvas.border ?? canvas.grid)) return { ...learned, report: { ...learned.report, parts: first.parts }, ...first };
  const changed = canvasMask(canvas, { ...source, data: applyGuidedModel(model, source) });
  const border = borderMask(canvas.border, source.width, source.height);
  const keep = new Uint8Array(changed.length);
  let kept = 0;
  for (let i = 0; i < keep.length; i++) {
    keep[i] = !changed[i] && !border[i] && (!valid || valid[i]) ? 1 : 0;
    kept += keep[i]!;
  }
  if (kept < MIN_KEPT * keep.length) return { ...learned, report: { ...learned.report, parts: first.parts }, ...first };
  const fit = fitKeyframe(source, target, keep);
  const again = learnKeyframeMarks(source, fit.model, target, valid);
  return { ...learned, model: fit.model, report: { ...learned.report, keyframe: fit.keyframe, parts: again.parts }, ...again };
}
