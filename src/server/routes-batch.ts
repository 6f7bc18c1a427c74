/**
 * Batch: POST /v2/batch (multipart: `input` JSONL file, `webhook_url`, `dry_run`). Every line is
 * validated like a single create before anything is stored; dry_run stops there with
 * {status: "VALIDATED"}. Otherwise the batch and all its generations are inserted in one
 * transaction. Batch status and metrics are derived from its generations; the results JSONL is
 * served at the batch's outputUrl (an unguessable link, like an output video).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, badRequest } from './errors.js';
import type { App } from './context.js';
import { nextSeq } from './db.js';
import type { Ctx, Reply, Router } from './router.js';
import { isMultipart } from './router.js';
import { parseMultipart } from './multipart.js';
import { validateCreate, type CreateRequest } from './validate.js';
import { checkAssets } from './create.js';
import { insertGeneration, outputUrl, type GenerationRow } from './store.js';

interface BatchRow { id: string; key_id: string; webhook_url: string | null; output_token: string; created_at: string; seq: number }

export function batchRoutes(r: Router, app: App): void {
  r.add('POST', '/v2/batch', (c) => create(app, c));
  r.add('GET', '/v2/batch/:id', (c) => {
    const b = app.db.prepare('SELECT * FROM batches WHERE id = ? AND key_id = ?').get(c.params.id, c.key.id) as BatchRow | undefined;
    if (!b) throw new ApiError(404, 'batch_not_found', `batch ${c.params.id} not found`);
    return { status: 200, json: batchWire(app, b) };
  });
  r.add('GET', '/v2/batch', (c) => list(app, c));
  r.add('GET', '/batch-results/:token/output.jsonl', (c) => results(app, c), { auth: false });
}

function generationsOf(app: App, batchId: string): GenerationRow[] {
  return app.db.prepare('SELECT * FROM generations WHERE batch_id = ? ORDER BY seq').all(batchId) as GenerationRow[];
}

function batchWire(app: App, b: BatchRow): Record<string, unknown> {
  const gens = generationsOf(app, b.id);
  const success = gens.filter((g) => g.status === 'COMPLETED').length;
  const failed = gens.filter((g) => g.status === 'FAILED' || g.status === 'REJECTED').length;
  const pending = gens.length - success - failed;
  const started = gens.some((g) => g.status !== 'PENDING');
  const status = gens.length === 0 ? 'PENDING' : pending > 0 ? (started ? 'PROCESSING' : 'JOBS_CREATED') : failed === gens.length ? 'FAILED' : 'COMPLETED';
  return {
    id: b.id,
    created_at: b.created_at,
    status,
    metrics: { total_generations: gens.length, success_count: success, failed_count: failed, pending_count: pending },
    webhookUrl: b.webhook_url ?? undefined,
    outputUrl: `${app.publicUrl()}/batch-results/${b.output_token}/output.jsonl`,
  };
}

async function create(app: App, c: Ctx): Promise<Reply> {
  if (!isMultipart(c.req)) throw badRequest('POST /v2/batch takes multipart/form-data with an "input" JSONL file');
  const form = await parseMultipart(c.req, join(app.cfg.dataDir, 'tmp'), 5 * 1024 * 1024);
  try {
    const file = form.files.find((f) => f.field === 'input');
    if (!file) throw badRequest('the "input" file (JSONL) is missing', 'batch_input_invalid');
    const webhook = form.fields.webhook_url?.[0] || undefined;
    if (webhook !== undefined) {
      try {
        const u = new URL(webhook);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      } catch {
        throw badRequest('webhook_url must be an http(s) URL');
      }
    }
    const dryRaw = form.fields.dry_run?.[0];
    if (dryRaw !== undefined && dryRaw !== 'true' && dryRaw !== 'false') throw badRequest('dry_run must be true or false');
    const lines = (await readFile(file.path, 'utf8')).split(/\r?\n/).map((l) => l.trim());
    const items: Array<{ requestId: string; req: CreateRequest }> = [];
    const errors: string[] = [];
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      if (!line) return;
      try {
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw badRequest('not valid JSON');
        }
        if (typeof o !== 'object' || o === null) throw badRequest('must be a JSON object');
        if (typeof o.request_id !== 'string' || !o.request_id) throw badRequest('request_id is required');
        if (seen.has(o.request_id)) throw badRequest(`request_id "${o.request_id}" is used twice`);
        seen.add(o.request_id);
        if (o.endpoint !== undefined && o.endpoint !== '/v2/generate') throw badRequest('endpoint must be "/v2/generate"');
        const req = validateCreate(o.payload);
        checkAssets(app, c.key.id, req);
        if (!req.webhookUrl && webhook) req.webhookUrl = webhook;
        items.push({ requestId: o.request_id, req });
      } catch (e) {
        errors.push(`line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    if (errors.length) throw new ApiError(400, 'batch_input_invalid', errors.slice(0, 50).join('; '));
    if (items.length < app.cfg.batchMinLines || items.length > app.cfg.batchMaxLines) {
      throw new ApiError(400, 'batch_input_invalid', `a batch holds ${app.cfg.batchMinLines}–${app.cfg.batchMaxLines} requests (got ${items.length})`);
    }
    if (dryRaw === 'true') return { status: 200, json: { status: 'VALIDATED' } };
    const batch: BatchRow = { id: randomUUID(), key_id: c.key.id, webhook_url: webhook ?? null, output_token: randomBytes(16).toString('hex'), created_at: new Date().toISOString(), seq: 0 };
    app.db.transaction(() => {
      batch.seq = nextSeq(app.db, 'batches');
      app.db.prepare('INSERT INTO batches (id, key_id, webhook_url, output_token, created_at, seq) VALUES (@id, @key_id, @webhook_url, @output_token, @created_at, @seq)').run(batch);
      for (const it of items) insertGeneration(app.db, c.key.id, it.req, { batchId: batch.id, requestId: it.requestId });
    }).immediate();
    app.pool.kick();
    app.log('batch_created', { batchId: batch.id, generations: items.length });
    return { status: 201, json: batchWire(app, batch) };
  } finally {
    await form.discard();
  }
}

function list(app: App, c: Ctx): Reply {
  const q = c.url.searchParams;
  const time = (name: string): string | undefined => {
    const v = q.get(name);
    if (v === null) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw badRequest(`${name} must be an ISO 8601 time`);
    return new Date(t).toISOString();
  };
  const after = time('created_after');
  const before = time('created_before');
  const rows = app.db.prepare('SELECT * FROM batches WHERE key_id = ? ORDER BY seq DESC').all(c.key.id) as BatchRow[];
  const status = q.get('status');
  const out = rows
    .filter((b) => (!after || b.created_at >= after) && (!before || b.created_at <= before))
    .map((b) => batchWire(app, b))
    .filter((b) => !status || b.status === status);
  return { status: 200, json: out };
}

function results(app: App, c: Ctx): Reply {
  const b = app.db.prepare('SELECT * FROM batches WHERE output_token = ?').get(c.params.token) as BatchRow | undefined;
  if (!b) throw new ApiError(404, 'batch_not_found', 'batch results not found');
  const base = app.publicUrl();
  const lines = generationsOf(app, b.id).map((g) => JSON.stringify({
    request_id: g.request_id,
    generation_id: g.id,
    status: g.status,
    outputUrl: g.status === 'COMPLETED' ? outputUrl(base, g) : null,
    outputDuration: g.output_duration,
    error: g.error,
    error_code: g.error_code,
  }));
  return { status: 200, text: lines.join('\n') + (lines.length ? '\n' : ''), headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } };
}
