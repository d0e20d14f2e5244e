/**
 * What retake-local reports it understood: the look an estimate shows before anything
 * runs, and the full record a render stores on its generation (the look, then what the
 * render did with it). The Workbench and the CLI read these fields by name, so they are
 * typed here once rather than re-declared by each reader.
 */
import type { EditStrength } from '../../models/request.ts';
import type { KeyframeRecord, ShotRecord } from './guided/keyframes/record.ts';
import type { DynamicRange } from './hdr.ts';
import type { Interpretation, Look } from './prompt-to-look.ts';
import type { StrengthSchedule } from './strength-schedule.ts';
import type { GuidedParts } from './guided/marks/marks.ts';

/** The look part: the compiled look, which words decided it, and how sure. */
export type LookInterpretation = Look & {
  engine: 'retake-local';
  look: Pick<Look, 'style' | 'palette' | 'modifiers'>;
};

/**
 * The look part when guided mode rendered the look it learned from input_image: the
 * image decided it, so no style family, palette or prompt word did. What the prompt
 * alone would have rendered is kept beside it, marked as not applied.
 */
export type ImageLookInterpretation = Omit<LookInterpretation, 'look' | 'style' | 'palette' | 'modifiers' | 'confidence' | 'runner_up' | 'decided_by'> & {
  look: { style: 'from_image'; palette: 'none'; modifiers: [] };
  style: 'from_image';
  palette: 'none';
  modifiers: [];
  confidence: 1;
  runner_up: null;
  decided_by: 'image';
  /** The look the prompt alone would have rendered: not applied. */
  prompt_look: Pick<Look, 'style' | 'palette' | 'modifiers' | 'confidence' | 'decided_by'>;
};

/** What an estimate answers for retake-local: the look and the strength it would render at. */
export type EstimateInterpretation = LookInterpretation & {
  edit_strength: EditStrength | 'auto';
  /** The look's intensity after edit_strength and modifiers. */
  intensity: number;
  /** Set when the sentence model could not be used and only exact words were read. */
  warning?: string;
};

/** Guided mode's record (input_image learned as a look): see guided/index.ts. */
export interface GuidedInterpretation {
  mode: 'guided' | 'prompt' | 'colour_transfer';
  method: string;
  /** The learned mapping applied to frame 0, against the image. */
  keyframe_fit: { ssim: number; delta_e: number };
  /** The untouched frame 0 against the image: how much the image changed. */
  image_change: { ssim: number; delta_e: number };
  alignment: { score: number; aligned: boolean; scale: number; shift: [number, number] };
  work_size: { width: number; height: number };
  /** Multiple of the learned change applied. */
  strength: number;
  /** How the prompt and the image combined, in words. */
  combination: string;
  /**
   * With one image rendered guided: the parts of the restyle found on the keyframe (tone,
   * canvas, picture marks), their strength and what was not reproduced (guided/marks/).
   */
  parts?: GuidedParts;
  /** With keyframes: each keyframe's score and fate (the fields above are the first usable one's). */
  keyframes?: KeyframeRecord[];
  /** With keyframes: the source's shots and the keyframes that made each. */
  shots?: ShotRecord[];
}

/** What a retake-local render records on its generation. */
export type LocalInterpretation = (LookInterpretation | ImageLookInterpretation) & {
  edit_strength: EditStrength | 'auto';
  /** The auto_controls schedule, when the request asked for it. */
  schedule?: StrengthSchedule;
  /** The input_image colour transfer, when the image was not learned as a look. */
  colour_transfer?: { maps: [number, number][]; tone_only: boolean };
  intensity: number;
  /** The output file; `fps` as a number (30, 29.97) whatever form FFmpeg was given it in. */
  output: { width: number; height: number; fps: number; duration_s: number; audio: boolean };
  first_frame_image: boolean;
  /** With input_image: whether the image's learned look or the prompt decided the look. */
  mode?: 'guided' | 'prompt';
  guided?: GuidedInterpretation;
  dynamic_range: {
    source: DynamicRange;
    output: 'hdr10' | 'sdr';
    sdr_white_nits?: number;
    max_cll?: number;
    max_fall?: number;
  };
  exr?: { frames: number; pixel: 'half'; colour_space: string };
};

/** The look part of `look`, as an estimate and a render both record it. */
export function lookInterpretation(look: Interpretation): LookInterpretation {
  return {
    engine: 'retake-local',
    look: { style: look.style, palette: look.palette, modifiers: look.modifiers },
    style: look.style,
    palette: look.palette,
    modifiers: look.modifiers,
    used_words: look.used_words,
    ignored_words: look.ignored_words,
    confidence: look.confidence,
    runner_up: look.runner_up,
    decided_by: look.decided_by,
  };
}

/** The look part of a render in guided mode: the image decided the look (see ImageLookInterpretation). */
export function imageLookInterpretation(look: Interpretation): ImageLookInterpretation {
  return {
    engine: 'retake-local',
    look: { style: 'from_image', palette: 'none', modifiers: [] },
    style: 'from_image',
    palette: 'none',
    modifiers: [],
    used_words: [],
    ignored_words: [...look.used_words, ...look.ignored_words],
    confidence: 1,
    runner_up: null,
    decided_by: 'image',
    prompt_look: { style: look.style, palette: look.palette, modifiers: look.modifiers, confidence: look.confidence, decided_by: look.decided_by },
  };
}
