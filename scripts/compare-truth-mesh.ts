/**
 * Which face mesh should track the real mouths that train and score the mouth model? The face
 * stage's default 468-point mesh, or the refined-lips attention mesh (478 points, trained for lip
 * contours)? A finer tracker would be a cleaner truth, and a cleaner truth would both teach the
 * model better and let it score higher, so this asks two questions on every ground-truth clip:
 *
 *  1. How much do the two trackers agree (Pearson r of their lip openings on frames both see, and
 *     the ratio of their spreads)?
 *  2. Which one does the sound predict better? `bench mouth` is run once with each truth (models
 *     trained and scored on it, speaker-grouped), with its references: the loudness envelope and
 *     the synthetic-only model, which learned nothing from either tracker. If the attention mesh
 *     were the truer measurement of the lips, every predictor, learned or not, would follow it
 *     better than the default mesh.
 *
 *   npx tsc -p . && node dist/scripts/compare-truth-mesh.js [--data ../shared/data] [--cache .bench-cache]
 *
 * The attention tracks are cached in .bench-cache/mouth-attention/ (a minute for all clips here).
 *
 * Session 14 result (30 clips, the shipped recipe: input dropout 0.7, variance matched):
 *
 *   agreement (29 clips; one has no frame both trackers see): r 0.60–0.98 per clip (median 0.90);
 *   the attention mesh's lip opening has 0.94–2.7× the default's spread, most on the small
 *   224×224 and LipNet faces, where the default mesh hardly parts the lips.
 *
 *   mean r0 with truth tracked by      facemesh   attention
 *     mouth model (speaker-grouped)      0.438      0.407
 *     ridge (leave-one-speaker-out)      0.336      0.280
 *     synthetic-only (no real truth)     0.207      0.154
 *     loudness envelope                  0.126      0.109
 *     another clip's video               0.064      0.067
 *
 * Every predictor follows the default mesh's lips better, including the two that never saw either
 * tracker. The attention mesh opens wider, but what it adds does not follow the sound, so the truth
 * stays with the face stage's default mesh (which is also what generation tracks with).
 */
import { resolve } from 'node:path';
import { benchMouth, type MouthBenchRow } from '../bench/mouth.js';
import { listMouthClips, trackedMouth } from './lib/shared-clips.js';
import { PairMoments } from '../src/engine/audio/stats.js';
import { arg } from './lib/args.js';

const log = (m: string): void => console.error(`[truth-mesh] ${m}`);

const dataDir = resolve(arg('data', '../shared/data'));
const cacheDir = resolve(arg('cache', '.bench-cache'));

/** Agreement of the two trackers on one clip: r and spread ratio on frames both see. */
async function agreement(): Promise<void> {
  console.log('| clip | frames both see | r (facemesh, attention) | spread attention ÷ facemesh |');
  console.log('|---|---:|---:|---:|');
  for (const clip of listMouthClips(dataDir)) {
    const a = (await trackedMouth(clip, cacheDir, log, 'facemesh')).series;
    const b = (await trackedMouth(clip, cacheDir, log, 'attention')).series;
    // one pass over the frames both trackers see gives r and the spread ratio alike
    const m = new PairMoments();
    a.lipGap.forEach((v, i) => {
      if (a.visibility[i] >= 0.5 && (b.visibility[i] ?? 0) >= 0.5 && Number.isFinite(v) && Number.isFinite(b.lipGap[i])) m.add(b.lipGap[i], v);
    });
    if (m.n < 10) {
      console.log(`| ${clip.name} | ${m.n} | n/a | n/a |`);
      continue;
    }
    console.log(`| ${clip.name} | ${m.n} | ${m.r.toFixed(2)} | ${Math.sqrt(m.ssA / m.ssB).toFixed(2)} |`);
  }
}

function mean(rows: MouthBenchRow[], pick: (r: MouthBenchRow) => number): number {
  const v = rows.map(pick).filter(Number.isFinite);
  return v.reduce((s, x) => s + x, 0) / v.length;
}

await agreement();
const summary: string[] = ['', '| truth tracked by | clips | mouth model r0 | ridge r0 | synthetic-only r0 | loudness r0 | other video r0 |', '|---|---:|---:|---:|---:|---:|---:|'];
for (const mesh of ['facemesh', 'attention'] as const) {
  log(`bench mouth with ${mesh} truth`);
  const { rows } = await benchMouth({ dataDir, cacheDir, mesh });
  const f = (p: (r: MouthBenchRow) => number): string => mean(rows, p).toFixed(3);
  summary.push(`| ${mesh} | ${rows.length} | ${f((r) => r.model.r0)} | ${f((r) => r.ridge.r0)} | ${f((r) => r.synthOnly.r0)} | ${f((r) => r.loudness.r0)} | ${f((r) => r.otherVideo.r0)} |`);
}
console.log(summary.join('\n'));
