/**
 * Guided mode carries a restyle's canvas: an aged print of frame 0 with a
 * paper border and a vignette, sent over HTTP beside a panning shot (a window moving
 * across the fixture photo), comes back with the border and the vignette where the
 * image had them on every frame while the picture moves under them, without flickering
 * more than 1.5× the source; and the generation's interpretation reports the parts the
 * restyle was split into (tone, canvas with its border, picture marks), valid against
 * the interpretation schema the API publishes.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineInterpretationSchema } from '../src/engines/interpretation-schema.ts';
import { readFrames } from '../src/engines/local/frame-reader.ts';
import { scaled } from './support/deadline.ts';
import { guidedOverPan, type PanRun } from './support/guided-pan.ts';
import { flicker } from './support/flicker.ts';

const run = promisify(execFile);
/** The paper colour of the border, and its thickness in pixels of the 640×360 clip. */
const PAPER = [0xec, 0xe2, 0xcc] as const;
const BORDER = 16;

let pan: PanRun;
let interpretation: any;
let outputPath: string;

beforeAll(async () => {
  // Frame 0 as an aged print: sepia, a vignette to black, a paper border.
  pan = await guidedOverPan('canvas', 'an old print', async (frame0, root) => {
    await run('convert', [frame0, '-sepia-tone', '80%', '-background', 'black', '-vignette', '0x60', '-shave', `${BORDER}x${BORDER}`,
      '-bordercolor', `rgb(${PAPER.join(',')})`, '-border', `${BORDER}x${BORDER}`, join(root, 'aged.png')]);
    return 'aged.png';
  });
  ({ interpretation, outputPath } = pan);
}, scaled(300_000));

afterAll(async () => {
  await pan?.close();
});

/** Mean RGB over a rectangle of an RGB frame. */
function meanRgb(frame: Buffer, width: number, x0: number, y0: number, x1: number, y1: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) sum[c]! += frame[(y * width + x) * 3 + c]!;
  const n = (x1 - x0) * (y1 - y0);
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}
const luma = ([r, g, b]: [number, number, number]): number => 0.299 * r + 0.587 * g + 0.114 * b;

describe('a guided request with an aged print of frame 0 over a panning shot', () => {
  it('reports the parts of the restyle: tone, a canvas with its border and shading, picture marks', () => {
    expect(interpretation.mode).toBe('guided');
    const parts = interpretation.guided.parts;
    expect(parts, JSON.stringify(interpretation.guided)).toBeDefined();
    expect(parts.tone).toMatchObject({ carried: true });
    expect(parts.canvas).toMatchObject({ carried: true, shading: true });
    expect(parts.canvas.strength).toBeGreaterThan(0.3);
    for (const side of parts.canvas.border as number[]) expect(side).toBeGreaterThanOrEqual(BORDER - 3);
    expect(typeof parts.picture_marks.carried).toBe('boolean');
    expect(Array.isArray(parts.not_reproduced)).toBe(true);
    const validate = new Ajv2020({ strict: false }).compile(engineInterpretationSchema);
    expect(validate(interpretation), JSON.stringify(validate.errors)).toBe(true);
  });

  it('keeps the paper border and the vignette in place on every frame while the picture moves', async () => {
    const facts = interpretation.output;
    const { width, height } = facts as { width: number; height: number };
    const { frames: out } = await readFrames({ input: outputPath, width, height, pixFmt: 'rgb24' });
    const { frames: source } = await readFrames({ input: pan.pan, width, height, pixFmt: 'rgb24' });
    expect(out.length).toBeGreaterThanOrEqual(85);
    const k = width / 640;
    const edge = Math.round(BORDER * k);
    // Corners inside the border against the centre, each relative to the source there.
    const patch = Math.round(40 * k), inset = edge + Math.round(6 * k);
    const vignette = (frame: Buffer, src: Buffer): number => {
      const rel = (x: number, y: number): number => luma(meanRgb(frame, width, x, y, x + patch, y + patch)) / Math.max(1, luma(meanRgb(src, width, x, y, x + patch, y + patch)));
      const corners = [rel(inset, inset), rel(width - inset - patch, inset), rel(inset, height - inset - patch), rel(width - inset - patch, height - inset - patch)];
      return corners.reduce((a, b) => a + b, 0) / 4 / rel(width / 2 - patch / 2, height / 2 - patch / 2);
    };
    // On the image the corners are near black (about 0.05 of the centre, against the
    // source); the canvas's smooth shading reaches about 0.15 on the first mapped frame,
    // the mapping alone 0.6 or more, falling toward 1 as the pan brings new content.
    expect(vignette(out[0]!, source[0]!)).toBeLessThan(0.2);
    const first = vignette(out[1]!, source[1]!);
    expect(first).toBeLessThan(0.3);
    for (const index of [15, 30, 45, 60, 75, out.length - 1]) {
      const frame = out[index]!;
      // The border: a strip inside each side, the paper's colour.
      const strips = [
        meanRgb(frame, width, 0, 2, width, edge - 3), meanRgb(frame, width, 0, height - edge + 3, width, height - 2),
        meanRgb(frame, width, 2, edge, edge - 3, height - edge), meanRgb(frame, width, width - edge + 3, edge, width - 2, height - edge),
      ];
      for (const strip of strips) strip.forEach((v, c) => expect(Math.abs(v - PAPER[c]!), `frame ${index}: border ${strip.map(Math.round).join(',')}`).toBeLessThan(12));
      // The vignette: the corners darkened against the centre as on the first mapped frame.
      const now = vignette(frame, source[index]!);
      expect(now, `frame ${index}: vignette`).toBeLessThan(0.35);
      expect(Math.abs(now - first), `frame ${index}: vignette against frame 1`).toBeLessThan(0.15);
    }
  });

  it('flickers no more than 1.5× the panning source', async () => {
    expect(await flicker(outputPath)).toBeLessThan((await flicker(pan.pan)) * 1.5);
  });
});
