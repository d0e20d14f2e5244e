/**
 * Learning from the keyframe pair, end to end: align the image with frame 0 (undoing
 * a small global shift or zoom), fit the mapping, and measure how well the mapping
 * reproduces the image itself. Pure computation on frames in memory; the child
 * process (child.ts) runs it off the server's event loop.
 */
import { alignImage, undoTransform, type Alignment } from './alignment.ts';
import { compareFrames, type RgbFrame } from './metrics.ts';
import { applyGuidedModel, fitGuidedModel, type FitOptions, type GuidedModel } from './model.ts';

/**
 * Below this alignment score the image is taken for something other than a restyle of
 * frame 0. On the test clips restyles score 0.38 (edge drawings) to 1.0 (grades,
 * reliefs); another photo or another clip's frame 0.04 to 0.29.
 */
export const MIN_ALIGNMENT = 0.35;

/** Width the alignment score is measured at, and the checkerboard square there. */
const SCORE_WIDTH = 960;
const CHECKER = 32;

export interface KeyframeReport {
  /**
   * The transform search (alignment.ts), the held-out R² of the mapping (0..1) and the
   * score: the larger of the two views.
   */
  alignment: Alignment & { heldOut: number; score: number };
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

/** Area-average `frame` down to `width` × `height`. */
export function shrink(frame: RgbFrame, width: number, height: number): RgbFrame {
  const sums = new Float64Array(width * height * 3);
  const count = new Float64Array(width * height);
  for (let y = 0; y < frame.height; y++) {
    const sy = Math.min(height - 1, Math.floor((y * height) / frame.height));
    for (let x = 0; x < frame.width; x++) {
      const q = sy * width + Math.min(width - 1, Math.floor((x * width) / frame.width));
      const p = (y * frame.width + x) * 3;
      sums[q * 3]! += frame.data[p]!;
      sums[q * 3 + 1]! += frame.data[p + 1]!;
      sums[q * 3 + 2]! += frame.data[p + 2]!;
      count[q]! += 1;
    }
  }
  const data = new Uint8Array(width * height * 3);
  for (let q = 0; q < count.length; q++) for (let c = 0; c < 3; c++) data[q * 3 + c] = Math.round(sums[q * 3 + c]! / Math.max(1, count[q]!));
  return { width, height, data };
}

/**
 * How much of the image the mapping explains beyond what it was fitted on: learned on
 * the white squares of a checkerboard (at a small size, for speed), the share of the
 * image's variance it predicts on the black squares (R², 0..1). Near 1 for grades and
 * reliefs, well above zero for line drawings and paint, near zero for an unrelated
 * photo, whatever its edges happen to share with frame 0.
 */
export function heldOutScore(source: RgbFrame, target: RgbFrame, valid?: Uint8Array): number {
  const width = Math.min(SCORE_WIDTH, source.width);
  const height = Math.max(CHECKER, Math.round((width * source.height) / source.width));
  const s = shrink(source, width, height);
  const t = shrink(target, width, height);
  const inside = (x: number, y: number): boolean =>
    !valid || valid[Math.min(source.height - 1, Math.floor((y * source.height) / height)) * source.width + Math.min(source.width - 1, Math.floor((x * source.width) / width))] === 1;
  const train = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) train[y * width + x] = (Math.floor(x / CHECKER) + Math.floor(y / CHECKER)) % 2 === 0 && inside(x, y) ? 1 : 0;
  }
  const predicted = applyGuidedModel(fitGuidedModel(s, t, { valid: train, context: false }), s);
  const tested: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (!train[y * width + x] && inside(x, y) && (Math.floor(x / CHECKER) + Math.floor(y / CHECKER)) % 2 === 1) tested.push(y * width + x);
  }
  let residual = 0, total = 0;
  for (let c = 0; c < 3; c++) {
    let mean = 0;
    for (const i of tested) mean += t.data[i * 3 + c]! / tested.length;
    for (const i of tested) {
      residual += (predicted[i * 3 + c]! - t.data[i * 3 + c]!) ** 2;
      total += (t.data[i * 3 + c]! - mean) ** 2;
    }
  }
  // A flat image (one colour) is explained by any mapping; it is a valid, if dull, look.
  return total / Math.max(1, tested.length) < 4 ? 1 : Math.max(0, 1 - residual / total);
}

/** Where the image sits on frame 0 and how much it looks like a restyle of it. */
export interface KeyframeAlignment {
  alignment: Alignment & { heldOut: number; score: number };
  /** The image, with the transform found undone, and the pixels that came from inside it. */
  target: RgbFrame;
  valid: Uint8Array | undefined;
}

/** The alignment of `image` with frame 0 and its score (learnFromKeyframe's first half). */
export function alignKeyframe(source: RgbFrame, image: RgbFrame): KeyframeAlignment {
  // The edge search proposes a transform; the held-out score decides between it and
  // none (edge maps of reliefs and line drawings can favour a wrong shift).
  const search = alignImage(source, image);
  const identityScore = heldOutScore(source, image);
  const moved = search.scale !== 1 || search.shiftX !== 0 || search.shiftY !== 0 ? undoTransform(image, search) : undefined;
  const movedScore = moved ? heldOutScore(source, moved.frame, moved.valid) : -1;
  const useMoved = moved !== undefined && movedScore > identityScore;
  const edgeScore = useMoved ? search.edgeScore : search.identityScore;
  const blockScore = useMoved ? search.blockScore : search.identityBlockScore;
  const heldOut = useMoved ? movedScore : identityScore;
  // Two views of "is a restyle": the mapping predicts held-out parts of the image
  // (grades, reliefs, paint), or the image has its edges where frame 0 has them (line
  // drawings, whose thin strokes a regression predicts only in part). Either will do.
  const score = Math.max(heldOut, edgeScore);
  const alignment = useMoved
    ? { ...search, heldOut, score }
    : { ...search, scale: 1, shiftX: 0, shiftY: 0, edgeScore, blockScore, heldOut, score };
  return { alignment, target: useMoved ? moved.frame : image, valid: useMoved ? moved.valid : undefined };
}

/** Align, fit and measure. `model` is undefined when the image does not align. */
export function learnFromKeyframe(source: RgbFrame, image: RgbFrame, fitOptions: Omit<FitOptions, 'valid'> = {}): { report: KeyframeReport; model: GuidedModel | undefined } {
  const { alignment, target, valid } = alignKeyframe(source, image);
  const aligned = alignment.score >= MIN_ALIGNMENT;
  const before = compareFrames(source, target);
  const rounded = {
    ...alignment, score: round(alignment.score), heldOut: round(alignment.heldOut), edgeScore: round(alignment.edgeScore), identityScore: round(alignment.identityScore),
    blockScore: round(alignment.blockScore), identityBlockScore: round(alignment.identityBlockScore),
    shiftX: round(alignment.shiftX, 4), shiftY: round(alignment.shiftY, 4),
  };
  const change = { ssim: round(before.ssim), delta_e: round(before.deltaE, 2) };
  if (!aligned) return { report: { alignment: rounded, aligned, keyframe: { ssim: 0, delta_e: 0 }, change }, model: undefined };
  const model = fitGuidedModel(source, target, { ...fitOptions, valid });
  const mapped: RgbFrame = { ...source, data: applyGuidedModel(model, source) };
  const fit = valid ? compareFrames(masked(mapped, target, valid), target) : compareFrames(mapped, target);
  return { report: { alignment: rounded, aligned, keyframe: { ssim: round(fit.ssim), delta_e: round(fit.deltaE, 2) }, change }, model };
}
