/**
 * Assets: presign (POST /v2/assets/upload) → PUT the bytes to the uploadUrl (no API key: the
 * token in the URL is the credential, and it expires) → register (POST /v2/assets) → use the id
 * as input[].assetId. Also list and get. Uploaded files are probed once for duration and size.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { randomBytes, randomUUID } from 'node:crypto';
import { probeMedia } from '../engine/media/probe.js';
import { ApiError, badRequest } from './errors.js';
import type { App } from './context.js';
import { nextSeq } from './db.js';
import { readJson, type Ctx, type Reply, type Router } from './router.js';
import { fileByToken, fileUrl, ownFileToken, serveFile } from './files.js';

const UPLOAD_TTL_S = 3600;

interface AssetRow {
  id: string; key_id: string; type: string; name: string | null; url: string; file_token: string | null; input_type: string;
  size: number | null; format: string | null; duration: number | null; width: number | null; height: number | null;
  created_at: string; updated_at: string; seq: number;
}

function assetWire(a: AssetRow): Record<string, unknown> {
  return {
    id: a.id, createdAt: a.created_at, updatedAt: a.updated_at, name: a.name ?? undefined, url: a.url, size: a.size ?? undefined,
    format: a.format ?? undefined, type: a.type, inputType: a.input_type, durationSeconds: a.duration ?? undefined,
    thumbnailUrl: undefined, visibility: 'USER', width: a.width ?? undefined, height: a.height ?? undefined,
  };
}

export function assetRoutes(r: Router, app: App): void {
  r.add('POST', '/v2/assets/upload', (c) => presign(app, c));
  r.add('PUT', '/uploads/:token', (c) => upload(app, c), { auth: false });
  r.add('POST', '/v2/assets', (c) => register(app, c));
  r.add('GET', '/v2/assets', (c) => list(app, c));
  r.add('GET', '/v2/assets/:id', (c) => {
    const a = app.db.prepare('SELECT * FROM assets WHERE id = ? AND key_id = ?').get(c.params.id, c.key.id) as AssetRow | undefined;
    if (!a) throw new ApiError(404, 'asset_not_found', `asset ${c.params.id} not found`);
    return { status: 200, json: assetWire(a) };
  });
  r.add('DELETE', '/v2/assets/:id', async (c) => {
    const a = app.db.prepare('SELECT * FROM assets WHERE id = ? AND key_id = ?').get(c.params.id, c.key.id) as AssetRow | undefined;
    if (!a) throw new ApiError(404, 'asset_not_found', `asset ${c.params.id} not found`);
    app.db.prepare('DELETE FROM assets WHERE id = ?').run(a.id);
    // the uploaded bytes stay while a generation may still read them; a pending job fails cleanly if they go
    return { status: 200, json: { id: a.id, deleted: true } };
  });
  const serve = async (c: Ctx): Promise<void> => {
    const f = fileByToken(app.db, c.params.token);
    if (!f || !f.uploaded) throw new ApiError(404, 'not_found', 'file not found');
    await serveFile(c.req, c.res, f, c.requestId);
  };
  r.add('GET', '/files/:token/:name', serve, { auth: false });
  r.add('HEAD', '/files/:token/:name', serve, { auth: false });
}

async function presign(app: App, c: Ctx): Promise<Reply> {
  const b = (await readJson(c.req, app.cfg.maxJsonBytes)) as Record<string, unknown>;
  if (typeof b !== 'object' || b === null) throw badRequest('body must be {fileName, contentType, size}');
  if (typeof b.fileName !== 'string' || b.fileName.trim() === '') throw badRequest('fileName is required');
  if (typeof b.contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(b.contentType)) throw badRequest('contentType must be a MIME type');
  if (b.size !== undefined && (typeof b.size !== 'number' || !Number.isInteger(b.size) || b.size < 0)) throw badRequest('size must be a byte count');
  if (typeof b.size === 'number' && b.size > app.cfg.maxUploadBytes) throw new ApiError(422, 'file_size_exceeds_plan_limit', `size ${b.size} is over the ${app.cfg.maxUploadBytes}-byte limit`);
  const token = randomBytes(16).toString('hex');
  const name = b.fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  const path = join(app.cfg.dataDir, 'files', token, name);
  app.db.prepare('INSERT INTO files (token, key_id, name, path, content_type, size, uploaded, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)')
    .run(token, c.key.id, name, path, b.contentType, (b.size as number | undefined) ?? null, Date.now() + UPLOAD_TTL_S * 1000, new Date().toISOString());
  const base = app.publicUrl();
  return { status: 201, json: { uploadUrl: `${base}/uploads/${token}`, url: fileUrl(base, { token, name }), expiresIn: UPLOAD_TTL_S } };
}

async function upload(app: App, c: Ctx): Promise<Reply> {
  const f = fileByToken(app.db, c.params.token);
  if (!f || f.uploaded || (f.expires_at !== null && f.expires_at < Date.now())) {
    c.req.resume();
    throw new ApiError(404, 'asset_upload_not_found', 'upload URL is unknown, used or expired');
  }
  const limit = f.size ?? app.cfg.maxUploadBytes;
  await mkdir(join(app.cfg.dataDir, 'files', f.token), { recursive: true });
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) cb(new ApiError(413, 'file_size_exceeds_plan_limit', `upload is over the ${limit}-byte limit`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(c.req, counter, createWriteStream(f.path));
  } catch (e) {
    await rm(f.path, { force: true });
    if (e instanceof ApiError) throw e;
    throw badRequest(`upload failed: ${(e as Error).message}`);
  }
  app.db.prepare('UPDATE files SET uploaded = 1, size = ? WHERE token = ?').run(size, f.token);
  return { status: 200, json: {} };
}

async function register(app: App, c: Ctx): Promise<Reply> {
  const b = (await readJson(c.req, app.cfg.maxJsonBytes)) as Record<string, unknown>;
  if (typeof b !== 'object' || b === null) throw badRequest('body must be {url, type}');
  if (typeof b.url !== 'string') throw badRequest('url is required');
  let u: URL;
  try {
    u = new URL(b.url);
  } catch {
    throw badRequest('url is not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw badRequest('url must be http(s)');
  const type = typeof b.type === 'string' ? b.type.toUpperCase() : '';
  if (!['VIDEO', 'AUDIO', 'IMAGE'].includes(type)) throw badRequest('type must be VIDEO, AUDIO or IMAGE');
  const token = ownFileToken(b.url, app.publicUrl());
  const row: AssetRow = {
    id: randomUUID(), key_id: c.key.id, type, name: typeof b.name === 'string' ? b.name : null, url: b.url, file_token: null, input_type: 'URL',
    size: null, format: null, duration: null, width: null, height: null, created_at: new Date().toISOString(), updated_at: '', seq: 0,
  };
  row.updated_at = row.created_at;
  if (token) {
    const f = fileByToken(app.db, token);
    if (!f || f.key_id !== c.key.id) throw new ApiError(404, 'asset_upload_not_found', 'url names no upload of this key');
    if (!f.uploaded) throw badRequest('the file has not been uploaded yet: PUT its bytes to the uploadUrl first');
    Object.assign(row, { file_token: token, input_type: 'UPLOAD', size: f.size, name: row.name ?? f.name });
    try {
      const info = await probeMedia(f.path);
      row.duration = info.isStillImage ? null : info.duration ?? null;
      row.format = info.formatName ?? null;
      row.width = info.video?.width ?? null;
      row.height = info.video?.height ?? null;
    } catch {
      // not readable as media: the generation that uses it will say so with the right code
    }
  }
  // numbered only now, after the probe's await: two registrations in flight must not share a number
  row.seq = nextSeq(app.db, 'assets');
  app.db.prepare(`INSERT INTO assets (id, key_id, type, name, url, file_token, input_type, size, format, duration, width, height, created_at, updated_at, seq)
    VALUES (@id, @key_id, @type, @name, @url, @file_token, @input_type, @size, @format, @duration, @width, @height, @created_at, @updated_at, @seq)`).run(row);
  return { status: 201, json: assetWire(row) };
}

function list(app: App, c: Ctx): Reply {
  const q = c.url.searchParams;
  const limit = q.get('limit') === null ? 50 : Number(q.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be an integer from 1 to 100');
  const where = ['key_id = ?'];
  const args: unknown[] = [c.key.id];
  const typesRaw = q.get('types');
  if (typesRaw) {
    let types: string[];
    try {
      types = typesRaw.trim().startsWith('[') ? (JSON.parse(typesRaw) as string[]) : typesRaw.split(',');
    } catch {
      throw badRequest('types is not a valid list');
    }
    types = types.map((t) => String(t).trim().toUpperCase());
    where.push(`type IN (${types.map(() => '?').join(',')})`);
    args.push(...types);
  }
  const search = q.get('searchQuery');
  if (search) {
    where.push('name LIKE ?');
    args.push(`%${search}%`);
  }
  const total = (app.db.prepare(`SELECT COUNT(*) AS n FROM assets WHERE ${where.join(' AND ')}`).get(...args) as { n: number }).n;
  const cursor = q.get('cursor');
  if (cursor) {
    const at = app.db.prepare('SELECT seq FROM assets WHERE id = ? AND key_id = ?').get(cursor, c.key.id) as { seq: number } | undefined;
    if (!at) throw badRequest('cursor names no asset');
    where.push('seq < ?');
    args.push(at.seq);
  }
  const order: Record<string, string> = {
    nameAsc: 'name ASC', nameDesc: 'name DESC', dateAsc: 'seq ASC', dateDesc: 'seq DESC', durationAsc: 'duration ASC', durationDesc: 'duration DESC',
    sizeAsc: 'size ASC', sizeDesc: 'size DESC', kindAsc: 'type ASC', kindDesc: 'type DESC',
  };
  const sortBy = q.get('sortBy') ?? 'dateDesc';
  if (!order[sortBy]) throw badRequest(`sortBy must be one of ${Object.keys(order).join(', ')}`);
  // the cursor pages in creation order; other sorts are answered in one page
  const rows = app.db.prepare(`SELECT * FROM assets WHERE ${where.join(' AND ')} ORDER BY ${order[sortBy]} LIMIT ?`).all(...args, limit + 1) as AssetRow[];
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { status: 200, json: { items: items.map(assetWire), nextCursor: more && sortBy === 'dateDesc' ? items[items.length - 1].id : undefined, totalCount: total } };
}
