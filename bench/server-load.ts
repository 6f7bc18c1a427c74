/**
 * Load check for the API server (not a timed test): 200 concurrent POST /v2/generate on one key
 * (default limits: the concurrency limit answers 429 once 15 are pending), the same spread over 20
 * keys (every create accepted), and 200 concurrent GETs, against `resync serve` in its own
 * process. Workers are off so the numbers are the API's own: validation, the SQLite insert
 * (synchronous=FULL) and the answer. Every answer must be 201/200 or 429; any 5xx is reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/server/db.js';
import { createKey } from '../src/server/keys.js';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));

interface Row {
  scenario: string;
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
};

async function burst(name: string, n: number, call: (i: number) => Promise<Response>): Promise<Row> {
  const lat: number[] = [];
  const byStatus: Record<string, number> = {};
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const t = performance.now();
    let status = 'network-error';
    try {
      const res = await call(i);
      await res.arrayBuffer();
      status = String(res.status);
    } finally {
      lat.push(performance.now() - t);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  }));
  const wallMs = Math.round(performance.now() - t0);
  const serverErrors = Object.entries(byStatus).filter(([s]) => s.startsWith('5') || s === 'network-error').reduce((a, [, c]) => a + c, 0);
  return { scenario: name, requests: n, byStatus, serverErrors, p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), maxMs: pct(lat, 100), wallMs };
}

export async function benchServerLoad(opts: { dataDir: string; cacheDir: string; quick: boolean }): Promise<{ table: string; rows: unknown[] }> {
  void opts;
  const dir = await mkdtemp(join(tmpdir(), 'resync-load-'));
  // keys first (the CLI's own code path), then the server in its own process, as `npm start` runs it,
  // so the load generator here does not share the server's event loop
  const db = openDb(dir);
  const keys = Array.from({ length: 21 }, (_, i) => createKey(db, `load-${i}`).key);
  db.close();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dir, '--workers', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.on('exit', r));
  const srv = {
    url: await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`resync serve exited (${code})`)));
    }),
  };
  try {
    const body = JSON.stringify({
      model: 'lipsync-2',
      input: [{ type: 'video', url: 'https://media.example.com/face.mp4' }, { type: 'audio', url: 'https://media.example.com/talk.wav' }],
      options: { sync_mode: 'cut_off' },
    });
    const post = (key: string): Promise<Response> => fetch(`${srv.url}/v2/generate`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body });
    // warm-up: connections and JIT, so the first scenario is not mostly start-up cost
    await burst('warm-up', 50, () => fetch(`${srv.url}/health`));
    const rows: Row[] = [];
    rows.push(await burst('200 concurrent creates, 1 key', 200, () => post(keys[0])));
    rows.push(await burst('200 concurrent creates, 20 keys', 200, (i) => post(keys[1 + (i % 20)])));
    rows.push(await burst('200 concurrent GET /v2/generations?limit=20', 200, (i) => fetch(`${srv.url}/v2/generations?limit=20`, { headers: { 'x-api-key': keys[1 + (i % 20)] } })));
    const table = [
      '| scenario | requests | answers | 5xx | p50 ms | p99 ms | max ms | wall ms |',
      '|---|---:|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.scenario} | ${r.requests} | ${Object.entries(r.byStatus).map(([s, c]) => `${s}×${c}`).join(', ')} | ${r.serverErrors} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.wallMs} |`),
      '',
      '`resync serve --workers 0` in its own process (queue only: the numbers are the API\'s), default limits: 15 pending per key, 100 creates per key per minute. SQLite with synchronous=FULL: every 201 is on disk before it is sent.',
    ].join('\n');
    return { table, rows };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}
