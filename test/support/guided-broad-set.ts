/**
 * A broader check of guided mode than the FFmpeg effects it was tuned on: stylisers
 * made by another tool (ImageMagick), on clips of other sizes made from the fixtures
 * (a crop, an upscale, a mirrored downscale). One part is held out: its effects were
 * fixed before any tuning and are measured only for the final check
 * (GUIDED_HELD_OUT=1), so their figures say how the method does on looks nobody
 * tuned it for.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RgbFrame } from '../../src/engines/local/guided/metrics.ts';

const run = promisify(execFile);

/** A per-frame ImageMagick effect: the arguments between the input and the output of `convert`. */
export interface MagickEffect {
  magick: readonly string[];
}

/** Broad set: ImageMagick stylisers, looked at while tuning. */
export const BROAD_EFFECTS: Record<string, MagickEffect> = {
  im_oil: { magick: ['-paint', '3'] },
  im_charcoal: { magick: ['-charcoal', '2'] },
  im_emboss: { magick: ['-colorspace', 'gray', '-emboss', '2', '-colorspace', 'sRGB'] },
  im_edge: { magick: ['-edge', '2'] },
  im_posterize: { magick: ['-posterize', '3'] },
  im_sepia: { magick: ['-sepia-tone', '80%'] },
  im_grade: { magick: ['-modulate', '105,150,100', '-sigmoidal-contrast', '5x45%'] },
  im_outline: { magick: ['-colorspace', 'gray', '-edge', '1', '-negate', '-colorspace', 'sRGB'] },
};

/**
 * Held out: ImageMagick effects never measured while tuning (the FFmpeg ones are
 * FINAL_CHECK_EFFECTS in guided-fixtures.ts).
 */
export const HELD_OUT_MAGICK_EFFECTS: Record<string, MagickEffect> = {
  im_kuwahara: { magick: ['-kuwahara', '3'] },
  im_solarize: { magick: ['-solarize', '60%'] },
  im_pencil: { magick: ['(', '+clone', '-negate', '-blur', '0x4', ')', '-compose', 'color-dodge', '-composite', '-colorspace', 'gray', '-colorspace', 'sRGB'] },
  im_glow: { magick: ['(', '+clone', '-edge', '2', '-blur', '0x2', ')', '-compose', 'screen', '-composite'] },
  im_cross: { magick: ['-channel', 'R', '-level', '0%,90%,1.3', '-channel', 'B', '-level', '10%,100%,0.8', '+channel', '-modulate', '100,120'] },
};

/** Clips made from the fixtures so sizes vary: the source, its filter, and the result's size and rate. */
export const DERIVED_CLIPS = {
  'rabbit-crop.mp4': { from: 'rabbit.mp4', filter: 'crop=480:360:100:60', width: 480, height: 360, fps: '30/1' },
  'bbb-up.mp4': { from: 'bbb_10s.webm', filter: 'scale=640:360:flags=bicubic', width: 640, height: 360, fps: '30/1' },
  'flower-mirror.mp4': { from: 'flower.mp4', filter: 'hflip,scale=640:360:flags=area', width: 640, height: 360, fps: '30000/1001' },
  // Larger than the 540p working size: the effect is made at 1620×1080 and learned at 810×540.
  'rabbit-hd.mp4': { from: 'rabbit.mp4', filter: 'scale=1620:1080:flags=lanczos', width: 1620, height: 1080, fps: '30/1' },
} as const;

/** Write the derived clip `name` into `dir` (5 s, nearly lossless) and return its path. */
export async function makeDerivedClip(media: string, dir: string, name: keyof typeof DERIVED_CLIPS): Promise<string> {
  const spec = DERIVED_CLIPS[name];
  const out = join(dir, name);
  await run('ffmpeg', [
    '-v', 'error', '-i', join(media, spec.from), '-t', '5', '-vf', `${spec.filter},format=yuv420p`, '-an',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '8', '-r', spec.fps, '-y', out,
  ]);
  return out;
}

/** `effect` applied to one frame by ImageMagick's `convert`. */
export function magickFrame(frame: RgbFrame, effect: MagickEffect): Promise<RgbFrame> {
  const { width, height } = frame;
  const size = width * height * 3;
  return new Promise((resolve, reject) => {
    const child = spawn('convert', ['-size', `${width}x${height}`, '-depth', '8', 'rgb:-', ...effect.magick, '-depth', '8', 'rgb:-']);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const data = Buffer.concat(chunks);
      if (code !== 0 || data.length !== size) reject(new Error(`convert ${effect.magick.join(' ')}: exit ${code}, ${data.length} of ${size} bytes ${stderr.slice(-300)}`));
      else resolve({ width, height, data: new Uint8Array(data) });
    });
    child.stdin.end(Buffer.from(frame.data));
  });
}
