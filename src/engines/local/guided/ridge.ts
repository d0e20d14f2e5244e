/**
 * Small dense linear algebra for the guided regressions: accumulate the normal
 * equations of a least-squares fit and solve them with a ridge penalty that pulls the
 * solution toward a prior (zero, or the global fit), by Cholesky factorisation. The
 * systems are tiny (a few dozen unknowns), so plain loops over Float64Arrays are enough.
 */

/** Normal equations of `outputs` targets over `dim` features. */
export interface NormalEquations {
  dim: number;
  outputs: number;
  /** dim×dim, row-major: Σ f fᵀ. */
  ata: Float64Array;
  /** dim×outputs, row-major: Σ f tᵀ. */
  atb: Float64Array;
  /** Samples added. */
  count: number;
}

export function normalEquations(dim: number, outputs: number): NormalEquations {
  return { dim, outputs, ata: new Float64Array(dim * dim), atb: new Float64Array(dim * outputs), count: 0 };
}

/** Add one sample: features `f` (length dim) and targets `t` (length outputs). */
export function addSample(eq: NormalEquations, f: ArrayLike<number>, t: ArrayLike<number>): void {
  const { dim, outputs, ata, atb } = eq;
  for (let i = 0; i < dim; i++) {
    const fi = f[i]!;
    if (fi === 0) continue;
    const row = i * dim;
    // Upper triangle only; mirrored in solve().
    for (let j = i; j < dim; j++) ata[row + j]! += fi * f[j]!;
    for (let o = 0; o < outputs; o++) atb[i * outputs + o]! += fi * t[o]!;
  }
  eq.count++;
}

/** Sum of `b` into `a` (same shape). */
export function addEquations(a: NormalEquations, b: NormalEquations): void {
  for (let i = 0; i < a.ata.length; i++) a.ata[i]! += b.ata[i]!;
  for (let i = 0; i < a.atb.length; i++) a.atb[i]! += b.atb[i]!;
  a.count += b.count;
}

/**
 * Solve (AᵀA + λI) W = AᵀB + λ W₀ for W (dim×outputs, row-major): least squares pulled
 * toward `prior` W₀ (default zero) with strength `lambda`. Returns the prior itself when
 * the system is singular even after the penalty.
 */
export function solveRidge(eq: NormalEquations, lambda: number, prior?: Float64Array): Float64Array {
  const { dim, outputs } = eq;
  const m = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = eq.ata[i * dim + j]!;
      m[i * dim + j] = v;
      m[j * dim + i] = v;
    }
    m[i * dim + i]! += lambda;
  }
  const rhs = new Float64Array(dim * outputs);
  for (let k = 0; k < rhs.length; k++) rhs[k] = eq.atb[k]! + lambda * (prior?.[k] ?? 0);
  // Cholesky: m = L Lᵀ, L stored in the lower triangle of m.
  for (let j = 0; j < dim; j++) {
    let d = m[j * dim + j]!;
    for (let k = 0; k < j; k++) d -= m[j * dim + k]! ** 2;
    if (!(d > 1e-12)) return prior ? Float64Array.from(prior) : new Float64Array(dim * outputs);
    const l = Math.sqrt(d);
    m[j * dim + j] = l;
    for (let i = j + 1; i < dim; i++) {
      let s = m[i * dim + j]!;
      for (let k = 0; k < j; k++) s -= m[i * dim + k]! * m[j * dim + k]!;
      m[i * dim + j] = s / l;
    }
  }
  for (let o = 0; o < outputs; o++) {
    // Forward (L y = b), then back (Lᵀ x = y), in place in rhs column o.
    for (let i = 0; i < dim; i++) {
      let s = rhs[i * outputs + o]!;
      for (let k = 0; k < i; k++) s -= m[i * dim + k]! * rhs[k * outputs + o]!;
      rhs[i * outputs + o] = s / m[i * dim + i]!;
    }
    for (let i = dim - 1; i >= 0; i--) {
      let s = rhs[i * outputs + o]!;
      for (let k = i + 1; k < dim; k++) s -= m[k * dim + i]! * rhs[k * outputs + o]!;
      rhs[i * outputs + o] = s / m[i * dim + i]!;
    }
  }
  return rhs;
}

/**
 * Solve one regression per bucket, each pulled toward one global regression over all
 * buckets (weight `bucketLambda`), so a bucket the data barely showed behaves like the
 * global fit rather than like noise. Returns buckets × dim × outputs weights as float32
 * (bucket, then feature, then output), which is what the hot loops read.
 */
export function solveBuckets(equations: readonly NormalEquations[], globalLambda: number, bucketLambda: number): Float32Array {
  const { dim, outputs } = equations[0]!;
  const total = normalEquations(dim, outputs);
  for (const eq of equations) addEquations(total, eq);
  const global = solveRidge(total, globalLambda * total.count + 1e-6);
  const weights = new Float32Array(equations.length * dim * outputs);
  equations.forEach((eq, b) => {
    const w = eq.count > 0 ? solveRidge(eq, bucketLambda, global) : global;
    weights.set(w, b * dim * outputs);
  });
  return weights;
}
