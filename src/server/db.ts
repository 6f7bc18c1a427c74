/**
 * SQLite state. WAL mode + synchronous=FULL: a row written before the 201 is on disk, so a
 * kill -9 right after the answer loses nothing. One data directory belongs to one server process.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type DB = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  webhook_secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS generations (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  batch_id TEXT,
  request_id TEXT,
  status TEXT NOT NULL,
  model TEXT NOT NULL,
  request TEXT NOT NULL,          -- the normalised create body, JSON (what GET echoes)
  webhook_url TEXT,
  output_name TEXT NOT NULL,
  output_token TEXT NOT NULL,
  output_duration REAL,
  error TEXT,
  error_code TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at TEXT NOT NULL,
  seq INTEGER NOT NULL,           -- creation order (ISO times tie within a millisecond)
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX IF NOT EXISTS generations_status ON generations(status, seq);
CREATE INDEX IF NOT EXISTS generations_key ON generations(key_id, seq);
CREATE INDEX IF NOT EXISTS generations_batch ON generations(batch_id);
CREATE UNIQUE INDEX IF NOT EXISTS generations_seq ON generations(seq);
CREATE TABLE IF NOT EXISTS idempotency (
  key_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  generation_id TEXT NOT NULL,
  request_hash TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  PRIMARY KEY (key_id, idem_key)
);
CREATE TABLE IF NOT EXISTS files (
  token TEXT PRIMARY KEY,         -- the unguessable part of the public URL
  key_id TEXT NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER,
  uploaded INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS assets (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT,
  url TEXT NOT NULL,
  file_token TEXT,
  input_type TEXT NOT NULL,
  size INTEGER,
  format TEXT,
  duration REAL,
  width INTEGER,
  height INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS assets_key ON assets(key_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS assets_seq ON assets(seq);
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  webhook_url TEXT,
  output_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  generation_id TEXT NOT NULL,
  event TEXT NOT NULL,
  url TEXT NOT NULL,
  key_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  delivered_at TEXT,
  failed_at TEXT,
  last_error TEXT,
  UNIQUE (generation_id, event)   -- one delivery per status change, however often a job is re-run
);
`;

export function openDb(dataDir: string): DB {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'resync.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

/** Monotonic creation counter for ordering and cursors. */
export function nextSeq(db: DB, table: 'generations' | 'assets' | 'batches'): number {
  const row = db.prepare(`SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM ${table}`).get() as { n: number };
  return row.n;
}
