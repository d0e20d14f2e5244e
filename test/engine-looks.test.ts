/**
 * What the looks of retake-local do to real footage, measured: every style family
 * differs from the others, black-and-white looks lose their colour, neon gains it,
 * sepia turns orange-brown; edit_strength moves every family further from the source;
 * no look flickers much more than its source; input_image colours the whole clip; and
 * auto_controls finds the shot change of bbb_60fps.mp4. Clips are cut to a second at
 * 540p, and the FFmpeg runs go two at a time (one per core), so the suite stays quick.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../src/engines/local/index.ts';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { lookGraph, lookMarks, type LookSpec } from '../src/engines/local/look-filters.ts';
import { lookFrames } from '../src/engines/local/marks/look-frames.ts';
import { findCuts } from '../src/engines/local/strength-schedule.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import { LOOK_STYLES, type LookStyle } from '../src/engines/local/vocabulary.ts';
import type { EngineResult } from '../src/engines/types.ts';
import type { EditStrength, VideoRequest } from '../src/models/request.ts';
import { localJob } from './support/engine-job.ts';
import { scaled } from './support/deadline.ts';

const run = promisify(execFile);

/** Runs at most `size` tasks at once; FFmpeg's filters mostly use one core each. */
function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const ffmpegSlot = pool(2);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
let root: string;
/** 0.8 s of bbb_60fps.mp4 at 540p: a shot change at about 0.35 s, then a calm shot. */
let shortClip: string;
/** The first second of flower.mp4. */
let flowerClip: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-looks-'));
  shortClip = join(root, 'bbb-short.mp4');
  await run('ffmpeg', ['-v', 'error', '-t', '0.8', '-i', join(media, 'bbb_60fps.mp4'), '-vf', 'scale=960:540', '-an', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', shortClip]);
});
beforeAll(async () => {
  flowerClip = join(root, 'flower-short.mp4');
  await run('ffmpeg', ['-v', 'error', '-t', '1', '-i', join(media, 'flower.mp4'), '-an', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', flowerClip]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function render(request: Partial<VideoRequest>): Promise<{ result: EngineResult; out: string }> {
  const workDir = await mkdtemp(join(root, 'job-'));
  const result = await engine.render(localJob(workDir, { input_video: shortClip, ...request }));
  return { result, out: result.outputs[0]?.path ?? '' };
}

/** Small RGB frames of a clip, at 30 fps so sources and outputs line up. */
async function rgbFrames(path: string, width = 160, height = 90): Promise<Buffer[]> {
  return (await readFrames({ input: path, graph: '[0:v]fps=30[v]', width, height, pixFmt: 'rgb24' })).frames;
}

function meanColour(frames: readonly Buffer[]): [number, number, number] {
  const sum = [0, 0, 0];
  let count = 0;
  for (const f of frames) {
    for (let i = 0; i < f.length; i += 3) for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (f[i + c] ?? 0);
    count += f.length / 3;
  }
  return sum.map((s) => s / count) as [number, number, number];
}

/** Mean HSV-style saturation, 0..255 (max−min per pixel). */
function saturation(frames: readonly Buffer[]): number {
  let sum = 0;
  let count = 0;
  for (const f of frames) {
    for (let i = 0; i < f.length; i += 3) {
      const [r, g, b] = [f[i] ?? 0, f[i + 1] ?? 0, f[i + 2] ?? 0];
      sum += Math.max(r, g, b) - Math.min(r, g, b);
      count++;
    }
  }
  return sum / count;
}

/** Hue in degrees of a mean colour. */
function hue([r, g, b]: [number, number, number]): number {
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

function frameDiffs(frames: readonly Buffer[]): number[] {
  return frames.slice(1).map((f, i) => meanAbsDiff(f, frames[i] as Buffer));
}

/** Mean change between consecutive frames, leaving out the given indexes (cuts). */
function flicker(frames: readonly Buffer[], skip: readonly number[]): number {
  const diffs = frameDiffs(frames).filter((_, i) => !skip.includes(i));
  return diffs.reduce((a, b) => a + b, 0) / diffs.length;
}

const families = LOOK_STYLES.filter((s) => s !== 'neutral');
const prompts: Record<Exclude<LookStyle, 'neutral'>, string> = {
  watercolor: 'watercolor', oil_painting: 'oil painting', pencil_sketch: 'pencil sketch', charcoal: 'charcoal',
  ink_comic: 'comic book ink', cartoon: 'anime', pixel_art: 'pixel art', pop_art: 'pop art', noir: 'film noir',
  sepia: 'vintage film', neon: 'cyberpunk neon', pastel: 'pastel', dreamy: 'dreamy soft focus', vhs: 'vhs glitch',
};

describe('style families on real footage', () => {
  const outputs = new Map<string, Buffer[]>();
  let source: Buffer[];
  let cuts: number[];

  beforeAll(async () => {
    source = await rgbFrames(shortClip);
    cuts = findCuts(frameDiffs(source));
    await Promise.all(families.map((style) => ffmpegSlot(async () => {
      const { result, out } = await render({ prompt: prompts[style] });
      expect(result.interpretation).toMatchObject({ style });
      outputs.set(style, await rgbFrames(out));
    })));
  }, scaled(120_000));

  it('finds the shot change of the source, which the flicker measure leaves out', () => {
    expect(cuts).toHaveLength(1);
    expect((cuts[0] ?? 0) / 30).toBeGreaterThan(0.25);
    expect((cuts[0] ?? 0) / 30).toBeLessThan(0.45);
  });

  it('gives every family a measurably different picture', () => {
    for (const [i, a] of families.entries()) {
      for (const b of families.slice(i + 1)) {
        const diff = meanAbsDiff((outputs.get(a) ?? [])[18] as Buffer, (outputs.get(b) ?? [])[18] as Buffer);
        expect(diff, `${a} vs ${b}`).toBeGreaterThan(3);
      }
    }
  });

  it('takes the colour out of black-and-white looks and adds it for neon; sepia is orange-brown', () => {
    const sat = (style: string): number => saturation(outputs.get(style) ?? []);
    expect(saturation(source)).toBeGreaterThan(30);
    for (const style of ['noir', 'pencil_sketch']) expect(sat(style), style).toBeLessThan(3);
    // Charcoal's only colour is its cream paper's (17 levels of max − min on bare paper).
    expect(sat('charcoal')).toBeLessThan(16);
    expect(sat('neon')).toBeGreaterThan(saturation(source) * 1.3);
    expect(sat('pop_art')).toBeGreaterThan(saturation(source));
    expect(sat('pastel')).toBeLessThan(saturation(source));
    const sepia = hue(meanColour(outputs.get('sepia') ?? []));
    expect(sepia).toBeGreaterThan(15);
    expect(sepia).toBeLessThan(50);
  });

  it('flickers no more than 1.5 times the source, shot changes excluded', () => {
    const base = flicker(source, cuts);
    for (const style of families) {
      expect(flicker(outputs.get(style) ?? [], cuts), style).toBeLessThanOrEqual(base * 1.5);
    }
  });
});

describe('edit_strength', () => {
  const levels: EditStrength[] = ['adhere_1', 'adhere_3', 'flex_2', 'reimagine_1', 'reimagine_3'];
  const measured = new Map<string, number[]>();

  beforeAll(async () => {
    await Promise.all(families.map((style) => ffmpegSlot(async () => measured.set(style, await distances(style)))));
  }, scaled(120_000));

  it.each(families)('moves %s further from the source at every higher level', (style) => {
    const distances = measured.get(style) ?? [];
    expect(distances).toHaveLength(levels.length);
    for (let i = 1; i < distances.length; i++) expect(distances[i], `${levels[i]} vs ${levels[i - 1]}`).toBeGreaterThan(distances[i - 1] ?? Infinity);
  });

  /** Mean difference from the source of each level's output, summed over two frames. */
  async function distances(style: (typeof families)[number]): Promise<number[]> {
    const look = { style, palette: 'none' as const, modifiers: [] };
    const [width, height] = [640, 360];
    const ctx = { width, height };
    if (lookMarks(look, 1, ctx)) return markedDistances(look, width, height);
    // The source and each level stacked in one frame, one FFmpeg run per family.
    const graph = [
      `[0:v]trim=start_frame=36:end_frame=38,scale=${width}:${height},setsar=1,split=${levels.length + 1}[src]${levels.map((_, i) => `[in${i}]`).join('')}`,
      ...levels.map((level, i) => `${lookGraph(look, lookIntensity(level, []), ctx, { input: `in${i}`, output: `o${i}`, prefix: `l${i}_` })};[o${i}]format=yuv420p[f${i}]`),
      `[src]${levels.map((_, i) => `[f${i}]`).join('')}vstack=inputs=${levels.length + 1}[v]`,
    ].join(';');
    const { frames } = await readFrames({ input: shortClip, graph, width, height: height * (levels.length + 1), pixFmt: 'rgb24' });
    const part = width * height * 3;
    return levels.map((_, i) => frames.reduce((acc, f) => acc + meanAbsDiff(f.subarray(0, part), f.subarray((i + 1) * part, (i + 2) * part)), 0));
  }

  /** The same for a look with a marks step, which no single filter graph can hold: the frames as a render makes them. */
  async function markedDistances(look: LookSpec, width: number, height: number): Promise<number[]> {
    const at = { sourcePath: shortClip, width, height, start: 36 / 60, frames: 2, fps: 60 };
    const source = await lookFrames({ ...at, look: { style: 'neutral', palette: 'none', modifiers: [] }, k: 0 });
    const distance = async (level: EditStrength): Promise<number> => {
      const frames = await lookFrames({ ...at, look, k: lookIntensity(level, []) });
      return frames.reduce((acc, f, i) => acc + meanAbsDiff(Buffer.from(source[i]!.data), Buffer.from(f.data)), 0);
    };
    const result: number[] = [];
    for (const level of levels) result.push(await distance(level));
    return result;
  }

  it('renders a prompt with no known word as a gentle grade, and says so', async () => {
    const { result, out } = await render({ prompt: 'a quiet afternoon' });
    expect(result.warnings.join('\n')).toMatch(/No style or colour word/);
    expect(result.interpretation).toMatchObject({ style: 'neutral', used_words: [], ignored_words: ['quiet', 'afternoon'] });
    const diff = meanAbsDiff((await rgbFrames(out))[18] as Buffer, (await rgbFrames(shortClip))[18] as Buffer);
    expect(diff).toBeGreaterThan(0.5);
    expect(diff).toBeLessThan(15);
  });
});

describe('colour words', () => {
  it('push the picture toward the named colour or palette', async () => {
    const palettes = ['red', 'green', 'blue', 'purple', 'gold', 'warm', 'cool', 'teal_orange', 'night'] as const;
    const [width, height] = [320, 180];
    const graph = [
      `[0:v]trim=start_frame=36:end_frame=37,scale=${width}:${height},setsar=1,split=${palettes.length + 1}[src]${palettes.map((_, i) => `[in${i}]`).join('')}`,
      ...palettes.map((palette, i) => lookGraph({ style: 'neutral', palette, modifiers: [] }, 0.6, { width, height }, { input: `in${i}`, output: `o${i}`, prefix: `p${i}_` })),
      `[src]${palettes.map((_, i) => `[o${i}]`).join('')}vstack=inputs=${palettes.length + 1}[v]`,
    ].join(';');
    const { frames } = await readFrames({ input: shortClip, graph, width, height: height * (palettes.length + 1), pixFmt: 'rgb24' });
    const part = width * height * 3;
    const colour = (i: number): [number, number, number] => meanColour([(frames[0] as Buffer).subarray(i * part, (i + 1) * part)]);
    const [r0, g0, b0] = colour(0);
    const shift = (name: (typeof palettes)[number]): [number, number, number] => {
      const [r, g, b] = colour(palettes.indexOf(name) + 1);
      return [r - r0, g - g0, b - b0];
    };
    const [rr, , br] = shift('red');
    expect(rr).toBeGreaterThan(br + 5);
    const [rg, gg] = shift('green');
    expect(gg).toBeGreaterThan(rg + 5);
    const [rb, , bb] = shift('blue');
    expect(bb).toBeGreaterThan(rb + 5);
    const [rp, gp, bp] = shift('purple');
    expect((rp + bp) / 2).toBeGreaterThan(gp + 2);
    const [rw, , bw] = shift('warm');
    expect(rw).toBeGreaterThan(bw + 5);
    const [rc, , bc] = shift('cool');
    expect(bc).toBeGreaterThan(rc + 5);
    expect(shift('night').reduce((a, b) => a + b)).toBeLessThan(-10);
  });
});

describe('input_image', () => {
  it('starts on the image and carries its colours through the clip without a jump', async () => {
    const { result, out } = await render({ prompt: 'warm', input_video: flowerClip, input_image: 'london.jpg' });
    const frames = await rgbFrames(out, 192, 108);
    const { frames: image } = await readFrames({
      input: join(media, 'london.jpg'), width: 192, height: 108, pixFmt: 'rgb24',
      graph: '[0:v]scale=960:540:force_original_aspect_ratio=increase,crop=960:540[v]',
    });
    const target = meanColour(image);
    const source = meanColour(await rgbFrames(flowerClip, 192, 108));
    const after = meanColour(frames.slice(1));
    const distance = (a: number[], b: number[]): number => Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));
    expect(distance(after, target)).toBeLessThan(distance(source, target) * 0.5);
    // No jump: frame 1 is as close to frame 0 in colour as the clip's own frames are to each other.
    expect(distance(meanColour(frames.slice(0, 1)), meanColour(frames.slice(1, 2)))).toBeLessThan(12);
    expect(result.interpretation).toMatchObject({ first_frame_image: true, colour_transfer: { tone_only: false } });
  });
});

describe('auto_controls', () => {
  it('finds the shot change of bbb_60fps.mp4 and records a per-segment schedule', async () => {
    const { result } = await render({ prompt: 'cartoon', input_video: 'bbb_60fps.mp4', auto_controls: true });
    const schedule = (result.interpretation as unknown as { schedule: { cuts_s: number[]; segments: { start_s: number; end_s: number; edit_strength: string; after_cut: boolean }[] } }).schedule;
    expect(result.interpretation).toMatchObject({ edit_strength: 'auto' });
    expect(schedule.cuts_s).toHaveLength(1);
    expect(schedule.cuts_s[0]).toBeGreaterThan(0.25);
    expect(schedule.cuts_s[0]).toBeLessThan(0.45);
    const afterCut = schedule.segments.find((s) => s.after_cut);
    expect(afterCut?.start_s).toBe(schedule.cuts_s[0]);
    expect(schedule.segments[0]?.start_s).toBe(0);
    expect(schedule.segments.at(-1)?.end_s).toBeCloseTo(2.02, 1);
    // The busy first shot is rendered more gently than the calm one after the cut.
    const order = ['adhere_1', 'adhere_2', 'adhere_3', 'flex_1', 'flex_2', 'flex_3', 'reimagine_1', 'reimagine_2', 'reimagine_3'];
    expect(order.indexOf(schedule.segments[0]?.edit_strength ?? '')).toBeLessThan(order.indexOf(afterCut?.edit_strength ?? ''));
  });
});
