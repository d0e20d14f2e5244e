/**
 * The inked looks (ink comic, cartoon, neon) through the real local engine, measured on
 * what a viewer notices: the lines follow the edges without breaking into dashes, a
 * face keeps its eyes and mouth (detail at the scale of facial features inside the face
 * box), neon is more saturated than its source, and none of them flickers more than 1.5
 * times the source. Ink comic reads as a printed panel: a few flat tones, bold contours,
 * spotted blacks, and colour on a black-and-white source.
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
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { lumaPlane } from '../src/engines/local/marks/gaussian.ts';
import { boxStructure, crushedShare, solidBlack, toneDetail } from '../src/engines/local/metrics/tone-detail.ts';
import type { VideoRequest } from '../src/models/request.ts';
import { localJob } from './support/engine-job.ts';
import { edgesInked, gradient, luma, mean, type Picture } from './support/picture-measures.ts';

const run = promisify(execFile);
const media = fileURLToPath(new URL('./fixtures/media/', import.meta.url));
const engine = createLocalEngine();
const LOOKS = { ink_comic: 'comic book ink', cartoon: 'anime', neon: 'cyberpunk neon' } as const;
type Inked = keyof typeof LOOKS;
/** The face in portrait.mp4 at 540p (540×810), as shares of the frame: x0, y0, x1, y1. */
const FACE_BOX = [0.22, 0.38, 0.82, 0.68] as const;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retake-inked-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function render(request: Partial<VideoRequest>): Promise<string> {
  const workDir = await mkdtemp(join(root, 'job-'));
  const result = await engine.render(localJob(workDir, { input_video: 'face.mp4', ...request }));
  return result.outputs[0]?.path ?? '';
}

async function cut(name: string, dest: string, filter = 'null'): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-t', '0.45', '-i', join(media, name), '-an', '-vf', filter, '-c:v', 'libx264', '-crf', '14', '-preset', 'veryfast', '-y', dest]);
}

async function frames(path: string, width: number, height: number, count: number): Promise<RgbFrame[]> {
  const { frames } = await readFrames({ input: path, graph: `[0:v]fps=30,scale=${width}:${height},setsar=1[v]`, width, height, pixFmt: 'rgb24' });
  return frames.slice(0, count).map((f) => ({ width, height, data: new Uint8Array(f.buffer, f.byteOffset, f.length) }));
}

function crop(frame: RgbFrame, [x0, y0, x1, y1]: readonly number[]): RgbFrame {
  const left = Math.round(frame.width * x0!), top = Math.round(frame.height * y0!);
  const width = Math.round(frame.width * x1!) - left, height = Math.round(frame.height * y1!) - top;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) data.set(frame.data.subarray(((top + y) * frame.width + left) * 3, ((top + y) * frame.width + left + width) * 3), y * width * 3);
  return { width, height, data };
}

const saturation = (fs: readonly RgbFrame[]): number => {
  let sum = 0, count = 0;
  for (const f of fs) for (let i = 0; i < f.data.length; i += 3) {
    sum += Math.max(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!) - Math.min(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!);
    count++;
  }
  return sum / count;
};

/** Share of the picture in the 8 fullest of 32 luma bins: a few flat tones, or photographic shading. */
const flatTones = (f: RgbFrame): number => {
  const histogram = new Array<number>(32).fill(0);
  for (let i = 0; i < f.data.length; i += 3) histogram[Math.min(31, Math.floor((0.299 * f.data[i]! + 0.587 * f.data[i + 1]! + 0.114 * f.data[i + 2]!) / 8))]! += 1;
  return [...histogram].sort((a, b) => b - a).slice(0, 8).reduce((a, b) => a + b, 0) / (f.width * f.height);
};

const lumaAt = (f: RgbFrame, i: number): number => (0.299 * f.data[3 * i]! + 0.587 * f.data[3 * i + 1]! + 0.114 * f.data[3 * i + 2]!) / 255;

/**
 * Share of the strong edges of `src` (luma step over 0.15 between neighbours) with a bold
 * line beside them: within 2 pixels, a black pixel (luma under 0.15) whose 3×3
 * neighbourhood is all black, so the line is at least 3 pixels wide there.
 */
function boldEdges(src: RgbFrame, out: RgbFrame): number {
  const { width, height } = src;
  const black = new Uint8Array(width * height);
  for (let i = 0; i < black.length; i++) black[i] = lumaAt(out, i) < 0.15 ? 1 : 0;
  const core = new Uint8Array(black.length);
  for (let r = 1; r < height - 1; r++) for (let c = 1; c < width - 1; c++) {
    let all = 1;
    for (let d = -1; d <= 1 && all; d++) for (let e = -1; e <= 1 && all; e++) all = black[(r + d) * width + c + e]!;
    core[r * width + c] = all;
  }
  let edges = 0, bold = 0;
  for (let r = 3; r < height - 3; r++) for (let c = 3; c < width - 3; c++) {
    const i = r * width + c;
    if (Math.hypot(lumaAt(src, i + 1) - lumaAt(src, i - 1), lumaAt(src, i + width) - lumaAt(src, i - width)) < 0.15) continue;
    edges++;
    let hit = 0;
    for (let d = -2; d <= 2 && !hit; d++) for (let e = -2; e <= 2 && !hit; e++) hit = core[i + d * width + e]!;
    bold += hit;
  }
  return bold / Math.max(1, edges);
}

const flicker = (fs: readonly RgbFrame[]): number => {
  let sum = 0;
  for (let k = 1; k < fs.length; k++) {
    let d = 0;
    for (let i = 0; i < fs[k]!.data.length; i++) d += Math.abs(fs[k]!.data[i]! - fs[k - 1]!.data[i]!);
    sum += d / fs[k]!.data.length;
  }
  return sum / (fs.length - 1);
};

describe('inked looks through the engine', () => {
  const out = new Map<string, RgbFrame[]>();
  let face: RgbFrame[];
  let flower: RgbFrame[];
  let grey: RgbFrame[];

  beforeAll(async () => {
    // Half a second of each clip keeps the suite quick on a busy machine.
    const faceClip = join(root, 'face.mp4'), flowerClip = join(root, 'flower.mp4');
    await cut('portrait.mp4', faceClip);
    await cut('flower.mp4', flowerClip);
    const rabbitClip = join(root, 'rabbit.mp4');
    await cut('rabbit.mp4', rabbitClip);
    // A toy on a grained wooden table: texture everywhere, one main form.
    out.set('rabbit neon', await frames(await render({ prompt: LOOKS.neon, input_video: rabbitClip }), 810, 540, 12));
    face = await frames(faceClip, 540, 810, 12);
    flower = await frames(flowerClip, 960, 540, 12);
    const greyClip = join(root, 'grey.mp4');
    await cut('portrait.mp4', greyClip, 'format=gray,format=yuv420p');
    grey = await frames(greyClip, 540, 810, 8);
    out.set('grey ink_comic', await frames(await render({ prompt: LOOKS.ink_comic, input_video: greyClip }), 540, 810, 8));
    out.set('grey cartoon', await frames(await render({ prompt: LOOKS.cartoon, input_video: greyClip }), 540, 810, 8));
    for (const style of Object.keys(LOOKS) as Inked[]) {
      out.set(`face ${style}`, await frames(await render({ prompt: LOOKS[style], input_video: faceClip }), 540, 810, 12));
      out.set(`flower ${style}`, await frames(await render({ prompt: LOOKS[style], input_video: flowerClip }), 960, 540, 12));
    }
  }, 600_000);

  it('inks the strong edges of the picture with continuous lines', () => {
    for (const style of ['ink_comic', 'cartoon'] as const) {
      const covered = edgesInked(flower[6]!, out.get(`flower ${style}`)![6]!);
      console.log(`${style}: strong edges inked ${covered.toFixed(2)}`);
      expect(covered, style).toBeGreaterThan(0.6);
    }
  });

  it('keeps the eyes and mouth of a face (detail at the scale of its features)', () => {
    for (const style of ['ink_comic', 'cartoon'] as const) {
      const detail = toneDetail(crop(face[6]!, FACE_BOX), crop(out.get(`face ${style}`)![6]!, FACE_BOX));
      const kept = Object.values(detail).map((t) => t.kept ?? 1);
      console.log(`${style}: face detail kept ${kept.map((v) => v.toFixed(2)).join(' / ')} (dark / middle / bright)`);
      // The bilateral cartoon this replaced kept 0.73 / 0.82 / 0.87 here, and ink 0.69 in the darks.
      for (const v of kept) expect(v, style).toBeGreaterThan(0.85);
    }
  });

  it('keeps the shading of a face inside neon\'s glowing outline', () => {
    // Neon that drew outlines only kept 0.00 of the face's feature-scale detail here.
    const detail = toneDetail(crop(face[6]!, FACE_BOX), crop(out.get('face neon')![6]!, FACE_BOX));
    const kept = Object.values(detail).map((t) => t.kept ?? 1);
    console.log(`neon: face detail kept ${kept.map((v) => v.toFixed(2)).join(' / ')} (dark / middle / bright)`);
    for (const v of kept) expect(v).toBeGreaterThan(0.35);
  });

  it('draws neon\'s tubes on the main forms, not over a texture', () => {
    // Blind viewers saw "noisy squiggles" where grass or a coat has texture: on the
    // grained table the tubes fade, so little of the frame burns bright.
    const f = out.get('rabbit neon')![6]!;
    let bright = 0;
    for (let i = 0; i < f.data.length; i += 3) if (0.299 * f.data[i]! + 0.587 * f.data[i + 1]! + 0.114 * f.data[i + 2]! > 150) bright++;
    const share = bright / (f.data.length / 3);
    console.log(`neon on a grained table: ${(share * 100).toFixed(1)} % of the frame lit by tubes`);
    expect(share).toBeLessThan(0.05);
  });

  it('prints ink comic in a few flat tones, not photographic shading', () => {
    for (const clip of ['face', 'flower'] as const) {
      const src = (clip === 'face' ? face : flower)[6]!, styled = out.get(`${clip} ink_comic`)![6]!;
      console.log(`ink_comic on ${clip}: ${(100 * flatTones(styled)).toFixed(0)} % of the picture in 8 of 32 luma bins (source ${(100 * flatTones(src)).toFixed(0)} %)`);
      // The photograph with a soft tone step and a dot overlay kept 0.52 on the face; steps
      // rising over most of their span 0.71 and 0.62 (viewers: "halftone dots over photo
      // shading", 2 of 12 tiles "clearly" ink comic); steps four times as steep 0.86 and
      // 0.81 (6 of 12).
      expect(flatTones(styled), clip).toBeGreaterThan(0.75);
    }
  });

  it('inks ink comic\'s strong contours with bold lines, at least 3 pixels of black', () => {
    for (const clip of ['face', 'flower'] as const) {
      const bold = boldEdges((clip === 'face' ? face : flower)[6]!, out.get(`${clip} ink_comic`)![6]!);
      console.log(`ink_comic on ${clip}: strong edges with a bold black line ${bold.toFixed(2)}`);
      // The face's was 0.52 with the thin, soft lines; 0.61 now. The flower is logged only.
      if (clip === 'face') expect(bold, clip).toBeGreaterThan(0.57);
    }
  });

  it('outlines the cartoon\'s shapes with bold, continuous lines, at least 3 pixels of black', () => {
    // Viewers called the cartoon's lines, drawn from the frame's own FDoG, "thin, broken,
    // following texture": they drew 0.41 of the face's strong edges and 0.24 of the
    // flower's with a bold black line; drawn from the smoothed frame, 0.53 and 0.41.
    for (const clip of ['face', 'flower'] as const) {
      const bold = boldEdges((clip === 'face' ? face : flower)[6]!, out.get(`${clip} cartoon`)![6]!);
      console.log(`cartoon on ${clip}: strong edges with a bold black line ${bold.toFixed(2)}`);
      expect(bold, clip).toBeGreaterThan(clip === 'face' ? 0.47 : 0.3);
    }
  });

  it('spots ink comic\'s darkest masses solid black on a normal shot', () => {
    for (const clip of ['face', 'flower'] as const) {
      const spotted = crushedShare((clip === 'face' ? face : flower)[6]!, out.get(`${clip} ink_comic`)![6]!);
      console.log(`ink_comic on ${clip}: ${(100 * spotted).toFixed(1)} % of the frame spotted solid black`);
      // A dark shot keeps its tones: engine-tone's test holds it under 1 %.
      expect(spotted, clip).toBeGreaterThan(0.015);
    }
  });

  it('frames ink comic as a panel on the page: a paper gutter, then a black border all round', () => {
    for (const clip of ['face', 'flower'] as const) {
      const frame = out.get(`${clip} ink_comic`)![6]!, { width, height } = frame;
      const side = Math.min(width, height), gutter = Math.round(0.025 * side);
      // Walking in from every point of the edge: paper for the gutter, then black.
      let paper = 0, ruled = 0, walks = 0;
      const walk = (x: number, y: number, dx: number, dy: number) => {
        walks++;
        let light = true;
        for (let d = 0; d < gutter - 1; d++) light &&= lumaAt(frame, (y + d * dy) * width + x + d * dx) > 0.85;
        paper += light ? 1 : 0;
        let dark = false;
        for (let d = gutter; d < gutter + 3; d++) dark ||= lumaAt(frame, (y + d * dy) * width + x + d * dx) < 0.15;
        ruled += dark ? 1 : 0;
      };
      for (let x = gutter + 4; x < width - gutter - 4; x++) { walk(x, 0, 0, 1); walk(x, height - 1, 0, -1); }
      for (let y = gutter + 4; y < height - gutter - 4; y++) { walk(0, y, 1, 0); walk(width - 1, y, -1, 0); }
      console.log(`ink_comic on the ${clip}: the edge ${(100 * paper / walks).toFixed(1)} % paper gutter, ${(100 * ruled / walks).toFixed(1)} % ruled black inside it`);
      expect(paper / walks, clip).toBeGreaterThan(0.97);
      expect(ruled / walks, clip).toBeGreaterThan(0.97);
    }
  });

  it('prints a black-and-white source in flat comic colours, not grey', () => {
    const ratio = saturation(out.get('grey ink_comic')!);
    console.log(`ink_comic on a grey face: saturation ${ratio.toFixed(1)} (source ${saturation(grey).toFixed(1)})`);
    expect(saturation(grey)).toBeLessThan(3);
    expect(ratio).toBeGreaterThan(25);
  });

  it('paints a black-and-white source as a cartoon in a cel palette by tone, not grey', () => {
    // A viewer shown a black-and-white shot saw "a smoothed grey photo ... no flat cartoon fills".
    const f = out.get('grey cartoon')!;
    let dark = 0, darkN = 0, light = 0, lightN = 0;
    for (const frame of f) for (let i = 0; i < frame.data.length / 3; i++) {
      const y = lumaAt(frame, i), warm = frame.data[3 * i]! - frame.data[3 * i + 2]!;
      if (y < 0.3) { dark += warm; darkN++; } else if (y > 0.45 && y < 0.85) { light += warm; lightN++; }
    }
    const [cool, warm] = [dark / Math.max(1, darkN), light / Math.max(1, lightN)];
    console.log(`cartoon on a grey face: saturation ${saturation(f).toFixed(1)}, red − blue ${cool.toFixed(1)} in the shadows, ${warm.toFixed(1)} in the middle and lights`);
    expect(saturation(f)).toBeGreaterThan(20);
    expect(cool).toBeLessThan(-10);
    expect(warm).toBeGreaterThan(15);
  });

  it('makes neon more saturated than its source on every clip', () => {
    for (const clip of ['face', 'flower'] as const) {
      const src = clip === 'face' ? face : flower;
      const ratio = saturation(out.get(`${clip} neon`)!) / saturation(src);
      console.log(`neon on ${clip}: saturation ${ratio.toFixed(2)}× the source's`);
      expect(ratio, clip).toBeGreaterThan(1.15);
    }
  });

  it('lays neon over a dark night ground, not a muddy red-brown one', () => {
    const src = face[6]!, neon = out.get('face neon')![6]!;
    const picture = (f: RgbFrame): Picture => ({ width: f.width, height: f.height, data: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.length) });
    const ls = luma(picture(src)), ln = luma(picture(neon));
    const edges = gradient(ls, src.width, src.height);
    // The ground: away from the contours the glow is drawn along.
    const ground = (i: number): boolean => edges[i]! < 4;
    const dark = mean(ln, ground) / mean(ls, ground);
    // Where the source is warm (skin, the lit wall), the night is magenta and indigo: blue
    // stays a good part of red instead of sinking to a brown (red over a little blue).
    const warm = (i: number): boolean => ground(i) && src.data[3 * i]! > src.data[3 * i + 1]! + 8 && src.data[3 * i + 1]! >= src.data[3 * i + 2]!;
    const channel = (c: number): Float32Array => Float32Array.from({ length: ls.length }, (_, i) => neon.data[3 * i + c]!);
    const blueOverRed = mean(channel(2), warm) / mean(channel(0), warm);
    console.log(`neon ground: luma ${dark.toFixed(2)}× the source's; blue/red on warm ground ${blueOverRed.toFixed(2)}`);
    expect(dark).toBeLessThan(0.4);
    expect(blueOverRed).toBeGreaterThan(0.8);
  });

  it('flickers no more than 1.5 times the source', () => {
    for (const clip of ['face', 'flower'] as const) {
      const base = flicker(clip === 'face' ? face : flower);
      for (const style of Object.keys(LOOKS) as Inked[]) {
        const ratio = flicker(out.get(`${clip} ${style}`)!) / base;
        console.log(`${style} on ${clip}: flicker ${ratio.toFixed(2)}× the source's`);
        expect(ratio, `${style} on ${clip}`).toBeLessThanOrEqual(1.5);
      }
    }
  });
});

/**
 * Share of `box` (shares of the frame: x0, y0, x1, y1) printed solid black, as
 * crushedShare (metrics/tone-detail.ts) finds it: dark and flat at σ 1 % of the height;
 * lines, dots and hatching are not solid.
 */
function solidInBox(frame: RgbFrame, [x0, y0, x1, y1]: readonly number[]): number {
  const { width, height } = frame;
  const solid = solidBlack(frame, 0.01 * height);
  let count = 0, n = 0;
  for (let r = Math.round(height * y0!); r < Math.round(height * y1!); r++) for (let c = Math.round(width * x0!); c < Math.round(width * x1!); c++) {
    n++;
    count += solid[r * width + c]!;
  }
  return count / n;
}

describe('ink comic on a shot two stops under', () => {
  // The blind panel's dark clip (two stops under, its blacks clipped) of the face, in
  // colour and in black and white, seen at the size of a panel tile (360 pixels wide).
  const DARK = 'eq=gamma=0.55:brightness=-0.06';
  const shots = new Map<string, { source: RgbFrame; styled: RgbFrame }>();

  beforeAll(async () => {
    for (const [name, filter] of [['dark', DARK], ['grey dark', `format=gray,${DARK},format=yuv420p`]] as const) {
      const clip = join(root, `${name.replace(' ', '-')}.mp4`);
      await cut('portrait.mp4', clip, filter);
      const [source] = await frames(clip, 360, 540, 7);
      const [styled] = await frames(await render({ prompt: LOOKS.ink_comic, input_video: clip }), 360, 540, 7);
      shots.set(name, { source: source!, styled: styled! });
    }
  }, 300_000);

  it('keeps the face out of solid black: its eyes, nose and jaw inked in lines over screen tone', () => {
    // Blind viewers saw a dark face's eyes and nose turn into black blobs and its neck
    // merge into solid black. Before: 18 % of the face solid black here, in colour and in grey.
    const face = { x: FACE_BOX[0], y: FACE_BOX[1], width: FACE_BOX[2] - FACE_BOX[0], height: FACE_BOX[3] - FACE_BOX[1] };
    const measured = [...shots].map(([name, { source, styled }]) => {
      const solid = solidInBox(styled, FACE_BOX), structure = boxStructure(source, styled, face).kept ?? 0;
      console.log(`ink_comic on a ${name} face: ${(100 * solid).toFixed(1)} % of the face solid black, face structure ${structure.toFixed(2)}`);
      return { name, solid, structure };
    });
    for (const { name, solid, structure } of measured) {
      expect(solid, name).toBeLessThan(0.08);
      expect(structure, name).toBeGreaterThan(0.25);
    }
  });
});

/**
 * Share of the pixels where `source` is light (luma over 0.45) that `styled` prints in a
 * blob of black: black (luma under 0.2) across a square of 5 pixels at 540p, thicker
 * than a drawn line.
 */
function blackBlobsOnLight(source: RgbFrame, styled: RgbFrame): number {
  const { width, height } = styled;
  const r = Math.max(1, Math.round(height / 270));
  const out = lumaPlane(styled.data, width, height), src = lumaPlane(source.data, width, height);
  const black = Uint8Array.from(out, (v) => (v < 0.2 ? 1 : 0));
  let light = 0, blob = 0;
  for (let y = r; y < height - r; y++) for (let x = r; x < width - r; x++) {
    const i = y * width + x;
    if (src[i]! <= 0.45) continue;
    light++;
    let all = 1;
    for (let d = -r; d <= r && all; d++) for (let e = -r; e <= r && all; e++) all = black[i + d * width + e]!;
    blob += all;
  }
  return blob / Math.max(1, light);
}

/**
 * Share of a frame's ink (luma under 0.25, outside solid black) in strokes: connected
 * pieces at least 3 % of the height long and at least 6 times as long as they are wide
 * on average (the square of the diagonal of their box over their area). Blobs and
 * specks are neither.
 */
function inkInStrokes(frame: RgbFrame): number {
  const { width, height } = frame;
  const solid = solidBlack(frame, 0.01 * height);
  const y = lumaPlane(frame.data, width, height);
  const ink = Uint8Array.from(y, (v, i) => (v < 0.25 && !solid[i] ? 1 : 0));
  let total = 0, strokes = 0;
  const stack: number[] = [];
  for (let s = 0; s < ink.length; s++) {
    if (ink[s] !== 1) continue;
    ink[s] = 2;
    stack.push(s);
    let area = 0, x0 = width, x1 = 0, y0 = height, y1 = 0;
    while (stack.length) {
      const p = stack.pop()!, x = p % width, y = (p - x) / width;
      area++;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx, ny = y + dy, q = ny * width + nx;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && ink[q] === 1) { ink[q] = 2; stack.push(q); }
      }
    }
    const diagonal = Math.hypot(x1 - x0 + 1, y1 - y0 + 1);
    total += area;
    if (diagonal >= 0.03 * height && (diagonal * diagonal) / area >= 6) strokes += area;
  }
  return strokes / Math.max(1, total);
}

describe('ink comic on a busy texture in bright light', () => {
  // The blind panel's overexposed clip: a toy on a grained table (texture everywhere) and
  // the face, both brightened as the panel brightens its "bright" stills.
  const BRIGHT = 'eq=gamma=1.8:brightness=0.08';
  const shots = new Map<string, { source: RgbFrame; styled: RgbFrame }>();

  beforeAll(async () => {
    for (const [name, file, width, height] of [['rabbit', 'rabbit.mp4', 810, 540], ['face', 'portrait.mp4', 540, 810]] as const) {
      const clip = join(root, `${name}-bright.mp4`);
      await cut(file, clip, BRIGHT);
      const [source] = (await frames(clip, width, height, 7)).slice(6);
      const [styled] = (await frames(await render({ prompt: LOOKS.ink_comic, input_video: clip }), width, height, 7)).slice(6);
      shots.set(name, { source: source!, styled: styled! });
    }
  }, 300_000);

  it('draws the texture in lines and screen, not in black blobs', () => {
    // Blind viewers saw an overexposed tabby's stripes as "random black ink blobs" and its
    // pink nose filled black. Before: 7.9 % of the light table in black blobs and 63 % of
    // the ink in strokes; 0.14 % and 78 % since a washed-out shot is inked along ridges.
    const { source, styled } = shots.get('rabbit')!;
    const blobs = blackBlobsOnLight(source, styled), strokes = inkInStrokes(styled);
    console.log(`ink_comic on a bright table: ${(100 * blobs).toFixed(2)} % of its light parts in black blobs, ${(100 * strokes).toFixed(0)} % of the ink in strokes`);
    expect(blobs).toBeLessThan(0.005);
    expect(strokes).toBeGreaterThan(0.7);
  });

  it('keeps a bright face drawn, its eyes and nostrils inked rather than filled black', () => {
    // Before: 24.9 % of the face's light parts in black blobs (its eye sockets, nostrils and
    // hair spotted solid), structure 1.00; now 9.8 %, structure 1.00.
    const { source, styled } = shots.get('face')!;
    const face = { x: FACE_BOX[0], y: FACE_BOX[1], width: FACE_BOX[2] - FACE_BOX[0], height: FACE_BOX[3] - FACE_BOX[1] };
    const structure = boxStructure(source, styled, face).kept ?? 0;
    const blobs = blackBlobsOnLight(crop(source, FACE_BOX), crop(styled, FACE_BOX));
    console.log(`ink_comic on a bright face: face structure ${structure.toFixed(2)}, ${(100 * blobs).toFixed(2)} % of its light parts in black blobs`);
    expect(structure).toBeGreaterThan(0.5);
    expect(blobs).toBeLessThan(0.15);
  });
});
