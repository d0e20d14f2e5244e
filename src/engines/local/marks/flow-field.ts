/**
 * A field of directions: the smoothed structure tensor of a frame's luma, giving at
 * every pixel the direction an edge runs (the edge tangent) and how coherent that
 * direction is (Kang, Lee and Chui, Coherent Line Drawing, 2007; Kyprianidis et al.,
 * Anisotropic Kuwahara Filtering, 2009). Drawn and painted looks lay their marks along it.
 *
 * Sobel gradients of the luma (0..1, edges clamped) give the tensor (gx², gx·gy, gy²);
 * each component is blurred by a Gaussian of σ pixels (gaussian.ts). Its eigenvalues
 * λ1 ≥ λ2 give coherence (λ1 − λ2)/(λ1 + λ2), 0 where the tensor is zero; the tangent
 * is the eigenvector of λ2, at angle ½·atan2(2F, E − G) + π/2 in image coordinates
 * (x right, y down), wrapped to (−π/2, π/2]. The compiled stage computes the same
 * (pixel-stage/native/flow.c); flowField in pixel-stage/index.ts picks the fast one.
 */
import { gaussianBlur } from './gaussian.ts';

export interface FlowField {
  width: number;
  height: number;
  /** Tangent angle per pixel, radians in (−π/2, π/2], x right and y down. */
  angle: Float32Array;
  /** Coherence per pixel, 0 (no one direction) … 1 (a clean edge or stripe). */
  coherence: Float32Array;
}

/** σ of the tensor blur when none is given, in pixels. */
export const FLOW_SIGMA = 2;

/** Sobel gradients of a plane with clamped edges. */
function sobel(y: Float32Array, width: number, height: number): { gx: Float32Array; gy: Float32Array } {
  const gx = new Float32Array(y.length);
  const gy = new Float32Array(y.length);
  for (let r = 0; r < height; r++) {
    const up = Math.max(0, r - 1) * width, row = r * width, down = Math.min(height - 1, r + 1) * width;
    for (let c = 0; c < width; c++) {
      const l = Math.max(0, c - 1), rt = Math.min(width - 1, c + 1);
      const a = y[up + l]!, b = y[up + c]!, d = y[up + rt]!;
      const e = y[row + l]!, f = y[row + rt]!;
      const g = y[down + l]!, h = y[down + c]!, k = y[down + rt]!;
      gx[row + c] = (d + 2 * f + k - (a + 2 * e + g)) / 8;
      gy[row + c] = (g + 2 * h + k - (a + 2 * b + d)) / 8;
    }
  }
  return { gx, gy };
}

/** The flow field of a luma plane (0..1), its tensor blurred by `sigma` pixels. */
export function flowFieldReference(luma: Float32Array, width: number, height: number, sigma = FLOW_SIGMA): FlowField {
  const { gx, gy } = sobel(luma, width, height);
  const n = luma.length;
  const e = new Float32Array(n), f = new Float32Array(n), g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = gx[i]!, y = gy[i]!;
    e[i] = x * x; f[i] = x * y; g[i] = y * y;
  }
  const E = gaussianBlur(e, width, height, sigma), F = gaussianBlur(f, width, height, sigma), G = gaussianBlur(g, width, height, sigma);
  const angle = new Float32Array(n), coherence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = E[i]!, b = F[i]!, c = G[i]!;
    const trace = a + c;
    const root = Math.sqrt((a - c) * (a - c) + 4 * b * b);
    coherence[i] = trace > 1e-12 ? root / trace : 0;
    let t = 0.5 * Math.atan2(2 * b, a - c) + Math.PI / 2;
    if (t > Math.PI / 2) t -= Math.PI;
    angle[i] = t;
  }
  return { width, height, angle, coherence };
}
