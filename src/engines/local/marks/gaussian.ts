/**
 * A separable Gaussian blur of one float plane with clamped edges: the kernel reaches
 * 3σ, is normalised to sum 1, and each output is summed in double in kernel order. The
 * compiled stage's flow field (pixel-stage/native/flow.c) blurs the same way, so the
 * two agree to float rounding.
 */

/** The normalised kernel for `sigma` (taps −r…r, r = ceil(3σ), at least 1). */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let d = -radius; d <= radius; d++) {
    const w = Math.exp(-(d * d) / (2 * sigma * sigma));
    kernel[d + radius] = w;
    sum += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** `src` (width × height) blurred by a Gaussian of `sigma` pixels, into a new plane. */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let d = -radius; d <= radius; d++) s += kernel[d + radius]! * src[row + Math.min(width - 1, Math.max(0, x + d))]!;
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let d = -radius; d <= radius; d++) s += kernel[d + radius]! * tmp[Math.min(height - 1, Math.max(0, y + d)) * width + x]!;
      out[y * width + x] = s;
    }
  }
  return out;
}

/** `plane` band-passed by a difference of Gaussians (σ `fine` less σ `coarse`), and its blur at `fine`. */
export function differenceOfGaussians(plane: Float32Array, width: number, height: number, fine: number, coarse: number): { band: Float32Array; fine: Float32Array } {
  const near = gaussianBlur(plane, width, height, fine), far = gaussianBlur(plane, width, height, coarse);
  const band = new Float32Array(plane.length);
  for (let i = 0; i < band.length; i++) band[i] = near[i]! - far[i]!;
  return { band, fine: near };
}

/** Rec. 601 luma (0..1) of an interleaved 8-bit RGB frame. */
export function lumaPlane(data: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = (0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!) / 255;
  return out;
}
