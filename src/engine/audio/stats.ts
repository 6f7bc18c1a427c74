/** Correlation helpers shared by speaker adaptation, the renderer's detail restoration, the benchmarks and the training scripts. */

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n < 3) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma;
    const y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Correlation of pred shifted by `lag` frames against truth: r(lag) = corr(pred[i + lag], truth[i]).
 * A positive best lag means the prediction is late (it matches the truth `lag` frames later).
 */
export function laggedPearson(pred: ArrayLike<number>, truth: ArrayLike<number>, lag: number): number {
  const n = Math.min(pred.length, truth.length);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i + lag;
    if (j < 0 || j >= pred.length) continue;
    a.push(pred[j]);
    b.push(truth[i]);
  }
  return pearson(a, b);
}

export function bestLag(pred: ArrayLike<number>, truth: ArrayLike<number>, maxLag: number): { lag: number; r: number } {
  let best = { lag: 0, r: -Infinity };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const r = laggedPearson(pred, truth, lag);
    if (r > best.r) best = { lag, r };
  }
  return best;
}

export function percentile(values: ArrayLike<number>, p: number): number {
  const s = Array.from(values).filter(Number.isFinite).sort((x, y) => x - y);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))));
  return s[i];
}

/**
 * Running sums of paired samples (a, b), for loops that cannot keep the samples: the centred sums
 * of squares and products, so variances, covariance and r come out without a second pass.
 */
export class PairMoments {
  n = 0;
  private sa = 0;
  private sb = 0;
  private saa = 0;
  private sbb = 0;
  private sab = 0;

  add(a: number, b: number): void {
    this.n++;
    this.sa += a;
    this.sb += b;
    this.saa += a * a;
    this.sbb += b * b;
    this.sab += a * b;
  }

  /** ā (NaN before the first pair). */
  get meanA(): number {
    return this.sa / this.n;
  }

  /** Σ(a − ā)², Σ(b − b̄)², Σ(a − ā)(b − b̄). */
  get ssA(): number {
    return this.saa - (this.sa * this.sa) / this.n;
  }
  get ssB(): number {
    return this.sbb - (this.sb * this.sb) / this.n;
  }
  get spAB(): number {
    return this.sab - (this.sa * this.sb) / this.n;
  }

  /** Pearson r of a and b; 0 when either hardly varies (centred sum of squares ≤ 1e-12). */
  get r(): number {
    const va = this.ssA, vb = this.ssB;
    return va > 1e-12 && vb > 1e-12 ? this.spAB / Math.sqrt(va * vb) : 0;
  }
}
