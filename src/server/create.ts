/**
 * Turning a validated request into a stored PENDING generation: asset checks, the Idempotency-Key
 * replay, the per-key concurrency limit and the insert all happen in one synchronous SQLite
 * transaction (no await in between), so two concurrent creates cannot both slip under the limit
 * or both claim one idempotency key. The row is on disk before the caller sends the 201.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './errors.js';
import type { App } from './context.js';
import { activeCount, getGeneration, insertGeneration, type GenerationRow } from './store.js';
import type { CreateRequest } from './validate.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~-]{1,128}$/;

export function checkIdempotencyKey(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v[0] : v;
  if (!IDEMPOTENCY_KEY.test(s)) throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1–128 characters from [A-Za-z0-9._~-]');
  return s;
}

export function checkAssets(app: App, keyId: string, req: CreateRequest): void {
  for (const m of req.input) {
    if (!m.assetId) continue;
    const a = app.db.prepare('SELECT type FROM assets WHERE id = ? AND key_id = ?').get(m.assetId, keyId) as { type: string } | undefined;
    if (!a) throw new ApiError(404, 'asset_not_found', `asset ${m.assetId} not found`);
    if (a.type !== m.type.toUpperCase()) {
      throw new ApiError(400, 'generation_input_asset_type_mismatch', `asset ${m.assetId} is ${a.type}, but the input is of type "${m.type}"`);
    }
  }
}

export function createGeneration(app: App, keyId: string, req: CreateRequest, idemKey?: string): { row: GenerationRow; replayed: boolean } {
  checkAssets(app, keyId, req);
  const hash = idemKey ? createHash('sha256').update(JSON.stringify(req)).digest('hex') : '';
  const tx = app.db.transaction((): { row: GenerationRow; replayed: boolean } => {
    if (idemKey) {
      const hit = app.db.prepare('SELECT generation_id, request_hash FROM idempotency WHERE key_id = ? AND idem_key = ?').get(keyId, idemKey) as { generation_id: string; request_hash: string } | undefined;
      const g = hit && getGeneration(app.db, hit.generation_id);
      if (g && hit.request_hash && hit.request_hash !== hash) {
        // a retry must be the same request; a different body under the same key is a client bug
        throw new ApiError(422, 'idempotency_key_reused', `Idempotency-Key "${idemKey}" was already used for a different request (generation ${g.id})`);
      }
      if (g) return { row: g, replayed: true };
    }
    const active = activeCount(app.db, keyId);
    if (active >= app.cfg.concurrencyLimit) {
      throw new ApiError(429, 'concurrency_limit_reached', `Concurrency limit reached: ${active} generations are pending or processing (limit ${app.cfg.concurrencyLimit}).`,
        { activeGenerations: active, concurrencyLimit: app.cfg.concurrencyLimit, retryAfterSeconds: 10 }, { 'retry-after': '10' });
    }
    const row = insertGeneration(app.db, keyId, req);
    if (idemKey) app.db.prepare('INSERT OR REPLACE INTO idempotency (key_id, idem_key, generation_id, request_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(keyId, idemKey, row.id, hash, row.created_at);
    return { row, replayed: false };
  });
  const out = tx.immediate();
  if (!out.replayed) {
    app.events.emit('change', out.row.id);
    app.pool.kick();
    app.log('generation_created', { generationId: out.row.id, keyId, model: out.row.model });
  }
  return out;
}
