/**
 * Faces and tones survive the looks: retake-local measures every shot's tone and maps
 * it into the window the look keeps apart (shot-tone.ts), so a dark shot is not crushed
 * to black and a bright face is not blanked to paper; and a palette the prompt names
 * shows on a black-and-white source. Real renders through the engine, scored on the
 * face clip (made dark, bright or black-and-white with FFmpeg) by the measure of detail
 * kept per tone third and in the face box (metrics/tone-detail.ts); pop art's inks on a
 * black-and-white source, charcoal's dark shot kept whole.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalPipeline } from '../src/engines/local/pipeline.ts';
import { boxStructure, CRUSHED, crushedShare, READABLE, readability, type Box } from '../src/engines/local/metrics/tone-detail.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { scaled } from './support/deadline.ts';
import { testJob } from './support/engine-job.ts';

const run = promisify(execFile);
const portrait = fileURLToPath(new URL('./fixtures/media/portrait.mp4', import.meta.url));
/** The face in the portrait clip, as shares of the frame. */
const FACE: Box = { x: 0.22, y: 0.38, width: 0.55, height: 0.3 };
const AT = 0.5;
let dir: string;

/** The portrait clip through `filter`, as a file. */
async function makeClip(name: string, filter: string): Promise<string> {
  const out = join(dir, `${name}.mp4`);
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-i', portrait, '-vf', `${filter},format=yuv420p`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-an', '-y', out]);
  return out;
}

async function frameOf(path: string, width: number, height: number): Promise<RgbFrame> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', String(AT), '-i', path, '-vf', `scale=${width}:${height},format=rgb24`, '-frames:v', '1', '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return { width, height, data: new Uint8Array(stdout) };
}

/** The clip rendered with `prompt`, and its frame at AT beside the source's. */
async function render(clip: string, prompt: string): Promise<{ source: RgbFrame; styled: RgbFrame }> {
  const { job } = await testJob({ input_video: 'clip.mp4', prompt, resolution: '540p', duration: '5s' });
  job.fetchInput = async (_url, name) => {
    const dest = join(job.workDir, name);
    await copyFile(clip, dest);
    return dest;
  };
  try {
    const result = await runLocalPipeline(job);
    const out = result.outputs[0]!.path;
    const { width, height } = (result.interpretation as unknown as { output: { width: number; height: number } }).output;
    return { source: await frameOf(clip, width, height), styled: await frameOf(out, width, height) };
  } finally {
    await rm(job.workDir, { recursive: true, force: true });
  }
}

/** Mean chroma (max − min of the channels, 0..1). */
function chroma(frame: RgbFrame): number {
  let sum = 0;
  for (let i = 0; i < frame.data.length; i += 3) {
    const r = frame.data[i]!, g = frame.data[i + 1]!, b = frame.data[i + 2]!;
    sum += (Math.max(r, g, b) - Math.min(r, g, b)) / 255;
  }
  return sum / (frame.data.length / 3);
}

/** Of the pixels with some colour (max − min above 24 of 255), the shares whose hue (degrees) lies in each band. */
function hueShares(frame: RgbFrame, bands: readonly (readonly [number, number])[]): number[] {
  const counts = bands.map(() => 0);
  let coloured = 0;
  for (let i = 0; i < frame.data.length; i += 3) {
    const r = frame.data[i]!, g = frame.data[i + 1]!, b = frame.data[i + 2]!;
    const max = Math.max(r, g, b), d = max - Math.min(r, g, b);
    if (d <= 24) continue;
    coloured++;
    const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    bands.forEach(([lo, hi], k) => { if (h * 60 >= lo && h * 60 < hi) counts[k]!++; });
  }
  return counts.map((c) => c / Math.max(1, coloured));
}

/** The mean and standard deviation of luma (0..255) in `box`. */
function lumaStats(frame: RgbFrame, box: Box): { mean: number; deviation: number } {
  const values: number[] = [];
  for (let y = Math.round(box.y * frame.height); y < Math.round((box.y + box.height) * frame.height); y++) {
    for (let x = Math.round(box.x * frame.width); x < Math.round((box.x + box.width) * frame.width); x++) {
      const i = 3 * (y * frame.width + x);
      values.push(0.2126 * frame.data[i]! + 0.7152 * frame.data[i + 1]! + 0.0722 * frame.data[i + 2]!);
    }
  }
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  return { mean, deviation: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}

/** Luma percentiles (0..1) of the frame's centre, the middle 60 % each way, clear of a vignette. */
function centreLumaPercentiles(frame: RgbFrame, qs: readonly number[]): number[] {
  const { width, height, data } = frame;
  const values: number[] = [];
  for (let y = Math.round(height * 0.2); y < Math.round(height * 0.8); y++) {
    for (let x = Math.round(width * 0.2); x < Math.round(width * 0.8); x++) {
      const i = 3 * (y * width + x);
      values.push((0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!) / 255);
    }
  }
  values.sort((a, b) => a - b);
  return qs.map((q) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!);
}

/**
 * How barred `box` is: the mean step of luma from a row to the next, less that from a
 * column to the next (codes). Grain or a look's texture steps both ways alike; bars
 * along the rows step only across them.
 */
function bars(frame: RgbFrame, box: Box): number {
  const luma = (x: number, y: number): number => {
    const i = 3 * (y * frame.width + x);
    return 0.2126 * frame.data[i]! + 0.7152 * frame.data[i + 1]! + 0.0722 * frame.data[i + 2]!;
  };
  let across = 0, along = 0, count = 0;
  for (let y = Math.round(box.y * frame.height); y < Math.round((box.y + box.height) * frame.height) - 1; y++) {
    for (let x = Math.round(box.x * frame.width); x < Math.round((box.x + box.width) * frame.width) - 1; x++) {
      across += Math.abs(luma(x, y + 1) - luma(x, y));
      along += Math.abs(luma(x + 1, y) - luma(x, y));
      count++;
    }
  }
  return (across - along) / count;
}

const clips: Record<'dark' | 'bright' | 'bw' | 'backdrop' | 'streaks' | 'unbarred', string> = { dark: '', bright: '', bw: '', backdrop: '', streaks: '', unbarred: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-tone-'));
  clips.dark = await makeClip('dark', 'eq=brightness=-0.3');
  clips.bright = await makeClip('bright', 'eq=brightness=0.3');
  clips.bw = await makeClip('bw', 'hue=s=0');
  // A night shot: a black backdrop a few codes above black with an encoder's faint
  // noise in it (σ about 1.2 codes), and a lit figure a third of the frame wide.
  clips.backdrop = join(dir, 'backdrop.mp4');
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i',
    'color=c=0x050505:s=960x540:r=30:d=1,noise=c0s=5:c0f=t+u,drawbox=x=560:y=0:w=300:h=540:color=0x9a9a9a:t=fill,drawbox=x=620:y=120:w=180:h=300:color=0xc8c8c8:t=fill,format=yuv420p',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-y', clips.backdrop]);
  // The same night, its backdrop barred as a scaled and re-encoded dark frame is: runs of
  // rows one code apart; and unbarred, for the look's own strokes (both lossless, so the
  // codes are exact).
  for (const [name, rows] of [['streaks', "18+gt(mod(floor(Y/2)*37+floor(Y/5)*11\\,9)\\,4)"], ['unbarred', '18']] as const) {
    clips[name] = join(dir, `${name}.mp4`);
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i',
      `color=c=0x040404:s=960x540:r=30:d=1,format=yuv420p,geq=lum='${rows}':cb=128:cr=128,drawbox=x=560:y=0:w=300:h=540:color=0x9a9a9a:t=fill,drawbox=x=620:y=120:w=180:h=300:color=0xc8c8c8:t=fill`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-qp', '0', '-y', clips[name]]);
  }
}, scaled(60_000));

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('faces and tones survive the looks', () => {
  for (const prompt of ['classic film noir', 'ink comic', 'pop art']) {
    it(`${prompt} does not crush a dark shot to black: the face and every tone third stay readable`, async () => {
      const { source, styled } = await render(clips.dark, prompt);
      const call = readability(source, styled, { face: FACE });
      expect(call.lost, JSON.stringify(call)).toEqual([]);
      // What the blind panels' viewers called lost: a face whose features no longer draw
      // an edge, and dark areas printed as a solid black field (docs/tones.md).
      const face = boxStructure(source, styled, FACE).kept ?? 0, crushed = crushedShare(source, styled);
      console.log(`${prompt} on a dark shot: face structure ${face.toFixed(2)}, ${(100 * crushed).toFixed(2)} % of the frame crushed to solid black`);
      expect(face).toBeGreaterThan(READABLE);
      expect(crushed).toBeLessThan(CRUSHED);
    }, scaled(120_000));
  }

  // The tone curve would lift such a backdrop tens of times, to a grey fog, and its noise
  // (or an encoder's blocks and streaks) with it; its slope is capped (shot-tone.ts).
  for (const prompt of ['classic film noir', 'oil painting']) {
    it(`${prompt} on a night shot keeps a black backdrop dark and its noise faint`, async () => {
      const { source, styled } = await render(clips.backdrop, prompt);
      const backdrop = { x: 0.1, y: 0.2, width: 0.35, height: 0.6 };
      const [before, after] = [source, styled].map((f) => lumaStats(f, backdrop));
      console.log(`${prompt} on a night shot: backdrop mean ${before!.mean.toFixed(1)} → ${after!.mean.toFixed(1)}, noise σ ${before!.deviation.toFixed(2)} → ${after!.deviation.toFixed(2)} codes`);
      // Main's curve: noir 39.9 and σ × 14, oil painting 79.9 and σ × 6.7.
      expect(after!.mean).toBeLessThan(55);
      expect(after!.deviation / before!.deviation).toBeLessThan(10);
    }, scaled(120_000));
  }

  // Stretched even at the cap, a backdrop's rows one code apart become bars that a look
  // outlines or strokes along; the stretched shot is smoothed at 16 bits first
  // (shot-tone.ts, DARK_SMOOTH), so the look draws what it draws on an unbarred night.
  for (const prompt of ['cartoon', 'sepia vintage photograph', 'pencil sketch']) {
    it(`${prompt} on a night shot does not turn a barely barred backdrop into bars`, async () => {
      const backdrop = { x: 0.1, y: 0.2, width: 0.35, height: 0.6 };
      const barred = await render(clips.streaks, prompt), unbarred = await render(clips.unbarred, prompt);
      const [source, styled, own] = [barred.source, barred.styled, unbarred.styled].map((f) => bars(f, backdrop));
      console.log(`${prompt} on a barred night: bars ${source!.toFixed(2)} → ${styled!.toFixed(2)} codes (${own!.toFixed(2)} unbarred)`);
      expect(source).toBeGreaterThan(0.1);
      expect(Math.abs(styled! - own!)).toBeLessThan(0.6);
    }, scaled(180_000));
  }

  for (const prompt of ['cartoon', 'watercolor']) {
    it(`${prompt} does not blank a bright face to paper white`, async () => {
      const { source, styled } = await render(clips.bright, prompt);
      const call = readability(source, styled, { face: FACE });
      expect(call.lost, JSON.stringify(call)).toEqual([]);
    }, scaled(120_000));
  }

  it('a palette the prompt names shows on a black-and-white source', async () => {
    const { source, styled } = await render(clips.bw, 'a hand-painted watercolor animation with soft pastel colors');
    expect(chroma(source)).toBeLessThan(0.02);
    expect(chroma(styled)).toBeGreaterThan(0.08);
  }, scaled(120_000));

  it('pop art prints a black-and-white source in loud colour, with no palette named, its tones in distinct inks', async () => {
    const { source, styled } = await render(clips.bw, 'a bold pop art poster');
    expect(chroma(source)).toBeLessThan(0.02);
    expect(chroma(styled)).toBeGreaterThan(0.25);
    // Of the coloured pixels, the shares in three hue bands: yellow and orange, pink and
    // red, blue. A screen print's few inks, each a real part of the picture, not one tint.
    const [warm, pink, blue] = hueShares(styled, [[20, 70], [300, 360], [200, 260]]);
    console.log(`pop art on a black-and-white source: ${[warm, pink, blue].map((v) => `${(100 * v!).toFixed(1)} %`).join(', ')} yellow, pink, blue`);
    for (const share of [warm, pink, blue]) expect(share).toBeGreaterThan(0.05);
  }, scaled(120_000));

  // Noir reads by its low key and hard light: an overexposed or underexposed shot spread
  // over the look's whole window, its middle sunk toward deep shadows under bright lights,
  // not left as a flat grey (what the third panel saw on a bright clip).
  for (const exposure of ['bright', 'dark'] as const) {
    it(`film noir on a ${exposure} shot is low key: deep shadows, a dark middle and clean lights`, async () => {
      const { styled } = await render(clips[exposure], 'classic film noir');
      const [p5, p50, p95] = centreLumaPercentiles(styled, [0.05, 0.5, 0.95]);
      console.log(`noir on a ${exposure} shot: 5th / 50th / 95th luma percentile of the centre ${p5!.toFixed(2)} / ${p50!.toFixed(2)} / ${p95!.toFixed(2)}`);
      expect(p5).toBeLessThan(0.14);
      expect(p50).toBeLessThan(0.4);
      expect(p95).toBeGreaterThan(0.75);
    }, scaled(120_000));
  }

  // Looks that print in dark ink or brown keep their darks on a washed-out shot: its
  // shadows are brought down (the third panel saw pale, flat sepia and ink comic there;
  // the fourth a pencil sketch "so faint it looks like a pale edge filter"). Pencil's
  // darks are graphite grey, not ink black: its bound is higher.
  const darkest = { 'sepia vintage photograph': 0.25, 'ink comic book': 0.25, 'pixel art': 0.25, 'pencil sketch': 0.4 };
  for (const [prompt, bound] of Object.entries(darkest)) {
    it(`${prompt} on a washed-out shot keeps its darks`, async () => {
      const { styled } = await render(clips.bright, prompt);
      const [p5] = centreLumaPercentiles(styled, [0.05]);
      console.log(`${prompt} on a bright shot: 5th luma percentile of the centre ${p5!.toFixed(2)}`);
      expect(p5).toBeLessThan(bound);
    }, scaled(120_000));
  }

  it('charcoal keeps the structure of a dark shot: every tone third and the face', async () => {
    const { source, styled } = await render(clips.dark, 'a charcoal drawing');
    const call = readability(source, styled, { face: FACE });
    const kept = [...Object.values(call.thirds), call.face].map((t) => t?.kept ?? 0);
    console.log(`charcoal on a dark shot: kept ${kept.map((v) => v.toFixed(2)).join(' ')} (dark, middle, bright, face)`);
    for (const v of kept) expect(v, JSON.stringify(call)).toBeGreaterThan(0.8);
  }, scaled(180_000));

  // Blind viewers called neon on a grey photo "one flat purple tone with glow outlines,
  // the face only an outline", and on a dark one "glowing outlines in place of features".
  // The face and the darks keep their shading inside the glow.
  for (const exposure of ['dark', 'bw'] as const) {
    it(`neon on a ${exposure === 'bw' ? 'black-and-white' : 'dark'} shot keeps the face's shading and the folds of the darks`, async () => {
      const { source, styled } = await render(clips[exposure], 'cyberpunk neon');
      const call = readability(source, styled, { face: FACE });
      const face = call.face?.kept ?? 0, darks = call.thirds.dark.kept ?? 0;
      console.log(`neon on a ${exposure} shot: face detail kept ${face.toFixed(2)}, dark third ${darks.toFixed(2)}`);
      expect(face).toBeGreaterThan(0.35);
      expect(darks).toBeGreaterThan(0.35);
      if (exposure === 'bw') {
        // A grey shot is lit in more than one colour: magenta-violet and cyan-teal each
        // cover a good share of the coloured pixels (the night was one indigo before).
        const [magenta = 0, cyan = 0] = hueShares(styled, [[260, 345], [150, 235]]);
        console.log(`neon on a black-and-white shot: ${(magenta * 100).toFixed(0)} % magenta-violet, ${(cyan * 100).toFixed(0)} % cyan-teal`);
        expect(magenta).toBeGreaterThan(0.1);
        expect(cyan).toBeGreaterThan(0.1);
      }
    }, scaled(120_000));
  }
});
