/**
 * What a restyle did beyond the tone mapping, learned from the keyframe pair and
 * carried to every frame: the canvas (fit-canvas.ts, kept in place) and the picture
 * marks (fit-marks.ts, re-made on each frame from the source), with the record of the
 * parts found that the interpretation shows. Applied after the mapping, in that order.
 */
import { compareFrames, type RgbFrame } from '../metrics.ts';
import { applyGuidedModel, type GuidedModel } from '../model.ts';
import { applyCanvas, fitCanvas, type Canvas } from './fit-canvas.ts';
import { applyPictureMarks, fitPictureMarks, type PictureMarks } from './fit-marks.ts';

export interface Marks {
  canvas: Canvas;
  picture?: PictureMarks | undefined;
}

/**
 * The keyframe's texture figure (TE, texture-error.ts) from which picture marks are
 * added: below it the mapping already carries the image's texture (tone-driven and
 * edge-driven looks), and added marks only cost SSIM. Paint is the case in between: on
 * bbb_10s.webm the own set's median and posterise paint (keyframe TE 0.58) and
 * ImageMagick's oil paint (0.66) took marks at a lower gate and lost 0.07–0.08 of
 * SSIM-Y; the grain and dither of the tuned marks set have 0.78 and more.
 */
export const PICTURE_MARKS_GATE = 0.7;

/**
 * The parts of the restyle found on the keyframe (the interpretation's `guided.parts`).
 * Each part's `strength` is the share of what was left of the keyframe's difference
 * before that part that it accounts for (0..1): how much of the restyle it is.
 */
export interface GuidedParts {
  /** The mapping from local appearance: always there. `strength`: the share of the image's change from frame 0 (ΔE) the mapping reproduces on the keyframe. */
  tone: { carried: true; strength: number };
  /** Marks tied to the canvas (border, vignette, paper, stains), kept in place on every frame. */
  canvas: {
    carried: boolean;
    strength: number;
    /** Border thickness in working pixels, top, right, bottom, left; absent without one. */
    border?: [number, number, number, number];
    /** A smooth gain and offset over the frame (vignette, stains, paper tint) was kept. */
    shading: boolean;
    /** The keyframe's luma RMS error after the tone mapping, without and with the canvas. */
    rms_before: number;
    rms_after: number;
  };
  /** Marks tied to the picture (grain, dots, strokes), re-made on each frame. */
  picture_marks: {
    carried: boolean;
    strength: number;
    /** The texture figure of the keyframe without and with the marks. */
    te_before: number;
    te_after: number;
  };
  /** What the keyframe shows that is not carried, in words. */
  not_reproduced: string[];
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;
const shareOf = (before: number, after: number): number => (before > 1e-6 ? round(Math.max(0, Math.min(1, 1 - after / before)), 2) : 0);

/** Fit the canvas and the picture marks of the keyframe; `mapped` is the mapping's output on `source`. */
export function learnMarks(source: RgbFrame, mapped: RgbFrame, target: RgbFrame, invalid?: Uint8Array, toneShare = 1): { marks: Marks | undefined; parts: GuidedParts } {
  const { canvas, rmsBefore, rmsAfter } = fitCanvas(mapped, target, invalid);
  const base: RgbFrame = { ...mapped, data: applyCanvas(canvas, mapped) };
  const picture = fitPictureMarks(source, base, target, PICTURE_MARKS_GATE);
  const carriedCanvas = Boolean(canvas.border ?? canvas.grid);
  const notReproduced: string[] = [];
  if (picture.teAfter >= PICTURE_MARKS_GATE) notReproduced.push(`fine texture: the keyframe's texture figure stays at ${round(picture.teAfter, 2)}`);
  if (rmsAfter > 12) notReproduced.push(`local tone: ${round(rmsAfter, 1)} luma levels RMS left on the keyframe`);
  const parts: GuidedParts = {
    tone: { carried: true, strength: round(Math.max(0, Math.min(1, toneShare)), 2) },
    canvas: {
      carried: carriedCanvas,
      strength: shareOf(rmsBefore, rmsAfter),
      ...(canvas.border ? { border: canvas.border.sides } : {}),
      shading: Boolean(canvas.grid),
      rms_before: round(rmsBefore, 2), rms_after: round(rmsAfter, 2),
    },
    picture_marks: {
      carried: Boolean(picture.marks), strength: picture.marks ? shareOf(picture.teBefore, picture.teAfter) : 0,
      te_before: round(picture.teBefore), te_after: round(picture.teAfter),
    },
    not_reproduced: notReproduced,
  };
  const marks = carriedCanvas || picture.marks ? { canvas, picture: picture.marks } : undefined;
  return { marks, parts };
}

/**
 * The marks of a keyframe the mapping `model` was fitted on: `target` is the image as it
 * was learned from (aligned), `valid` its pixels that came from inside the image.
 */
export function learnKeyframeMarks(source: RgbFrame, model: GuidedModel, target: RgbFrame, valid?: Uint8Array): ReturnType<typeof learnMarks> {
  const invalid = valid ? valid.map((v) => (v ? 0 : 1)) : undefined;
  const mapped: RgbFrame = { ...source, data: applyGuidedModel(model, source) };
  const change = compareFrames(source, target).deltaE, left = compareFrames(mapped, target).deltaE;
  return learnMarks(source, mapped, target, invalid, change > 1e-6 ? 1 - left / change : 1);
}

/** `mapped` (the mapping's output for `source`) with the canvas and the picture marks; `strength` as the mapping's, capped at 1. */
export function applyMarks(marks: Marks, source: RgbFrame, mapped: Uint8Array, strength = 1): Uint8Array {
  const amount = Math.max(0, Math.min(1, strength));
  const canvased = applyCanvas(marks.canvas, { ...source, data: mapped }, amount);
  return marks.picture ? applyPictureMarks(marks.picture, source, canvased, amount) : canvased;
}

interface MarksJson {
  version: 1;
  canvas: { border?: Canvas['border']; grid?: { columns: number; rows: number; gain: number[]; offset: number[] } };
  picture?: { block: number; lumaCuts: number[]; detailCuts: number[]; strength: number[]; texture: string };
}

export function serialiseMarks(marks: Marks): string {
  const { border, grid } = marks.canvas;
  const json: MarksJson = {
    version: 1,
    canvas: {
      ...(border ? { border } : {}),
      ...(grid ? { grid: { columns: grid.columns, rows: grid.rows, gain: Array.from(grid.gain), offset: Array.from(grid.offset) } } : {}),
    },
    ...(marks.picture ? {
      picture: {
        block: marks.picture.block, lumaCuts: marks.picture.lumaCuts, detailCuts: marks.picture.detailCuts,
        strength: Array.from(marks.picture.strength),
        texture: Buffer.from(marks.picture.texture.buffer, marks.picture.texture.byteOffset, marks.picture.texture.byteLength).toString('base64'),
      },
    } : {}),
  };
  return JSON.stringify(json);
}

export function parseMarks(text: string): Marks {
  const json = JSON.parse(text) as MarksJson;
  if (json.version !== 1) throw new Error(`unknown guided marks version ${String(json.version)}`);
  const { border, grid } = json.canvas;
  const bytes = json.picture ? Buffer.from(json.picture.texture, 'base64') : undefined;
  return {
    canvas: { border, grid: grid ? { columns: grid.columns, rows: grid.rows, gain: Float32Array.from(grid.gain), offset: Float32Array.from(grid.offset) } : undefined },
    picture: json.picture && bytes ? {
      block: json.picture.block, lumaCuts: json.picture.lumaCuts, detailCuts: json.picture.detailCuts,
      strength: Float32Array.from(json.picture.strength), texture: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    } : undefined,
  };
}

/** Where the marks are kept beside a model file. */
export const marksPathFor = (modelPath: string): string => modelPath.replace(/\.json$/, '') + '.marks.json';
