/**
 * The steps of learning from one keyframe pair that guided mode with one image and with
 * several keyframes share: where the intermediate files go, FFmpeg runs that extract
 * frames, the learning child (child.ts), and what its report decides.
 */
import { join } from 'node:path';
import { RetakeError } from '../../../errors/index.ts';
import { describeFailure, ffmpegFailure, runProcess } from '../ffmpeg-process.ts';
import { guidedChildCommand } from './child-command.ts';
import type { KeyframeReport } from './learn.ts';

/**
 * An image this close to its source frame (ΔE and SSIM-Y of the two) is the frame
 * itself, not a restyle: it says nothing about the look, so the prompt decides.
 */
const UNCHANGED = { deltaE: 1.5, ssim: 0.98 };

export type KeyframeDecision = 'guided' | 'unchanged' | 'not_aligned';

/** What a keyframe's report decides: learn its look, leave the look to the prompt, or fall back. */
export function keyframeDecision(report: KeyframeReport): KeyframeDecision {
  const unchanged = report.change.delta_e < UNCHANGED.deltaE && report.change.ssim > UNCHANGED.ssim;
  return !report.aligned ? 'not_aligned' : unchanged ? 'unchanged' : 'guided';
}

/** Where guided mode keeps its intermediate files inside a job's work directory. */
export const guidedDir = (workDir: string): string => join(workDir, 'guided');

export interface ProcessOptions {
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Run FFmpeg; a failure is `render_failed` naming `what` it was doing (or `input_container_refused`). */
export async function ffmpegStep(args: string[], what: string, options: ProcessOptions): Promise<void> {
  const result = await runProcess(options.ffmpegPath ?? 'ffmpeg', args, { signal: options.signal });
  if (result.code !== 0) throw ffmpegFailure(result.stderrTail, `FFmpeg failed while ${what}`);
}

/** Learn the pair of raw frames in the child; writes the model (when aligned) and returns the report. */
export async function learnPair(
  pair: { sourceRawPath: string; imageRawPath: string; width: number; height: number; modelPath: string }, what: string, signal?: AbortSignal,
): Promise<KeyframeReport> {
  const child = guidedChildCommand('learn', [pair.sourceRawPath, pair.imageRawPath, String(pair.width), String(pair.height), pair.modelPath]);
  const result = await runProcess(child.command, child.args, { signal });
  if (result.code !== 0) throw new RetakeError('render_failed', `Learning the look of ${what} failed: ${describeFailure(result.stderrTail)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as KeyframeReport;
}
