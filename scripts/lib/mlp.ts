/**
 * A one-hidden-layer tanh network trained with Adam on masked, weighted squared error: the
 * non-linear alternative to the ridge recipe, in plain TypeScript (no training framework here)
 * and deterministic (seeded initialisation and batch order). Its weights load straight into
 * MouthModel (hidden layer + linear outputs, standardisation folded in by the caller).
 */
import { rng } from './rng.js';

export interface TrainingSet {
  /** Row-major [n][dim], already standardised. */
  x: Float32Array;
  /** Row-major [n][outs]. */
  y: Float32Array;
  /** Row-major [n][outs]: 1 where the target is known. */
  mask: Uint8Array;
  /** Per-row weight. */
  w: Float32Array;
  n: number;
  dim: number;
  outs: number;
}

export interface MlpOptions {
  hidden: number;
  epochs: number;
  batch: number;
  lr: number;
  l2: number;
  seed: number;
  /** Input dropout probability (regularises the stacked context). */
  dropout: number;
  /**
   * Global-variance compensation of the real-trained outputs after training, 0..1 (the recipe
   * applies it, recipe-mlp.ts): the exponent on sd(truth)/sd(prediction). 0 leaves the
   * least-squares outputs as trained.
   */
  varianceMatch?: number;
  /**
   * How the real clips share their weight (the recipe applies it, recipe-mlp.ts): each clip's rows
   * are weighted by (median clip rows / its rows)^clipBalance, rescaled so the real rows weigh as
   * much in total as before. 0: every real frame counts the same, so long clips dominate; 1: every
   * clip counts the same.
   */
  clipBalance?: number;
  /**
   * Frequency masking (SpecAugment's F): per training row, a random run of 0..width adjacent
   * bands is zeroed in every stacked frame (inputs repeat every `period` values, the first `bands`
   * of each are the bands), on top of input dropout.
   */
  bandMask?: { width: number; period: number; bands: number };
  log?: (m: string) => void;
}

export const DEFAULT_MLP: MlpOptions = { hidden: 32, epochs: 12, batch: 64, lr: 1e-3, l2: 1e-4, seed: 11, dropout: 0.1 };

export interface MlpWeights {
  /** [hidden][dim] */
  w1: Float32Array;
  b1: Float32Array;
  /** [outs][hidden] */
  w2: Float32Array;
  b2: Float32Array;
}

/** An all-zero training set of n rows, for the caller to fill. */
export function emptySet(n: number, dim: number, outs: number): TrainingSet {
  return { x: new Float32Array(n * dim), y: new Float32Array(n * outs), mask: new Uint8Array(n * outs), w: new Float32Array(n), n, dim, outs };
}

export function trainMlp(set: TrainingSet, opts: MlpOptions = DEFAULT_MLP): MlpWeights {
  const { dim: D, outs: O, n: N } = set;
  const H = opts.hidden;
  const rand = rng(opts.seed);
  const gauss = (): number => {
    const u = Math.max(1e-12, rand());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const w1 = Float32Array.from({ length: H * D }, () => gauss() * Math.sqrt(1 / D));
  const b1 = new Float32Array(H);
  const w2 = Float32Array.from({ length: O * H }, () => gauss() * Math.sqrt(1 / H));
  const b2 = new Float32Array(O);
  const params = [w1, b1, w2, b2];
  const grads = params.map((p) => new Float32Array(p.length));
  const m1 = params.map((p) => new Float32Array(p.length));
  const m2 = params.map((p) => new Float32Array(p.length));
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  let step = 0;
  const h = new Float32Array(H);
  const dh = new Float32Array(H);
  const xin = new Float32Array(D);
  const order = Uint32Array.from({ length: N }, (_, i) => i);
  let wsum = 0;
  for (let i = 0; i < N; i++) wsum += set.w[i];
  const wmean = wsum / Math.max(1, N);
  const keep = 1 - opts.dropout;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    // cosine learning-rate decay over the run
    let loss = 0;
    for (let b0 = 0; b0 < N; b0 += opts.batch) {
      const b1e = Math.min(N, b0 + opts.batch);
      for (const g of grads) g.fill(0);
      for (let bi = b0; bi < b1e; bi++) {
        const r = order[bi];
        const xo = r * D;
        for (let d = 0; d < D; d++) xin[d] = opts.dropout > 0 && rand() > keep ? 0 : set.x[xo + d] / keep;
        const bm = opts.bandMask;
        if (bm && bm.width > 0) {
          // the same band of every stacked frame: a stretch of the spectrum the row must do without
          const w = Math.floor(rand() * (bm.width + 1));
          const f0 = Math.floor(rand() * (bm.bands - w + 1));
          for (let d = 0; d < D; d++) {
            const b = d % bm.period;
            if (b >= f0 && b < f0 + w) xin[d] = 0;
          }
        }
        for (let j = 0; j < H; j++) {
          let s = b1[j];
          const row = j * D;
          for (let d = 0; d < D; d++) s += w1[row + d] * xin[d];
          h[j] = Math.tanh(s);
        }
        dh.fill(0);
        const wr = set.w[r] / wmean;
        for (let k = 0; k < O; k++) {
          if (!set.mask[r * O + k]) continue;
          let s = b2[k];
          const row = k * H;
          for (let j = 0; j < H; j++) s += w2[row + j] * h[j];
          const e = (s - set.y[r * O + k]) * wr;
          loss += e * (s - set.y[r * O + k]);
          grads[3][k] += e;
          for (let j = 0; j < H; j++) {
            grads[2][row + j] += e * h[j];
            dh[j] += e * w2[row + j];
          }
        }
        for (let j = 0; j < H; j++) {
          const g = dh[j] * (1 - h[j] * h[j]);
          if (g === 0) continue;
          grads[1][j] += g;
          const row = j * D;
          for (let d = 0; d < D; d++) grads[0][row + d] += g * xin[d];
        }
      }
      step++;
      const lr = opts.lr * 0.5 * (1 + Math.cos((Math.PI * (epoch + b0 / N)) / opts.epochs));
      const bs = b1e - b0;
      const c1 = 1 - beta1 ** step, c2 = 1 - beta2 ** step;
      for (let p = 0; p < params.length; p++) {
        const P = params[p], G = grads[p], A = m1[p], B = m2[p];
        const decay = p % 2 === 0 ? opts.l2 : 0;
        for (let i = 0; i < P.length; i++) {
          const g = G[i] / bs + decay * P[i];
          A[i] = beta1 * A[i] + (1 - beta1) * g;
          B[i] = beta2 * B[i] + (1 - beta2) * g * g;
          P[i] -= (lr * (A[i] / c1)) / (Math.sqrt(B[i] / c2) + eps);
        }
      }
    }
    opts.log?.(`epoch ${epoch + 1}/${opts.epochs}: weighted mse ${(loss / N).toFixed(4)}`);
  }
  return { w1, b1, w2, b2 };
}
