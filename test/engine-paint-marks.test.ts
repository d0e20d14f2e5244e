/**
 * The painted looks through the real engine, their marks drawn by the marks stage's
 * kernels: oil's strokes run along the form (their orientation agrees with the source's
 * field of directions, not one way across the screen) and sweep a smooth background in
 * broad, even strokes; watercolor abstracts the picture into flat washes (not a
 * photograph's continuous shading), lays a face wet on dry in flat washes with hard
 * edges and its skin in a warm wash (not grey-mauve), pools darker pigment in a rim along their hard edges,
 * granulates in the paper's tooth in the middle tones while its darks stay an even wash,
 * and feathers some of its wash edges (wet in wet) rather than cutting every one hard,
 * leaves bare paper in an overexposed shot's large lights rather than small holes through
 * its washes, glazes a dark shot's darks in varying hues and draws a washed-out face's
 * features again, with few holes of bare paper inside a bright shot's washes; pastel lays
 * short chalk strokes that cross in many directions (not one slant, which reads as rain)
 * on a toothy paper that shows in the flat parts of the picture, lifts the key without losing its darks and keeps its
 * soft palette on a black-and-white source; watercolor and pastel keep a face readable
 * and crush no dark to solid black on a dark and on a bright shot, and no painted look
 * flickers more than 1.5 times its source.
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
import { flowFieldReference } from '../src/engines/local/marks/flow-field.ts';
import { gaussianBlur } from '../src/engines/local/marks/gaussian.ts';
import { markStill } from '../src/engines/local/marks/still.ts';
import { lookMarks } from '../src/engines/local/look-filters.ts';
import { boxDetail, boxStructure, CRUSHED, crushedShare, READABLE, type Box } from '../src/engines/local/metrics/tone-detail.ts';
import { localJob } from './support/engine-job.ts';
import { boxBlur, chroma, luma, mean, std, type Picture } from './support/picture-measures.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const [width, height] = [960, 540];
let root: string;
const clips = { colour: '', grey: '', dark: '', bright: '', face: '', deep: '' };
/** The face in the portrait clip, as shares of the frame. */
const FACE: Box = { x: 0.22, y: 0.38, width: 0.55, height: 0.3 };
const frames = new Map<string, Buffer[]>();
/**
 * Oil's fine texture at tile size against the source's, on the face and in a dark shot's
 * darkest fifth, at least (1.18 and 1.29 before the darks were lifted and the ridges lit
 * on their own; 1.3 and 1.7 were asserted while the relief was lit in every direction,
 * which viewers then called a crinkled foil). With the light showing the slope along a
 * stroke at a fifth, this pixel-scale texture is 1.20 and 1.62: less crinkle, while the
 * skin's own texture at the scale of strokes stays 3.0 times the photograph's (the test
 * on the face's skin below).
 */
const FACE_TILE_TEXTURE = 1.15, DARK_TILE_TEXTURE = 1.5;
/** Share of the face's sharpest edges oil keeps (0.69 with strokes dragged across them), and its skin's gradient against the photograph's, at least. */
const FEATURE_EDGES_KEPT = 0.78, SKIN_STROKES = 2.5;

/**
 * Oil on the dark face clip: its darkest tenth's value and colour (levels), at least (19.0
 * and 5.5 when the darks went to a near-neutral black; 23.3 and 15.6 lifted and mixed
 * in umber and ultramarine). On a black-and-white source: its colour (levels) and the
 * shares of warm and of cool pixels, at least (5.5, 4.5 % and 3.5 % in grey strokes;
 * 13.1, 36 % and 19 % in a painter's palette).
 */
const DARK_VALUE = 21, DARK_COLOUR = 10, GREY_PALETTE_COLOUR = 9, GREY_WARM = 0.15, GREY_COOL = 0.1;

/** The face clip's 540p frame at its own size (it is stored sideways, 720×1080). */
const [faceWidth, faceHeight] = [540, 810];

async function rgbFrames(path: string, size = [width, height]): Promise<Buffer[]> {
  return (await readFrames({ input: path, width: size[0]!, height: size[1]!, pixFmt: 'rgb24' })).frames.map((f) => Buffer.from(f));
}

async function render(prompt: string, clip: string, size = [width, height]): Promise<Buffer[]> {
  const workDir = join(root, `job-${Math.random().toString(36).slice(2)}`);
  await mkdir(workDir);
  const result = await engine.render(localJob(workDir, { prompt, input_video: clip }));
  return rgbFrames(result.outputs[0]!.path, size);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-paint-'));
  clips.colour = join(root, 'flower.mp4');
  clips.grey = join(root, 'flower-grey.mp4');
  await run('ffmpeg', ['-v', 'error', '-ss', '2', '-t', '1', '-i', join(media, 'flower.mp4'), '-an', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', clips.colour]);
  await run('ffmpeg', ['-v', 'error', '-i', clips.colour, '-vf', 'format=gray,format=yuv420p', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', clips.grey]);
  for (const [name, filter] of [['dark', 'eq=brightness=-0.3'], ['bright', 'eq=brightness=0.3'], ['face', 'null'], ['deep', 'eq=gamma=0.55:brightness=-0.06']] as const) {
    clips[name] = join(root, `portrait-${name}.mp4`);
    await run('ffmpeg', ['-v', 'error', '-ss', '0.2', '-t', '0.6', '-i', join(media, 'portrait.mp4'), '-vf', `${filter},format=yuv420p`, '-an', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', '-y', clips[name]]);
    frames.set(`source-${name}`, await rgbFrames(clips[name]));
  }
  frames.set('source', await rgbFrames(clips.colour));
  // The face upright at its own shape (540×810), for oil's strokes on the skin.
  frames.set('source-face-upright', await rgbFrames(clips.face, [faceWidth, faceHeight]));
  frames.set('oil-face', await render('oil painting', clips.face, [faceWidth, faceHeight]));
  for (const [name, prompt, clip] of [
    ['oil', 'oil painting', clips.colour], ['watercolor', 'watercolor', clips.colour], ['pastel', 'pastel', clips.colour], ['pastel-grey', 'pastel', clips.grey],
    ['oil-dark', 'oil painting', clips.dark], ['oil-bright', 'oil painting', clips.bright], ['oil-grey', 'oil painting', clips.grey],
    ['watercolor-dark', 'watercolor', clips.dark], ['watercolor-bright', 'watercolor', clips.bright], ['pastel-dark', 'pastel', clips.dark], ['pastel-bright', 'pastel', clips.bright],
    ['pastel-face', 'pastel', clips.face], ['pastel-soft', 'drawn with soft pastel chalks', clips.colour], ['pastel-deep', 'pastel', clips.deep],
  ] as const) {
    frames.set(name, await render(prompt, clip));
  }
}, 600_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (name: string, index = 15) => ({ data: frames.get(name)![index]!, width, height });

/** Pastel's texture at 1 to 2 px as a share of its texture at a stroke's scale, at most, and the coherence of its strokes' directions, at least (0.53 and 0.37 on the flower clip with the scattered strokes and fine speckle). */
const SPECKLE_SHARE = 0.47, HATCH_COHERENCE = 0.43;

/** Watercolor on a bright shot: the share of the sheet in bare paper holes inside washes, at most (1.49 % when a light patch under half its neighbourhood was left bare). */
const PAPER_HOLES = 0.0135;

/**
 * Inside the sheet's bare margin, `share` of the short side in from the frame's edges:
 * watercolor's deckled border (a tenth), pastel's margin where its chalk gives out
 * (docs/looks.md, "The margin": at most 17 %). The drawing itself is measured there.
 */
function insideSheet(i: number, share = 0.1): boolean {
  const x = i % width, y = (i - x) / width, m = share * height;
  return x >= m && y >= m && x < width - m && y < height - m;
}
/** Inside pastel's margin. */
const insidePastelSheet = (i: number): boolean => insideSheet(i, 0.17);

/** The share of the sheet that is bare paper (luma 232 or more) in a neighbourhood (25 px square) painted darker than 205 on average: a hole through a wash. */
function paperHoles(plane: Float32Array): number {
  const around = boxBlur(plane, width, height, 12);
  return mean(plane.map((v, i) => (v >= 232 && around[i]! < 205 ? 1 : 0)), (i) => insideSheet(i));
}

/** A plane's fine detail: itself minus its 5×5 box blur. */
function fine(plane: Float32Array): Float32Array {
  const blurred = boxBlur(plane, width, height, 2);
  return plane.map((v, i) => v - blurred[i]!);
}

/** Gradient magnitude (levels a pixel) of a plane blurred by σ, and its unit normal. */
function gradient(plane: Float32Array, sigma: number): { g: Float32Array; nx: Float32Array; ny: Float32Array } {
  const p = gaussianBlur(plane, width, height, sigma);
  const g = new Float32Array(p.length), nx = new Float32Array(p.length), ny = new Float32Array(p.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx = (p[i + 1]! - p[i - 1]!) / 2, gy = (p[i + width]! - p[i - width]!) / 2;
      g[i] = Math.hypot(gx, gy);
      if (g[i] > 0) { nx[i] = gx / g[i]; ny[i] = gy / g[i]; }
    }
  }
  return { g, nx, ny };
}

/** The share of pixels in gentle gradation: a photograph's continuous shading. */
function gentleShare(plane: Float32Array): number {
  return mean(gradient(plane, 2.5).g.map((v) => (v > 0.4 && v < 4 ? 1 : 0)));
}

/**
 * Of a picture's edges (over 6 levels a pixel at σ 1.5), the share whose darker side is
 * darker 2 to 4 pixels in than 8 to 10 pixels in, by more than 6 levels: pigment pooled
 * where a wash dried.
 */
function rimShare(plane: Float32Array): number {
  const b = gaussianBlur(plane, width, height, 1);
  const at = (x: number, y: number): number => b[Math.min(height - 1, Math.max(0, Math.round(y))) * width + Math.min(width - 1, Math.max(0, Math.round(x)))]!;
  return edgeShare(plane, 6, ({ x, y, a, c }) => {
    const near = Math.min(at(x - 2 * a, y - 2 * c), at(x - 3 * a, y - 3 * c), at(x - 4 * a, y - 4 * c));
    const inside = (at(x - 8 * a, y - 8 * c) + at(x - 10 * a, y - 10 * c)) / 2;
    return inside - near > 6;
  }).share;
}

/** An edge point of a picture: its place, index and unit normal (a, c) pointing uphill. */
interface EdgePoint { x: number; y: number; i: number; a: number; c: number; g: Float32Array }

/**
 * Of the points on every second row and column (12 pixels in from the border) where the
 * picture's gradient (at σ 1.5) is at least `minGradient`, how many `judge` counts, and
 * the share; a point `judge` answers undefined for is not an edge and not counted.
 */
function edgeShare(plane: Float32Array, minGradient: number, judge: (p: EdgePoint) => boolean | undefined): { edges: number; share: number } {
  const { g, nx, ny } = gradient(plane, 1.5);
  let edges = 0, counted = 0;
  for (let y = 12; y < height - 12; y += 2) {
    for (let x = 12; x < width - 12; x += 2) {
      const i = y * width + x;
      if (g[i]! < minGradient) continue;
      const verdict = judge({ x, y, i, a: nx[i]!, c: ny[i]!, g });
      if (verdict === undefined) continue;
      edges++;
      if (verdict) counted++;
    }
  }
  return { edges, share: edges ? counted / edges : 0 };
}

/** A colour difference plane of a picture: blue (2) or red (0) less the luma. */
function chromaPlane(p: Picture, channel: 0 | 2): Float32Array {
  const y = luma(p);
  return y.map((v, i) => p.data[3 * i + channel]! - v);
}

/** The fine variation of a picture's colour (not its tone), where `where` holds (everywhere when not given). */
function colourDetail(p: Picture, where?: (i: number) => boolean): number {
  return mean(fine(chromaPlane(p, 2)).map(Math.abs), where) + mean(fine(chromaPlane(p, 0)).map(Math.abs), where);
}

/**
 * The share of the frame in small patches of bare paper (luma 240 or more, 8-connected,
 * each under 0.1 % of the frame): holes punched through a wash rather than a light area
 * a painter left white.
 */
function smallBareShare(plane: Float32Array): number {
  const seen = new Uint8Array(plane.length);
  const stack: number[] = [];
  let small = 0;
  for (let i = 0; i < plane.length; i++) {
    if (seen[i] || plane[i]! < 240) continue;
    let area = 0;
    seen[i] = 1; stack.push(i);
    while (stack.length) {
      const j = stack.pop()!;
      area++;
      const x = j % width, y = (j - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy, k = yy * width + xx;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height || seen[k] || plane[k]! < 240) continue;
          seen[k] = 1; stack.push(k);
        }
      }
    }
    if (area < 0.001 * plane.length) small += area;
  }
  return small / plane.length;
}

/**
 * How far the colour of a picture's darks (the source's darkest quarter) strays from
 * their mean colour, at the scale of a glaze (a 9×9 box), in levels of an opponent
 * colour plane (R − G, (R + G)/2 − B): near 0 for one flat grey slab.
 */
function darkColourSpread(source: Picture, out: Picture): number {
  const s = luma(source);
  const darkest = [...s].sort((a, b) => a - b)[Math.floor(s.length / 4)]!;
  const rg = new Float32Array(s.length), yb = new Float32Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const [r, g, b] = [out.data[3 * i]!, out.data[3 * i + 1]!, out.data[3 * i + 2]!];
    rg[i] = r - g; yb[i] = (r + g) / 2 - b;
  }
  const a = boxBlur(rg, width, height, 4), c = boxBlur(yb, width, height, 4);
  const dark = (i: number): boolean => s[i]! <= darkest;
  const ma = mean(a, dark), mc = mean(c, dark);
  return mean(a.map((v, i) => Math.hypot(v - ma, c[i]! - mc)), dark);
}

/** A picture's luma at a viewer's tile size (0.39 of the frame, each pixel the mean of the area it covers). */
interface Tile { plane: Float32Array; width: number; height: number }
const TILE_SCALE = 372 / 960;
function tile(p: Picture): Tile {
  const src = luma(p);
  const tw = Math.round(p.width * TILE_SCALE), th = Math.round(p.height * TILE_SCALE);
  const plane = new Float32Array(tw * th), count = new Float32Array(tw * th);
  for (let y = 0; y < p.height; y++) {
    const ty = Math.min(th - 1, Math.floor(y * TILE_SCALE));
    for (let x = 0; x < p.width; x++) {
      const k = ty * tw + Math.min(tw - 1, Math.floor(x * TILE_SCALE));
      plane[k] = plane[k]! + src[y * p.width + x]!;
      count[k] = count[k]! + 1;
    }
  }
  return { plane: plane.map((v, i) => v / count[i]!), width: tw, height: th };
}

/** Mean fine texture of a tile (its luma less its 3×3 box blur, in levels) where `where` holds. */
function tileTexture(t: Tile, where: (i: number) => boolean): number {
  const blurred = boxBlur(t.plane, t.width, t.height, 1);
  return mean(t.plane.map((v, i) => Math.abs(v - blurred[i]!)), where);
}

/** A plane's gradient (levels a pixel) at σ 1, each way. */
function planeGradient(plane: Float32Array, w: number, h: number): { gx: Float32Array; gy: Float32Array } {
  const p = gaussianBlur(plane, w, h, 1);
  const gx = new Float32Array(p.length), gy = new Float32Array(p.length);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      gx[i] = (p[i + 1]! - p[i - 1]!) / 2;
      gy[i] = (p[i + w]! - p[i - w]!) / 2;
    }
  }
  return { gx, gy };
}

/** Mean |cos| of the angle between two fields where `where` holds (2/π ≈ 0.64 for unrelated ones). */
function agreement(a: Float32Array, b: Float32Array, where: (i: number) => boolean): number {
  return mean(a.map((v, i) => Math.abs(Math.cos(v - b[i]!))), where);
}

describe('painted looks made of marks, through the engine', () => {
  it('oil painting draws its strokes along the form, not one way across the screen', () => {
    const source = luma(picture('source'));
    const form = flowFieldReference(source.map((v) => v / 255), width, height, 6);
    // The orientation of the output's fine texture, where the source itself is smooth (so
    // that the texture is the strokes', not the picture's own edges) and has a direction.
    const strokes = flowFieldReference(fine(luma(picture('oil'))).map((v) => v / 255), width, height, 3);
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const where = (i: number): boolean => smooth[i]! < 1.5 && form.coherence[i]! > 0.4 && strokes.coherence[i]! > 0.3;
    expect(mean(smooth.map((v, i) => (where(i) ? 1 : 0)))).toBeGreaterThan(0.05);
    expect(agreement(form.angle, strokes.angle, where)).toBeGreaterThan(0.8);
  });

  it('oil painting lays a smooth background in broad, even strokes and keeps its small strokes for the detailed parts', () => {
    // A single stroke texture over the whole frame (a uniform swirl) gives the flat parts as
    // much fine texture as the detailed ones; a painter sweeps a backdrop in broad strokes.
    const source = luma(picture('source'));
    const local = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const texture = fine(luma(picture('oil'))).map(Math.abs);
    const inSmooth = mean(texture, (i) => local[i]! < 1.5), inDetailed = mean(texture, (i) => local[i]! > 4);
    console.log(`oil: fine texture where the source is smooth ${inSmooth.toFixed(2)}, where detailed ${inDetailed.toFixed(2)}`);
    expect(inSmooth / inDetailed).toBeLessThan(0.7);
  });

  it('oil painting paints the face and its skin in strokes of its own, not photo-smooth, and keeps its features', () => {
    // A painter models the face in strokes, with visible steps of value between them; a
    // look that paints the backdrop and leaves the figure a photograph leaves the skin as
    // smooth as the photograph's. On the skin (the face's smoother half), the output's
    // structure at the scale of strokes is split into what the source's explains and the
    // paint's own, which is measured against the source's (1.76 with the strokes laid
    // over a photographic face, 3.2 with the face painted).
    const [w, h] = [faceWidth, faceHeight];
    const source = { data: frames.get('source-face-upright')![8]!, width: w, height: h }, out = { data: frames.get('oil-face')![8]!, width: w, height: h };
    const band = (plane: Float32Array): Float32Array => {
      const near = boxBlur(plane, w, h, 1), far = boxBlur(plane, w, h, 5);
      return near.map((v, i) => v - far[i]!);
    };
    const s = band(luma(source)), o = band(luma(out));
    const local = boxBlur(s.map(Math.abs), w, h, 4);
    const inFace = (i: number): boolean => {
      const x = (i % w) / w, y = Math.floor(i / w) / h;
      return x > FACE.x && x < FACE.x + FACE.width && y > FACE.y && y < FACE.y + FACE.height;
    };
    const face = [...local].filter((_, i) => inFace(i)).sort((a, b) => a - b);
    const median = face[Math.floor(face.length / 2)]!;
    const skin = (i: number): boolean => inFace(i) && local[i]! < median;
    const ms = mean(s, skin), mo = mean(o, skin);
    let so = 0, ss = 0, n = 0;
    for (let i = 0; i < s.length; i++) if (skin(i)) { so += (s[i]! - ms) * (o[i]! - mo); ss += (s[i]! - ms) ** 2; n++; }
    const beta = so / ss;
    let own = 0;
    for (let i = 0; i < s.length; i++) if (skin(i)) own += (o[i]! - mo - beta * (s[i]! - ms)) ** 2;
    const ownTexture = Math.sqrt(own / n) / Math.sqrt(ss / n);
    const structure = boxStructure(source, out, FACE).kept ?? 0;
    console.log(`oil: the skin's own stroke texture ${ownTexture.toFixed(2)} of the photograph's, face structure ${structure.toFixed(2)}`);
    expect(ownTexture).toBeGreaterThan(2.4);
    expect(structure).toBeGreaterThan(READABLE);
  });

  it('oil painting mixes its darks with colour, not neutral grey going to black', () => {
    // A painter's darks are deep mixes (umber, ultramarine): in the face clip's darkest
    // fifth (hair, a collar, shadows) the paint carries more colour than the source's,
    // by more than the look's general boost of saturation gives them (1.39 with that boost
    // alone, 1.56 with the darks mixed).
    const size = { width: faceWidth, height: faceHeight };
    const source = { data: frames.get('source-face-upright')![8]!, ...size }, out = { data: frames.get('oil-face')![8]!, ...size };
    const tone = luma(source), darkest = [...tone].sort((a, b) => a - b)[Math.floor(tone.length / 5)]!;
    const dark = (i: number): boolean => tone[i]! <= darkest;
    const ratio = mean(chroma(out), dark) / mean(chroma(source), dark);
    console.log(`oil: colour in the darkest fifth ${ratio.toFixed(2)} times the source's`);
    expect(ratio).toBeGreaterThan(1.48);
  });

  it('oil painting shows its strokes at a viewer\'s tile size on the face and in a dark shot\'s darks, not a photo-smooth figure and flat black', () => {
    // A viewer sees the frame at about 0.39 of 540p. There the strokes must still show
    // where a filter leaves the picture as it was: on the face, and in the darks, which a
    // painter lays in deep strokes rather than flat black. Fine texture at tile size
    // against the source's, in the face box of the upright face and in the darkest fifth
    // of the darkened face clip.
    const faceSource = { data: frames.get('source-face-upright')![8]!, width: faceWidth, height: faceHeight };
    const faceOut = { data: frames.get('oil-face')![8]!, width: faceWidth, height: faceHeight };
    const inFace = (p: Tile) => (i: number): boolean => {
      const x = (i % p.width) / p.width, y = Math.floor(i / p.width) / p.height;
      return x > FACE.x && x < FACE.x + FACE.width && y > FACE.y && y < FACE.y + FACE.height;
    };
    const [fs, fo] = [tile(faceSource), tile(faceOut)];
    const face = tileTexture(fo, inFace(fo)) / tileTexture(fs, inFace(fs));
    const [ds, dout] = [tile(picture('source-dark', 8)), tile(picture('oil-dark', 8))];
    const darkest = [...ds.plane].sort((a, b) => a - b)[Math.floor(ds.plane.length / 5)]!;
    const inDark = (i: number): boolean => ds.plane[i]! <= darkest;
    const darks = tileTexture(dout, inDark) / tileTexture(ds, inDark);
    console.log(`oil at tile size: texture on the face ${face.toFixed(2)}, in a dark shot's darkest fifth ${darks.toFixed(2)} times the source's`);
    expect(face).toBeGreaterThan(FACE_TILE_TEXTURE);
    expect(darks).toBeGreaterThan(DARK_TILE_TEXTURE);
  });

  it('oil painting keeps the face\'s feature edges where its strokes would smear them, and still paints the skin in strokes', () => {
    // Strokes dragged across a lid, a lip or a frame of glasses smear the feature a viewer
    // looks at first. At the face's sharpest edges (the strongest tenth of the source's
    // gradient at σ 1 in the face box) the output's gradient along the source's keeps
    // FEATURE_EDGES_KEPT of it (0.69 with strokes running over the edges, 0.88 with them
    // stopped at the edges and the edges drawn back last); a random stroke texture adds
    // nothing to it, a smear lowers it. The skin between keeps its strokes: its gradient
    // more than SKIN_STROKES times the photograph's (4.0 either way).
    const [w, h] = [faceWidth, faceHeight];
    const s = luma({ data: frames.get('source-face-upright')![8]!, width: w, height: h });
    const o = luma({ data: frames.get('oil-face')![8]!, width: w, height: h });
    const [gs, go] = [planeGradient(s, w, h), planeGradient(o, w, h)];
    const inFace = (i: number): boolean => {
      const x = (i % w) / w, y = Math.floor(i / w) / h;
      return x > FACE.x && x < FACE.x + FACE.width && y > FACE.y && y < FACE.y + FACE.height;
    };
    const magnitude = (i: number): number => Math.hypot(gs.gx[i]!, gs.gy[i]!);
    const face = [...s.keys()].filter(inFace).map(magnitude).sort((a, b) => a - b);
    const [sharpest, smooth] = [face[Math.floor(0.9 * face.length)]!, face[Math.floor(0.5 * face.length)]!];
    let along = 0, edges = 0, skinOut = 0, skinSource = 0;
    for (let i = 0; i < s.length; i++) {
      if (!inFace(i)) continue;
      const g = magnitude(i);
      if (g >= sharpest) { along += (go.gx[i]! * gs.gx[i]! + go.gy[i]! * gs.gy[i]!) / g; edges += g; }
      if (g <= smooth) { skinOut += Math.hypot(go.gx[i]!, go.gy[i]!); skinSource += g; }
    }
    const [kept, strokes] = [along / edges, skinOut / skinSource];
    console.log(`oil: the face's sharpest edges kept ${kept.toFixed(2)}, the skin's gradient ${strokes.toFixed(2)} times the photograph's`);
    expect(kept).toBeGreaterThan(FEATURE_EDGES_KEPT);
    expect(strokes).toBeGreaterThan(SKIN_STROKES);
  });

  it('oil painting paints a dark shot\'s darks in colour (umber, ultramarine), not a murky green-black', () => {
    // The darkest tenth of the dark shot (hair, the coat, shadows): lifted off black, in
    // coloured paint, and not green (green above both red and blue is the murk viewers saw).
    const source = picture('source-dark', 8), out = picture('oil-dark', 8);
    const tone = luma(source), darkest = [...tone].sort((a, b) => a - b)[Math.floor(tone.length / 10)]!;
    const dark = (i: number): boolean => tone[i]! <= darkest;
    const channel = (c: number): number => mean(Float32Array.from({ length: tone.length }, (_, i) => out.data[i * 3 + c]!), dark);
    const [r, g, b] = [channel(0), channel(1), channel(2)];
    const colour = mean(chroma(out), dark), value = mean(luma(out), dark);
    console.log(`oil on a dark shot's darkest tenth: value ${value.toFixed(1)} (source ${mean(tone, dark).toFixed(1)}), colour ${colour.toFixed(1)}, green over red and blue ${(g - Math.max(r, b)).toFixed(1)} (rgb ${r.toFixed(1)} ${g.toFixed(1)} ${b.toFixed(1)})`);
    expect(value).toBeGreaterThan(DARK_VALUE);
    expect(colour).toBeGreaterThan(DARK_COLOUR);
    expect(g - Math.max(r, b)).toBeLessThan(0);
  });

  it('oil painting brings a painter\'s palette to a black-and-white source, not grey mud', () => {
    // Strokes mixed warm and cool (ochre and blue-grey half-tones, umber and ultramarine
    // darks), so the picture carries colour of its own, both warm and cool.
    const out = picture('oil-grey');
    const colour = mean(chroma(out));
    let warm = 0, cool = 0;
    for (let i = 0; i < out.data.length; i += 3) {
      const lean = out.data[i]! - out.data[i + 2]!;
      if (lean > 8) warm++;
      else if (lean < -8) cool++;
    }
    const [warmShare, coolShare] = [warm / (out.data.length / 3), cool / (out.data.length / 3)];
    console.log(`oil on a black-and-white source: colour ${colour.toFixed(1)}, warm ${(100 * warmShare).toFixed(1)} %, cool ${(100 * coolShare).toFixed(1)} %`);
    expect(colour).toBeGreaterThan(GREY_PALETTE_COLOUR);
    expect(warmShare).toBeGreaterThan(GREY_WARM);
    expect(coolShare).toBeGreaterThan(GREY_COOL);
  });

  it('watercolor\'s pigment granulates in the paper\'s tooth in its middle washes, not a blurred photo', () => {
    const source = luma(picture('source'));
    const out = luma(picture('watercolor'));
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    // Where the source has no fine detail and a middle wash holds pigment (neither bare
    // paper nor a dark wash, which stays even), the pigment's fine texture is the paper's
    // grain showing through it.
    const washed = (i: number): boolean => smooth[i]! < 1.5 && out[i]! >= 100 && out[i]! < 215;
    expect(mean(smooth.map((v) => (v < 1.5 ? 1 : 0)))).toBeGreaterThan(0.3);
    const grain = mean(fine(out).map(Math.abs), washed);
    console.log(`watercolor: fine texture in the smooth middle washes ${grain.toFixed(2)}`);
    expect(grain).toBeGreaterThan(2.5);
  });

  it('watercolor lays its darks as a deep, even wash, not a mottled grunge', () => {
    const source = luma(picture('source'));
    const out = luma(picture('watercolor'));
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const darkest = [...source].sort((a, b) => a - b)[Math.floor(source.length / 4)]!;
    // Where the source is dark and smooth, the wash's fine texture stays low; the middle
    // washes keep their granulation (the test above).
    // Inside the sheet's bare margin (its ragged edge is paper against a wash, not a dark).
    const inside = (i: number): boolean => { const x = i % width, y = (i - x) / width, m = 0.1 * height; return x >= m && y >= m && x < width - m && y < height - m; };
    const dark = (i: number): boolean => smooth[i]! < 1.5 && source[i]! <= darkest && inside(i);
    const texture = mean(fine(out).map(Math.abs), dark);
    console.log(`watercolor: fine texture in the smooth darks ${texture.toFixed(2)} (source ${mean(fine(source).map(Math.abs), dark).toFixed(2)})`);
    expect(mean(source.map((_, i) => (dark(i) ? 1 : 0)))).toBeGreaterThan(0.05);
    expect(texture).toBeLessThan(3.2);
  });

  it('watercolor abstracts the picture into flat washes, not a photograph\'s continuous shading', () => {
    // Under the paper's grain and the pigment's turbulence (both off here), a wash is one
    // flat value: few pixels keep the gentle gradation (0.4 to 4 levels a pixel, at σ 2.5)
    // a photograph has everywhere, the figure included.
    const source = picture('source');
    const params = [...lookMarks({ style: 'watercolor', palette: 'none', modifiers: [] }, 0.6, { width, height })!.params];
    params[2] = 0; params[3] = 0;
    const out = markStill('watercolor_paint', { width, height, data: new Uint8Array(source.data) }, params, 3);
    const shaded = gentleShare(luma({ data: Buffer.from(out.data), width, height })) / gentleShare(luma(source));
    console.log(`watercolor: gentle gradation ${shaded.toFixed(2)} of the source's`);
    expect(shaded).toBeLessThan(0.8);
  });

  it('watercolor lays a face in flat washes wet on dry, each with a hard edge, and its skin in a warm wash, not a smoothed photo gone grey-mauve', () => {
    // A painter lays the figure wet on dry: a few flat washes, each drying to a hard
    // edge, where the photograph shades continuously. On the face's smooth skin (skin-
    // coloured in the source, under 3 levels a pixel at σ 1.5 there), with the paper's
    // grain and the turbulence off, few pixels keep a gentle gradation (0.5 to 5 levels a
    // pixel at σ 2) and more sit on a wash's edge (over 5): 0.61 and 0.028 with the
    // figure graded wet in wet as a background is, 0.41 and 0.063 laid wet on dry.
    const source = picture('source-face', 8);
    const params = [...lookMarks({ style: 'watercolor', palette: 'none', modifiers: [] }, 0.6, { width, height })!.params];
    const painted = (p: readonly number[]): Picture => ({ width, height, data: Buffer.from(markStill('watercolor_paint', { width, height, data: new Uint8Array(source.data) }, p, 3).data) });
    const at = (p: Picture, i: number, c: number): number => p.data[3 * i + c]!;
    const inFace = (i: number): boolean => {
      const x = (i % width) / width, y = Math.floor(i / width) / height;
      return x > FACE.x && x < FACE.x + FACE.width && y > FACE.y && y < FACE.y + FACE.height;
    };
    const skin = (i: number): boolean => inFace(i) && at(source, i, 0) > at(source, i, 1) + 8 && at(source, i, 1) >= at(source, i, 2) - 4 && at(source, i, 0) > 70;
    const shading = gradient(luma(source), 1.5).g;
    const smoothSkin = (i: number): boolean => skin(i) && shading[i]! < 3;
    const flat = gradient(luma(painted([...params.slice(0, 2), 0, 0, ...params.slice(4)])), 2).g;
    const gentle = mean(flat.map((v) => (v > 0.5 && v < 5 ? 1 : 0)), smoothSkin), hard = mean(flat.map((v) => (v > 5 ? 1 : 0)), smoothSkin);
    // As the look paints it, the skin's colour (at σ 1.5) stays a warm wash: few of its
    // pixels turn grey (under 12 levels of colour) or toward mauve (less yellow than
    // red, (R + G)/2 − B under 0.35 (R − G)): 0.058 with the skin's tint raised as it
    // was, 0.012 laid in one warm pigment.
    const out = painted(params);
    const blurred = [0, 1, 2].map((c) => gaussianBlur(Float32Array.from({ length: width * height }, (_, i) => at(out, i, c)), width, height, 1.5));
    const cold = mean(blurred[0]!.map((r, i) => {
      const g = blurred[1]![i]!, b = blurred[2]![i]!, rg = r - g, yb = (r + g) / 2 - b;
      return Math.hypot(rg, yb) < 12 || rg < 0 || yb < 0.35 * rg ? 1 : 0;
    }), skin);
    console.log(`watercolor on the face's smooth skin: gentle gradation ${gentle.toFixed(2)}, wash edges ${hard.toFixed(3)}; ${cold.toFixed(3)} of the skin grey or mauve`);
    expect(mean(shading.map((_, i) => (smoothSkin(i) ? 1 : 0)))).toBeGreaterThan(0.02);
    expect(gentle).toBeLessThan(0.5);
    expect(hard).toBeGreaterThan(0.045);
    expect(cold).toBeLessThan(0.03);
  });

  it('watercolor pools darker pigment in a rim along the hard edges of its washes', () => {
    const rim = rimShare(luma(picture('watercolor')));
    console.log(`watercolor: ${(100 * rim).toFixed(0)} % of the edges with a pigment rim on their darker side`);
    expect(rim).toBeGreaterThan(0.4);
  });

  it('watercolor feathers some of its wash edges, as washes bleed wet in wet, not every edge a hard cut', () => {
    const source = boxBlur(luma(picture('source')), width, height, 1);
    const out = boxBlur(luma(picture('watercolor')), width, height, 1);
    const at = (p: Float32Array, x: number, y: number): number => p[Math.min(height - 1, Math.max(0, Math.round(y))) * width + Math.min(width - 1, Math.max(0, Math.round(x)))]!;
    // At the source's clear edges where the output also changes tone (by 20 levels or
    // more across 16 pixels), an edge is soft when the output's steepest change within
    // 3 pixels of it is under a quarter of that step per pixel: the step spreads over
    // more than 4 pixels.
    let soft = 0, edges = 0;
    for (let y = 12; y < height - 12; y += 2) {
      for (let x = 12; x < width - 12; x += 2) {
        const gx = at(source, x + 1, y) - at(source, x - 1, y), gy = at(source, x, y + 1) - at(source, x, y - 1);
        const g = Math.hypot(gx, gy);
        if (g < 30) continue;
        const nx = gx / g, ny = gy / g;
        const step = Math.abs(at(out, x + 8 * nx, y + 8 * ny) - at(out, x - 8 * nx, y - 8 * ny));
        if (step < 20) continue;
        let steepest = 0;
        for (let d = -2; d <= 2; d++) steepest = Math.max(steepest, Math.abs(at(out, x + (d + 1) * nx, y + (d + 1) * ny) - at(out, x + (d - 1) * nx, y + (d - 1) * ny)) / 2);
        edges++;
        if (steepest < 0.25 * step) soft++;
      }
    }
    console.log(`watercolor: ${(100 * soft / edges).toFixed(0)} % of ${edges} wash edges feathered`);
    expect(edges).toBeGreaterThan(300);
    expect(soft / edges).toBeGreaterThan(0.35);
  });

  it('watercolor leaves bare paper in the large lights of an overexposed shot, not small holes punched through its washes', () => {
    const out = luma(picture('watercolor-bright', 8));
    const holes = smallBareShare(out), bare = mean(out.map((v) => (v >= 240 ? 1 : 0)));
    console.log(`watercolor on a bright shot: ${(100 * bare).toFixed(1)} % bare paper, ${(100 * holes).toFixed(2)} % of the frame in small holes`);
    expect(bare).toBeGreaterThan(0.2);
    expect(holes).toBeLessThan(0.002);
  });

  it('watercolor stops short of the frame\'s edges on bare paper and lays its colour clear, not a desaturated photo', () => {
    const source = picture('source'), out = picture('watercolor');
    const tone = luma(out);
    // The outermost band (2 % of the short side) is the sheet's bare margin: the
    // painting was laid freehand on a larger sheet, its ragged edge a little way in.
    const band = Math.round(0.02 * height);
    const edge = (i: number): boolean => { const x = i % width, y = (i - x) / width; return x < band || y < band || x >= width - band || y >= height - band; };
    const margin = mean(tone.map((v) => (v >= 240 ? 1 : 0)), edge);
    // Where pigment lies, its colour is the source's, thinned but not greyed.
    const painted = (i: number): boolean => !edge(i) && tone[i]! < 235;
    const colour = mean(chroma(out), painted) / mean(chroma(source), painted);
    console.log(`watercolor: ${(100 * margin).toFixed(0)} % of the outer band bare paper; colour ${colour.toFixed(2)}x the source's where painted`);
    expect(margin).toBeGreaterThan(0.8);
    expect(colour).toBeGreaterThan(1.1);
  });

  it('watercolor glazes a dark shot\'s darks in varying hues, not one flat grey slab', () => {
    const spread = darkColourSpread(picture('source-dark', 8), picture('watercolor-dark', 8));
    console.log(`watercolor on a dark shot: the darks' colour strays ${spread.toFixed(1)} levels from their mean`);
    expect(spread).toBeGreaterThan(10.5);
  });

  it('watercolor draws a face\'s eyes, nose and mouth with darker glazes, not smeared into the washes, on a dark and on a bright shot', () => {
    const kept = (shot: string): number => boxDetail(picture(`source-${shot}`, 8), picture(`watercolor-${shot}`, 8), FACE).kept ?? 0;
    const [dark, bright] = [kept('dark'), kept('bright')];
    const structure = boxStructure(picture('source-bright', 8), picture('watercolor-bright', 8), FACE).kept ?? 0;
    console.log(`watercolor: face detail kept ${dark.toFixed(2)} on a dark shot, ${bright.toFixed(2)} on a bright one; the bright face's structure ${structure.toFixed(2)}`);
    // The washed-out face is where the features smeared: its edges are drawn again.
    expect(structure).toBeGreaterThan(0.78);
    expect(dark).toBeGreaterThan(0.75);
    expect(bright).toBeGreaterThan(0.6);
  });

  it('watercolor leaves no small holes of bare paper inside a bright shot\'s washes', () => {
    const holes = paperHoles(luma(picture('watercolor-bright', 8)));
    console.log(`watercolor on a bright shot: ${(100 * holes).toFixed(2)} % of the sheet in bare paper holes inside washes`);
    expect(holes).toBeLessThan(PAPER_HOLES);
  });

  it('pastel\'s strokes cross in many directions where the picture has none, not one slant like rain', () => {
    const source = luma(picture('source'));
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const form = flowFieldReference(source.map((v) => v / 255), width, height, 6);
    const strokes = flowFieldReference(fine(luma(picture('pastel'))).map((v) => v / 255), width, height, 3);
    // How much the strokes' directions agree, where the source is flat and has no
    // direction of its own: 1 for strokes all one way, 0 for every way equally.
    let c = 0, s = 0, n = 0;
    for (let i = 0; i < source.length; i++) {
      if (smooth[i]! >= 1.5 || form.coherence[i]! >= 0.3 || strokes.coherence[i]! <= 0.3) continue;
      c += Math.cos(2 * strokes.angle[i]!); s += Math.sin(2 * strokes.angle[i]!); n++;
    }
    const oneWay = Math.hypot(c, s) / n;
    console.log(`pastel: strokes one way ${oneWay.toFixed(2)} over ${(100 * n / source.length).toFixed(1)} % of the frame`);
    expect(n / source.length).toBeGreaterThan(0.005);
    expect(oneWay).toBeLessThan(0.35);
  });

  it('pastel lays its strokes along the form where the picture has a direction, not scattered every way', () => {
    // The orientation of the output's fine texture where the source is smooth but has a
    // direction (a petal's shading, the round of a cheek): strokes a hand lays along the
    // form agree with it; the same short strokes scattered evenly, each its own way, do
    // not (0.71 on the flower clip before, 2/π for no relation at all).
    for (const [look, name] of [['pastel', 'source'], ['pastel-face', 'source-face']] as const) {
      const source = luma(picture(name, 8));
      const form = flowFieldReference(source.map((v) => v / 255), width, height, 6);
      const strokes = flowFieldReference(fine(luma(picture(look, 8))).map((v) => v / 255), width, height, 3);
      const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
      const where = (i: number): boolean => smooth[i]! < 1.5 && form.coherence[i]! > 0.4 && strokes.coherence[i]! > 0.3;
      const along = agreement(form.angle, strokes.angle, where);
      console.log(`${look}: strokes along the form ${along.toFixed(3)}`);
      expect(mean(smooth.map((v, i) => (where(i) ? 1 : 0)))).toBeGreaterThan(0.02);
      expect(along, look).toBeGreaterThan(look === 'pastel' ? 0.8 : 0.72);
    }
  });

  it('pastel lays broad strokes on an even patch and small ones where the picture is detailed', () => {
    // One hue: the left half even, the right half a pattern of rings a few pixels apart.
    // The strokes' texture (the chalk's colour and tone less the paper's tooth, by a blur
    // of 1.5 pixels, and less the patch's mean) stays alike 10 pixels along the strokes
    // where they are long, not where they are short.
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = x < width / 2 ? 0.55 : 0.55 + 0.3 * Math.sign(Math.sin(Math.hypot((x % 40) - 20, (y % 40) - 20) * 0.9));
        data.set([230 * v, 150 * v, 90 * v].map(Math.round), 3 * (y * width + x));
      }
    }
    const out = markStill('pastel_chalk', { width, height, data }, lookMarks({ style: 'pastel', palette: 'none', modifiers: [] }, 0.6, { width, height })!.params, 3);
    const planes = [luma, (p: Picture) => chromaPlane(p, 2), (p: Picture) => chromaPlane(p, 0)].map((f) => {
      const plane = f({ data: Buffer.from(out.data), width, height });
      const near = gaussianBlur(plane, width, height, 1.5), far = gaussianBlur(plane, width, height, 10);
      return near.map((v, i) => v - far[i]!);
    });
    const direction = flowFieldReference(planes[0]!.map((v) => v / 255), width, height, 4);
    const alike = (x0: number, x1: number): number => {
      let together = 0, alone = 0;
      for (const p of planes) {
        for (let y = 30; y < height - 30; y += 2) {
          for (let x = x0 + 30; x < x1 - 30; x += 2) {
            const i = y * width + x, a = direction.angle[i]!;
            together += p[i]! * p[Math.round(y + 10 * Math.sin(a)) * width + Math.round(x + 10 * Math.cos(a))]!;
            alone += p[i]! * p[i]!;
          }
        }
      }
      return together / alone;
    };
    const even = alike(0, width / 2), detailed = alike(width / 2, width);
    console.log(`pastel: strokes alike 10 px along them on an even patch ${even.toFixed(2)}, on a detailed one ${detailed.toFixed(2)}`);
    expect(even).toBeGreaterThan(0.3);
    expect(detailed).toBeLessThan(0.5 * even);
  });

  it('pastel draws firm darker contour strokes along the main edges', () => {
    // At the source's strong edges, the share where the output is darker on the edge
    // itself than 5 to 6 pixels into its darker side: a line drawn along the edge, not a
    // plain step from one tone to the other.
    const sourceLuma = luma(picture('source', 8));
    const source = gaussianBlur(sourceLuma, width, height, 1.5), out = gaussianBlur(luma(picture('pastel', 8)), width, height, 1);
    const at = (p: Float32Array, x: number, y: number): number => p[Math.round(y) * width + Math.round(x)]!;
    const { edges, share } = edgeShare(sourceLuma, 8, ({ x, y, i, a, c, g }) => {
      // The steepest point across the edge only.
      if (g[Math.round(y + c) * width + Math.round(x + a)]! > g[i]! || g[Math.round(y - c) * width + Math.round(x - a)]! > g[i]!) return undefined;
      const line = Math.min(at(out, x, y), at(out, x - a, y - c), at(out, x + a, y + c));
      const darkSide = at(source, x - 5 * a, y - 5 * c) < at(source, x + 5 * a, y + 5 * c) ? -1 : 1;
      const beside = (at(out, x + 5 * darkSide * a, y + 5 * darkSide * c) + at(out, x + 6 * darkSide * a, y + 6 * darkSide * c)) / 2;
      return beside - line > 6;
    });
    console.log(`pastel: ${(100 * share).toFixed(1)} % of ${edges} strong edges drawn with a darker line`);
    expect(edges).toBeGreaterThan(200);
    expect(share).toBeGreaterThan(0.2);
  });

  it('pastel keeps the face clear: its features drawn, the skin its own colour, not a muddy grey', () => {
    const source = picture('source-face', 8), out = picture('pastel-face', 8);
    const structure = boxStructure(source, out, FACE).kept ?? 0;
    const inFace = (i: number): boolean => {
      const x = (i % width) / width, y = Math.floor(i / width) / height;
      return x > FACE.x && x < FACE.x + FACE.width && y > FACE.y && y < FACE.y + FACE.height;
    };
    // Its skin laid in small strokes of near hues, blended: sticks of clashing hues side
    // by side (the fine variation of the colour, not the tone) read as a muddy face.
    const clash = colourDetail(out, inFace) / colourDetail(source, inFace);
    const saturation = mean(chroma(out), inFace) / mean(chroma(source), inFace);
    console.log(`pastel on the face: structure ${structure.toFixed(2)}, fine colour variation ${clash.toFixed(2)}x the source's, colour ${saturation.toFixed(2)}x`);
    expect(structure).toBeGreaterThan(0.7);
    expect(clash).toBeLessThan(1.15);
    expect(saturation).toBeGreaterThan(0.8);
  });

  it('oil painting, watercolor and pastel keep the face readable and crush no dark to solid black, on a dark and on a bright shot', () => {
    for (const look of ['oil', 'watercolor', 'pastel']) {
      for (const shot of ['dark', 'bright']) {
        const source = picture(`source-${shot}`, 8), out = picture(`${look}-${shot}`, 8);
        const face = boxStructure(source, out, FACE).kept ?? 0, crushed = crushedShare(source, out);
        console.log(`${look} on a ${shot} shot: face structure ${face.toFixed(2)}, ${(100 * crushed).toFixed(2)} % crushed to solid black`);
        expect(face, `${look} ${shot}`).toBeGreaterThan(READABLE);
        expect(crushed, `${look} ${shot}`).toBeLessThan(CRUSHED);
      }
    }
  });

  it('pastel draws an overexposed face with its features, not a pale ghost of it', () => {
    // A washed-out shot has its shadows brought down before the chalk lifts the key, so
    // eyes, brows and mouth are drawn in darker strokes again.
    const face = boxStructure(picture('source-bright', 8), picture('pastel-bright', 8), FACE).kept ?? 0;
    expect(face).toBeGreaterThan(0.7);
  });

  it('pastel lifts the key but keeps its darks and its value contrast', () => {
    const source = luma(picture('source'));
    const out = luma(picture('pastel'));
    const darkest = [...source].sort((a, b) => a - b)[Math.floor(source.length / 10)]!;
    expect(mean(out)).toBeGreaterThan(mean(source) + 15);
    // The source's darkest tenth (shadows, pupils, dark accents) stays dark, not chalk-pale.
    expect(mean(out, (i) => source[i]! <= darkest && insidePastelSheet(i))).toBeLessThan(80);
    expect(std(out)).toBeGreaterThan(std(source) * 0.7);
  });

  it('pastel draws in a light key, a dark shot\'s darks in deep coloured chalk, not black', () => {
    // Viewers read a dark, muddy pastel as no pastel at all: the chalk's key is light, and
    // even a dark shot's shadows are laid in deep coloured sticks (an indigo, an umber)
    // with the paper showing in specks, not filled in near black.
    const lift = mean(luma(picture('pastel'))) - mean(luma(picture('source')));
    const source = luma(picture('source-dark', 8)), out = picture('pastel-dark', 8), l = luma(out);
    const darkest = [...source].sort((a, b) => a - b)[Math.floor(source.length / 10)]!;
    const black = mean(l.map((v) => (v < 32 ? 1 : 0)));
    const darks = mean(l, (i) => source[i]! <= darkest), colour = mean(chroma(out), (i) => source[i]! <= darkest);
    console.log(`pastel: key lifted ${lift.toFixed(0)} levels; on a dark shot ${(100 * black).toFixed(1)} % near black, its darkest tenth at ${darks.toFixed(0)} with colour ${colour.toFixed(0)}`);
    expect(lift).toBeGreaterThan(30);
    expect(black).toBeLessThan(0.1);
    expect(darks).toBeGreaterThan(30);
    expect(colour).toBeGreaterThan(15);
  });

  it('pastel keeps the folds inside a dark shot\'s darks, in deep warm and cool chalks, not one flat navy patch', () => {
    // Viewers saw a dark coat, a helmet and a collar turn into one flat navy mass. In the
    // darks (the source's luma 3 to 40, past its solid black) the chalk's tone must vary
    // with the picture's folds, and its sticks be umbers and violet-browns as well as
    // blues, not all one cool cast (before: spread 1.25x, red 14 levels under blue).
    const source = picture('source-deep', 8), out = picture('pastel-deep', 8);
    const s = boxBlur(luma(source), width, height, 2), o = boxBlur(luma(out), width, height, 2);
    const dark = (i: number): boolean => s[i]! > 3 && s[i]! <= 40;
    const [sm, om] = [mean(s, dark), mean(o, dark)];
    let ss = 0, oo = 0;
    for (let i = 0; i < s.length; i++) {
      if (dark(i)) { ss += (s[i]! - sm) ** 2; oo += (o[i]! - om) ** 2; }
    }
    const spread = Math.sqrt(oo / ss);
    const warmth = mean(Array.from(o, (_, i) => out.data[3 * i]! - out.data[3 * i + 2]!), dark);
    console.log(`pastel in a dark shot's darks: tone spread ${spread.toFixed(2)}x the source's, red ${warmth.toFixed(1)} levels over blue, tone ${om.toFixed(0)}`);
    expect(spread).toBeGreaterThan(1.5);
    expect(warmth).toBeGreaterThan(-6);
  });

  it('pastel shows the paper\'s tooth and chalk texture where the source is smooth', () => {
    const source = luma(picture('source'));
    const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
    const flat = (i: number): boolean => smooth[i]! < 1;
    const texture = (plane: Float32Array): number => mean(fine(plane).map(Math.abs), flat);
    expect(texture(source)).toBeLessThan(1);
    expect(texture(luma(picture('pastel')))).toBeGreaterThan(2);
  });

  it('pastel keeps a soft palette of colour on a black-and-white source, lighter than it', () => {
    const grey = picture('pastel-grey');
    expect(mean(chroma(grey))).toBeGreaterThan(20);
    expect(mean(luma(grey))).toBeGreaterThan(mean(luma(picture('source'))) + 20);
  });

  it('pastel builds the figure of chalk strokes too, not only the background', () => {
    // Fine texture the look adds over the source's own, on the face and in the margins of
    // the frame (the background): a chalky texture laid over the background only, the
    // figure left a smooth tinted photo, is what viewers saw before.
    const source = picture('source-face', 8), out = picture('pastel-face', 8);
    const added = (where: (x: number, y: number) => boolean): number => {
      const inside = (i: number): boolean => where((i % width) / width, Math.floor(i / width) / height);
      return mean(fine(luma(out)).map(Math.abs), inside) - mean(fine(luma(source)).map(Math.abs), inside);
    };
    const face = added((x, y) => x > FACE.x && x < FACE.x + FACE.width && y > FACE.y && y < FACE.y + FACE.height);
    const margin = added((x, y) => x < 0.12 || x > 0.88 || y < 0.12 || y > 0.88);
    console.log(`pastel: fine texture added on the face ${face.toFixed(2)}, in the margins ${margin.toFixed(2)}`);
    expect(face).toBeGreaterThan(0.5);
    expect(face).toBeGreaterThan(0.25 * margin);
  });

  it('pastel lays hatched strokes big enough to read at tile size, not a fine speckle over the picture', () => {
    // Viewers of a 360 px tile read a fine speckle as a texture overlay, and strokes each
    // laid its own way as noise. Where the source is smooth: the texture at 1 to 2 px (the
    // output less its σ 1 blur) is small against the texture at a stroke's scale (σ 1
    // less σ 5), and that stroke-scale texture runs one way over a cluster's width (the
    // coherence of its field of directions at σ 5), parallel lines side by side.
    const measured = [['pastel', 'source'], ['pastel-face', 'source-face']].map(([look, name]) => {
      const source = luma(picture(name!, 8)), out = luma(picture(look!, 8));
      const smooth = boxBlur(fine(source).map(Math.abs), width, height, 4);
      const flat = (i: number): boolean => smooth[i]! < 1.5;
      const near = gaussianBlur(out, width, height, 1), far = gaussianBlur(out, width, height, 5);
      const speckle = mean(out.map((v, i) => Math.abs(v - near[i]!)), flat);
      const band = near.map((v, i) => v - far[i]!);
      const strokes = mean(band.map(Math.abs), flat);
      const coherence = mean(flowFieldReference(band.map((v) => v / 255), width, height, 5).coherence, flat);
      console.log(`${look}: speckle ${speckle.toFixed(2)} against strokes ${strokes.toFixed(2)} (${(speckle / strokes).toFixed(2)}), strokes' coherence ${coherence.toFixed(3)}`);
      return { look, share: speckle / strokes, coherence };
    });
    for (const { look, share, coherence } of measured) {
      expect(share, look).toBeLessThan(SPECKLE_SHARE);
      expect(coherence, look).toBeGreaterThan(HATCH_COHERENCE);
    }
  });

  it('pastel lays each patch in strokes of several related hues, not one flat tint', () => {
    // The fine variation of the colour (not the tone): strokes of distinct sticks side by
    // side vary in hue from one to the next, a tint over a photograph does not (a tint
    // scales the source's chroma, and pastel's spread is capped below a photograph's).
    // Read inside the sheet's margin, where the chalk is: over the whole frame the flower
    // came to 1.19x before the margin (1.10x with it, its bare paper counted); inside it
    // 1.11x before and 1.10x since. The face clip: 1.34x either way.
    for (const [look, source] of [['pastel', 'source'], ['pastel-face', 'source-face']] as const) {
      const ratio = colourDetail(picture(look, 8), insidePastelSheet) / colourDetail(picture(source, 8), insidePastelSheet);
      console.log(`${look}: fine colour variation ${ratio.toFixed(2)}x the source's`);
      expect(ratio, look).toBeGreaterThan(1.05);
    }
  });

  it('pastel gives a black-and-white source warm lights and cool shadows, not a pink veil', () => {
    const grey = picture('pastel-grey');
    const l = luma(grey);
    let pink = 0, coloured = 0, warm = 0, cool = 0;
    for (let i = 0; i < l.length; i++) {
      const [r, g, b] = [grey.data[3 * i]!, grey.data[3 * i + 1]!, grey.data[3 * i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) < 10) continue;
      coloured++;
      // Rose, pink to magenta: blue above green, red above both (a lavender or violet,
      // blue the highest, is a cool shadow's).
      if (b > g + 6 && r >= b) pink++;
      if (l[i]! > 150) warm += r - b;
      else if (l[i]! < 90) cool += b - r;
    }
    console.log(`pastel on black and white: ${(100 * pink / coloured).toFixed(1)} % of the coloured pixels pink`);
    expect(pink / coloured).toBeLessThan(0.15);
    expect(warm).toBeGreaterThan(0);
    expect(cool).toBeGreaterThan(0);
  });

  it('a soft pastel keeps its strokes: the word soft does not blur the chalk away', () => {
    const texture = (name: string): number => mean(fine(luma(picture(name))).map(Math.abs));
    console.log(`pastel: fine texture ${texture('pastel').toFixed(2)}, as a soft pastel ${texture('pastel-soft').toFixed(2)}`);
    expect(texture('pastel-soft')).toBeGreaterThan(0.8 * texture('pastel'));
  });

  it('flickers no more than 1.5 times the source', () => {
    const flicker = (list: Buffer[]): number => {
      let sum = 0;
      for (let f = 1; f < list.length; f++) for (let i = 0; i < list[f]!.length; i += 7) sum += Math.abs(list[f]![i]! - list[f - 1]![i]!);
      return sum / (list.length - 1);
    };
    const base = flicker(frames.get('source')!);
    for (const look of ['oil', 'watercolor', 'pastel']) {
      console.log(`${look}: flicker ${(flicker(frames.get(look)!) / base).toFixed(2)}x the source's`);
      expect(flicker(frames.get(look)!) / base, look).toBeLessThanOrEqual(1.5);
    }
    const face = flicker(frames.get('pastel-face')!) / flicker(frames.get('source-face')!);
    console.log(`pastel on the face clip: flicker ${face.toFixed(2)}x the source's`);
    expect(face).toBeLessThanOrEqual(1.5);
  });
});
