import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../guided/metrics.ts';
import { flowField, loadPixelStage, pixelStageProblem } from '../pixel-stage/index.ts';
import { flowFieldReference, type FlowField } from './flow-field.ts';
import { lumaPlane } from './gaussian.ts';

const W = 160, H = 120;

function grey(f: (x: number, y: number) => number, width = W, height = H): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.fill(Math.round(255 * Math.min(1, Math.max(0, f(x, y)))), (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return { width, height, data };
}

/** Stripes whose lines run at `degrees` (x right, y down), period 8 px. */
function stripes(degrees: number): RgbFrame {
  const t = (degrees * Math.PI) / 180;
  // The luma varies across the lines: along the normal (−sin t, cos t).
  return grey((x, y) => 0.5 + 0.4 * Math.sin((2 * Math.PI * (-x * Math.sin(t) + y * Math.cos(t))) / 8));
}

/** Difference of two directions of lines, in degrees, modulo 180 (0…90). */
function lineGap(a: number, b: number): number {
  const d = Math.abs(((a - b) * 180) / Math.PI) % 180;
  return Math.min(d, 180 - d);
}

function reference(frame: RgbFrame): FlowField {
  return flowFieldReference(lumaPlane(frame.data, frame.width, frame.height), frame.width, frame.height);
}

/** Indices of the frame's interior (8 px from the edges). */
function interior(width = W, height = H): number[] {
  const out: number[] = [];
  for (let y = 8; y < height - 8; y++) for (let x = 8; x < width - 8; x++) out.push(y * width + x);
  return out;
}

describe('flow field (reference)', () => {
  it.each([0, 30, 45, 90, 120, 160])('follows stripes running at %i°, with high coherence', (degrees) => {
    const field = reference(stripes(degrees));
    const inside = interior();
    expect(Math.max(...inside.map((i) => lineGap(field.angle[i]!, (degrees * Math.PI) / 180)))).toBeLessThan(4);
    expect(Math.min(...inside.map((i) => field.coherence[i]!))).toBeGreaterThan(0.9);
  });

  it('finds no one direction in noise', () => {
    let seed = 7;
    const field = reference(grey(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)));
    const mean = interior().reduce((s, i) => s + field.coherence[i]!, 0) / interior().length;
    expect(mean).toBeLessThan(0.35);
  });

  it('runs along a circle, tangent to it', () => {
    const [cx, cy] = [W / 2, H / 2];
    const field = reference(grey((x, y) => (Math.hypot(x - cx, y - cy) < 40 ? 0.8 : 0.2)));
    let checked = 0;
    for (let k = 0; k < 36; k++) {
      const a = (k * Math.PI) / 18;
      const [x, y] = [Math.round(cx + 40 * Math.cos(a)), Math.round(cy + 40 * Math.sin(a))];
      const i = y * W + x;
      expect(lineGap(field.angle[i]!, a + Math.PI / 2)).toBeLessThan(6);
      expect(field.coherence[i]).toBeGreaterThan(0.8);
      checked++;
    }
    expect(checked).toBe(36);
  });
});

describe('flow field (compiled stage)', () => {
  const { addon } = loadPixelStage();

  it('agrees with the reference where the direction is coherent', () => {
    if (!addon) throw new Error('the compiled pixel stage is not built');
    const [width, height] = [200, 150];
    const frame = grey((x, y) => 0.5 + 0.3 * Math.sin(Math.hypot(x - 60, y - 40) / 5) + 0.15 * Math.sin((x + 2 * y) / 9), width, height);
    const ref = reference(frame);
    const angle = new Float32Array(width * height), coherence = new Float32Array(width * height);
    addon.flowField(frame.data, width, height, 2, angle, coherence);
    let coherent = 0, worstCoherence = 0, worstAngle = 0;
    for (let i = 0; i < angle.length; i++) {
      worstCoherence = Math.max(worstCoherence, Math.abs(coherence[i]! - ref.coherence[i]!));
      if (ref.coherence[i]! > 0.5) {
        coherent++;
        worstAngle = Math.max(worstAngle, lineGap(angle[i]!, ref.angle[i]!));
      }
    }
    expect(worstCoherence).toBeLessThan(1e-4);
    expect(worstAngle).toBeLessThan(0.01);
    expect(coherent).toBeGreaterThan(angle.length / 2);
  });

  it('refuses planes of the wrong size', () => {
    if (!addon) throw new Error('the compiled pixel stage is not built');
    const frame = stripes(0);
    expect(() => addon.flowField(frame.data, W, H, 2, new Float32Array(10), new Float32Array(W * H))).toThrow(/Float32Arrays of width × height/);
  });

  it('is what flowField gives, and the reference is what it gives when the stage is off', () => {
    const frame = stripes(30);
    const fast = flowField(frame);
    expect(pixelStageProblem()).toBeUndefined();
    process.env.RETAKE_PIXEL_STAGE = 'reference';
    try {
      const slow = flowField(frame);
      expect(pixelStageProblem()).toMatch(/reference/);
      for (const i of interior()) expect(lineGap(slow.angle[i]!, fast.angle[i]!)).toBeLessThan(0.01);
    } finally {
      delete process.env.RETAKE_PIXEL_STAGE;
    }
  });
});
