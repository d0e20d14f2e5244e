/**
 * The guided part of the gallery (docs/gallery/guided/): frame 0 of flower.mp4 restyled
 * by a known effect is the image; each row shows that image, the frame at 3 s mapped by
 * what guided mode learned from it, and the same effect applied to that frame (the
 * truth), with SSIM-Y / ΔE of the two at 480 px. The mapping is learned and applied by
 * the code the guided child runs (learn.ts, model.ts) on frames decoded as the renderer
 * decodes them; test/engine-guided-render.test.ts shows full renders land on the same
 * figures.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { learnFromKeyframe } from '../src/engines/local/guided/learn.ts';
import { compareFrames, type RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { applyGuidedModel } from '../src/engines/local/guided/model.ts';
import { CLIPS, EFFECTS, effectFrames, frameIndexes, sourceFrames, toMeasureSize, writePng } from '../test/support/guided-fixtures.ts';
import { BROAD_EFFECTS } from '../test/support/guided-broad-set.ts';

const run = promisify(execFile);
const CLIP = 'flower.mp4';
const AT = 3;
const DIR = 'docs/gallery/guided';
const TILE = { width: 320, height: 180 };
/** Effects shown, one row each: a grade, tones, lines, relief, paint and charcoal. */
const ROWS = { sepia: EFFECTS.sepia, posterise: EFFECTS.posterise, drawing: EFFECTS.drawing, relief: EFFECTS.relief, painterly: EFFECTS.painterly, charcoal: BROAD_EFFECTS.im_charcoal! };

/** Write the guided contact sheet; `label` gives the drawtext filter of a tile's caption. */
export async function renderGuidedSheet(label: (text: string) => string): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const native = CLIPS[CLIP];
  const path = join('test/fixtures/media', CLIP);
  const later = frameIndexes(native.fps, [AT])[0]!;
  const source = await sourceFrames(path, native.fps, native.width, native.height, [0, later]);
  const tmp = await mkdtemp(join(tmpdir(), 'retake-gallery-guided-'));
  try {
    const tiles: { png: string; caption: string }[] = [];
    for (const [name, effect] of Object.entries(ROWS)) {
      const truth = await effectFrames(path, native.fps, native, effect, [0, later]);
      const { model } = learnFromKeyframe(source.get(0)!, truth.get(0)!);
      if (!model) throw new Error(`${name}: frame 0's restyle did not align`);
      const frame = source.get(later)!;
      const mapped: RgbFrame = { ...frame, data: applyGuidedModel(model, frame) };
      const { ssim, deltaE } = compareFrames(toMeasureSize(mapped), toMeasureSize(truth.get(later)!));
      process.stdout.write(`gallery: guided ${name} at ${AT} s: SSIM-Y ${ssim.toFixed(3)}, ΔE ${deltaE.toFixed(2)}\n`);
      const row: [RgbFrame, string][] = [
        [truth.get(0)!, `${name} - the image (frame 0)`],
        [mapped, `guided at ${AT} s - ${ssim.toFixed(3)} / ${deltaE.toFixed(2)}`],
        [truth.get(later)!, `the effect at ${AT} s`],
      ];
      for (const [i, [picture, caption]] of row.entries()) {
        const png = join(tmp, `${name}-${i}.png`);
        await writePng(picture, png);
        tiles.push({ png, caption });
      }
    }
    const graph = tiles.map((t, i) => `[${i}:v]scale=${TILE.width}:${TILE.height}:flags=area,format=yuv420p,${label(t.caption)}[t${i}]`);
    const rows = tiles.length / 3;
    for (let r = 0; r < rows; r++) graph.push(`[t${r * 3}][t${r * 3 + 1}][t${r * 3 + 2}]hstack=inputs=3[r${r}]`);
    graph.push(`${Array.from({ length: rows }, (_, r) => `[r${r}]`).join('')}vstack=inputs=${rows},split[sheet][forpal]`);
    graph.push('[forpal]palettegen=max_colors=256:stats_mode=full[pal]', '[sheet][pal]paletteuse=dither=bayer:bayer_scale=3[png]');
    await run('ffmpeg', ['-hide_banner', '-v', 'error', ...tiles.flatMap((t) => ['-i', t.png]), '-filter_complex', graph.join(';'), '-map', '[png]', '-frames:v', '1', '-y', `${DIR}/contact-sheet.png`]);
    process.stdout.write(`gallery: ${rows} guided restyles in ${DIR}/contact-sheet.png\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
