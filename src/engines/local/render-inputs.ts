/**
 * The measured inputs of a render, computed before it starts: the auto_controls
 * schedule (from the source's motion and cuts) and the input_image colour transfer
 * (from the image's and the styled source's statistics).
 */
import { channelStats, transferFilter, transferMaps, type ChannelStats } from './colour-transfer.ts';
import { link } from './filter-graph.ts';
import { isMonochrome, lookGraph, lookMarks } from './look-filters.ts';
import { lookFrames } from './marks/look-frames.ts';
import type { Look } from './prompt-to-look.ts';
import { fpsValue, type IntensitySegment, type RenderPlan } from './render-plan.ts';
import { imageStats, motionProfile, STATS_FPS, styledStats, type AnalysisOptions } from './source-analysis.ts';
import { planSchedule, type StrengthSchedule } from './strength-schedule.ts';
import { lookIntensity } from './strength.ts';

type PlanFacts = Pick<RenderPlan, 'width' | 'height' | 'fps' | 'duration' | 'intensity'>;

/** The auto_controls schedule for `sourcePath` and the intensities it renders at. */
export async function autoSchedule(
  sourcePath: string, look: Look, plan: PlanFacts, options: AnalysisOptions,
): Promise<{ schedule: StrengthSchedule; segments: IntensitySegment[] }> {
  const diffs = await motionProfile(sourcePath, plan.fps, plan.duration, options);
  const schedule = planSchedule(diffs, { fps: fpsValue(plan.fps), duration: plan.duration });
  const segments = schedule.segments.map((s) => ({ start: s.start_s, end: s.end_s, intensity: lookIntensity(s.edit_strength, look.modifiers) }));
  return { schedule, segments };
}

export interface ColourTransfer {
  /** The grade applied after the look. */
  filter: string;
  /** Per channel `[gain, offset]`, for the interpretation. */
  maps: [number, number][];
  tone_only: boolean;
}

/**
 * The grade that carries the image's palette and tone through the styled clip.
 * `toSdr` is the HDR source's tone-mapping (hdr.ts), so the statistics are those of the
 * SDR frames the look will see; default none.
 */
export async function imageTransfer(
  sourcePath: string, imagePath: string, look: Look, plan: PlanFacts, options: AnalysisOptions, toSdr?: string,
): Promise<ColourTransfer> {
  const { width, height } = plan;
  const target = await imageStats(imagePath, width, height, options);
  const source = await markedStats(sourcePath, look, plan, options, toSdr) ?? await styledStats(sourcePath, [
    link('0:v', [`fps=${STATS_FPS}`, `scale=${width}:${height}:flags=bicubic`, 'setsar=1', ...(toSdr ? [toSdr] : [])], 'pre'),
    lookGraph(look, plan.intensity, { width, height }, { input: 'pre', output: 'v', prefix: 's' }),
  ].join(';'), width, height, plan.duration, options);
  // A black-and-white look stays black and white: the image moves only its tone.
  const toneOnly = isMonochrome(look);
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    filter: transferFilter(source, target, { toneOnly }),
    maps: transferMaps(source, target, { toneOnly }).map(([g, o]) => [round(g), round(o)]),
    tone_only: toneOnly,
  };
}

/** Frames of a marked look are measured this wide: its colour statistics need no more. */
const MARKED_STATS_WIDTH = 480;

/**
 * The colour statistics of a look with a marks step, measured on frames the marks
 * kernel drew (at the start, middle and end of the clip): a kernel moves colour too
 * (pastel chalk lightens, ink blackens), so the look's filters alone would misjudge the
 * grade. Undefined for a look of filters only.
 */
async function markedStats(sourcePath: string, look: Look, plan: PlanFacts, options: AnalysisOptions, toSdr?: string): Promise<ChannelStats | undefined> {
  if (!lookMarks(look, plan.intensity, { width: plan.width, height: plan.height })) return undefined;
  const width = Math.min(plan.width, MARKED_STATS_WIDTH);
  const height = 2 * Math.max(1, Math.round((width * plan.height) / plan.width / 2));
  const frames: Buffer[] = [];
  for (const at of [0, 0.5, 0.9]) {
    const drawn = await lookFrames({
      sourcePath, look, k: plan.intensity, width, height, start: at * plan.duration, frames: 1,
      prepare: toSdr, ffmpegPath: options.ffmpegPath, signal: options.signal, tempDir: options.tempDir,
    });
    frames.push(...drawn.map((f) => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.length)));
  }
  return channelStats(frames, 3);
}
