/** /v2/generate and /v2/generations: create (JSON or multipart), get (long poll), list, delete, download. */
import { once } from 'node:events';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiError, badRequest } from './errors.js';
import type { App } from './context.js';
import { isMultipart, readJson, type Ctx, type Reply, type Router } from './router.js';
import { validateCreate, type CreateRequest } from './validate.js';
import { checkIdempotencyKey, createGeneration } from './create.js';
import { getOwnGeneration, listGenerations, outputUrl, TERMINAL, toWire, type GenerationRow } from './store.js';
import { parseMultipart, type UploadedFile } from './multipart.js';
import { fileUrl } from './files.js';
import { estimateCost, estimateFromDuration } from './estimate.js';
import { REPORT_FILE } from './worker.js';

export function generationRoutes(r: Router, app: App): void {
  r.add('GET', '/v2/generations/count', (c) => count(app, c)); // before /v2/generations/:id
  r.add('POST', '/v2/generate', (c) => create(app, c));
  r.add('GET', '/v2/generate/:id', (c) => get(app, c));
  r.add('GET', '/v2/generations/:id', (c) => get(app, c));
  r.add('GET', '/v2/generations', (c) => list(app, c));
  r.add('GET', '/v2/generate', (c) => list(app, c)); // the older docs' list path
  r.add('DELETE', '/v2/generations/:id', (c) => del(app, c));
  r.add('DELETE', '/v2/generate/:id', (c) => del(app, c));
  r.add('GET', '/v2/generations/:id/download', (c) => download(app, c));
  r.add('GET', '/v2/generations/:id/report', (c) => report(app, c));
  r.add('POST', '/v2/analyze/cost', async (c) => ({ status: 200, json: await estimateCost(app, c.key.id, validateCreate(await readJson(c.req, app.cfg.maxJsonBytes))) }));
  r.add('POST', '/v2/generations/estimate', async (c) => ({ status: 200, json: estimateFromDuration(await readJson(c.req, app.cfg.maxJsonBytes)) }));
  r.add('POST', '/v2/generate/estimate-cost', async (c) => ({ status: 200, json: estimateFromDuration(await readJson(c.req, app.cfg.maxJsonBytes)) }));
}

function own(app: App, c: Ctx): GenerationRow {
  const g = getOwnGeneration(app.db, c.key.id, c.params.id);
  if (!g) throw new ApiError(404, 'generation_not_found', `generation ${c.params.id} not found`);
  return g;
}

async function create(app: App, c: Ctx): Promise<Reply> {
  const idem = checkIdempotencyKey(c.req.headers['idempotency-key']);
  let req: CreateRequest;
  let moveFiles: (() => Promise<void>) | undefined;
  let discard: (() => Promise<void>) | undefined;
  let unlinkFiles = async (): Promise<void> => {};
  if (isMultipart(c.req)) {
    const form = await parseMultipart(c.req, join(app.cfg.dataDir, 'tmp'), app.cfg.maxUploadBytes);
    discard = form.discard;
    try {
      const built = fromForm(app, c.key.id, form.fields, form.files);
      req = validateCreate(built.body);
      moveFiles = built.commit;
      unlinkFiles = built.unlink;
    } catch (e) {
      await form.discard();
      throw e;
    }
  } else {
    req = validateCreate(await readJson(c.req, app.cfg.maxJsonBytes));
  }
  try {
    // files first: once the row exists, a worker may claim it at once
    if (moveFiles) await moveFiles();
    let out: ReturnType<typeof createGeneration>;
    try {
      out = createGeneration(app, c.key.id, req, idem);
    } catch (e) {
      await unlinkFiles(); // refused (limits, assets): the uploaded files have no generation
      throw e;
    }
    // a replay already has its own copies of the files
    if (out.replayed) await unlinkFiles();
    return { status: 201, json: toWire(out.row, app.publicUrl()), headers: out.replayed ? { 'idempotent-replayed': 'true' } : {} };
  } finally {
    await discard?.();
  }
}

/**
 * A multipart create as the JSON body it stands for: uploaded files become this server's own
 * file URLs (stored in the files table once the request is accepted).
 */
function fromForm(app: App, keyId: string, fields: Record<string, string[]>, files: UploadedFile[]): { body: Record<string, unknown>; commit: () => Promise<void>; unlink: () => Promise<void> } {
  const json = (name: string): unknown => {
    const v = fields[name]?.[0];
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v);
    } catch {
      throw badRequest(`form field "${name}" must be JSON`);
    }
  };
  const input: unknown[] = [];
  for (const v of fields.input ?? []) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw badRequest('form field "input" must be JSON');
    }
    if (Array.isArray(parsed)) input.push(...parsed);
    else input.push(parsed);
  }
  const moves: Array<{ from: string; token: string; name: string; mime: string; size: number }> = [];
  for (const f of files) {
    if (f.field !== 'video' && f.field !== 'audio' && f.field !== 'image') throw badRequest(`unexpected file field "${f.field}" (use video, audio or image)`);
    if (f.size === 0) throw badRequest(`file "${f.field}" is empty`);
    const token = randomBytes(16).toString('hex');
    const name = (f.filename || f.field).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || f.field;
    moves.push({ from: f.path, token, name, mime: f.mimeType || 'application/octet-stream', size: f.size });
    input.push({ type: f.field, url: fileUrl(app.publicUrl(), { token, name }) });
  }
  const body: Record<string, unknown> = { model: fields.model?.[0], input, options: json('options'), segments: json('segments') };
  if (fields.webhookUrl?.[0]) body.webhookUrl = fields.webhookUrl[0];
  if (fields.outputFileName?.[0] !== undefined) body.outputFileName = fields.outputFileName[0];
  const commit = async (): Promise<void> => {
    for (const m of moves) {
      const dir = join(app.cfg.dataDir, 'files', m.token);
      await mkdir(dir, { recursive: true });
      const path = join(dir, m.name);
      await rename(m.from, path);
      app.db.prepare('INSERT INTO files (token, key_id, name, path, content_type, size, uploaded, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)')
        .run(m.token, keyId, m.name, path, m.mime, m.size, new Date().toISOString());
    }
  };
  const unlink = async (): Promise<void> => {
    for (const m of moves) {
      app.db.prepare('DELETE FROM files WHERE token = ?').run(m.token);
      await rm(join(app.cfg.dataDir, 'files', m.token), { recursive: true, force: true });
    }
  };
  return { body, commit, unlink };
}

async function get(app: App, c: Ctx): Promise<Reply> {
  let g = own(app, c);
  const q = c.url.searchParams;
  const wait = q.get('wait');
  const headers: Record<string, string> = {};
  if (wait === 'true' || wait === '1') {
    const t = q.get('timeout');
    const timeout = t === null ? 5 : Number(t);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 10) throw badRequest('timeout must be an integer from 1 to 10 (seconds)');
    headers['x-sync-wait-mode'] = 'long_poll';
    headers['x-sync-wait-timeout-seconds'] = String(timeout);
    const until = Date.now() + timeout * 1000;
    while (!TERMINAL.includes(g.status) && Date.now() < until) {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), until - Date.now());
      try {
        // any change wakes the wait; re-read and check whether it was this generation
        await once(app.events, 'change', { signal: ac.signal });
      } catch {
        // timed out
      } finally {
        clearTimeout(timer);
      }
      g = own(app, c);
    }
    if (!TERMINAL.includes(g.status)) headers['retry-after'] = '2';
  } else if (wait !== null && wait !== 'false' && wait !== '0') {
    throw badRequest('wait must be true or false');
  }
  const include = (q.get('include') ?? '').split(',');
  let progress: number | undefined;
  if (include.includes('progress')) {
    progress = g.status === 'COMPLETED' ? 100 : g.status === 'PROCESSING' ? app.pool.progress.get(g.id) ?? 0 : 0;
  }
  return { status: 200, json: toWire(g, app.publicUrl(), progress), headers };
}

/** A query list as the SDK sends it (a JSON array string) or as people type it (a, b or repeated). */
function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const all = q.getAll(name);
  if (!all.length) return undefined;
  const out: string[] = [];
  for (const v of all) {
    const t = v.trim();
    if (t.startsWith('[')) {
      try {
        const arr = JSON.parse(t) as unknown;
        if (Array.isArray(arr)) {
          out.push(...arr.map(String));
          continue;
        }
      } catch {
        throw badRequest(`${name} is not a valid list`);
      }
    }
    out.push(...t.split(',').map((s) => s.trim()).filter(Boolean));
  }
  return out;
}

function list(app: App, c: Ctx): Reply {
  const q = c.url.searchParams;
  const status = listParam(q, 'status');
  const statuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'REJECTED'];
  for (const s of status ?? []) if (!statuses.includes(s)) throw badRequest(`status must be among ${statuses.join(', ')} (got ${s})`);
  const ids = listParam(q, 'ids');
  let limit: number | undefined;
  if (q.get('limit') !== null) {
    limit = Number(q.get('limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be an integer from 1 to 100');
  }
  let cursorSeq: number | undefined;
  const cursor = q.get('cursor');
  if (cursor) {
    if (limit === undefined) throw badRequest('cursor needs limit');
    const g = getOwnGeneration(app.db, c.key.id, cursor);
    if (!g) throw badRequest('cursor names no generation');
    cursorSeq = g.seq;
  }
  const rows = listGenerations(app.db, c.key.id, { status, ids, limit, cursorSeq });
  return { status: 200, json: rows.map((g) => toWire(g, app.publicUrl())) };
}

function count(app: App, c: Ctx): Reply {
  const status = listParam(c.url.searchParams, 'status');
  const rows = listGenerations(app.db, c.key.id, { status });
  return { status: 200, json: { count: rows.length } };
}

/** The engine's quality report of a finished generation (a Resync addition; Sync has none). */
async function report(app: App, c: Ctx): Promise<Reply> {
  const g = own(app, c);
  if (g.status !== 'COMPLETED') throw new ApiError(404, 'report_not_available', `generation ${g.id} is ${g.status}; its report exists once it has completed`);
  try {
    return { status: 200, json: JSON.parse(await readFile(join(app.cfg.dataDir, 'outputs', g.id, REPORT_FILE), 'utf8')) };
  } catch {
    throw new ApiError(404, 'report_not_available', `generation ${g.id} has no stored report`);
  }
}

async function del(app: App, c: Ctx): Promise<Reply> {
  const g = own(app, c);
  if (!TERMINAL.includes(g.status)) {
    throw new ApiError(409, 'generation_not_deletable_while_processing', `generation ${g.id} is ${g.status}; it can be deleted once it has finished`);
  }
  app.db.transaction(() => {
    app.db.prepare('DELETE FROM generations WHERE id = ?').run(g.id);
    app.db.prepare('DELETE FROM files WHERE token = ?').run(g.output_token);
    app.db.prepare('DELETE FROM idempotency WHERE generation_id = ?').run(g.id);
  })();
  await rm(join(app.cfg.dataDir, 'outputs', g.id), { recursive: true, force: true });
  app.log('generation_deleted', { generationId: g.id });
  return { status: 200, json: { id: g.id, deleted: true } };
}

function download(app: App, c: Ctx): Reply {
  const g = own(app, c);
  if (g.status !== 'COMPLETED') throw new ApiError(409, 'generation_not_completed', `generation ${g.id} is ${g.status}; it has no output yet`);
  return { status: 200, text: outputUrl(app.publicUrl(), g) };
}
