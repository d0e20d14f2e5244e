/**
 * The cost model (`npm run bench:cost`): CPU seconds per second of output for every
 * look family, and for guided mode with 1 and with 4 keyframes, at 540p and 1080p, so
 * an operator can size workers (a host with C cores renders about C / cost seconds of
 * video per second). Each render goes through the real local engine on a real 1080p
 * sample (bbb_60fps.mp4, 2 s, resampled to 30 fps); its CPU is this process's own
 * (the engine's threads) plus its children's (FFmpeg, the guided stage), and the plain
 * transcode of the same clip at the same size with the engine's codec settings is
 * measured in the same run as the baseline. Keyframes are frames of the clip restyled
 * with a median filter and posterised tones (the engine bench's guided input).
 *
 * The table is printed and written into docs/benchmarks.md between the
 * `cost-model` markers, with the clip and the 1-minute load average at start and end.
 * Knobs: BENCH_COST_FAMILIES (all), BENCH_RESOLUTIONS (540p,1080p), BENCH_COST_DOC=0
 * to print without writing the doc. BENCH_SHORT=1: one family and guided with one
 * keyframe at 540p on portrait.mp4 (1 s), printed only.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalEngine } from '../src/engines/local/index.ts';
import type { LocalInterpretation } from '../src/engines/local/interpretation.ts';
import { LOOK_STYLES } from '../src/engines/local/vocabulary.ts';
import type { KeyframeRef, Resolution, VideoRequest } from '../src/models/request.ts';
import { plainTranscode } from './lib/engine-render.ts';
import { childCpuSeconds } from './lib/process-tree.ts';
import { log } from './lib/report.ts';
import { listKnob, SHORT, textKnob } from './lib/short.ts';

const SAMPLE = SHORT ? 'portrait.mp4' : 'bbb_60fps.mp4';
const RESOLUTIONS = textKnob('BENCH_RESOLUTIONS', '540p,1080p', '540p').split(',') as Resolution[];
const FAMILIES = listKnob('BENCH_COST_FAMILIES', 'noir') ?? [...LOOK_STYLES];
const KEYFRAME_COUNTS = SHORT ? [1] : [1, 4];
const WRITE_DOC = !SHORT && process.env.BENCH_COST_DOC !== '0';
const DOC = 'docs/benchmarks.md';
const PAINTERLY = "median=radius=3,lutrgb=r='floor(val/40)*40+20':g='floor(val/40)*40+20':b='floor(val/40)*40+20'";

const engine = createLocalEngine();

/** CPU seconds of this process (all its threads) and its reaped children. */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + childCpuSeconds();
}

/** The family's prompt, as the engine bench words it. */
function promptOf(family: string): string {
  return family === 'neutral' ? 'a quiet afternoon' : family.replace('_', ' ');
}

interface Measured {
  cpuS: number;
  outputS: number;
}

async function render(dir: string, request: Omit<VideoRequest, 'resolution' | 'duration' | 'hdr' | 'exr_export'>, resolution: Resolution): Promise<Measured> {
  const workDir = await mkdtemp(join(dir, 'job-'));
  try {
    const cpu0 = cpuSeconds();
    const result = await engine.render({
      generationId: 'gen_cost', workDir, signal: new AbortController().signal, onProgress: () => undefined,
      request: { ...request, resolution, duration: '5s', hdr: false, exr_export: false },
      async fetchInput(path, name) {
        await copyFile(path, join(workDir, name));
        return join(workDir, name);
      },
    });
    return { cpuS: cpuSeconds() - cpu0, outputS: (result.interpretation as LocalInterpretation).output.duration_s };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The sample at 30 fps (its full size, audio kept), and frames of it restyled as keyframes. */
function prepare(dir: string): { clip: string; frames: number; keyframe: (frame: number) => string } {
  const clip = join(dir, 'clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-i', `test/fixtures/media/${SAMPLE}`, '-r', '30', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-c:a', 'aac', '-ac', '2', '-y', clip]);
  const frames = Number(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', clip]).toString().trim());
  const keyframe = (frame: number): string => {
    const out = join(dir, `key-${frame}.png`);
    execFileSync('ffmpeg', ['-v', 'error', '-i', clip, '-vf', `select=eq(n\\,${frame}),format=rgb24,${PAINTERLY}`, '-frames:v', '1', '-y', out]);
    return out;
  };
  return { clip, frames, keyframe };
}

/** `count` keyframes spread over `frames` frames, the first at frame 0. */
function spread(count: number, frames: number): number[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? 0 : Math.round((i * (frames - 1)) / (count - 1))));
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const dir = await mkdtemp(join(tmpdir(), 'retake-cost-'));
  try {
    const { clip, frames, keyframe } = prepare(dir);
    // One render first, not counted: it loads what every later render reuses (the prompt model).
    await render(dir, { prompt: 'film noir', input_video: clip }, '540p');
    const works: { label: string; request: (r: Resolution) => Omit<VideoRequest, 'resolution' | 'duration' | 'hdr' | 'exr_export'> }[] = [
      ...FAMILIES.map((family) => ({ label: family.replace('_', ' '), request: () => ({ prompt: promptOf(family), input_video: clip }) })),
      ...KEYFRAME_COUNTS.map((count) => {
        const keyframes: KeyframeRef[] = spread(count, frames).map((frame) => ({ image: keyframe(frame), frame }));
        return { label: `guided, ${count} keyframe${count === 1 ? '' : 's'}`, request: () => ({ prompt: 'film look', input_video: clip, keyframes }) };
      }),
    ];
    const table = new Map<string, Map<Resolution, number>>();
    const put = (label: string, resolution: Resolution, value: number): void => {
      const row = table.get(label) ?? new Map<Resolution, number>();
      row.set(resolution, value);
      table.set(label, row);
    };
    for (const resolution of RESOLUTIONS) {
      const cpu0 = cpuSeconds();
      await plainTranscode({ sourcePath: clip, prompt: 'plain', resolution, duration: '5s' });
      put('plain transcode (engine settings)', resolution, (cpuSeconds() - cpu0) / (frames / 30));
      for (const work of works) {
        const measured = await render(dir, work.request(resolution), resolution);
        put(work.label, resolution, measured.cpuS / measured.outputS);
        log(`${resolution} ${work.label}: ${measured.cpuS.toFixed(1)} CPU-s for ${measured.outputS.toFixed(2)} s`);
      }
    }
    const lines = [
      `| work | ${RESOLUTIONS.join(' | ')} |`,
      `| --- | ${RESOLUTIONS.map(() => '---').join(' | ')} |`,
      ...[...table].map(([label, row]) => `| ${label} | ${RESOLUTIONS.map((r) => row.get(r)?.toFixed(2) ?? '').join(' | ')} |`),
    ];
    const note = `CPU-seconds per second of output; ${SAMPLE} (${(frames / 30).toFixed(1)} s at 30 fps), one run each; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end.`;
    console.log([...lines, '', note].join('\n'));
    if (WRITE_DOC) await writeIntoDoc([...lines, '', note].join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Replace what stands between the cost-model markers of the benchmarks doc. */
async function writeIntoDoc(text: string): Promise<void> {
  const doc = await readFile(DOC, 'utf8');
  const start = '<!-- cost-model:start (written by npm run bench:cost) -->';
  const end = '<!-- cost-model:end -->';
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOC} has no cost-model markers`);
  await writeFile(DOC, `${doc.slice(0, from + start.length)}\n${text}\n${doc.slice(to)}`);
  log(`table written into ${DOC}`);
}

await main();
