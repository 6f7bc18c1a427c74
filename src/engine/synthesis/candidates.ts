/**
 * Candidate bank: every frame of a shot where the selected person's mouth is clearly visible becomes
 * a possible mouth sample, described by its measures, pose and face-aligned lip shape.
 */
import type { FaceObservation, TrackDocument } from '../face/types.js';
import { StoredFace, type MeshScratch } from '../face/stored-face.js';
import { lipShape } from './landmarks.js';
import type { MouthCandidate } from './types.js';

/** The selected person's observation in a frame (the track chosen for that frame's shot), or undefined. */
export function selectedFace(doc: TrackDocument, frame: number): FaceObservation | undefined {
  const fa = doc.frames[frame];
  if (!fa) return undefined;
  // One track is chosen per shot (a cut starts new tracks); fall back to the document-wide choice.
  const track = doc.selectedByShot?.[fa.shot] ?? doc.selectedTrackId;
  if (track === null || track === undefined) return undefined;
  return fa.faces.find((f) => f.trackId === track);
}

/**
 * The mesh the synthesis stage works from: the smoothed one when the face stage made it. With
 * `scratch`, a face whose meshes wait in a file reads it into the caller's buffer (valid until the
 * scratch is used again; stored-face.ts): passes over every frame of a clip use one buffer
 * instead of leaving an array a frame for the collector.
 */
export function workingMesh(face: FaceObservation, scratch?: MeshScratch): Float32Array {
  if (face instanceof StoredFace) {
    const m = face.read('meshSmoothed', scratch);
    return m.length >= 468 * 3 ? m : face.read('mesh', scratch);
  }
  return face.meshSmoothed && face.meshSmoothed.length >= 468 * 3 ? face.meshSmoothed : face.mesh;
}

/** A mesh the stage can work from: 468+ points, all coordinates finite. */
export function meshUsable(mesh: ArrayLike<number>): boolean {
  if (mesh.length < 468 * 3) return false;
  for (let i = 0; i < 468 * 3; i++) if (!Number.isFinite(mesh[i])) return false;
  return true;
}

export function buildCandidateBank(doc: TrackDocument, start: number, end: number, minVisibility: number): MouthCandidate[] {
  const bank: MouthCandidate[] = [];
  const scratch: MeshScratch = {};
  for (let i = start; i < end && i < doc.frames.length; i++) {
    const face = selectedFace(doc, i);
    if (!face || face.mouth.visibility < minVisibility) continue;
    const mesh = workingMesh(face, scratch);
    if (!meshUsable(mesh)) continue;
    bank.push({
      frame: i,
      lipGap: face.mouth.lipGap,
      jaw: face.mouth.jaw,
      width: face.mouth.width,
      shape: lipShape(mesh).map((v) => Math.round(v * 1e4) / 1e4),
      yaw: face.pose.yaw,
      pitch: face.pose.pitch,
    });
  }
  return bank;
}
