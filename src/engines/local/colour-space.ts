/**
 * Colour-space arithmetic for the HDR and EXR outputs: RGB→XYZ matrices from a gamut's
 * chromaticities and the Bradford white-point adaptation, so the BT.709 → ACES2065-1
 * matrix is derived from the published primaries rather than copied as magic numbers.
 */

export type Matrix3 = [[number, number, number], [number, number, number], [number, number, number]];

/** A gamut: CIE 1931 xy of red, green, blue and the white point. */
export interface Chromaticities {
  red: [number, number];
  green: [number, number];
  blue: [number, number];
  white: [number, number];
}

/** ITU-R BT.709 / sRGB primaries, D65 white. */
export const BT709: Chromaticities = { red: [0.64, 0.33], green: [0.3, 0.6], blue: [0.15, 0.06], white: [0.3127, 0.329] };

/** ACES2065-1 (SMPTE ST 2065-1) AP0 primaries and the ACES white (about D60). */
export const ACES_AP0: Chromaticities = {
  red: [0.7347, 0.2653], green: [0, 1], blue: [0.0001, -0.077], white: [0.32168, 0.33767],
};

const BRADFORD: Matrix3 = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
];

/** `a × b`. */
export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const cell = (r: number, c: number): number => a[r]![0] * b[0][c]! + a[r]![1] * b[1][c]! + a[r]![2] * b[2][c]!;
  return [0, 1, 2].map((r) => [cell(r, 0), cell(r, 1), cell(r, 2)]) as Matrix3;
}

/** `m × v`. */
export function apply(m: Matrix3, v: readonly [number, number, number]): [number, number, number] {
  return m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as [number, number, number];
}

/** The inverse of a 3×3 matrix (by cofactors; every matrix here is well conditioned). */
export function invert(m: Matrix3): Matrix3 {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

const xyToXYZ = ([x, y]: [number, number]): [number, number, number] => [x / y, 1, (1 - x - y) / y];

/** Linear RGB in `gamut` → CIE XYZ (Y of white = 1). */
export function rgbToXyz(gamut: Chromaticities): Matrix3 {
  const [r, g, b] = [xyToXYZ(gamut.red), xyToXYZ(gamut.green), xyToXYZ(gamut.blue)];
  const primaries: Matrix3 = [[r[0], g[0], b[0]], [r[1], g[1], b[1]], [r[2], g[2], b[2]]];
  const [sr, sg, sb] = apply(invert(primaries), xyToXYZ(gamut.white));
  return primaries.map((row) => [row[0] * sr, row[1] * sg, row[2] * sb]) as Matrix3;
}

/** XYZ under white `from` → XYZ under white `to`, by the Bradford cone response. */
export function bradford(from: [number, number], to: [number, number]): Matrix3 {
  const [ls, ms, ss] = apply(BRADFORD, xyToXYZ(from));
  const [ld, md, sd] = apply(BRADFORD, xyToXYZ(to));
  const scale: Matrix3 = [[ld / ls, 0, 0], [0, md / ms, 0], [0, 0, sd / ss]];
  return multiply(invert(BRADFORD), multiply(scale, BRADFORD));
}

/** Linear RGB in `from` → linear RGB in `to`, white adapted so white stays white. */
export function gamutMatrix(from: Chromaticities, to: Chromaticities): Matrix3 {
  return multiply(invert(rgbToXyz(to)), multiply(bradford(from.white, to.white), rgbToXyz(from)));
}

/** Linear BT.709 → linear ACES2065-1 (AP0). */
export const BT709_TO_AP0: Matrix3 = gamutMatrix(BT709, ACES_AP0);
