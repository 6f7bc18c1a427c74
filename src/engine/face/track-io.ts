/** Reading and writing track files (format resync.track, version 1), with format/version checks. */
import { readFile, writeFile } from 'node:fs/promises';
import { ResyncError } from '../errors.js';
import { TRACK_FORMAT, TRACK_VERSION, type TrackDocument } from './types.js';

/**
 * The document as JSON text. Meshes are held as Float32Array (types.ts) and written as plain
 * arrays at their 0.1 px precision, so files read the same as ever and round-trip exactly.
 */
export function stringifyTrack(doc: TrackDocument): string {
  return JSON.stringify(doc, (_key, value: unknown) => (value instanceof Float32Array ? Array.from(value, toTrackPrecision) : value));
}

/** A mesh coordinate at the precision track documents keep (0.1 px). */
export const toTrackPrecision = (v: number): number => Math.round(v * 10) / 10;

export async function writeTrack(path: string, doc: TrackDocument): Promise<void> {
  await writeFile(path, stringifyTrack(doc));
}

/** Turns a parsed document's mesh arrays back into the Float32Arrays the engine works on. */
function typedMeshes(doc: TrackDocument): TrackDocument {
  for (const f of doc.frames) {
    if (!f || !Array.isArray(f.faces)) throw new ResyncError('invalid_argument', `track frame ${f?.index ?? '?'} has no faces list`);
    for (const face of f.faces) {
      face.mesh = Float32Array.from(face.mesh ?? []);
      if (face.meshSmoothed) face.meshSmoothed = Float32Array.from(face.meshSmoothed);
    }
  }
  return doc;
}

export function parseTrack(text: string, origin = 'track'): TrackDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ResyncError('invalid_argument', `${origin} is not JSON`, { cause: e });
  }
  const d = doc as Partial<TrackDocument> | null;
  if (!d || typeof d !== 'object' || d.format !== TRACK_FORMAT) {
    throw new ResyncError('invalid_argument', `${origin} is not a ${TRACK_FORMAT} document (format: ${JSON.stringify(d?.format)})`);
  }
  if (d.version !== TRACK_VERSION) {
    throw new ResyncError('invalid_argument', `${origin} has ${TRACK_FORMAT} version ${JSON.stringify(d.version)}; this build reads version ${TRACK_VERSION}`);
  }
  if (!Array.isArray(d.frames) || !Array.isArray(d.shots) || !Array.isArray(d.tracks) || !d.source) {
    throw new ResyncError('invalid_argument', `${origin} is missing frames, shots, tracks or source`);
  }
  return typedMeshes(d as TrackDocument);
}

export async function readTrack(path: string): Promise<TrackDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ResyncError('invalid_argument', `track file not readable: ${path}`, { cause: e });
  }
  return parseTrack(text, path);
}
