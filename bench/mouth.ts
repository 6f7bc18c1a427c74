/**
 * `npm run bench mouth`: predicted lip opening against the opening tracked in real video, for
 * every shared clip with its own speech. Per clip and overall: Pearson r at lag 0, the lag of best
 * correlation (frames; positive = prediction late), and the leak (mean opening in silences,
 * clip-scaled 0..1). Two references computed in the same run: the loudness envelope, and the
 * unchanged video driven by another clip's audio (that clip's real mouth against this clip's).
 *
 * No speaker scores a model that saw them. The shipped recipe (a small MLP, scripts/lib/recipe-mlp.ts)
 * is trained once per speaker-grouped fold (SPEAKER_FOLDS folds: speakers dealt round-robin, so a
 * fold's model never saw any clip of its speakers); the ridge recipe (scripts/lib/recipe.ts) is
 * re-solved leave-one-speaker-out. Each fold's lead is the median of its training speakers' leads.
 */
import { buildCorpus } from '../scripts/lib/synth-corpus.js';
import { loadRealSet, type RealClip } from '../scripts/lib/real-set.js';
import type { TruthMesh } from '../scripts/lib/shared-clips.js';
import { fitStandardiser, synthPart, synthEquations, realPart, realEquations, solve, type RealPart } from '../scripts/lib/recipe.js';
import { score, loudnessEnvelope, silentFrames, leak, type Scores } from '../scripts/lib/evaluate.js';
import { MouthModel, type MouthModelWeights } from '../src/engine/audio/model.js';
import { Articulator, type Articulation } from '../src/engine/audio/articulate.js';
import { predictOnGrid } from '../src/engine/audio/adapt.js';
import type { NormalEquations } from '../scripts/lib/linalg.js';
import { mlpWeights, MOUTH_MLP } from '../scripts/lib/recipe-mlp.js';

/** Speaker-grouped folds for the MLP (each trains for about a minute). */
export const SPEAKER_FOLDS = 6;

export interface MouthBenchRow {
  clip: string;
  speaker: string;
  language: string;
  fps: number;
  frames: number;
  leadMs: number;
  /** The shipped recipe (MLP), speaker-grouped folds. */
  model: Scores;
  /** The ridge recipe, leave-one-speaker-out. */
  ridge: Scores;
  synthOnly: Scores;
  loudness: Scores;
  otherVideo: Scores & { other: string };
  truthLeak: number;
}

export const REAL_WEIGHT = 8;
const LEAD_GRID = Array.from({ length: 41 }, (_, i) => -200 + i * 10);

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

function visibleMask(c: RealClip): boolean[] {
  return c.series.lipGap.map((v, i) => Number.isFinite(v) && c.series.visibility[i] >= 0.5);
}

/** A model's 100 Hz articulation of a clip's audio (independent of the lead). */
export function articulate(model: MouthModel, part: RealPart, gate?: (voice: number) => number): Articulation[] {
  const art = new Articulator(model, gate);
  return part.frames.map((f) => art.step(f));
}

/** Lip gap on the clip's video grid from 100 Hz articulation, at a lead. */
export function lipOnGrid(a: Articulation[], part: RealPart, leadMs: number): number[] {
  return predictOnGrid(a, part.clip.series.fps, part.clip.series.lipGap.length, leadMs).map((f) => f.lipGap);
}

/** A model's predicted lip gap for a clip, on its video grid. */
export function predictLip(model: MouthModel, part: RealPart, leadMs: number, gate?: (voice: number) => number): number[] {
  return lipOnGrid(articulate(model, part, gate), part, leadMs);
}

/** Speakers dealt round-robin into `folds` groups: speaker → fold. */
export function speakerFolds(clips: RealClip[], folds: number): Map<string, number> {
  return new Map([...new Set(clips.map((c) => c.speaker))].map((s, i) => [s, i % folds]));
}

/** The lead (ms) at which a model's lip gap best matches a clip's tracked one. */
export function measuredLead(model: MouthModel, part: RealPart): number {
  const ok = visibleMask(part.clip);
  const a = articulate(model, part);
  let best = { lead: 0, r: -Infinity };
  for (const lead of LEAD_GRID) {
    const r = score(lipOnGrid(a, part, lead), part.clip.series.lipGap, ok, []).r0;
    if (r > best.r) best = { lead, r };
  }
  return best.lead;
}

export async function benchMouth(opts: { dataDir: string; cacheDir: string; quick?: boolean; realWeight?: number; mesh?: TruthMesh }): Promise<{ table: string; rows: MouthBenchRow[] }> {
  const realWeight = opts.realWeight ?? REAL_WEIGHT;
  const log = (m: string): void => console.error(`[bench mouth] ${m}`);
  const clips = await loadRealSet(opts.dataDir, opts.cacheDir, log, opts.mesh);
  log(`${clips.length} clips with own speech and a tracked mouth`);
  const corpus = await buildCorpus(7, () => {});
  const sParts = corpus.map(synthPart);
  const st = fitStandardiser(sParts);
  const sNE = sParts.map((p) => synthEquations(p, st));
  const rParts = clips.map(realPart);
  const synthOnly = new MouthModel(solve(sNE, [], st, 0, 'synthetic-only'));
  const leads = rParts.map((p) => measuredLead(synthOnly, p));
  log(`measured leads (ms): ${leads.join(' ')}`);

  const neCache = new Map<string, NormalEquations>();
  const realNE = (i: number, lead: number): NormalEquations => {
    const key = `${i}@${lead}`;
    if (!neCache.has(key)) neCache.set(key, realEquations(rParts[i], st, lead, realWeight));
    return neCache.get(key)!;
  };
  const rows: MouthBenchRow[] = [];
  const speakers = [...new Set(clips.map((c) => c.speaker))];
  // The MLP: speakers dealt round-robin into folds; each fold's model never saw its speakers.
  const foldOf = speakerFolds(clips, SPEAKER_FOLDS);
  const mlpPred = new Map<number, number[]>();
  const mlpLead = new Map<number, number>();
  for (let f = 0; f < SPEAKER_FOLDS; f++) {
    const train = clips.map((c, i) => i).filter((i) => foldOf.get(clips[i].speaker) !== f);
    const test = clips.map((c, i) => i).filter((i) => foldOf.get(clips[i].speaker) === f);
    if (!test.length) continue;
    const lead = median(train.map((i) => leads[i]));
    const t0 = Date.now();
    const m = new MouthModel(mlpWeights(sParts, train.map((i) => rParts[i]), st, lead, realWeight, MOUTH_MLP, `fold-${f}`));
    for (const i of test) {
      mlpPred.set(i, predictLip(m, rParts[i], lead));
      mlpLead.set(i, lead);
    }
    log(`mlp fold ${f + 1}/${SPEAKER_FOLDS}: ${test.length} clips, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  for (const spk of speakers) {
    const others = clips.map((c, i) => i).filter((i) => clips[i].speaker !== spk);
    const lead = median(others.map((i) => leads[i]));
    const weights: MouthModelWeights = solve(sNE, others.map((i) => realNE(i, lead)), st, lead, `loso-${spk}`);
    const model = new MouthModel(weights);
    for (const i of clips.map((c, k) => k).filter((k) => clips[k].speaker === spk)) {
      const c = clips[i];
      const n = c.series.lipGap.length;
      const ok = visibleMask(c);
      const silent = silentFrames(c.samples16k, c.series.fps, n);
      const truth = c.series.lipGap;
      // Another speaker's clip: its real mouth is what an unchanged video would show.
      const j = clips.findIndex((o, k) => k > i && o.speaker !== c.speaker) >= 0 ? clips.findIndex((o, k) => k > i && o.speaker !== c.speaker) : clips.findIndex((o) => o.speaker !== c.speaker);
      const other = clips[j];
      const otherSeries = Array.from({ length: n }, (_, k) => (k < other.series.lipGap.length && other.series.visibility[k] >= 0.5 ? other.series.lipGap[k] : NaN));
      rows.push({
        clip: c.name,
        speaker: c.speaker,
        language: c.language,
        fps: c.series.fps,
        frames: ok.filter(Boolean).length,
        leadMs: mlpLead.get(i)!,
        model: score(mlpPred.get(i)!, truth, ok, silent),
        ridge: score(predictLip(model, rParts[i], lead), truth, ok, silent),
        synthOnly: score(predictLip(synthOnly, rParts[i], lead), truth, ok, silent),
        loudness: score(loudnessEnvelope(c.samples16k, c.series.fps, n), truth, ok, silent),
        otherVideo: { ...score(otherSeries, truth, ok, silent), other: other.name },
        truthLeak: leak(truth.map((v, k) => (ok[k] ? v : NaN)), silent),
      });
      log(`${c.name}: model r=${rows[rows.length - 1].model.r0.toFixed(2)} loud r=${rows[rows.length - 1].loudness.r0.toFixed(2)}`);
    }
  }
  return { table: renderTable(rows, leads), rows };
}

const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const lagS = (v: number): string => (v > 0 ? `+${v}` : String(v));

function summary(rows: MouthBenchRow[], label: string): string {
  const mean = (f: (r: MouthBenchRow) => number): number => {
    const v = rows.map(f).filter(Number.isFinite);
    return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  };
  const within = (f: (r: MouthBenchRow) => number): string => `${rows.filter((r) => Math.abs(f(r)) <= 1).length}/${rows.length}`;
  return `| **${label}** (${rows.length}) | | **${f2(mean((r) => r.model.r0))}** | ${within((r) => r.model.bestLag)} | ${f2(mean((r) => r.model.leak))} | ${f2(mean((r) => r.ridge.r0))} | ${f2(mean((r) => r.synthOnly.r0))} | ${f2(mean((r) => r.loudness.r0))} | ${within((r) => r.loudness.bestLag)} | ${f2(mean((r) => r.loudness.leak))} | ${f2(mean((r) => r.otherVideo.r0))} | ${f2(mean((r) => r.otherVideo.leak))} | ${f2(mean((r) => r.truthLeak))} |`;
}

function renderTable(rows: MouthBenchRow[], leads: number[]): string {
  const head = [
    `Lip opening predicted from audio vs. tracked in the real video (face stage). **model** = the shipped MLP recipe, evaluated in ${SPEAKER_FOLDS} speaker-grouped folds (a clip is scored by a model trained without any clip of its speaker); **ridge** = the earlier linear recipe, leave-one-speaker-out. r0 = Pearson r at lag 0; lag = lag of best correlation in frames (+ = prediction late; range ±10); leak = mean opening during silences, each series scaled so its 5th–95th percentile is 0–1. References: **loudness** = RMS envelope of the audio; **other video** = the unchanged video of another clip (its real mouth) under this clip\'s audio. *truth leak* = the real mouth\'s own opening in those silences. *synth-only* = the same features and ridge fit on synthetic espeak-ng speech alone.`,
    '',
    `Lead (mouth ahead of sound) measured per clip with the synthetic-only model, ms: median ${median(leads)}, per clip ${leads.join(', ')}; each fold uses the median of the other speakers.`,
    '',
    '| clip | lang | model r0 | lag | leak | ridge r0 | synth-only r0 | loudness r0 | lag | leak | other video r0 | leak | truth leak |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const body = rows.map(
    (r) =>
      `| ${r.clip} | ${r.language} | ${f2(r.model.r0)} | ${lagS(r.model.bestLag)} | ${f2(r.model.leak)} | ${f2(r.ridge.r0)} | ${f2(r.synthOnly.r0)} | ${f2(r.loudness.r0)} | ${lagS(r.loudness.bestLag)} | ${f2(r.loudness.leak)} | ${f2(r.otherVideo.r0)} | ${f2(r.otherVideo.leak)} | ${f2(r.truthLeak)} |`,
  );
  const langs = [...new Set(rows.map((r) => r.language))];
  const sums = [summary(rows, 'all clips'), ...langs.map((l) => summary(rows.filter((r) => r.language === l), l))];
  return [...head, ...body, ...sums].join('\n');
}
