/**
 * Media on local disk, served at `/files/<token>/<name>`: the token is an unguessable random
 * string (like a presigned URL), so a browser or a video player can fetch and seek without an
 * API key. Range requests are answered with 206 so players can seek.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResyncError } from '../engine/errors.js';
import type { DB } from './db.js';
import type { WireMedia } from './validate.js';

export interface FileRow {
  token: string;
  key_id: string;
  name: string;
  path: string;
  content_type: string;
  size: number | null;
  uploaded: number;
  expires_at: number | null;
  created_at: string;
}

export function fileByToken(db: DB, token: string): FileRow | undefined {
  return db.prepare('SELECT * FROM files WHERE token = ?').get(token) as FileRow | undefined;
}

export function fileUrl(base: string, f: { token: string; name: string }): string {
  return `${base}/files/${f.token}/${encodeURIComponent(f.name)}`;
}

/** The token of one of this server's own file URLs, or undefined for any other URL. */
export function ownFileToken(url: string, base: string): string | undefined {
  const prefix = `${base}/files/`;
  if (!url.startsWith(prefix)) return undefined;
  return url.slice(prefix.length).split('/')[0] || undefined;
}

/**
 * Where the engine reads an input from: the local file behind an asset or one of this server's
 * own URLs (no network round trip, no SSRF exception needed), else the URL itself.
 */
export function resolveMediaRef(db: DB, keyId: string, m: WireMedia, base: string): string {
  const role = m.type === 'audio' ? 'audio' : 'video';
  const inaccessible = role === 'audio' ? 'generation_input_audio_inaccessible' : 'generation_input_video_inaccessible';
  let url = m.url;
  if (m.assetId) {
    const a = db.prepare('SELECT * FROM assets WHERE id = ? AND key_id = ?').get(m.assetId, keyId) as { url: string; file_token: string | null } | undefined;
    if (!a) throw new ResyncError(inaccessible, `asset ${m.assetId} no longer exists`);
    if (a.file_token) {
      const f = fileByToken(db, a.file_token);
      if (!f || !f.uploaded) throw new ResyncError(inaccessible, `asset ${m.assetId} has no uploaded file`);
      return f.path;
    }
    url = a.url;
  }
  const token = ownFileToken(url!, base);
  if (token) {
    const f = fileByToken(db, token);
    if (!f || !f.uploaded) throw new ResyncError(inaccessible, `${role} URL names no file on this server: ${url}`);
    return f.path;
  }
  return url!;
}

export async function serveFile(req: IncomingMessage, res: ServerResponse, f: FileRow, requestId: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(f.path)).size;
  } catch {
    res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': requestId });
    res.end(JSON.stringify({ message: 'file not found', statusCode: 404, errorCode: 'not_found' }));
    return;
  }
  const base = {
    'content-type': f.content_type,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=3600',
    'content-disposition': `inline; filename="${f.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'x-request-id': requestId,
  };
  const range = req.headers.range;
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m && (m[1] !== '' || m[2] !== '')) {
      if (m[1] === '') {
        start = Math.max(0, size - Number(m[2])); // suffix range: the last N bytes
      } else {
        start = Number(m[1]);
        if (m[2] !== '') end = Math.min(size - 1, Number(m[2]));
      }
      if (start > end || start >= size) {
        res.writeHead(416, { ...base, 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      status = 206;
    }
  }
  const headers: Record<string, string> = { ...base, 'content-length': String(end - start + 1) };
  if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(f.path, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
