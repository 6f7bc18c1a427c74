/**
 * The quality report written with every output (JSON): what happened to each frame, the predicted
 * mouth track, and a sync confidence computed from what was actually rendered.
 */
import type { TrackDocument } from '../face/types.js';
import type { MouthTrack, SpeakerProfile } from '../audio/types.js';
import type { PackedMouthTrack } from '../audio/packed-track.js';
import type { SynthesisPlan, TargetList } from '../synthesis/types.js';
import type { RenderLog } from './render-log.js';
import type { Timeline } from './timeline.js';
import type { ModelName, ModelSettings } from './models.js';
import { pearson } from '../audio/stats.js';

export interface GenerateReport {
  format: 'resync.report';
  version: 1;
  model: ModelName;
  modelSettings: ModelSettings;
  syncMode: string;
  output: { path: string; width: number; height: number; fps: number; frames: number; duration: number };
  frames: { total: number; edited: number; passedThrough: number; occluded: number; noFace: number; closedMouthOpened: number };
  /**
   * 0..1: how closely the rendered mouths follow the targets — the correlation of target and
   * rendered lip opening over edited frames, times the share of speech frames that were edited.
   */
  syncConfidence: number;
  speaker: { adapted: boolean; fitR?: number; leadMs?: number | null };
  shots: number;
  timings: Record<string, number>;
  /**
   * What the generation set aside instead of holding it all: the source-mouth crops waiting for
   * the render (in memory up to a budget, the rest in a temporary file) and the face stage's
   * temporary file of meshes and mouth-appearance patches (meshFileMB). MB; the temporary files are gone once the output is written.
   */
  storage: { cropPeakMB: number; cropsSpilled: number; cropSpillMB: number; meshFileMB: number };
  perFrame: Array<{ frame: number; source: number; action: 'edit' | 'pass'; from?: number; reason?: string; target?: number; rendered?: number; region?: [number, number, number, number] }>;
  mouth: MouthTrack;
}

export function buildReport(a: {
  model: ModelName;
  settings: ModelSettings;
  timeline: Timeline;
  doc: TrackDocument;
  vdoc: TrackDocument;
  plan: SynthesisPlan;
  rows: RenderLog;
  mouth: PackedMouthTrack;
  targets: TargetList;
  profile?: SpeakerProfile;
  timings: Record<string, number>;
  storage: GenerateReport['storage'];
  output: string;
  inputSize: { width: number; height: number };
}): GenerateReport {
  const n = a.timeline.sourceFrames.length;
  const lipOf = (frame: number): number | undefined => {
    const fa = a.vdoc.frames[frame];
    const sel = a.vdoc.selectedByShot?.[fa?.shot ?? -1] ?? a.vdoc.selectedTrackId;
    return fa?.faces.find((f) => f.trackId === sel)?.mouth.lipGap;
  };
  const perFrame: GenerateReport['perFrame'] = [];
  const tx: number[] = [];
  const rx: number[] = [];
  let edited = 0, occluded = 0, noFace = 0, opened = 0, speechFrames = 0, speechEdited = 0;
  for (let i = 0; i < n; i++) {
    const r = a.rows.at(i);
    const t = a.targets.at(i);
    const voiced = (a.mouth.frame(i)?.voice ?? 0) >= 0.5;
    if (voiced) speechFrames++;
    const entry = a.plan.entries[i];
    const row: GenerateReport['perFrame'][number] = { frame: i, source: a.timeline.sourceFrames[i], action: r?.action ?? 'pass' };
    if (r?.action === 'edit') {
      edited++;
      if (voiced) speechEdited++;
      const openBy = entry && entry.action === 'edit' ? entry.openBy : 0;
      if (openBy > 0) opened++;
      const rendered = (lipOf(r.source ?? i) ?? 0) + openBy;
      row.from = r.source;
      if (r.changedRegion) row.region = r.changedRegion;
      if (t) {
        row.target = round(t.lipGap);
        row.rendered = round(rendered);
        tx.push(t.lipGap);
        rx.push(rendered);
      }
    } else {
      row.reason = r?.reason ?? 'no-target';
      if (r?.reason === 'occluded' || r?.reason === 'profile' || r?.reason === 'low-visibility') occluded++;
      if (r?.reason === 'no-face') noFace++;
    }
    perFrame.push(row);
  }
  const follow = Math.max(0, pearson(tx, rx) || 0);
  const coverage = speechFrames ? speechEdited / speechFrames : edited / Math.max(1, n);
  return {
    format: 'resync.report',
    version: 1,
    model: a.model,
    modelSettings: a.settings,
    syncMode: a.timeline.mode,
    output: { path: a.output, width: a.inputSize.width, height: a.inputSize.height, fps: a.timeline.fps, frames: n, duration: round(n / a.timeline.fps) },
    frames: { total: n, edited, passedThrough: n - edited, occluded, noFace, closedMouthOpened: opened },
    syncConfidence: round(follow * coverage),
    speaker: a.profile ? { adapted: true, fitR: round(a.profile.fitR), leadMs: a.profile.leadMs } : { adapted: false },
    shots: a.doc.shots.length,
    timings: a.timings,
    storage: a.storage,
    perFrame,
    mouth: a.mouth.unpack(),
  };
}


const round = (x: number): number => Math.round(x * 1000) / 1000;
