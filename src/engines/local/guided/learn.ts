/**
 * Learning from the keyframe pair, end to end: align the image with frame 0 (undoing
 * a small global shift or zoom), fit the mapping, and measure how well the mapping
 * reproduces the image itself. Pure computation on frames in memory; the child
 * process (child.ts) runs it off the server's event loop.
 */
import { alignImage, undoTransform, type Alignment } from './alignment.ts';
import { compareFrames, type RgbFrame } from './metrics.ts';
import { applyGuidedModel, fitGuidedModel, type GuidedModel } from './model.ts';

/**
 * Below this alignment score the image is taken for something other than a restyle of
 * frame 0. Restyles of the test clips score 0.42 (edge drawings) to 1.0 (grades);
 * unrelated photos 0.1 to 0.3.
 */
export const MIN_ALIGNMENT = 0.35;

export interface KeyframeReport {
  alignment: Alignment;
  aligned: boolean;
  /** The learned mapping applied to frame 0, against the (aligned) image. */
  keyframe: { ssim: number; delta_e: number };
  /** The untouched frame 0 against the image: how much the image changed. */
  change: { ssim: number; delta_e: number };
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Mask out what came from outside the image before comparing. */
function masked(frame: RgbFrame, reference: RgbFrame, valid: Uint8Array): RgbFrame {
  const data = Uint8Array.from(frame.data);
  for (let i = 0; i < valid.length; i++) {
    if (valid[i]) continue;
    data[i * 3] = reference.data[i * 3]!;
    data[i * 3 + 1] = reference.data[i * 3 + 1]!;
    data[i * 3 + 2] = reference.data[i * 3 + 2]!;
  }
  return { ...frame, data };
}

/** Align, fit and measure. `model` is undefined when the image does not align. */
export function learnFromKeyframe(source: RgbFrame, image: RgbFrame): { report: KeyframeReport; model: GuidedModel | undefined } {
  const alignment = alignImage(source, image);
  const aligned = alignment.score >= MIN_ALIGNMENT;
  const identity = alignment.scale === 1 && alignment.shiftX === 0 && alignment.shiftY === 0;
  const { frame: target, valid } = identity ? { frame: image, valid: undefined } : undoTransform(image, alignment);
  const before = compareFrames(source, target);
  const rounded = { ...alignment, score: round(alignment.score), identityScore: round(alignment.identityScore), shiftX: round(alignment.shiftX, 4), shiftY: round(alignment.shiftY, 4) };
  const change = { ssim: round(before.ssim), delta_e: round(before.deltaE, 2) };
  if (!aligned) return { report: { alignment: rounded, aligned, keyframe: { ssim: 0, delta_e: 0 }, change }, model: undefined };
  const model = fitGuidedModel(source, target, { valid });
  const mapped: RgbFrame = { ...source, data: applyGuidedModel(model, source) };
  const fit = valid ? compareFrames(masked(mapped, target, valid), target) : compareFrames(mapped, target);
  return { report: { alignment: rounded, aligned, keyframe: { ssim: round(fit.ssim), delta_e: round(fit.deltaE, 2) }, change }, model };
}
