/** Reading and writing track files (format resync.track, version 1), with format/version checks. */
import { readFile, writeFile } from 'node:fs/promises';
import { ResyncError } from '../errors.js';
import { TRACK_FORMAT, TRACK_VERSION, type TrackDocument } from './types.js';

export async function writeTrack(path: string, doc: TrackDocument): Promise<void> {
  await writeFile(path, JSON.stringify(doc));
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
  return d as TrackDocument;
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
