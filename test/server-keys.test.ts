/**
 * `resync keys`: a key is printed once and stored only as a hash; list shows prefixes, revoke
 * makes the key stop working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/server/db.js';
import { findKey, hashKey } from '../src/server/keys.js';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
const cli = (...args: string[]): string => execFileSync(process.execPath, [BIN, 'keys', ...args], { encoding: 'utf8' });

test('keys create / list / revoke; only the hash is stored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resync-keys-'));
  try {
    const made = JSON.parse(cli('create', '--json', '--name', 'ci', '--data-dir', dir)) as { key: string; id: string; webhookSecret: string };
    assert.match(made.key, /^rsk_[A-Za-z0-9_-]{32}$/);
    assert.match(made.webhookSecret, /^whsec_/);
    const listed = JSON.parse(cli('list', '--json', '--data-dir', dir)) as Array<{ id: string; prefix: string; name: string; revokedAt: string | null }>;
    assert.deepEqual(listed.map((k) => [k.id, k.name, k.revokedAt]), [[made.id, 'ci', null]]);
    assert.ok(made.key.startsWith(listed[0].prefix));

    const db = openDb(dir);
    try {
      assert.equal(findKey(db, made.key)?.id, made.id);
      const row = db.prepare('SELECT key_hash FROM api_keys WHERE id = ?').get(made.id) as { key_hash: string };
      assert.equal(row.key_hash, hashKey(made.key));
    } finally {
      db.close();
    }
    // the raw key is nowhere in the database files
    for (const f of ['resync.sqlite', 'resync.sqlite-wal']) {
      const bytes = await readFile(join(dir, f)).catch(() => Buffer.alloc(0));
      assert.ok(!bytes.includes(Buffer.from(made.key)), f);
    }

    assert.match(cli('revoke', listed[0].prefix, '--data-dir', dir), /revoked/);
    const db2 = openDb(dir);
    try {
      assert.equal(findKey(db2, made.key), undefined);
    } finally {
      db2.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
