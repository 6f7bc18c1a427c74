/**
 * Which face to sync (SpeakerSelection):
 * - auto: per shot, the track that is largest and most central over its lifetime, weighted by how
 *   long it is on screen (a face seen in 5 frames does not beat one seen the whole shot);
 * - point: the face whose box contains (x, y) on the given frame (nearest centre otherwise; if
 *   that frame has no face, the nearest frame of the same shot that has one);
 * - boxes: per-frame boxes; each listed frame votes for the face overlapping its box most.
 * The document has one selectedTrackId (the selected track with most frames); the per-shot
 * choice is in `selectedByShot`.
 */
import { centreDistance, iou, type LinkFrame } from './tracks.js';
import type { FaceTrackSummary, SpeakerSelection } from './types.js';

export interface Selection {
  selectedTrackId: number | null;
  /** Per shot: the track chosen there, or null. */
  selectedByShot: (number | null)[];
}

/** Lifetime score of each track for auto mode: frames x mean sqrt(area fraction) x mean centrality. */
export function autoScores(frames: LinkFrame[], width: number, height: number): Map<number, number> {
  const acc = new Map<number, { n: number; size: number; central: number }>();
  const half = Math.hypot(width, height) / 2;
  for (const f of frames) {
    for (const face of f.faces) {
      const [x, y, w, h] = face.box;
      const a = acc.get(face.trackId) ?? { n: 0, size: 0, central: 0 };
      a.n++;
      a.size += Math.sqrt((w * h) / (width * height));
      a.central += 1 - Math.min(1, Math.hypot(x + w / 2 - width / 2, y + h / 2 - height / 2) / half);
      acc.set(face.trackId, a);
    }
  }
  const out = new Map<number, number>();
  for (const [id, a] of acc) out.set(id, a.n * (a.size / a.n) * (0.25 + a.central / a.n));
  return out;
}

export function selectSpeaker(frames: LinkFrame[], tracks: FaceTrackSummary[], shotCount: number, sel: SpeakerSelection, width: number, height: number): Selection {
  const byShot: (number | null)[] = Array.from({ length: shotCount }, () => null);
  if (sel.mode === 'auto') {
    const scores = autoScores(frames, width, height);
    for (let s = 0; s < shotCount; s++) {
      let best: number | null = null;
      for (const t of tracks) if (t.shot === s && (best === null || (scores.get(t.id) ?? 0) > (scores.get(best) ?? 0))) best = t.id;
      byShot[s] = best;
    }
  } else if (sel.mode === 'point') {
    const target = frames.find((f) => f.index === sel.frame);
    const shot = target?.shot ?? 0;
    const candidates = frames.filter((f) => f.shot === shot && f.faces.length).sort((a, b) => Math.abs(a.index - sel.frame) - Math.abs(b.index - sel.frame));
    const f = candidates[0];
    if (f) {
      const pointBox = [sel.x, sel.y, 0, 0] as [number, number, number, number];
      const inside = f.faces.filter((x) => sel.x >= x.box[0] && sel.x <= x.box[0] + x.box[2] && sel.y >= x.box[1] && sel.y <= x.box[1] + x.box[3]);
      const pool = inside.length ? inside : f.faces;
      const best = pool.reduce((a, b) => (centreDistance(a.box, pointBox) <= centreDistance(b.box, pointBox) ? a : b));
      byShot[shot] = best.trackId;
    }
  } else {
    const votes = new Map<number, number>();
    for (const f of frames) {
      const box = sel.boxes[f.index];
      if (!box || !f.faces.length) continue;
      let best = f.faces[0];
      for (const x of f.faces) if (iou(x.box, box) > iou(best.box, box)) best = x;
      if (iou(best.box, box) > 0.1) votes.set(best.trackId, (votes.get(best.trackId) ?? 0) + 1);
    }
    const shotOf = new Map(tracks.map((t) => [t.id, t.shot]));
    for (const [id, v] of votes) {
      const s = shotOf.get(id) ?? 0;
      const cur = byShot[s];
      if (cur === null || v > (votes.get(cur) ?? 0)) byShot[s] = id;
    }
  }
  let selected: number | null = null;
  const lengths = new Map(tracks.map((t) => [t.id, t.frames]));
  for (const id of byShot) if (id !== null && (selected === null || (lengths.get(id) ?? 0) > (lengths.get(selected) ?? 0))) selected = id;
  return { selectedTrackId: selected, selectedByShot: byShot };
}
