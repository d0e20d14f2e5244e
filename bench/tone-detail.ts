/**
 * Faces and tones kept, look by look (`npm run bench:tone-detail`): every style family of
 * retake-local rendered from the gallery's prompts by a real `retake serve` (the hub's
 * sync call, 540p, the default edit_strength, every stage included: the shot's tone,
 * the marks), on each test clip below, one frame scored against the same frame of the
 * clip it was given (src/engines/local/metrics/tone-detail.ts):
 *   - detail kept per tone third (dark / middle / bright), flagged `!` under FLAG;
 *   - the face's structure (`boxStructure`, edges at the scale of its features, what the
 *     blind panels' viewers called a face kept or lost), on the face clips;
 *   - the share of the frame turned solid black that was not (`crushedShare`), flagged
 *     `!` at CRUSHED or more.
 * The hard clips are made from the committed ones with FFmpeg before the look: a dark
 * shot (`eq=brightness=-0.3`), a bright one (`eq=brightness=0.3`) and a black-and-white
 * one (`hue=s=0`). Knob: BENCH_LOOKS (comma-separated styles) to score only some looks.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { boxStructure, CRUSHED, crushedShare, READABLE, TONE_THIRDS, toneDetail, type Box } from '../src/engines/local/metrics/tone-detail.ts';
import { LOOK_STYLES } from '../src/engines/local/vocabulary.ts';
import { LOOK_PROMPTS } from '../scripts/lib/look-prompts.ts';
import { startRenderServer } from '../scripts/lib/render-server.ts';
import { log } from './lib/report.ts';

const run = promisify(execFile);
const FLAG = 0.25;

interface Clip {
  name: string;
  path: string;
  /** The stretch rendered (seconds from, how long) and the frame scored (seconds into it). */
  from: number;
  seconds: number;
  at: number;
  /** FFmpeg filters that make the hard clip from the committed one ('null' for none). */
  make: string;
  /** The face, as shares of the frame (the portrait clip is stored sideways). */
  face?: Box;
}

const PORTRAIT = { path: 'test/fixtures/media/portrait.mp4', from: 0, seconds: 1, at: 0.5, face: { x: 0.22, y: 0.38, width: 0.55, height: 0.3 } };
const RABBIT = { path: 'test/fixtures/media/rabbit.mp4', from: 2, seconds: 2, at: 1 };
const CLIPS: Clip[] = [
  { name: 'face', ...PORTRAIT, make: 'null' },
  { name: 'face dark', ...PORTRAIT, make: 'eq=brightness=-0.3' },
  { name: 'face bright', ...PORTRAIT, make: 'eq=brightness=0.3' },
  { name: 'face b&w', ...PORTRAIT, make: 'hue=s=0' },
  { name: 'rabbit dark', ...RABBIT, make: 'eq=brightness=-0.3' },
];

/** One frame of a video at `at` s, RGB at its own size or scaled to `size`. */
async function frameOf(video: string, at: number, size?: { width: number; height: number }): Promise<RgbFrame> {
  const { width, height } = size ?? await videoSize(video);
  const scale = size ? ['-vf', `scale=${width}:${height}:flags=area`] : [];
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(at), '-i', video, '-frames:v', '1', ...scale, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return { width, height, data: new Uint8Array(stdout) };
}

async function videoSize(video: string): Promise<{ width: number; height: number }> {
  const [width, height] = (await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', video])).stdout.trim().split(',').map(Number) as [number, number];
  return { width, height };
}

function cell(source: RgbFrame, styled: RgbFrame, clip: Clip, flagged: string[], style: string): string {
  const thirds = toneDetail(source, styled);
  const parts = TONE_THIRDS.map((third) => {
    const kept = thirds[third].kept;
    if (kept === undefined) return '  -  ';
    if (kept < FLAG) flagged.push(`${style} (${clip.name}, ${third})`);
    return `${kept.toFixed(2)}${kept < FLAG ? '!' : ' '}`;
  });
  if (clip.face) {
    const face = boxStructure(source, styled, clip.face).kept ?? 0;
    if (face < READABLE) flagged.push(`${style} (${clip.name}, face)`);
    parts.push(`| ${face.toFixed(2)}${face < READABLE ? '!' : ' '}`);
  }
  const crushed = crushedShare(source, styled);
  if (crushed >= CRUSHED) flagged.push(`${style} (${clip.name}, ${(100 * crushed).toFixed(1)} % crushed)`);
  parts.push(`| ${(100 * crushed).toFixed(1).padStart(4)}%${crushed >= CRUSHED ? '!' : ' '}`);
  return parts.join('');
}

async function main(): Promise<void> {
  const wanted = process.env.BENCH_LOOKS?.split(',') ?? LOOK_STYLES;
  const styles = LOOK_STYLES.filter((s) => wanted.includes(s));
  const work = await mkdtemp(join(tmpdir(), 'retake-tone-detail-'));
  const server = await startRenderServer(join(work, 'server'));
  const rows = new Map<string, string[]>(styles.map((s) => [s, []]));
  const flagged: string[] = [];
  try {
    for (const clip of CLIPS) {
      log(`${clip.name}: ${clip.path} from ${clip.from} s, ${clip.make}`);
      const made = join(work, `${clip.name.replace(/\W+/g, '-')}.mp4`);
      await run('ffmpeg', ['-v', 'error', '-y', '-ss', String(clip.from), '-t', String(clip.seconds), '-i', clip.path, '-an', '-vf', `${clip.make},format=yuv420p`, '-c:v', 'libx264', '-crf', '14', made]);
      const url = await server.upload(made);
      for (const style of styles) {
        const styled = await frameOf(await server.render(url, LOOK_PROMPTS[style]), clip.at);
        const source = await frameOf(made, clip.at, styled);
        rows.get(style)!.push(cell(source, styled, clip, flagged, style));
      }
    }
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
  console.log(`per clip: detail kept per tone third (dark middle bright, ! under ${FLAG}) | face structure (! under ${READABLE}) | share crushed to solid black (! at ${100 * CRUSHED} % or more)`);
  console.log(['look'.padEnd(13), ...CLIPS.map((c) => c.name.padEnd(c.face ? 31 : 24))].join(' '));
  for (const style of styles) console.log([style.padEnd(13), ...rows.get(style)!.map((r) => r.padEnd(31))].join(' '));
  console.log(`flagged: ${flagged.length ? flagged.join('; ') : 'none'}`);
}

await main();
