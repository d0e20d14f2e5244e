/**
 * The marks stage: a look whose steps hold a marks step (filter-graph.ts MarksStep) is
 * rendered as decoder | marks child | encoder (render-plan.ts MarksPlan). The decoder
 * runs the look up to the marks step and writes raw RGB frames at the kernel's size; the
 * marks child (child.ts) runs the named C kernel on every frame in order, keeping the
 * kernel's state from frame to frame, on all cores; the encoder runs the rest of the
 * look and encodes. The frames flow from child to child through pipes, never through
 * the server's process, and a cancel ends the whole chain (guided/process-chain.ts).
 *
 * Kernels live in pixel-stage/native/marks/, listed in native/marks-kernels.h; still.ts
 * runs one on a still image, look-frames.ts pulls frames of a rendered look.
 */
import type { FfmpegProgress } from '../ffmpeg-process.ts';
import { PROGRESS_FLAGS, progressReader, QUIET_FLAGS } from '../ffmpeg-process.ts';
import { runChain, type ChainStep } from '../guided/process-chain.ts';
import { nodeChildCommand } from '../node-child.ts';
import type { MarksPlan, RenderPlan } from '../render-plan.ts';

/** The command that runs `plan`'s kernel on raw frames from stdin to stdout. */
export function marksChildCommand(plan: Pick<MarksPlan, 'kernel' | 'width' | 'height' | 'schedule'>): { command: string; args: string[] } {
  return nodeChildCommand(import.meta.url, 'child', [plan.kernel, String(plan.width), String(plan.height), JSON.stringify(plan.schedule)]);
}

/** The decoder and the marks child of `plan`, the first two links of its chain. */
export function marksSteps(plan: MarksPlan, ffmpegPath = 'ffmpeg'): ChainStep[] {
  return [
    { name: 'decoder', command: ffmpegPath, args: [...QUIET_FLAGS, ...plan.decoder] },
    { name: 'marks stage', ...marksChildCommand(plan) },
  ];
}

export interface MarksRenderOptions {
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: FfmpegProgress) => void) | undefined;
}

/** Render a plan with a marks stage: decoder | marks child | encoder. */
export async function runMarksRender(plan: RenderPlan & { marks: MarksPlan }, options: MarksRenderOptions = {}): Promise<void> {
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  await runChain([
    ...marksSteps(plan.marks, ffmpeg),
    { name: 'encoder', command: ffmpeg, args: [...QUIET_FLAGS, ...PROGRESS_FLAGS, ...plan.args] },
  ], { signal: options.signal, what: 'Render', onLastStdoutLine: progressReader(plan.duration, options.onProgress) });
}
