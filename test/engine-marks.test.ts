/**
 * The marks stage through the real engine: a look with a marks step (pencil sketch, whose
 * strokes come from a C kernel) renders as decoder | marks child | encoder, the kernel's
 * marks land on the output as the kernel makes them, with the source's audio; and a
 * cancel ends the whole chain. Charcoal is drawn in broad, soft strokes over every grey,
 * the face's included, with its features readable, on cream paper; a dark shot stays dark.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { createLocalEngine } from '../src/engines/local/index.ts';
import { lookMarks } from '../src/engines/local/look-filters.ts';
import { markStill, readStill } from '../src/engines/local/marks/still.ts';
import { boxStructure, READABLE } from '../src/engines/local/metrics/tone-detail.ts';
import { probeMedia } from '../src/engines/local/probe.ts';
import { lookIntensity } from '../src/engines/local/strength.ts';
import type { EngineJob } from '../src/engines/types.ts';
import { localJob } from './support/engine-job.ts';
import { boxBlur, luma } from './support/picture-measures.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const [width, height] = [960, 540];
let root: string;
let clip: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-marks-'));
  clip = join(root, 'flower.mp4');
  await run('ffmpeg', ['-v', 'error', '-ss', '2', '-t', '1', '-i', join(media, 'flower.mp4'), '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-c:a', 'aac', '-y', clip]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function job(prompt: string, signal = new AbortController().signal): EngineJob & { workDir: string } {
  return localJob(join(root, `job-${Math.random().toString(36).slice(2)}`), { prompt, input_video: clip }, signal);
}

/** Correlation of two planes' fine detail (each minus its 5×5 box blur). */
function detailCorrelation(a: Float32Array, b: Float32Array): number {
  const ha = boxBlur(a, width, height, 2), hb = boxBlur(b, width, height, 2);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ha[i]!, y = b[i]! - hb[i]!;
    ab += x * y; aa += x * x; bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('a look with a marks step through the engine', () => {
  it('renders the kernel\'s marks onto the frames, as the kernel makes them, and keeps the audio', async () => {
    const pencil = job('pencil sketch');
    await mkdir(pencil.workDir);
    const result = await engine.render(pencil);
    const out = result.outputs[0]!.path;
    const facts = await probeMedia(out);
    expect(facts.hasAudio).toBe(true);
    expect(facts.duration).toBeGreaterThan(0.9);
    const { frames } = await readFrames({ input: out, width, height, pixFmt: 'rgb24' });
    expect(frames.length).toBeGreaterThanOrEqual(29);
    // Frame 0 is what the look's kernel makes of the source's frame 0 (the same kernel run
    // on a still, in this process): the same strokes in the same places, through the encode.
    const step = lookMarks({ style: 'pencil_sketch', palette: 'none', modifiers: [] }, lookIntensity(undefined, []), { width, height })!;
    const expected = markStill(step.marks, await readStill(clip, width, height), step.params);
    const rendered = luma({ data: frames[0]!, width, height });
    // Without the marks stage (the look's old filtergraph) it is near 0.
    expect(detailCorrelation(rendered, luma({ width, height, data: Buffer.from(expected.data) }))).toBeGreaterThan(0.5);
  });

  it('ends the whole chain on cancel', async () => {
    const controller = new AbortController();
    const pencil = { ...job('pencil sketch', controller.signal), onProgress: (p: { stage?: string; progress: number }) => p.stage === 'rendering' && p.progress > 0.06 && controller.abort() };
    await mkdir(pencil.workDir);
    await expect(engine.render(pencil)).rejects.toMatchObject({ code: 'cancelled' });
  });
});

/** The size of a blind panel's tile. */
const TILE: readonly [number, number] = [372, 313];

/** A frame's plane as a panel's tile shows it: area-averaged to {@link TILE}. */
function atTileSize(plane: Float32Array): Float32Array {
  const [tw, th] = TILE;
  const tile = new Float32Array(tw * th);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) {
    const x0 = Math.floor((x * width) / tw), x1 = Math.floor(((x + 1) * width) / tw), y0 = Math.floor((y * height) / th), y1 = Math.floor(((y + 1) * height) / th);
    let sum = 0;
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += plane[yy * width + xx]!;
    tile[y * tw + x] = sum / ((x1 - x0) * (y1 - y0));
  }
  return tile;
}

/**
 * As a panel's tile shows a drawing: among its tones from `lo` to `hi` (7×7 means, of 255),
 * the share that is smooth, its 3×3 texture under 3 levels RMS over a 7×7 window.
 */
function smoothShare(rgb: Uint8Array, lo: number, hi: number): number {
  const tile = atTileSize(luma({ width, height, data: Buffer.from(rgb) })), [tw, th] = TILE;
  const mean = boxBlur(tile, tw, th, 1), wide = boxBlur(tile, tw, th, 3);
  const local = boxBlur(tile.map((v, i) => (v - mean[i]!) ** 2), tw, th, 3);
  let tones = 0, smooth = 0;
  for (let i = 0; i < tile.length; i++) if (wide[i]! > lo && wide[i]! < hi) { tones++; if (Math.sqrt(local[i]!) < 3) smooth++; }
  return smooth / tones;
}

/**
 * How much a drawing's fine texture (each pixel less its 5×5 mean) runs one way where its
 * tone (13×13 means) lies from `lo` to `hi` of 255: the coherence of its structure tensor
 * in 8×8 blocks, weighted by their energy (1 for strokes all one way, low where they cross).
 */
function textureCoherence(out: Float32Array, lo: number, hi: number): number {
  const base = boxBlur(out, width, height, 2), wide = boxBlur(out, width, height, 6);
  let coherent = 0, energy = 0;
  for (let by = 1; by + 9 < height; by += 8) for (let bx = 1; bx + 9 < width; bx += 8) {
    const tone = wide[(by + 4) * width + bx + 4]!;
    if (tone < lo || tone > hi) continue;
    let xx = 0, yy = 0, xy = 0;
    for (let y = by; y < by + 8; y++) for (let x = bx; x < bx + 8; x++) {
      const t = (i: number) => out[i]! - base[i]!, i = y * width + x;
      const gx = t(i + 1) - t(i - 1), gy = t(i + width) - t(i - width);
      xx += gx * gx; yy += gy * gy; xy += gx * gy;
    }
    coherent += Math.sqrt((xx - yy) ** 2 + 4 * xy * xy); energy += xx + yy;
  }
  return coherent / energy;
}

/** RMS of a plane's fine texture (each pixel minus its 5×5 box mean) and that texture's correlation with its right neighbour's, where `where` holds. */
function grain(plane: Float32Array, w: number, h: number, where: (x: number, y: number) => boolean): { rms: number; lag1: number } {
  const base = boxBlur(plane, w, h, 2);
  let ss = 0, cross = 0, n = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w - 1; x++) {
    if (!where(x, y)) continue;
    const i = y * w + x, r = plane[i]! - base[i]!, right = plane[i + 1]! - base[i + 1]!;
    ss += r * r; cross += r * right; n++;
  }
  return { rms: Math.sqrt(ss / n), lag1: cross / ss };
}

describe('the drawn media\'s marks', () => {
  const charcoal = lookMarks({ style: 'charcoal', palette: 'none', modifiers: [] }, lookIntensity(undefined, []), { width, height })!;
  const pencil = lookMarks({ style: 'pencil_sketch', palette: 'none', modifiers: [] }, lookIntensity(undefined, []), { width, height })!;
  /** The portrait clip's frame at 0.5 s through FFmpeg's `eq` (a shot in low or hard light), as a still file. */
  async function portraitLit(name: string, eq: string): Promise<string> {
    const still = join(root, `${name}.png`);
    await run('ffmpeg', ['-v', 'error', '-y', '-ss', '0.5', '-i', fileURLToPath(new URL('portrait.mp4', `file://${media}`)), '-frames:v', '1', '-vf', `eq=${eq}`, still]);
    return still;
  }

  it('charcoal keeps the face\'s features under its strokes, not grainy mush, and the darks are not massed black', async () => {
    const face = { x: 0.22, y: 0.38, width: 0.55, height: 0.3 };
    const source = await readStill(fileURLToPath(new URL('portrait.mp4', `file://${media}`)), width, height);
    const styled = markStill(charcoal.marks, source, charcoal.params, 3);
    const inFace = (x: number, y: number) => x >= face.x * width && x < (face.x + face.width) * width && y >= face.y * height && y < (face.y + face.height) * height;
    const drawn = grain(luma({ width, height, data: Buffer.from(styled.data) }), width, height, inFace).rms;
    const photo = grain(luma({ width, height, data: Buffer.from(source.data) }), width, height, inFace).rms;
    const structure = boxStructure(source, styled, face).kept ?? 0;
    const out = luma({ width, height, data: Buffer.from(styled.data) });
    const black = out.filter((v) => v < 0.12 * 255).length / out.length;
    console.log(`charcoal on the face: fine texture ${(drawn / photo).toFixed(2)} × the photograph's, structure kept ${structure.toFixed(2)}; ${(100 * black).toFixed(1)} % of the frame near black`);
    // With round grain of its own in every tone the face had 1.03 × the photograph's fine
    // texture, which a blind panel called grainy mush; smoothed to 0.52 × it was called a
    // grey photo filter with no tooth. Drawn in strokes, 0.71 ×, and its eyes, nose and
    // mouth read (structure 0.75).
    expect(drawn / photo).toBeLessThan(1.05);
    expect(structure).toBeGreaterThan(READABLE);
    // The backdrop went nearly solid black: 13 % of the frame below 12 % grey.
    expect(black).toBeLessThan(0.1);
  });

  it('charcoal\'s texture runs along its strokes, not salt-and-pepper speckle', async () => {
    const source = await readStill(fileURLToPath(new URL('portrait.mp4', `file://${media}`)), width, height);
    const out = luma({ width, height, data: Buffer.from(markStill(charcoal.marks, source, charcoal.params, 3).data) });
    // Specks: pixels more than 25 levels off their 3×3 neighbourhood's median.
    let specks = 0;
    const near: number[] = [];
    for (let y = 1; y < height - 1; y++) for (let x = 1; x < width - 1; x++) {
      near.length = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) near.push(out[(y + dy) * width + x + dx]!);
      near.sort((a, b) => a - b);
      if (Math.abs(out[y * width + x]! - near[4]!) > 25) specks++;
    }
    // The fine texture's direction, over every tone.
    const coherence = textureCoherence(out, 0, 255);
    const share = specks / ((width - 2) * (height - 2));
    console.log(`charcoal on the face clip: ${(100 * share).toFixed(2)} % specks, texture direction coherence ${coherence.toFixed(2)}`);
    // With round grain on every tone (the panel's "TV grain"), 0.76 % of the pixels here
    // were specks and the texture's coherence was 0.28; the smooth version had none and
    // 0.62 but no tooth. The tooth's pits inside the strokes are specks of a few pixels:
    // 0.70 % and 0.38 (the strokes' own direction is measured at tile scale, above).
    expect(share).toBeLessThan(0.01);
    expect(coherence).toBeGreaterThan(0.33);
  });

  it('charcoal\'s drawing has little fine noise and no more tones than a hand lays', async () => {
    for (const name of ['portrait.mp4', 'flower.mp4']) {
      const source = await readStill(fileURLToPath(new URL(name, `file://${media}`)), width, height);
      const out = luma({ width, height, data: Buffer.from(markStill(charcoal.marks, source, charcoal.params, 3).data) });
      // Fine noise (each pixel against its 5×5 mean) against the large-scale variation (the 17×17 means' spread).
      const near = boxBlur(out, width, height, 2), wide = boxBlur(out, width, height, 8);
      const all = wide.reduce((a, v) => a + v, 0) / wide.length;
      let fine = 0, large = 0;
      for (let i = 0; i < out.length; i++) { fine += (out[i]! - near[i]!) ** 2; large += (wide[i]! - all) ** 2; }
      // How many tones the drawing uses: the entropy of its 5×5 means' histogram in 32 bins.
      const bins = new Array<number>(32).fill(0);
      for (const v of near) bins[Math.min(31, Math.floor(v / 8))]!++;
      const entropy = bins.reduce((e, c) => (c > 0 ? e - (c / near.length) * Math.log2(c / near.length) : e), 0);
      console.log(`charcoal on ${name}: fine noise ${Math.sqrt(fine / large).toFixed(3)} of the large-scale variation, tone entropy ${entropy.toFixed(2)} bits`);
      // With the grain in every tone: 0.13 (portrait) and 0.15 (flower), 4.68 and 4.80 bits;
      // smoothed, 0.073 and 0.078 (no tooth, a photo filter to viewers). With the tooth
      // inside the strokes 0.147 and 0.209, but fewer tones than the grain had.
      expect(Math.sqrt(fine / large), name).toBeLessThan(0.25);
      if (name === 'portrait.mp4') expect(entropy, name).toBeLessThan(4.55);
    }
  });

  it('charcoal is drawn on cream paper with a cool black', () => {
    // A grey ramp: no form and no edges, only the medium's own marks. It runs inside the
    // sheet's margin (which fades to bare paper) and is read there, on the middle rows.
    const data = new Uint8Array(width * height * 3);
    const source = (x: number) => Math.round(30 + 225 * Math.min(1, Math.max(0, (x - 120) / (width - 241))));
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(source(x), (y * width + x) * 3, (y * width + x) * 3 + 3);
    const rgb = markStill(charcoal.marks, { width, height, data }, charcoal.params, 3).data;
    // Red less blue in the lightest and in the darkest tones laid.
    const warmth = (lo: number, hi: number) => {
      let sum = 0, count = 0;
      for (let y = 120; y < height - 120; y++) for (let x = 120; x < width - 120; x++) if (source(x) >= lo && source(x) <= hi) { sum += rgb[(y * width + x) * 3]! - rgb[(y * width + x) * 3 + 2]!; count++; }
      return sum / count;
    };
    const [paper, black] = [warmth(240, 255), warmth(30, 40)];
    console.log(`charcoal on a grey ramp: paper ${paper.toFixed(1)} levels redder than blue, the darkest ${black.toFixed(1)}`);
    expect(paper).toBeGreaterThan(10);
    expect(black).toBeLessThan(paper / 2);
  });

  it('charcoal lays its strokes over every grey, the face\'s included, not smooth airbrushed shading, and the face stays readable', async () => {
    const portrait = fileURLToPath(new URL('portrait.mp4', `file://${media}`));
    const dark = await portraitLit('portrait-dark', 'gamma=0.55:brightness=-0.06');
    const face = { x: 0.3, y: 0.3, width: 0.4, height: 0.45 };
    const figures: string[] = [];
    for (const [name, path] of [['lit', portrait], ['two stops under', dark], ['flower', fileURLToPath(new URL('flower.mp4', `file://${media}`))]] as const) {
      const source = await readStill(path, width, height);
      const styled = markStill(charcoal.marks, source, charcoal.params, 3);
      // As a panel's tile shows it: the share of the greys that is smooth.
      const smooth = smoothShare(styled.data, 40, 215);
      const structure = name === 'flower' ? 1 : boxStructure(source, styled, face).kept ?? 0;
      figures.push(`${name}: ${(100 * smooth).toFixed(1)} % of the greys smooth, face structure ${structure.toFixed(2)}`);
      // Massed tone blended by a finger, the face by a stump, left 40, 33 and 26 % of the
      // greys smooth: blind viewers rated it 0.08 of 2 as charcoal ("smooth oily shading",
      // "a blurred grey photo with heavy outlines"). Strokes over every grey: 18, 9 and 11 %,
      // rated 1.58 and 1.67, but the face two stops under, its features too shallow to be
      // found, was hatched over ("dense scribbles buried a dim face"; structure 0.73 and
      // 0.75, 0.83 and 0.76 blended). With features found by their contrast: 21, 12 and
      // 13 % smooth, structure 0.80 and 0.81, no face called lost.
      expect(smooth, name).toBeLessThan(0.25);
      expect(structure, name).toBeGreaterThan(0.77);
    }
    console.log(`charcoal at tile scale: ${figures.join('; ')}`);
  });

  it('pencil keeps a dim face readable, not buried in dark scribble', async () => {
    const source = await readStill(await portraitLit('portrait-dark', 'gamma=0.55:brightness=-0.06'), width, height);
    const styled = markStill(pencil.marks, source, pencil.params, 3);
    const face = { x: 0.3, y: 0.3, width: 0.4, height: 0.45 };
    const structure = boxStructure(source, styled, face).kept ?? 0;
    console.log(`pencil on a face two stops under: structure kept ${structure.toFixed(2)}`);
    // With features found by their depth alone, the dim face's were too shallow to keep
    // the hatching off, and its shadowed half was crossed in dark scribble (0.47; every
    // viewer of such a tile rated it 0, "scribble buries half the face"). Found by their
    // contrast: 0.62; with open smooth areas stumped, as charcoal's are: 0.79.
    expect(structure).toBeGreaterThan(0.75);
  });

  it('pencil hatches a light open wall, not leave it as smooth grey', async () => {
    // The lit portrait's ceiling and wall: wide, smooth, light areas around the face.
    const source = await readStill(fileURLToPath(new URL('portrait.mp4', `file://${media}`)), width, height);
    const smooth = smoothShare(markStill(pencil.marks, source, pencil.params, 3).data, 150, 235);
    console.log(`pencil's light greys smooth at tile scale: ${(100 * smooth).toFixed(1)} %`);
    // Stumped as smooth tone wherever the area was open, 46 % of these light greys were
    // smooth, and viewers read the drawing as "a filtered grey photo with outlines, no
    // pencil lines in the light areas"; hatched in the light tones: 38 %.
    expect(smooth).toBeLessThan(0.41);
  });

  it('charcoal lays its darks in strokes along the form, not a crossing basket-weave', async () => {
    const stills = [['lit', fileURLToPath(new URL('portrait.mp4', `file://${media}`))], ['two stops under', await portraitLit('portrait-dark', 'gamma=0.55:brightness=-0.06')]] as const;
    for (const [name, path] of stills) {
      const source = await readStill(path, width, height);
      const out = luma({ width, height, data: Buffer.from(markStill(charcoal.marks, source, charcoal.params, 3).data) });
      const coherence = textureCoherence(out, 0, 90);
      console.log(`charcoal's darks ${name}: direction coherence of their texture ${coherence.toFixed(3)}`);
      // With a second layer crossing the first in the darks (as pencil's), 0.518 and
      // 0.479: viewers preferred the darks laid one way 22 times in 30 paired comparisons
      // ("a mechanical basket-weave"); now 0.594 and 0.576.
      expect(coherence, name).toBeGreaterThan(0.55);
    }
  });

  it('pencil, charcoal and pastel trail off into the bare sheet at its edge', async () => {
    const pastel = lookMarks({ style: 'pastel', palette: 'none', modifiers: [] }, lookIntensity(undefined, []), { width, height })!;
    const source = await readStill(fileURLToPath(new URL('portrait.mp4', `file://${media}`)), width, height);
    // The band within 2 % of the short side of the frame's edge; bare sheet there is
    // within 10 levels of the band's commonest tone (pencil's white paper, pastel's tan one).
    const band = Math.round(0.02 * height);
    const inBand = (x: number, y: number) => Math.min(x, y, width - 1 - x, height - 1 - y) < band;
    const shares = new Map<string, number>();
    for (const [name, look] of [['pencil', pencil], ['charcoal', charcoal], ['pastel', pastel]] as const) {
      const out = luma({ width, height, data: Buffer.from(markStill(look.marks, source, look.params, 3).data) });
      const edge: number[] = [];
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inBand(x, y)) edge.push(out[y * width + x]!);
      const counts = new Array<number>(256).fill(0);
      for (const v of edge) counts[Math.round(v)]! += 1;
      const sheet = counts.indexOf(Math.max(...counts));
      const bare = edge.filter((v) => Math.abs(v - sheet) < 10).length, n = edge.length;
      console.log(`${name}: ${(100 * bare / n).toFixed(1)} % of the edge band bare sheet (${sheet.toFixed(0)} of 255)`);
      shares.set(name, bare / n);
    }
    // Drawn to the edge: pencil 18 %, charcoal 12 %, pastel 39 % (what happens to lie near
    // the band's commonest tone); with the margin 68, 48 and 96 %. What stays drawn is
    // what pencil's and charcoal's margin spares, places busy with features (hair, the
    // shirt's stripes).
    for (const [name, share] of shares) expect(share, name).toBeGreaterThan(0.45);
  });

  it('charcoal draws an overexposed shot dark, not as light as pencil', async () => {
    // A face in hard light: the portrait lifted as the panels' bright clips are.
    const source = await readStill(await portraitLit('portrait-bright', 'gamma=1.8:brightness=0.08'), width, height);
    const meanOf = (rgb: Uint8Array) => luma({ width, height, data: Buffer.from(rgb) }).reduce((a, v) => a + v, 0) / (width * height);
    const [drawn, graphite, photo] = [meanOf(markStill(charcoal.marks, source, charcoal.params, 3).data), meanOf(markStill(pencil.marks, source, pencil.params, 3).data), meanOf(source.data)];
    console.log(`overexposed face: charcoal mean ${drawn.toFixed(0)}, pencil ${graphite.toFixed(0)}, source ${photo.toFixed(0)}`);
    // With 20 % darks (now 35 %) and the histogram held to 1.6 × flat, charcoal stayed
    // within 27 levels of pencil here (194 against 221; 165 against 181 on a panel's
    // overexposed motorcycle), and viewers named the two the other way round; now 167.
    expect(drawn).toBeLessThan(graphite - 30);
    expect(drawn).toBeLessThan(photo - 25);
  });

  it('charcoal keeps a dark shot\'s sky dark, not lifted to light paper', () => {
    // Dusk: a smooth sky from grey 20 at the top to 70 near the ground, a lit tower and a
    // strip of lit ground; the medium's tone distribution is mostly paper and mid tones.
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const tower = x > 460 && x < 500 && y > 120, ground = y > 470;
      data.fill(tower ? 215 : ground ? 150 + ((x >> 3) % 2) * 40 : Math.round(20 + (50 * y) / 470), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
    const out = luma({ width, height, data: Buffer.from(markStill(charcoal.marks, { width, height, data }, charcoal.params, 3).data) });
    let sky = 0, n = 0;
    // Read inside the sheet's margin, which fades to bare paper whatever the tone.
    for (let y = 100; y < 440; y++) for (let x = 100; x < 420; x++) { sky += out[y * width + x]!; n++; }
    sky /= n;
    console.log(`charcoal at dusk: the sky ${sky.toFixed(0)} of 255 (source 20 to 70)`);
    // Matched to the medium's tones (massed, as charcoal was drawn before), the sky came
    // out 125 of 255, a light grey with strokes across it (viewers of a dusk launch: "the
    // night sky turned pale"); the medium now lifts tones a little over half as far as it
    // would darken them: 98.
    expect(sky).toBeLessThan(110);
  });
});
