/**
 * The learned map from stacked acoustic context to articulation: standardise, one small tanh
 * hidden layer (or none: then it is a linear model), linear outputs. Tiny on purpose: it runs
 * in plain TypeScript at far more than real time and its weights fit in a source file.
 */
import { INPUT_DIM } from './context.js';

export const MODEL_OUTPUTS = ['lipGap', 'jaw', 'width', 'closure', 'labiodental'] as const;

export interface MouthModelWeights {
  name: string;
  inputDim: number;
  mean: number[];
  std: number[];
  /** hidden.w is row-major [hidden][input]; null for a linear model. */
  hidden: { w: number[]; b: number[] } | null;
  /** out.w is row-major [output][hidden or input]. */
  out: { w: number[]; b: number[] };
  /** Audio-to-mouth lead measured on real video, ms. */
  leadMs: number;
  /** Default face mapping (median over the real clips the model was measured on). */
  face: { lipGap: { rest: number; scale: number }; jaw: { rest: number; scale: number }; width: { rest: number; scale: number } };
  /** How the weights were made: command, data, metrics. */
  provenance: Record<string, unknown>;
}

export class MouthModel {
  private readonly h: number;
  private readonly hiddenBuf: Float64Array;
  private readonly xs: Float64Array;

  constructor(readonly weights: MouthModelWeights) {
    if (weights.inputDim !== INPUT_DIM) {
      throw new Error(`mouth model expects ${weights.inputDim} inputs, features give ${INPUT_DIM}: retrain (scripts/train-mouth.ts)`);
    }
    this.h = weights.hidden ? weights.hidden.b.length : 0;
    this.hiddenBuf = new Float64Array(this.h);
    this.xs = new Float64Array(INPUT_DIM);
  }

  /**
   * What the output layer reads: the hidden units' activations, or the standardised inputs of a
   * linear model. The returned buffer is reused by the next call.
   */
  features(x: Float32Array): Float64Array {
    const { mean, std, hidden } = this.weights;
    const xs = this.xs;
    for (let i = 0; i < INPUT_DIM; i++) xs[i] = (x[i] - mean[i]) / std[i];
    if (!hidden) return xs;
    for (let j = 0; j < this.h; j++) {
      let s = hidden.b[j];
      const row = j * INPUT_DIM;
      for (let i = 0; i < INPUT_DIM; i++) s += hidden.w[row + i] * xs[i];
      this.hiddenBuf[j] = Math.tanh(s);
    }
    return this.hiddenBuf;
  }

  /** Raw model outputs in MODEL_OUTPUTS order. */
  predict(x: Float32Array, out: Float64Array = new Float64Array(MODEL_OUTPUTS.length)): Float64Array {
    const o = this.weights.out;
    const src = this.features(x);
    const n = src.length;
    for (let k = 0; k < MODEL_OUTPUTS.length; k++) {
      let s = o.b[k];
      const row = k * n;
      for (let i = 0; i < n; i++) s += o.w[row + i] * src[i];
      out[k] = s;
    }
    return out;
  }
}
