/**
 * Model-selection experiment for the mouth model: the ridge recipe against a small tanh MLP,
 * both evaluated speaker-grouped (no speaker scores a model that saw them) on the shared clips,
 * with the bench's own scoring (Articulator + retiming + lag-0 Pearson on visible frames).
 *
 *   npx tsc -p . && node dist/scripts/experiment-mouth.js [--folds 6] [--hidden 32] [--epochs 12]
 *       [--real-weight 8] [--dropout 0.1] [--variants ridge,mlp]
 */
import { resolve } from 'node:path';
import { buildCorpus } from './lib/synth-corpus.js';
import { loadRealSet } from './lib/real-set.js';
import { fitStandardiser, synthPart, synthEquations, realPart, realEquations, solve, type RealPart } from './lib/recipe.js';
import { DEFAULT_MLP, type MlpOptions } from './lib/mlp.js';
import { mlpWeights } from './lib/recipe-mlp.js';
import { score } from './lib/evaluate.js';
import { MouthModel, type MouthModelWeights } from '../src/engine/audio/model.js';
import { Articulator } from '../src/engine/audio/articulate.js';
import { predictOnGrid } from '../src/engine/audio/adapt.js';
import { measuredLead } from '../bench/mouth.js';

const log = (m: string): void => console.error(`[experiment] ${m}`);

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function predictLip(model: MouthModel, part: RealPart, leadMs: number): number[] {
  const art = new Articulator(model);
  const a = part.frames.map((f) => art.step(f));
  return predictOnGrid(a, part.clip.series.fps, part.clip.series.lipGap.length, leadMs).map((f) => f.lipGap);
}

async function main(): Promise<void> {
  const folds = Number(arg('folds', '6'));
  const realWeight = Number(arg('real-weight', '8'));
  const variants = arg('variants', 'ridge,mlp').split(',');
  const opts: MlpOptions = { ...DEFAULT_MLP, hidden: Number(arg('hidden', String(DEFAULT_MLP.hidden))), epochs: Number(arg('epochs', String(DEFAULT_MLP.epochs))), dropout: Number(arg('dropout', String(DEFAULT_MLP.dropout))), lr: Number(arg('lr', String(DEFAULT_MLP.lr))) };
  const clips = await loadRealSet(resolve('../shared/data'), resolve('.bench-cache'), log);
  const corpus = await buildCorpus(7, () => {});
  const sParts = corpus.map(synthPart);
  const st = fitStandardiser(sParts);
  const sNE = sParts.map((p) => synthEquations(p, st));
  const rParts = clips.map(realPart);
  const synthOnly = new MouthModel(solve(sNE, [], st, 0, 'synthetic-only'));
  const leads = rParts.map((p) => measuredLead(synthOnly, p));
  const speakers = [...new Set(clips.map((c) => c.speaker))];
  // speaker-grouped folds, assigned round-robin in sorted order
  const foldOf = new Map(speakers.map((s, i) => [s, i % folds]));
  const results: Record<string, number[]> = {};
  for (const v of variants) results[v] = new Array(clips.length).fill(NaN);
  for (let f = 0; f < folds; f++) {
    const test = clips.map((c, i) => i).filter((i) => foldOf.get(clips[i].speaker) === f);
    const train = clips.map((c, i) => i).filter((i) => foldOf.get(clips[i].speaker) !== f);
    const lead = median(train.map((i) => leads[i]));
    for (const v of variants) {
      const t0 = Date.now();
      let weights: MouthModelWeights;
      if (v === 'ridge') weights = solve(sNE, train.map((i) => realEquations(rParts[i], st, lead, realWeight)), st, lead, 'ridge');
      else if (v === 'ridge-real') weights = solve([], train.map((i) => realEquations(rParts[i], st, lead, realWeight)), st, lead, 'ridge-real');
      else if (v === 'mlp') weights = mlpWeights(sParts, train.map((i) => rParts[i]), st, lead, realWeight, opts, 'mlp');
      else if (v === 'mlp-real') weights = mlpWeights([], train.map((i) => rParts[i]), st, lead, realWeight, opts, 'mlp-real');
      else throw new Error(`unknown variant ${v}`);
      const model = new MouthModel(weights);
      for (const i of test) {
        const c = clips[i];
        const ok = c.series.lipGap.map((x, k) => Number.isFinite(x) && c.series.visibility[k] >= 0.5);
        results[v][i] = score(predictLip(model, rParts[i], lead), c.series.lipGap, ok, []).r0;
      }
      log(`fold ${f} ${v}: ${test.map((i) => results[v][i].toFixed(2)).join(' ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  for (const v of variants) {
    const r = results[v].filter(Number.isFinite);
    log(`${v}: mean r0 ${(r.reduce((a, b) => a + b, 0) / r.length).toFixed(3)} over ${r.length} clips`);
  }
  console.log(JSON.stringify({ clips: clips.map((c) => c.name), results }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
