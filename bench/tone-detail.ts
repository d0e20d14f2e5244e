/**
 * Detail kept per tone third, look by look (`npm run bench:tone-detail`): every style
 * family of retake-local, rendered from the gallery's prompts through the engine's own
 * prompt reader and filtergraphs at 540p and the default edit_strength, on one frame of
 * each test clip below, scored by toneDetail (src/engines/local/metrics/tone-detail.ts)
 * against the frame it was given. The hard clips are made from the committed ones with
 * FFmpeg before the look: a dark shot (`eq=brightness=-0.3`), a bright one
 * (`eq=brightness=0.3`) and a black-and-white one (`hue=s=0`). Prints one row per look
 * and clip (dark / middle / bright scores) and flags any third under FLAG (0.25).
 * Each look gets the tone stage a render gives it (shot-tone.ts, from the frame itself).
 * Knobs: BENCH_LOOKS (comma-separated styles) to score only some looks; BENCH_TONE=off
 * to score the looks without the tone stage.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lookGraph, lookMarks, toneSteps } from '../src/engines/local/look-filters.ts';
import { lookFramesInput } from '../src/engines/local/marks/look-frames.ts';
import { analyseTone } from '../src/engines/local/shot-tone.ts';
import { link } from '../src/engines/local/filter-graph.ts';
import { TONE_THIRDS, toneDetail, type ToneThird, type ThirdDetail } from '../src/engines/local/metrics/tone-detail.ts';
import { interpretPrompt, type Interpretation } from '../src/engines/local/prompt-to-look.ts';
import { outputSize } from '../src/engines/local/render-plan.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES, type LookStyle } from '../src/engines/local/vocabulary.ts';
import { LOOK_PROMPTS } from '../scripts/lib/look-prompts.ts';
import { log } from './lib/report.ts';

const run = promisify(execFile);
const FLAG = 0.25;

interface Clip {
  name: string;
  path: string;
  at: number;
  width: number;
  height: number;
  /** FFmpeg filters that make the hard clip from the committed one ('null' for none). */
  make: string;
}

const PORTRAIT = { path: 'test/fixtures/media/portrait.mp4', at: 0.5, width: 720, height: 1080 };
const RABBIT = { path: 'test/fixtures/media/rabbit.mp4', at: 3, width: 720, height: 480 };
const CLIPS: Clip[] = [
  { name: 'face', ...PORTRAIT, make: 'null' },
  { name: 'face dark', ...PORTRAIT, make: 'eq=brightness=-0.3' },
  { name: 'face bright', ...PORTRAIT, make: 'eq=brightness=0.3' },
  { name: 'face b&w', ...PORTRAIT, make: 'hue=s=0' },
  { name: 'rabbit dark', ...RABBIT, make: 'eq=brightness=-0.3' },
];

type Scores = Record<ToneThird, ThirdDetail>;

/** Each look's frame of `clip`, and the frame it was given, as RGB. */
async function renderLooks(clip: Clip, styles: LookStyle[], looks: Map<LookStyle, Interpretation>): Promise<Map<LookStyle, Scores>> {
  const { width, height } = outputSize(clip.width, clip.height, 540);
  const dir = await mkdtemp(join(tmpdir(), 'retake-tone-detail-'));
  try {
    const prep = `scale=${width}:${height}:flags=bicubic,setsar=1,${clip.make},format=yuv420p`;
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', String(clip.at), '-i', clip.path, '-vf', `${prep},format=rgb24`, '-frames:v', '1', '-f', 'rawvideo', '-y', join(dir, 'tone.rgb')]);
    const tone = analyseTone([new Uint8Array(await readFile(join(dir, 'tone.rgb')))], 3, 1);
    const graph = [`[0:v]scale=${width}:${height}:flags=bicubic,setsar=1,${clip.make},format=yuv420p,split=${styles.length + 1}[in0]${styles.map((_, i) => `[in${i + 1}]`).join('')}`];
    graph.push('[in0]format=rgb24[out0]');
    const outputs = ['-map', '[out0]', '-frames:v', '1', '-f', 'rawvideo', '-y', join(dir, 'source.rgb')];
    // Looks with a marks step are rendered apart (look-frames.ts) and read back as inputs.
    const marked: string[] = [];
    for (const [i, style] of styles.entries()) {
      const look = looks.get(style)!;
      const k = lookIntensity(undefined, look.modifiers);
      const { before, after } = process.env.BENCH_TONE === 'off' ? { before: [], after: [] } : toneSteps(look, tone, k);
      if (lookMarks(look, k, { width, height })) {
        // A look with a marks step renders through the stage's own frame reader (without the tone stage).
        marked.push(...await lookFramesInput({ sourcePath: clip.path, look, k, width, height, start: clip.at, prepare: clip.make }, join(dir, `${style}.in.rgb`)));
        graph.push(`[in${i + 1}]nullsink`, `[${marked.filter((a) => a === '-i').length}:v]null[look${i + 1}]`);
        graph.push(`[look${i + 1}]scale=${width}:${height},format=rgb24[out${i + 1}]`);
      } else {
        graph.push(link(`in${i + 1}`, before, `toned${i + 1}`));
        graph.push(lookGraph(look, k, { width, height }, { input: `toned${i + 1}`, output: `look${i + 1}`, prefix: `g${i}_` }));
        graph.push(link(`look${i + 1}`, [...after, `scale=${width}:${height}`, 'format=rgb24'], `out${i + 1}`));
      }
      outputs.push('-map', `[out${i + 1}]`, '-frames:v', '1', '-f', 'rawvideo', '-y', join(dir, `${style}.rgb`));
    }
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', String(clip.at), '-i', clip.path, ...marked, '-filter_complex', graph.join(';'), ...outputs], { maxBuffer: 16 * 1024 * 1024 });
    const frame = async (name: string) => ({ width, height, data: new Uint8Array(await readFile(join(dir, `${name}.rgb`))) });
    const source = await frame('source');
    const scores = new Map<LookStyle, Scores>();
    for (const style of styles) scores.set(style, toneDetail(source, await frame(style)));
    return scores;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function cell(d: ThirdDetail): string {
  if (d.kept === undefined) return '   -  ';
  return `${d.kept.toFixed(2)}${d.kept < FLAG ? ' !' : '  '}`;
}

async function main(): Promise<void> {
  const wanted = process.env.BENCH_LOOKS?.split(',') ?? LOOK_STYLES;
  const styles = LOOK_STYLES.filter((s) => wanted.includes(s));
  const looks = new Map<LookStyle, Interpretation>();
  for (const style of styles) looks.set(style, await interpretPrompt(LOOK_PROMPTS[style]));
  const table = new Map<string, Map<LookStyle, Scores>>();
  for (const clip of CLIPS) {
    log(`${clip.name}: ${clip.path} at ${clip.at} s, ${clip.make}`);
    table.set(clip.name, await renderLooks(clip, styles, looks));
  }
  console.log(`detail kept per tone third (dark middle bright), ! under ${FLAG}`);
  console.log(['look'.padEnd(13), ...CLIPS.map((c) => c.name.padEnd(22))].join(' '));
  const flagged: string[] = [];
  for (const style of styles) {
    const cells = CLIPS.map((clip) => {
      const s = table.get(clip.name)!.get(style)!;
      for (const third of TONE_THIRDS) if (s[third].kept !== undefined && s[third].kept < FLAG) flagged.push(`${style} (${clip.name}, ${third})`);
      return TONE_THIRDS.map((third) => cell(s[third])).join('').padEnd(22);
    });
    console.log([style.padEnd(13), ...cells].join(' '));
  }
  console.log(`under ${FLAG}: ${flagged.length ? flagged.join('; ') : 'none'}`);
}

await main();
