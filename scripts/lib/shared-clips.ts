/**
 * The shared clips whose mouth is ground truth for the audio stage: every ../shared/data video
 * with its own synced speech (plus EDTalk's mouth_source, whose audio is the paired wav), with
 * the face stage's tracked mouth cached under .bench-cache/mouth/ (analysis takes 10–40 s a clip).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSharedVideos } from '../../bench/shared-data.js';
import { mouthSeriesFromTrack, type MouthSeries } from '../../src/engine/audio/adapt.js';

export interface MouthClip {
  name: string;
  video: string;
  /** File the speech comes from (the video itself, or its paired wav). */
  audio: string;
  /** Same person in two clips shares an id (leave-one-speaker-out must hold both out). */
  speaker: string;
  language: string;
}

/** Clips that show the same person (from SOURCES.md descriptions). */
const SAME_PERSON: Record<string, string> = {
  'OpenTalker__SadTalker/WDA_AlexandriaOcasioCortez_000': 'aoc',
  'OpenTalker__video-retalking/3': 'aoc',
  'Hangz-nju-cuhk__Talking-Face_PC-AVS/00002': 'pcavs-woman-long-hair',
  'Hangz-nju-cuhk__Talking-Face_PC-AVS/517600055': 'pcavs-woman-long-hair',
};

export function listMouthClips(dataDir: string): MouthClip[] {
  const out: MouthClip[] = [];
  for (const v of listSharedVideos(dataDir)) {
    const lang = /^English/i.test(v.language) ? 'English' : 'unknown';
    if (v.hasAudio && v.ownSyncedAudio) {
      out.push({ name: v.name, video: v.path, audio: v.path, speaker: SAME_PERSON[v.name] ?? v.name, language: lang });
    }
  }
  const ms = join(dataDir, 'raw/tanshuai0219__EDTalk/mouth_source');
  if (existsSync(ms + '.mp4') && existsSync(ms + '.wav')) {
    out.push({ name: 'tanshuai0219__EDTalk/mouth_source', video: ms + '.mp4', audio: ms + '.wav', speaker: 'edtalk-mouth-source', language: 'English' });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface CachedMouth {
  name: string;
  series: MouthSeries;
  framesWithFace: number;
}

/** Face mesh the truth is tracked with: the face stage's default, or the refined-lips attention mesh. */
export type TruthMesh = 'facemesh' | 'attention';

function cacheFolder(cacheDir: string, mesh: TruthMesh): string {
  return join(cacheDir, mesh === 'facemesh' ? 'mouth' : 'mouth-attention');
}

/** Tracked mouth of a clip, from the cache or by running the face stage (then cached). */
export async function trackedMouth(clip: MouthClip, cacheDir: string, log: (m: string) => void = () => {}, mesh: TruthMesh = 'facemesh'): Promise<CachedMouth> {
  const p = join(cacheFolder(cacheDir, mesh), clip.name.replace(/[^A-Za-z0-9_.-]+/g, '_') + '.json');
  if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as CachedMouth;
  const { analyzeVideo } = await import('../../src/engine/face/analyze.js');
  const t0 = Date.now();
  const doc = await analyzeVideo(clip.video, { mesh });
  const c: CachedMouth = { name: clip.name, series: mouthSeriesFromTrack(doc), framesWithFace: doc.stats.framesWithSelected };
  mkdirSync(cacheFolder(cacheDir, mesh), { recursive: true });
  writeFileSync(p, JSON.stringify(c));
  log(`analysed ${clip.name} (${mesh}): ${doc.frames.length} frames in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return c;
}
