/**
 * Runs the face stage over every ground-truth clip once and caches the tracked mouth
 * (.bench-cache/mouth/), so training and `npm run bench mouth` do not redo 10–40 s analyses.
 *   node dist/scripts/cache-mouth.js [dataDir] [cacheDir]
 */
import { resolve } from 'node:path';
import { listMouthClips, trackedMouth } from './lib/shared-clips.js';

const dataDir = resolve(process.argv[2] ?? '../shared/data');
const cacheDir = resolve(process.argv[3] ?? '.bench-cache');
for (const clip of listMouthClips(dataDir)) {
  try {
    await trackedMouth(clip, cacheDir, (m) => console.error(m));
  } catch (e) {
    console.error(`${clip.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
