/**
 * Real ground truth for training and evaluation: a shared clip's own audio with the mouth the
 * face stage tracked, turned into per-speaker normalised targets on the 100 Hz audio grid.
 * Normalising per speaker (0 = their rest, 1 = their 95th-percentile opening) removes face size,
 * camera distance and personal range, which speaker adaptation handles separately.
 */
import { decodeAudio } from '../../src/engine/media/decode-audio.js';
import { FEATURE_RATE, SAMPLE_RATE } from '../../src/engine/audio/features.js';
import { percentile } from '../../src/engine/audio/stats.js';
import type { MouthSeries } from '../../src/engine/audio/adapt.js';
import { listMouthClips, trackedMouth, type MouthClip, type TruthMesh } from './shared-clips.js';

export interface FaceRange {
  rest: number;
  scale: number;
}

export interface RealClip {
  name: string;
  speaker: string;
  language: string;
  samples16k: Float32Array;
  series: MouthSeries;
  /** Video frames with a visible mouth. */
  frames: number;
  face: { lipGap: FaceRange; jaw: FaceRange; width: FaceRange };
  /** Normalised [lipGap, jaw, width] at audio frame `index` for a given lead, or null if unseen. */
  target100(index: number, leadMs: number): Float32Array | null;
  /**
   * Set when target100 is a training variant of the tracked truth (withTrainingTruth): the truth
   * itself, as target100 gives it otherwise. The variance match aims at its spread, not the variant's.
   */
  truth100?(index: number, leadMs: number): Float32Array | null;
}

/** A mouth measure's rest and range over the visible frames of one clip. */
export function faceRange(v: number[], kind: 'open' | 'width'): FaceRange {
  const ok = v.filter(Number.isFinite);
  if (kind === 'width') {
    const rest = percentile(ok, 50);
    return { rest, scale: Math.max(1e-3, (percentile(ok, 95) - percentile(ok, 5)) / 2) };
  }
  const rest = percentile(ok, 5);
  return { rest, scale: Math.max(1e-3, percentile(ok, 95) - rest) };
}

export async function loadRealClip(clip: MouthClip, cacheDir: string, log?: (m: string) => void, mesh: TruthMesh = 'facemesh'): Promise<RealClip | null> {
  const m = await trackedMouth(clip, cacheDir, log, mesh);
  const s = m.series;
  const visible = s.lipGap.filter((v, i) => Number.isFinite(v) && s.visibility[i] >= 0.5).length;
  if (visible < 20) return null;
  const pcm = await decodeAudio(clip.audio, { sampleRate: SAMPLE_RATE });
  const vis = (a: number[]): number[] => a.map((v, i) => (s.visibility[i] >= 0.5 ? v : NaN));
  const face = { lipGap: faceRange(vis(s.lipGap), 'open'), jaw: faceRange(vis(s.jaw), 'open'), width: faceRange(vis(s.width), 'width') };
  return {
    name: clip.name,
    speaker: clip.speaker,
    language: clip.language,
    samples16k: pcm.samples,
    series: s,
    frames: visible,
    face,
    target100: (index, leadMs) => sampleTarget(s, face, index, leadMs),
  };
}

/** A series' [lipGap, jaw, width] at audio frame `index`, normalised by `face`, or null where unseen. */
function sampleTarget(s: MouthSeries, face: RealClip['face'], index: number, leadMs: number): Float32Array | null {
  const chans = [s.lipGap, s.jaw, s.width];
  const ranges = [face.lipGap, face.jaw, face.width];
  // The mouth at time T shows the audio at T + lead, so audio frame τ belongs to mouth time τ − lead.
  const t = index / FEATURE_RATE - leadMs / 1000;
  const pos = t * s.fps;
  const i0 = Math.floor(pos);
  if (i0 < 0 || i0 + 1 >= s.lipGap.length) return null;
  if (s.visibility[i0] < 0.5 || s.visibility[i0 + 1] < 0.5) return null;
  const f = pos - i0;
  const out = new Float32Array(3);
  for (let c = 0; c < 3; c++) {
    const a = chans[c][i0];
    const b = chans[c][i0 + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
    out[c] = ((1 - f) * a + f * b - ranges[c].rest) / ranges[c].scale;
  }
  return out;
}

/**
 * The clip with another series to train on (`train`: the same video frames, e.g. the truth
 * smoothed or mixed with another tracker's), normalised by the clip's own face ranges so it stays
 * in the truth's units. It teaches on exactly the rows the truth does (where `train` has no value,
 * the truth's stands), so the rows and their weights do not change with it; the series the clip
 * is scored against stays the truth.
 */
export function withTrainingTruth(clip: RealClip, train: MouthSeries): RealClip {
  return {
    ...clip,
    truth100: clip.target100,
    target100(index, leadMs) {
      const y = clip.target100(index, leadMs);
      return y && (sampleTarget(train, clip.face, index, leadMs) ?? y);
    },
  };
}

export async function loadRealSet(dataDir: string, cacheDir: string, log?: (m: string) => void, mesh: TruthMesh = 'facemesh'): Promise<RealClip[]> {
  const out: RealClip[] = [];
  for (const c of listMouthClips(dataDir)) {
    const r = await loadRealClip(c, cacheDir, log, mesh);
    if (r) out.push(r);
    else log?.(`${c.name}: too few visible mouth frames, skipped`);
  }
  return out;
}

/** The median speaker's rest and range: the face mapping a model uses for a person it has not adapted to. */
export function medianFace(clips: RealClip[]): RealClip['face'] {
  const med = (v: number[]): number => Math.round(v.sort((x, y) => x - y)[Math.floor(v.length / 2)] * 1e4) / 1e4;
  const ch = (k: 'lipGap' | 'jaw' | 'width'): FaceRange => ({ rest: med(clips.map((c) => c.face[k].rest)), scale: med(clips.map((c) => c.face[k].scale)) });
  return { lipGap: ch('lipGap'), jaw: ch('jaw'), width: ch('width') };
}
