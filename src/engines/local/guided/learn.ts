/**
 * Learning from the keyframe pair, end to end: align the image with frame 0 (undoing
 * a small global shift or zoom), fit the mapping, and measure how well the mapping
 * reproduces the image itself. Pure computation on frames in memory; the child
 * process (child.ts) runs it off the server's event loop.
 */
import { alignImage, undoTransform, type Alignment } from './alignment.ts';
import { boxBlur } from './features.ts';
import { compareFrames, type RgbFrame } from './metrics.ts';
import type { GuidedParts } from './marks/marks.ts';
import { applyGuidedModel, fitGuidedModel, type FitOptions, type GuidedModel } from './model.ts';

/**
 * Below this alignment score the image is taken for something other than a restyle of
 * frame 0. On the evaluation sets (120 restyles, 52 other pictures: other photos, other
 * clips' frames, flipped and cropped restyles) restyles score 0.55 (oil paint) to 1.0,
 * other pictures 0.0 to 0.19.
 */
export const MIN_ALIGNMENT = 0.35;

/** Width the alignment score is measured at, and the checkerboard square there. */
const SCORE_WIDTH = 960;
const CHECKER = 32;

export interface KeyframeReport {
  /** The transform search (alignment.ts), the mapping's prediction of the image and the score from both. */
  alignment: Alignment & Prediction & { score: number };
  aligned: boolean;
  /** The learned mapping applied to frame 0, against the (aligned) image. */
  keyframe: { ssim: number; delta_e: number };
  /** The untouched frame 0 against the image: how much the image changed. */
  change: { ssim: number; delta_e: number };
  /** What the restyle did, by part (marks/marks.ts); written by the learning child when the image aligned. */
  parts?: GuidedParts | undefined;
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

/** Area-average `frame` down to `width` × `height` (the frame itself when it is that size). */
export function shrink(frame: RgbFrame, width: number, height: number): RgbFrame {
  if (frame.width === width && frame.height === height) return frame;
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

/** How much of the image a mapping learned on part of it predicts on the rest (prediction()). */
export interface Prediction {
  /** R² of the colour, 0..1. */
  heldOut: number;
  /** R² of the fine detail alone (luma minus its 5×5 mean), 0..1. */
  detail: number;
  /** R² of the detail a few pixels wide (luma's 3×3 mean minus its 9×9 mean), 0..1. */
  midDetail: number;
  /** The image is of one colour (it varies by less than about 2 levels of 255): any mapping predicts it. */
  oneColour: boolean;
}

/** R² of `predicted` against `truth` over `pixels`, or `ifFlat` when the truth varies less than `flat` a pixel. */
function rSquared(
  truth: ArrayLike<number>, predicted: ArrayLike<number>, pixels: readonly number[], channels: number, centred: boolean, flat: number, ifFlat: number,
): number {
  let residual = 0, total = 0;
  for (let c = 0; c < channels; c++) {
    let mean = 0;
    if (!centred) for (const i of pixels) mean += truth[i * channels + c]! / pixels.length;
    for (const i of pixels) {
      residual += (predicted[i * channels + c]! - truth[i * channels + c]!) ** 2;
      total += (truth[i * channels + c]! - mean) ** 2;
    }
  }
  return total / Math.max(1, pixels.length) < flat ? ifFlat : Math.max(0, 1 - residual / total);
}

function lumaOf(frame: RgbFrame): Float32Array {
  const { data } = frame;
  const luma = new Float32Array(frame.width * frame.height);
  for (let i = 0; i < luma.length; i++) luma[i] = 0.299 * data[i * 3]! + 0.587 * data[i * 3 + 1]! + 0.114 * data[i * 3 + 2]!;
  return luma;
}

/** Luma minus its 5×5 mean: the fine detail of a frame. */
function detailOf(frame: RgbFrame): Float32Array {
  const { width, height } = frame;
  const luma = lumaOf(frame);
  const mean = boxBlur(luma, width, height, 2);
  for (let i = 0; i < luma.length; i++) luma[i]! -= mean[i]!;
  return luma;
}

/** Luma's 3×3 mean minus its 9×9 mean: detail a few pixels wide, which survives an image saved smaller or as JPEG. */
function midDetailOf(frame: RgbFrame): Float32Array {
  const { width, height } = frame;
  const luma = lumaOf(frame);
  const near = boxBlur(luma, width, height, 1);
  const wide = boxBlur(luma, width, height, 4);
  for (let i = 0; i < luma.length; i++) luma[i] = near[i]! - wide[i]!;
  return luma;
}

/**
 * How much of the image the mapping explains beyond what it was fitted on: learned on
 * the white squares of a checkerboard (at a small size, for speed), the share of the
 * image's variance it predicts on the black squares, for its colour and for its detail
 * alone (at two scales). Any picture's broad layout (a sky above, a dark ground) can be
 * predicted in part from frame 0's; its fine detail only when it was made from frame 0
 * pixel for pixel: lines, edges, grain and texture in their places.
 */
export function prediction(source: RgbFrame, target: RgbFrame, valid?: Uint8Array): Prediction {
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
  const predicted: RgbFrame = { width, height, data: applyGuidedModel(fitGuidedModel(s, t, { valid: train, context: false }), s) };
  const tested: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (!train[y * width + x] && inside(x, y) && (Math.floor(x / CHECKER) + Math.floor(y / CHECKER)) % 2 === 1) tested.push(y * width + x);
  }
  // An image without detail says nothing through its detail (0); one of a single colour
  // is a valid, if dull, look (alignmentScore).
  const heldOut = rSquared(t.data, predicted.data, tested, 3, false, 4, -1);
  return {
    oneColour: heldOut < 0,
    heldOut: heldOut < 0 ? 1 : heldOut,
    detail: rSquared(detailOf(t), detailOf(predicted), tested, 1, true, 1, 0),
    midDetail: rSquared(midDetailOf(t), midDetailOf(predicted), tested, 1, true, 1, 0),
  };
}

/**
 * The alignment score from its views: the detail the mapping predicts, at either scale
 * (an image made from frame 0 pixel for pixel); for restyles that erase detail (paint,
 * blur), the colour it predicts and frame 0's edges found block by block, the lesser of
 * the two, less an allowance for what unrelated pictures of similar layout share; and,
 * for restyles made of marks (dither, hatching, an aged print with its border and
 * vignette), whose fine texture owes nothing to frame 0's, how well the two agree at a
 * coarse scale (light and dark regions inside the frame, alignment.ts), less its own
 * allowance; and for random strokes that hide most of the picture, how well the two
 * agree at a broader scale where frame 0 has structure, without a transform (measured
 * only at identity: `broadStructureScore` undefined for a moved image). On the
 * evaluation sets restyles score 0.55 or more (ImageMagick's hatching 0.37–0.72), other
 * pictures 0.19 or less (0.20 in the broad view's own check).
 */
function alignmentScore(predicted: Prediction, blockScore: number, structureScore: number, broadStructureScore?: number): number {
  if (predicted.oneColour) return 1;
  return Math.max(predicted.detail, predicted.midDetail, Math.min(predicted.heldOut, blockScore) - LAYOUT_ALLOWANCE,
    structureScore - STRUCTURE_ALLOWANCE, (broadStructureScore ?? 0) - BROAD_STRUCTURE_ALLOWANCE);
}
const LAYOUT_ALLOWANCE = 0.25;
/** Pictures that are not restyles reach 0.21 in coarse structure (alignment.ts), restyles made of marks 0.6 and more. */
const STRUCTURE_ALLOWANCE = 0.2;
/**
 * Pictures that are not restyles reach 0.25 in broad structure (alignment.ts; measured
 * only without a transform), random strokes lightened over the picture 0.42 and more.
 */
const BROAD_STRUCTURE_ALLOWANCE = 0.05;

/** Where the image sits on frame 0 and how much it looks like a restyle of it. */
export interface KeyframeAlignment {
  alignment: Alignment & Prediction & { score: number };
  /** The image, with the transform found undone, and the pixels that came from inside it. */
  target: RgbFrame;
  valid: Uint8Array | undefined;
}

/** The alignment of `image` with frame 0 and its score (learnFromKeyframe's first half). */
export function alignKeyframe(source: RgbFrame, image: RgbFrame): KeyframeAlignment {
  // The edge search proposes a transform; how well the mapping predicts the image
  // decides between it and none (edge maps of reliefs and line drawings can favour a
  // wrong shift).
  const search = alignImage(source, image);
  const identity = prediction(source, image);
  const moved = search.scale !== 1 || search.shiftX !== 0 || search.shiftY !== 0 ? undoTransform(image, search) : undefined;
  const movedPrediction = moved ? prediction(source, moved.frame, moved.valid) : undefined;
  const useMoved = moved !== undefined && movedPrediction !== undefined &&
    alignmentScore(movedPrediction, search.blockScore, search.structureScore) >
      alignmentScore(identity, search.identityBlockScore, search.identityStructureScore, search.broadStructureScore);
  const predicted = useMoved ? movedPrediction : identity;
  const edgeScore = useMoved ? search.edgeScore : search.identityScore;
  const blockScore = useMoved ? search.blockScore : search.identityBlockScore;
  const structureScore = useMoved ? search.structureScore : search.identityStructureScore;
  const score = alignmentScore(predicted, blockScore, structureScore, useMoved ? undefined : search.broadStructureScore);
  const views = { heldOut: predicted.heldOut, detail: predicted.detail, midDetail: predicted.midDetail, oneColour: predicted.oneColour, score };
  const alignment = useMoved
    ? { ...search, ...views }
    : { ...search, scale: 1, shiftX: 0, shiftY: 0, edgeScore, blockScore, structureScore, ...views };
  return { alignment, target: useMoved ? moved.frame : image, valid: useMoved ? moved.valid : undefined };
}

/** A mapping fitted to a keyframe's image and how well it reproduces it. */
export interface KeyframeFit {
  model: GuidedModel;
  keyframe: KeyframeReport['keyframe'];
}

/** Fit the mapping from frame 0 to `target` (on its `valid` pixels) and measure it (learnFromKeyframe's second half). */
export function fitKeyframe(source: RgbFrame, target: RgbFrame, valid: Uint8Array | undefined, fitOptions: Omit<FitOptions, 'valid'> = {}): KeyframeFit {
  const model = fitGuidedModel(source, target, { ...fitOptions, valid });
  const mapped: RgbFrame = { ...source, data: applyGuidedModel(model, source) };
  const fit = valid ? compareFrames(masked(mapped, target, valid), target) : compareFrames(mapped, target);
  return { model, keyframe: { ssim: round(fit.ssim), delta_e: round(fit.deltaE, 2) } };
}

/** The alignment and the comparison of frame 0 with the image (learnFromKeyframe's first half). */
function alignAndCompare(source: RgbFrame, image: RgbFrame): KeyframeAlignment & { report: KeyframeReport } {
  const found = alignKeyframe(source, image);
  const { alignment, target } = found;
  const aligned = alignment.score >= MIN_ALIGNMENT;
  const before = compareFrames(source, target);
  const rounded = {
    ...alignment, score: round(alignment.score), heldOut: round(alignment.heldOut), detail: round(alignment.detail), midDetail: round(alignment.midDetail), edgeScore: round(alignment.edgeScore), identityScore: round(alignment.identityScore),
    blockScore: round(alignment.blockScore), identityBlockScore: round(alignment.identityBlockScore),
    structureScore: round(alignment.structureScore), identityStructureScore: round(alignment.identityStructureScore),
    broadStructureScore: round(alignment.broadStructureScore),
    shiftX: round(alignment.shiftX, 4), shiftY: round(alignment.shiftY, 4),
  };
  const change = { ssim: round(before.ssim), delta_e: round(before.deltaE, 2) };
  return { ...found, report: { alignment: rounded, aligned, keyframe: { ssim: 0, delta_e: 0 }, change } };
}

/** The report, the mapping (undefined when the image does not align) and the image as it was learned from: aligned, with its valid pixels. */
export type Learned = { report: KeyframeReport; model: GuidedModel | undefined; target: RgbFrame; valid: Uint8Array | undefined };

function withFit(found: KeyframeAlignment & { report: KeyframeReport }, fit: KeyframeFit | undefined): Learned {
  const { report, target, valid } = found;
  return fit ? { report: { ...report, keyframe: fit.keyframe }, model: fit.model, target, valid } : { report, model: undefined, target, valid };
}

/** Align, fit and measure. `model` is undefined when the image does not align. */
export function learnFromKeyframe(source: RgbFrame, image: RgbFrame, fitOptions: Omit<FitOptions, 'valid'> = {}): Learned {
  const found = alignAndCompare(source, image);
  return withFit(found, found.report.aligned ? fitKeyframe(source, found.target, found.valid, fitOptions) : undefined);
}

/**
 * learnFromKeyframe with its two halves side by side: `fitOnImage` fits the image as it
 * stands (elsewhere: the guided child runs it on another thread) while this aligns. The
 * alignment nearly always keeps the image where it is, and then that fit is the one
 * learnFromKeyframe makes; when it moves the image, the fit is made again here.
 */
export async function learnFromKeyframeBeside(source: RgbFrame, image: RgbFrame, fitOnImage: Promise<KeyframeFit>): Promise<Learned> {
  const found = alignAndCompare(source, image);
  const { report, target, valid } = found;
  if (!report.aligned) return withFit(found, undefined);
  return withFit(found, target === image && valid === undefined ? await fitOnImage : fitKeyframe(source, target, valid));
}
