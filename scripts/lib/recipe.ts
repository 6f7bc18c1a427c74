/**
 * The training recipe as functions, shared by scripts/train-mouth.ts (fit on everything) and
 * bench/mouth.ts (the same fit with one speaker held out, so no speaker scores a model that saw
 * them). Ridge regression on the stacked features: closed form, deterministic, and the
 * leave-one-out folds are cheap because per-group normal equations can be subtracted.
 *
 * Lip gap, jaw and width learn from synthetic speech and the real clips; closure and
 * labiodental contact only from synthetic speech (the tracked mouth does not measure them).
 */
import { NormalEquations } from './linalg.js';
import type { Stream } from './synth-corpus.js';
import type { RealClip } from './real-set.js';
import { contextFrames } from '../../src/engine/audio/frontend.js';
import { INPUT_DIM, type ContextFrame } from '../../src/engine/audio/context.js';
import { MODEL_OUTPUTS, type MouthModelWeights } from '../../src/engine/audio/model.js';

export const D = INPUT_DIM + 1;
const O = MODEL_OUTPUTS.length;
const SHARED = 3; // lipGap, jaw, width
export const LAMBDA = 1e-3;

export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
}

export function standardise(x: Float32Array, s: Standardiser, out = new Float64Array(D)): Float64Array {
  for (let i = 0; i < INPUT_DIM; i++) out[i] = (x[i] - s.mean[i]) / s.std[i];
  out[INPUT_DIM] = 1;
  return out;
}

export interface SynthPart {
  lang: string;
  frames: ContextFrame[];
  ys: Float32Array[];
}

export function synthPart(s: Stream): SynthPart {
  const frames = contextFrames(s.samples);
  const T = s.targets;
  const ys = frames.map((f) => {
    const i = Math.min(f.index, T.lipGap.length - 1);
    return Float32Array.of(T.lipGap[i], T.jaw[i], T.width[i], T.closure[i], T.labiodental[i]);
  });
  return { lang: s.lang, frames, ys };
}

export interface RealPart {
  clip: RealClip;
  frames: ContextFrame[];
}

export function realPart(clip: RealClip): RealPart {
  return { clip, frames: contextFrames(clip.samples16k) };
}

export function fitStandardiser(parts: SynthPart[]): Standardiser {
  const mean = new Float64Array(INPUT_DIM);
  const sq = new Float64Array(INPUT_DIM);
  let n = 0;
  for (const p of parts)
    for (const f of p.frames) {
      for (let i = 0; i < INPUT_DIM; i++) {
        mean[i] += f.x[i];
        sq[i] += f.x[i] * f.x[i];
      }
      n++;
    }
  const std = new Float64Array(INPUT_DIM);
  for (let i = 0; i < INPUT_DIM; i++) {
    mean[i] /= n;
    std[i] = Math.sqrt(Math.max(sq[i] / n - mean[i] * mean[i], 0)) + 1e-3;
  }
  return { mean, std };
}

/** Outside voice activity the gate zeroes the output, so those frames weigh little. */
export const frameWeight = (voice: number): number => (voice > 0.05 ? 1 : 0.2);

export function synthEquations(p: SynthPart, s: Standardiser): NormalEquations {
  const ne = new NormalEquations(D, O);
  const buf = new Float64Array(D);
  p.frames.forEach((f, i) => ne.add(standardise(f.x, s, buf), p.ys[i], frameWeight(f.voice)));
  return ne;
}

export function realEquations(p: RealPart, s: Standardiser, leadMs: number, weight: number): NormalEquations {
  const ne = new NormalEquations(D, SHARED);
  const buf = new Float64Array(D);
  for (const f of p.frames) {
    const y = p.clip.target100(f.index, leadMs);
    if (y) ne.add(standardise(f.x, s, buf), y, weight * frameWeight(f.voice));
  }
  return ne;
}

function sum(list: NormalEquations[], outs: number): NormalEquations {
  const t = new NormalEquations(D, outs);
  for (const ne of list) {
    for (let i = 0; i < t.xtx.length; i++) t.xtx[i] += ne.xtx[i];
    for (let i = 0; i < t.xty.length; i++) t.xty[i] += ne.xty[i];
    t.n += ne.n;
  }
  return t;
}

/** Solves the recipe from equation sets; `real` may be empty (synthetic-only model). */
export function solve(synth: NormalEquations[], real: NormalEquations[], s: Standardiser, leadMs: number, name: string): MouthModelWeights {
  const S = sum(synth, O);
  const shared = sum([S, ...real.map((r) => widen(r))], O);
  const wShared = shared.solve(LAMBDA);
  const wSynth = S.solve(LAMBDA);
  const w: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < O; k++) {
    const src = k < SHARED ? wShared : wSynth;
    for (let i = 0; i < INPUT_DIM; i++) w.push(src[k * D + i]);
    b.push(src[k * D + INPUT_DIM]);
  }
  return {
    name,
    inputDim: INPUT_DIM,
    mean: [...s.mean],
    std: [...s.std],
    hidden: null,
    out: { w, b },
    leadMs,
    face: { lipGap: { rest: 0, scale: 1 }, jaw: { rest: 0, scale: 1 }, width: { rest: 0, scale: 1 } },
    provenance: {},
  };
}

/** Real equations carry 3 outputs; pad to 5 with zero targets that the synthetic-only solve ignores. */
function widen(r: NormalEquations): NormalEquations {
  const w = new NormalEquations(D, O);
  w.xtx.set(r.xtx);
  for (let i = 0; i < D; i++) for (let k = 0; k < SHARED; k++) w.xty[i * O + k] = r.xty[i * SHARED + k];
  w.n = r.n;
  return w;
}
