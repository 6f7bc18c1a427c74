/**
 * API keys: shown once when made, stored only as a SHA-256 hash (keys are long random strings, so
 * a fast hash is enough). Each key has its own webhook signing secret, kept in clear because the
 * server must sign with it.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DB } from './db.js';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  webhookSecret: string;
  createdAt: string;
  revokedAt: string | null;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function createKey(db: DB, name: string): { key: string; record: ApiKey } {
  const key = 'rsk_' + randomBytes(24).toString('base64url');
  const record: ApiKey = {
    id: randomUUID(),
    name,
    prefix: key.slice(0, 10),
    webhookSecret: 'whsec_' + randomBytes(24).toString('base64url'),
    createdAt: new Date().toISOString(),
    revokedAt: null,
  };
  db.prepare('INSERT INTO api_keys (id, name, key_hash, prefix, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    record.id, name, hashKey(key), record.prefix, record.webhookSecret, record.createdAt,
  );
  return { key, record };
}

interface KeyRow { id: string; name: string; key_hash: string; prefix: string; webhook_secret: string; created_at: string; revoked_at: string | null }

const toKey = (r: KeyRow): ApiKey => ({ id: r.id, name: r.name, prefix: r.prefix, webhookSecret: r.webhook_secret, createdAt: r.created_at, revokedAt: r.revoked_at });

export function findKey(db: DB, key: string): ApiKey | undefined {
  const h = hashKey(key);
  const row = db.prepare('SELECT * FROM api_keys WHERE key_hash = ?').get(h) as KeyRow | undefined;
  // the lookup is by hash; the constant-time compare is belt and braces against timing probes
  if (!row || row.revoked_at || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(h))) return undefined;
  return toKey(row);
}

export function keyById(db: DB, id: string): ApiKey | undefined {
  const row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
  return row ? toKey(row) : undefined;
}

export function listKeys(db: DB): ApiKey[] {
  return (db.prepare('SELECT * FROM api_keys ORDER BY created_at').all() as KeyRow[]).map(toKey);
}

/** Revokes by id or by the printed prefix. */
export function revokeKey(db: DB, idOrPrefix: string): boolean {
  const r = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE (id = ? OR prefix = ?) AND revoked_at IS NULL').run(new Date().toISOString(), idOrPrefix, idOrPrefix);
  return r.changes > 0;
}
