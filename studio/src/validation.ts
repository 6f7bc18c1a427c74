/** Upload checks done in the browser before anything is sent. */

export type MediaKind = 'visual' | 'audio' | 'batch';

export interface Validated {
  ok: boolean;
  kind?: 'video' | 'image' | 'audio' | 'jsonl';
  message?: string;
}

const VIDEO_EXT = ['mp4', 'mov', 'qt', 'webm', 'avi', 'mkv', 'm4v'];
const IMAGE_EXT = ['jpg', 'jpeg', 'png', 'webp'];
const AUDIO_EXT = ['wav', 'mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a', 'aac', 'alac', 'wma', 'webm', 'mp4'];

export const LIMITS = { maxBytes: 5 * 1024 ** 3, maxBatchBytes: 5 * 1024 ** 2, maxSeconds: 30 * 60 };

function ext(name: string): string {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  return m ? m[1].toLowerCase() : '';
}

export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Decide what a dropped file is and whether it can be used in the given slot. */
export function validateFile(file: { name: string; type: string; size: number }, slot: MediaKind): Validated {
  const e = ext(file.name);
  const t = (file.type || '').toLowerCase();
  if (file.size === 0) return { ok: false, message: `“${file.name}” is empty.` };
  if (slot === 'batch') {
    if (e !== 'jsonl' && e !== 'json' && t !== 'application/jsonl' && t !== 'application/x-ndjson')
      return { ok: false, message: `“${file.name}” is not a JSONL file: use one request per line, saved as .jsonl.` };
    if (file.size > LIMITS.maxBatchBytes) return { ok: false, message: `The batch file is ${describeSize(file.size)}; the limit is 5 MB.` };
    return { ok: true, kind: 'jsonl' };
  }
  if (file.size > LIMITS.maxBytes) return { ok: false, message: `“${file.name}” is ${describeSize(file.size)}; the limit is 5 GB.` };
  if (slot === 'visual') {
    if (t.startsWith('video/') || (!t.startsWith('audio/') && VIDEO_EXT.includes(e) && !t.startsWith('image/'))) return { ok: true, kind: 'video' };
    if (t.startsWith('image/') || IMAGE_EXT.includes(e)) {
      if (t && !['image/jpeg', 'image/png', 'image/webp'].includes(t) && !IMAGE_EXT.includes(e))
        return { ok: false, message: `“${file.name}” is an image format the server cannot use: use JPEG, PNG or WebP.` };
      return { ok: true, kind: 'image' };
    }
    if (t.startsWith('audio/') || (AUDIO_EXT.includes(e) && !VIDEO_EXT.includes(e)))
      return { ok: false, message: `“${file.name}” is an audio file: drop it on the voice track instead.` };
    return { ok: false, message: `“${file.name}” is not a video or image. Use MP4, MOV, WebM or AVI (or a JPEG/PNG/WebP still).` };
  }
  // audio slot
  if (t.startsWith('video/') || (!t.startsWith('audio/') && VIDEO_EXT.includes(e) && e !== 'webm')) return { ok: true, kind: 'audio', message: 'The sound of this video will be used as the voice track.' };
  if (t.startsWith('audio/') || AUDIO_EXT.includes(e)) return { ok: true, kind: 'audio' };
  if (t.startsWith('image/') || IMAGE_EXT.includes(e)) return { ok: false, message: `“${file.name}” is an image: drop it on the video slot instead.` };
  return { ok: false, message: `“${file.name}” is not an audio file. Use WAV, MP3, M4A, OGG or FLAC.` };
}

/** Checks that need the decoded duration (from a <video>/<audio> element's metadata). */
export function validateDuration(seconds: number, what: string): Validated {
  if (!Number.isFinite(seconds) || seconds <= 0) return { ok: false, message: `The ${what} could not be read by the browser; it may be damaged or in an unusual codec.` };
  if (seconds > LIMITS.maxSeconds) return { ok: false, message: `The ${what} is ${Math.round(seconds / 60)} minutes long; the limit is 30 minutes. Trim it first.` };
  return { ok: true };
}

/** A safe output file name: base name only, [A-Za-z0-9_-], at most 255 characters. */
export function cleanFileName(name: string): string {
  return name.replace(/\.[a-z0-9]{2,4}$/i, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 255);
}
