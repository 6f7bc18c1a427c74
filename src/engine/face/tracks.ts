/**
 * Track linking within shots and track summaries. The analyzer already follows each face from
 * frame to frame through its mesh; this pass cleans up what online tracking leaves behind:
 * - tracks never cross a shot boundary (split there);
 * - two observations of the same face in one frame (e.g. a detection racing a tracked frame on
 *   the other worker) are reduced to the better one;
 * - fragments of one face within a shot (lost for a few frames, then re-detected) are joined when
 *   the later one starts near where the earlier one ended (centre distance and size ratio).
 */
import type { Box, FaceTrackSummary, Shot } from './types.js';

export interface LinkFace {
  trackId: number;
  box: Box;
  score: number;
}

export interface LinkFrame<F extends LinkFace = LinkFace> {
  index: number;
  shot: number;
  faces: F[];
}

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a[0], b[0]), y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]), y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

export function centreDistance(a: Box, b: Box): number {
  return Math.hypot(a[0] + a[2] / 2 - (b[0] + b[2] / 2), a[1] + a[3] / 2 - (b[1] + b[3] / 2));
}

/** Which shot each frame belongs to. */
export function shotOfFrame(shots: Shot[], frame: number): number {
  for (let i = 0; i < shots.length; i++) if (frame >= shots[i].start && frame < shots[i].end) return i;
  return Math.max(0, shots.length - 1);
}

export interface LinkOptions {
  /** Largest gap (frames) bridged between fragments. */
  maxGap?: number;
  /** Centre distance allowed at the join, as a fraction of the box size. */
  maxJump?: number;
}

/**
 * Rewrites trackIds in place (and drops duplicate faces) so ids are dense (0..n-1), in order of
 * first appearance, one shot per track.
 */
export function linkTracks<F extends LinkFace>(frames: LinkFrame<F>[], opts: LinkOptions = {}): void {
  const maxGap = opts.maxGap ?? 15;
  const maxJump = opts.maxJump ?? 0.5;
  // 1. duplicates in a frame
  for (const f of frames) {
    if (f.faces.length < 2) continue;
    const sorted = [...f.faces].sort((a, b) => b.score - a.score);
    const keep: F[] = [];
    for (const face of sorted) if (!keep.some((k) => iou(k.box, face.box) > 0.5)) keep.push(face);
    f.faces.splice(0, f.faces.length, ...f.faces.filter((x) => keep.includes(x)));
  }
  // 2. split at shot boundaries: key = (old id, shot)
  const segKey = new Map<string, number>();
  let next = 0;
  for (const f of frames) {
    for (const face of f.faces) {
      const k = `${face.trackId}/${f.shot}`;
      if (!segKey.has(k)) segKey.set(k, next++);
      face.trackId = segKey.get(k)!;
    }
  }
  // 3. join fragments
  interface Span { id: number; shot: number; first: number; last: number; firstBox: Box; lastBox: Box }
  const spans = new Map<number, Span>();
  for (const f of frames) {
    for (const face of f.faces) {
      const s = spans.get(face.trackId);
      if (!s) spans.set(face.trackId, { id: face.trackId, shot: f.shot, first: f.index, last: f.index, firstBox: face.box, lastBox: face.box });
      else {
        s.last = f.index;
        s.lastBox = face.box;
      }
    }
  }
  const parent = new Map<number, number>();
  const root = (id: number): number => {
    let r = id;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  const ordered = [...spans.values()].sort((a, b) => a.first - b.first);
  for (const b of ordered) {
    let best: Span | undefined;
    let bestD = Infinity;
    for (const a of ordered) {
      if (a === b || a.shot !== b.shot) continue;
      const ra = spans.get(root(a.id))!;
      if (root(a.id) === root(b.id) || ra.last >= b.first || b.first - ra.last > maxGap) continue;
      const size = Math.max(ra.lastBox[2], ra.lastBox[3], b.firstBox[2], b.firstBox[3]);
      const ratio = (b.firstBox[2] * b.firstBox[3]) / (ra.lastBox[2] * ra.lastBox[3] || 1);
      const d = centreDistance(ra.lastBox, b.firstBox);
      if (d < maxJump * size && ratio > 0.5 && ratio < 2 && d < bestD) {
        best = ra;
        bestD = d;
      }
    }
    if (best) {
      const r = root(best.id);
      parent.set(b.id, r);
      const rs = spans.get(r)!;
      rs.last = Math.max(rs.last, b.last);
      rs.lastBox = b.last >= rs.last ? b.lastBox : rs.lastBox;
    }
  }
  // 4. dense ids in order of first appearance
  const dense = new Map<number, number>();
  for (const f of frames) {
    for (const face of f.faces) {
      const r = root(face.trackId);
      if (!dense.has(r)) dense.set(r, dense.size);
      face.trackId = dense.get(r)!;
    }
    f.faces.sort((a, b) => a.trackId - b.trackId);
  }
}

export function summarizeTracks(frames: LinkFrame[]): FaceTrackSummary[] {
  const acc = new Map<number, FaceTrackSummary & { sum: number[] }>();
  for (const f of frames) {
    for (const face of f.faces) {
      let s = acc.get(face.trackId);
      if (!s) {
        s = { id: face.trackId, shot: f.shot, firstFrame: f.index, lastFrame: f.index, frames: 0, meanBox: [0, 0, 0, 0], sum: [0, 0, 0, 0] };
        acc.set(face.trackId, s);
      }
      s.lastFrame = f.index;
      s.frames++;
      for (let k = 0; k < 4; k++) s.sum[k] += face.box[k];
    }
  }
  return [...acc.values()]
    .sort((a, b) => a.id - b.id)
    .map(({ sum, ...s }) => ({ ...s, meanBox: sum.map((v) => Math.round((v / s.frames) * 10) / 10) as Box }));
}
