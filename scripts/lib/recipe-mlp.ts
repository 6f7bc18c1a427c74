/**
 * The MLP recipe: the same inputs, targets and frame weights as the ridge recipe (recipe.ts),
 * fitted by a one-hidden-layer tanh network (mlp.ts). Real clips teach lip gap, jaw and width;
 * closure and labiodental contact come from synthetic speech only (masked out on real frames).
 */
import { frameWeight, standardise, type RealPart, type SynthPart, type Standardiser } from './recipe.js';
import { trainMlp, emptySet, DEFAULT_MLP, type MlpOptions } from './mlp.js';
import { MODEL_OUTPUTS, MouthModel, type MouthModelWeights } from '../../src/engine/audio/model.js';
import { PairMoments, percentile } from '../../src/engine/audio/stats.js';
import { INPUT_DIM } from '../../src/engine/audio/context.js';

/**
 * The settings the shipped model is trained with (chosen with scripts/experiment-mouth.ts; input
 * dropout 0.7 since session 13: speaker-held-out r0 0.408, against 0.382 at 0.4 and 0.366 at 0.2;
 * with global-variance compensation, also session 13, 0.438).
 */
export const MOUTH_MLP: MlpOptions = { ...DEFAULT_MLP, epochs: 10, dropout: 0.7, varianceMatch: 1 };

/**
 * @param leadMs the lead stored with the model (used at run time)
 * @param realLeads optional per-clip alignment of the real targets (default: leadMs for all)
 */
export function mlpWeights(parts: SynthPart[], real: RealPart[], st: Standardiser, leadMs: number, realWeight: number, opts: MlpOptions, name: string, realLeads?: number[]): MouthModelWeights {
  const O = MODEL_OUTPUTS.length;
  // Rows refer to the frames' own arrays; they are standardised once, straight into the set.
  // Synthetic rows know all outputs; real rows only the first y.length (lip gap, jaw, width).
  const rows: { x: Float32Array; y: ArrayLike<number>; w: number }[] = [];
  for (const p of parts) p.frames.forEach((f, i) => rows.push({ x: f.x, y: p.ys[i], w: frameWeight(f.voice) }));
  // `truth` is what the variance match aims at: the tracked truth even when y is a variant of it
  const realRows: { x: Float32Array; y: ArrayLike<number>; w: number; clip: number; truth: ArrayLike<number> }[] = [];
  for (const [k, p] of real.entries())
    for (const f of p.frames) {
      const lead = realLeads ? realLeads[k] : leadMs;
      const y = p.clip.target100(f.index, lead);
      if (y) realRows.push({ x: f.x, y, w: realWeight * frameWeight(f.voice), clip: k, truth: p.clip.truth100?.(f.index, lead) ?? y });
    }
  balanceClips(realRows, real.length, opts.clipBalance ?? 0);
  // one at a time: a spread of tens of thousands of rows can overflow the call's argument stack
  for (const r of realRows) rows.push(r);
  const set = emptySet(rows.length, INPUT_DIM, O);
  const buf = new Float64Array(INPUT_DIM + 1);
  rows.forEach((r, i) => {
    set.x.set(standardise(r.x, st, buf).subarray(0, INPUT_DIM), i * INPUT_DIM);
    for (let k = 0; k < r.y.length; k++) {
      set.y[i * O + k] = r.y[k];
      set.mask[i * O + k] = 1;
    }
    set.w[i] = r.w;
  });
  const w = trainMlp(set, opts);
  const weights: MouthModelWeights = {
    name,
    inputDim: INPUT_DIM,
    mean: [...st.mean],
    std: [...st.std],
    hidden: { w: [...w.w1], b: [...w.b1] },
    out: { w: [...w.w2], b: [...w.b2] },
    leadMs,
    face: { lipGap: { rest: 0, scale: 1 }, jaw: { rest: 0, scale: 1 }, width: { rest: 0, scale: 1 } },
    provenance: {},
  };
  matchVariance(weights, realRows.map((r) => ({ x: r.x, y: r.truth })), opts.varianceMatch ?? 0);
  return weights;
}

/** Reweights real rows so clips share the weight by (median rows / clip rows)^amount, same total. */
function balanceClips(rows: Array<{ w: number; clip: number }>, clips: number, amount: number): void {
  if (amount <= 0 || !rows.length) return;
  const n = new Array<number>(clips).fill(0);
  for (const r of rows) n[r.clip]++;
  const med = percentile(n.filter((v) => v > 0), 50);
  const total = rows.reduce((s, r) => s + r.w, 0);
  for (const r of rows) r.w *= (med / n[r.clip]) ** amount;
  const after = rows.reduce((s, r) => s + r.w, 0);
  for (const r of rows) r.w *= total / after;
}

/**
 * Global-variance compensation (as in HMM speech synthesis, Toda & Tokuda 2007): a least-squares
 * fit predicts the expected opening, which moves about half as much as real mouths do (sd ratio
 * 0.46 on the training clips at input dropout 0.7, 0.53 at 0.4): a mumbling mouth. Each output
 * the real clips teach (lip gap, jaw, width) is scaled about its mean over those rows by
 * (sd(truth) / sd(prediction))^amount, folded into the output layer. The raw outputs' correlation
 * with the truth is unchanged; their spread becomes that of real mouths, and so the run-time
 * shaping (clamp at 0, voice gate, closure) acts on real-sized openings. Rows are unweighted, and
 * their truth is the tracked one even when the network learned a smoothed or mixed variant of it
 * (RealClip.truth100): the spread to reach is a real mouth's. Closure and labiodental contact
 * (synthetic targets only) are left as trained.
 */
function matchVariance(weights: MouthModelWeights, real: Array<{ x: Float32Array; y: ArrayLike<number> }>, amount: number): void {
  if (amount <= 0) return;
  const model = new MouthModel(weights);
  const out = new Float64Array(MODEL_OUTPUTS.length);
  const K = 3;
  const moments = Array.from({ length: K }, () => new PairMoments());
  for (const r of real) {
    model.predict(r.x, out);
    for (let k = 0; k < K; k++) moments[k].add(out[k], r.y[k]);
  }
  const H = weights.out.w.length / MODEL_OUTPUTS.length;
  moments.forEach((m, k) => {
    if (m.n < 2 || m.ssA < 1e-18 * m.n || m.ssB < 1e-18 * m.n) return;
    const g = Math.sqrt(m.ssB / m.ssA) ** amount;
    for (let j = 0; j < H; j++) weights.out.w[k * H + j] *= g;
    weights.out.b[k] = g * weights.out.b[k] + (1 - g) * m.meanA;
  });
}
