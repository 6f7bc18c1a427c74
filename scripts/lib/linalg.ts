/**
 * Least squares for the training script: accumulate normal equations in one pass over the data
 * (no design matrix in memory), then solve the ridge system by Cholesky.
 */
export class NormalEquations {
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  n = 0;
  constructor(
    readonly dim: number,
    readonly outs: number,
  ) {
    this.xtx = new Float64Array(dim * dim);
    this.xty = new Float64Array(dim * outs);
  }

  /** Adds one row (x already standardised; a bias column is added by the caller) with weight w. */
  add(x: Float64Array, y: ArrayLike<number>, w = 1): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      const xi = x[i] * w;
      if (xi === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) this.xtx[row + j] += xi * x[j];
      for (let k = 0; k < this.outs; k++) this.xty[i * this.outs + k] += xi * y[k];
    }
    this.n += w;
  }

  /** Ridge solution, [outs][dim] row-major; the last column (bias) is not penalised. */
  solve(lambda: number): Float64Array {
    const d = this.dim;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = this.xtx[i * d + j];
    for (let i = 0; i < d - 1; i++) a[i * d + i] += lambda * this.n;
    a[(d - 1) * d + d - 1] += 1e-9 * this.n;
    cholesky(a, d);
    const w = new Float64Array(this.outs * d);
    const b = new Float64Array(d);
    for (let k = 0; k < this.outs; k++) {
      for (let i = 0; i < d; i++) b[i] = this.xty[i * this.outs + k];
      cholSolve(a, d, b);
      w.set(b, k * d);
    }
    return w;
  }
}

function cholesky(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
    const l = Math.sqrt(Math.max(s, 1e-12));
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / l;
    }
  }
}

function cholSolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}
