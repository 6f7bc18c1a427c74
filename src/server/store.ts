/**
 * Generations in SQLite: insert, read, list, delete, and the wire form Sync's clients expect
 * (camelCase, `errorCode` plus the SDK's `error_code`, nulls for what is not there yet).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { nextSeq, type DB } from './db.js';
import type { CreateRequest } from './validate.js';
import { synthesizedAudioUrl } from './tts-input.js';

export type GenerationStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'REJECTED';
export const TERMINAL: GenerationStatus[] = ['COMPLETED', 'FAILED', 'REJECTED'];

export interface GenerationRow {
  id: string;
  key_id: string;
  batch_id: string | null;
  request_id: string | null;
  status: GenerationStatus;
  model: string;
  request: string;
  webhook_url: string | null;
  output_name: string;
  output_token: string;
  output_duration: number | null;
  error: string | null;
  error_code: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: string;
  seq: number;
  started_at: string | null;
  finished_at: string | null;
}

export function insertGeneration(db: DB, keyId: string, req: CreateRequest, extra: { batchId?: string; requestId?: string } = {}): GenerationRow {
  const id = randomUUID();
  const row: GenerationRow = {
    id,
    key_id: keyId,
    batch_id: extra.batchId ?? null,
    request_id: extra.requestId ?? null,
    status: 'PENDING',
    model: req.model,
    request: JSON.stringify(req),
    webhook_url: req.webhookUrl ?? null,
    output_name: req.outputFileName ?? id,
    output_token: randomBytes(16).toString('hex'),
    output_duration: null,
    error: null,
    error_code: null,
    attempts: 0,
    lease_owner: null,
    lease_until: null,
    created_at: new Date().toISOString(),
    seq: nextSeq(db, 'generations'),
    started_at: null,
    finished_at: null,
  };
  db.prepare(`INSERT INTO generations (id, key_id, batch_id, request_id, status, model, request, webhook_url, output_name, output_token, created_at, seq)
    VALUES (@id, @key_id, @batch_id, @request_id, @status, @model, @request, @webhook_url, @output_name, @output_token, @created_at, @seq)`).run(row);
  return row;
}

export function getGeneration(db: DB, id: string): GenerationRow | undefined {
  return db.prepare('SELECT * FROM generations WHERE id = ?').get(id) as GenerationRow | undefined;
}

/** A key sees only its own generations: anything else is "not found", never "forbidden". */
export function getOwnGeneration(db: DB, keyId: string, id: string): GenerationRow | undefined {
  const g = getGeneration(db, id);
  return g && g.key_id === keyId ? g : undefined;
}

export function listGenerations(db: DB, keyId: string, f: { status?: string[]; ids?: string[]; limit?: number; cursorSeq?: number }): GenerationRow[] {
  const where = ['key_id = ?'];
  const args: unknown[] = [keyId];
  if (f.status?.length) {
    where.push(`status IN (${f.status.map(() => '?').join(',')})`);
    args.push(...f.status);
  }
  if (f.ids?.length) {
    where.push(`id IN (${f.ids.map(() => '?').join(',')})`);
    args.push(...f.ids);
  }
  if (f.cursorSeq !== undefined) {
    where.push('seq < ?');
    args.push(f.cursorSeq);
  }
  const limit = f.limit !== undefined ? ` LIMIT ${f.limit}` : '';
  return db.prepare(`SELECT * FROM generations WHERE ${where.join(' AND ')} ORDER BY seq DESC${limit}`).all(...args) as GenerationRow[];
}

export function activeCount(db: DB, keyId: string): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM generations WHERE key_id = ? AND batch_id IS NULL AND status IN ('PENDING','PROCESSING')").get(keyId) as { n: number }).n;
}

export function outputUrl(base: string, g: GenerationRow): string {
  return `${base}/files/${g.output_token}/${encodeURIComponent(g.output_name)}.mp4`;
}

/** The generation as GET /v2/generate/{id} answers it. */
export function toWire(g: GenerationRow, base: string, progress?: number): Record<string, unknown> {
  const req = JSON.parse(g.request) as CreateRequest;
  const done = g.status === 'COMPLETED';
  const out: Record<string, unknown> = {
    id: g.id,
    createdAt: g.created_at,
    status: g.status,
    model: g.model,
    input: req.input,
    options: req.options,
    segments: req.segments ?? null,
    webhookUrl: g.webhook_url,
    outputUrl: done ? outputUrl(base, g) : null,
    outputMediaUrl: done ? outputUrl(base, g) : null,
    outputDuration: g.output_duration,
    // Resync addition: the engine's per-frame quality report (needs the same x-api-key).
    reportUrl: done ? `${base}/v2/generations/${g.id}/report` : null,
    outputFileName: g.output_name,
    synthesizedAudioUrl: synthesizedAudioUrl(g, base),
    segmentOutputUrl: null,
    error: g.error,
    errorCode: g.error_code,
    error_code: g.error_code,
  };
  if (g.batch_id) out.batchId = g.batch_id;
  if (progress !== undefined) out.progress_percent = progress;
  return out;
}

/** The webhook body: Sync's GenerationNotification (snake `error_code`). */
export function toNotification(g: GenerationRow, base: string): Record<string, unknown> {
  const w = toWire(g, base);
  delete w.errorCode;
  delete w.outputMediaUrl;
  return w;
}
