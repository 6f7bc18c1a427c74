/**
 * Trains the audio stage's mouth model and writes src/engine/audio/weights/mouth-model.ts.
 *
 *   npx tsc -p . && node dist/scripts/train-mouth.js [--data ../shared/data] [--cache .bench-cache]
 *       [--real-weight 8] [--synthetic-only] [--out src/engine/audio/weights/mouth-model.ts]
 *
 * Recipe (scripts/lib/recipe-mlp.ts): a small tanh MLP from stacked acoustic context to
 * articulation (it beat the ridge recipe of scripts/lib/recipe.ts in speaker-held-out tests, see
 * bench/mouth.ts, which reports both). Data: synthetic speech from espeak-ng (21 languages × 3 voices, seeded) with
 * targets from its phoneme timings, plus — unless --synthetic-only or the shared data is absent —
 * every shared clip's own audio with the mouth the face stage tracked (cached in --cache),
 * normalised per speaker. The lead is measured on the clips (median over clips of the shift that
 * best aligns the synthetic-only model with the tracked mouth). Provenance stores the command,
 * data list and metrics: leave-one-language-out r on synthetic speech and the
 * speaker-held-out benchmark summary (bench/mouth.ts).
 *
 * Reproducibility: the corpus starts from a fresh espeak-ng instance (its utterances otherwise
 * depend on what was synthesised before in the process) and every choice is seeded, but the
 * breathy '+f3' voice variant adds noise espeak draws from its own unseeded generator, so
 * retraining gives weights that differ in the last digits and metrics within about ±0.01.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildCorpus } from './lib/synth-corpus.js';
import { loadRealSet, medianFace, type RealClip } from './lib/real-set.js';
import { fitStandardiser, synthPart, synthEquations, realPart, solve, standardise, type SynthPart, type RealPart } from './lib/recipe.js';
import { mlpWeights, MOUTH_MLP } from './lib/recipe-mlp.js';
import { writeWeights } from './lib/write-weights.js';
import type { NormalEquations } from './lib/linalg.js';
import { pearson } from '../src/engine/audio/stats.js';
import { MouthModel } from '../src/engine/audio/model.js';
import { benchMouth, REAL_WEIGHT, SPEAKER_FOLDS, measuredLead } from '../bench/mouth.js';

const log = (m: string): void => console.error(`[train-mouth] ${m}`);

function args(argv: string[]): { data: string; cache: string; realWeight: number; synthOnly: boolean; out: string } {
  const a = { data: '../shared/data', cache: '.bench-cache', realWeight: REAL_WEIGHT, synthOnly: false, out: 'src/engine/audio/weights/mouth-model.ts' };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--data') a.data = v;
    else if (argv[i] === '--cache') a.cache = v;
    else if (argv[i] === '--real-weight') a.realWeight = Number(v);
    else if (argv[i] === '--out') a.out = v;
    else if (argv[i] === '--synthetic-only') {
      a.synthOnly = true;
      continue;
    } else throw new Error(`unknown argument ${argv[i]}`);
    i++;
  }
  return a;
}

/** Leave-one-language-out lip-gap r on synthetic speech (gated as at run time). */
function syntheticLolo(parts: SynthPart[], ne: NormalEquations[], st: ReturnType<typeof fitStandardiser>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const lang of [...new Set(parts.map((p) => p.lang))]) {
    const keep = ne.filter((_, i) => parts[i].lang !== lang);
    const w = solve(keep, [], st, 0, 'lolo');
    const pred: number[] = [];
    const truth: number[] = [];
    for (const p of parts.filter((q) => q.lang === lang)) {
      p.frames.forEach((f, i) => {
        const x = standardise(f.x, st);
        let v = w.out.b[0];
        for (let k = 0; k < w.inputDim; k++) v += w.out.w[k] * x[k];
        pred.push(Math.min(1.5, Math.max(0, v)) * f.voice);
        truth.push(p.ys[i][0]);
      });
    }
    out[lang] = Math.round(pearson(pred, truth) * 1000) / 1000;
  }
  return out;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const t0 = Date.now();
  const corpus = await buildCorpus(7, log);
  const sParts = corpus.map(synthPart);
  const st = fitStandardiser(sParts);
  const sNE = sParts.map((p) => synthEquations(p, st));
  const lolo = syntheticLolo(sParts, sNE, st);
  log(`synthetic leave-one-language-out lip-gap r: ${JSON.stringify(lolo)}`);
  const dataDir = resolve(a.data);
  const useReal = !a.synthOnly && existsSync(resolve(dataDir, 'SOURCES.md'));
  let clips: RealClip[] = [];
  let leadMs = 0;
  let leads: number[] = [];
  let rParts: RealPart[] = [];
  if (useReal) {
    clips = await loadRealSet(dataDir, resolve(a.cache), log);
    rParts = clips.map(realPart);
    const synthOnly = new MouthModel(solve(sNE, [], st, 0, 'synthetic-only'));
    leads = rParts.map((p) => measuredLead(synthOnly, p));
    leadMs = [...leads].sort((x, y) => x - y)[Math.floor(leads.length / 2)];
    log(`lead: median ${leadMs} ms over ${leads.length} clips (${leads.join(' ')})`);
  }
  const weights = mlpWeights(sParts, rParts, st, leadMs, a.realWeight, { ...MOUTH_MLP, log }, useReal ? 'mouth-mlp-synth+real' : 'mouth-mlp-synth');
  if (clips.length) weights.face = medianFace(clips);
  const metrics: Record<string, unknown> = { syntheticLeaveOneLanguageOutLipGapR: lolo };
  if (useReal) {
    const bench = await benchMouth({ dataDir, cacheDir: resolve(a.cache), realWeight: a.realWeight });
    const mean = (f: (r: (typeof bench.rows)[number]) => number): number => {
      const v = bench.rows.map(f).filter(Number.isFinite);
      return Math.round((v.reduce((x, y) => x + y, 0) / v.length) * 1000) / 1000;
    };
    metrics.realSpeakerHeldOut = {
      clips: bench.rows.length,
      evaluation: `${SPEAKER_FOLDS} speaker-grouped folds (MLP); ridge leave-one-speaker-out`,
      meanR0: mean((r) => r.model.r0),
      meanR0Ridge: mean((r) => r.ridge.r0),
      meanR0LoudnessEnvelope: mean((r) => r.loudness.r0),
      meanR0OtherVideo: mean((r) => r.otherVideo.r0),
      bestLagWithinOneFrame: bench.rows.filter((r) => Math.abs(r.model.bestLag) <= 1).length,
      meanLeak: mean((r) => r.model.leak),
    };
    log(`speaker-held-out: ${JSON.stringify(metrics.realSpeakerHeldOut)}`);
  }
  weights.provenance = {
    command: `node dist/scripts/train-mouth.js ${process.argv.slice(2).join(' ')}`.trim(),
    recipe: `one-hidden-layer tanh MLP (${MOUTH_MLP.hidden} units, Adam, ${MOUTH_MLP.epochs} epochs, input dropout ${MOUTH_MLP.dropout}, seed ${MOUTH_MLP.seed}, variance match ${MOUTH_MLP.varianceMatch ?? 0}) on standardised stacked context; scripts/lib/recipe-mlp.ts`,
    synthetic: { generator: '@echogarden/espeak-ng-emscripten 0.3.5, seed 7', languages: [...new Set(corpus.map((s) => s.lang))], streams: corpus.length, seconds: Math.round(corpus.reduce((x, s) => x + s.samples.length / 16000, 0)) },
    real: clips.map((c) => ({ clip: c.name, speaker: c.speaker, visibleFrames: c.frames })),
    realWeight: useReal ? a.realWeight : 0,
    leadMs: { value: leadMs, perClip: leads, how: useReal ? 'median over clips of the best-aligning shift of the synthetic-only model' : 'no real video: 0' },
    metrics,
  };
  writeWeights(a.out, weights);
  log(`wrote ${a.out} (${weights.name}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
