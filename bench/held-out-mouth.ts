/**
 * Mouth models that never heard the speakers a benchmark case scores. The shipped model is trained
 * on every shared clip, so driving a clip's video with its own (or another shared clip's) audio
 * through it would test the model on its training data. Each model here is the shipped recipe
 * (scripts/lib/recipe-mlp.ts: espeak-ng speech + the tracked clips, same settings and lead rule)
 * with every clip of the excluded speakers left out.
 *
 * To keep the run short the models are the speaker-grouped folds of `bench mouth` (the same deal
 * of speakers): a case whose speakers all fall in one fold uses that fold's model; any other set of
 * speakers gets a model of its own. Models are trained on first use and kept for the run;
 * `release()` lets the training material go (hundreds of MB of small arrays that would otherwise
 * slow every garbage collection in the timed generations that follow).
 */
import { buildCorpus } from '../scripts/lib/synth-corpus.js';
import { loadRealSet, medianFace, type RealClip } from '../scripts/lib/real-set.js';
import { fitStandardiser, synthPart, synthEquations, realPart, solve, type RealPart, type SynthPart, type Standardiser } from '../scripts/lib/recipe.js';
import { mlpWeights, MOUTH_MLP } from '../scripts/lib/recipe-mlp.js';
import { MouthModel } from '../src/engine/audio/model.js';
import { REAL_WEIGHT, SPEAKER_FOLDS, measuredLead, median, speakerFolds } from './mouth.js';

interface Material {
  clips: RealClip[];
  rParts: RealPart[];
  sParts: SynthPart[];
  st: Standardiser;
  leads: number[];
  foldOf: Map<string, number>;
}

export class HeldOutMouthModels {
  private material?: Promise<Material>;
  private readonly models = new Map<string, MouthModel>();

  constructor(
    private readonly dataDir: string,
    private readonly cacheDir: string,
    private readonly log: (m: string) => void = () => {},
  ) {}

  private load(): Promise<Material> {
    return (this.material ??= (async () => {
      const clips = await loadRealSet(this.dataDir, this.cacheDir, this.log);
      const sParts = (await buildCorpus(7, () => {})).map(synthPart);
      const st = fitStandardiser(sParts);
      const rParts = clips.map(realPart);
      const synthOnly = new MouthModel(solve(sParts.map((p) => synthEquations(p, st)), [], st, 0, 'synthetic-only'));
      const leads = rParts.map((p) => measuredLead(synthOnly, p));
      return { clips, rParts, sParts, st, leads, foldOf: speakerFolds(clips, SPEAKER_FOLDS) };
    })());
  }

  /** Drops the training material; models already trained stay available. */
  release(): void {
    this.material = undefined;
  }

  /** A model trained without any clip of the speakers of `clipNames` (shared-clip names such as 'filby89__spectre/M003_level_1_disgusted_015'). */
  async excluding(clipNames: string[]): Promise<{ model: MouthModel; heldOut: string[] }> {
    const m = await this.load();
    const speakers = new Set(m.clips.filter((c) => clipNames.includes(c.name)).map((c) => c.speaker));
    const folds = new Set([...speakers].map((s) => m.foldOf.get(s)));
    // One fold holds them all: its model leaves out the whole fold (more speakers than needed, never fewer).
    const fold = folds.size === 1 ? [...folds][0] : undefined;
    const out = fold !== undefined ? new Set([...m.foldOf].filter(([, f]) => f === fold).map(([s]) => s)) : speakers;
    const key = [...out].sort().join('|');
    let model = this.models.get(key);
    if (!model) {
      const train = m.clips.map((_, i) => i).filter((i) => !out.has(m.clips[i].speaker));
      const lead = median(train.map((i) => m.leads[i]));
      const t0 = Date.now();
      const w = mlpWeights(m.sParts, train.map((i) => m.rParts[i]), m.st, lead, REAL_WEIGHT, MOUTH_MLP, fold !== undefined ? `fold-${fold}` : `without ${out.size} speakers`);
      w.face = medianFace(train.map((i) => m.clips[i]));
      model = new MouthModel(w);
      this.models.set(key, model);
      this.log(`mouth model without ${out.size} speaker(s) (${key}): ${train.length} real clips, lead ${lead} ms, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    return { model, heldOut: [...out].sort() };
  }
}
