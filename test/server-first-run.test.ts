/**
 * First run of `resync serve` (what `npm start` runs): with no key at all it creates one, saves it
 * in the data directory for its owner only, prints it with the Studio address, and prints the same
 * key on later starts; where keys already exist it adds none.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function startOnce(data: string): Promise<{ out: string; url: string }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', data, '--quiet', '--workers', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const t0 = Date.now();
  while (!out.includes('Studio:')) {
    if (Date.now() - t0 > 30_000 || proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));
  const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('close', r));
  return { out, url };
}

test('first start creates, saves and prints a local key; later starts print the same key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resync-first-'));
  dirs.push(dir);
  const data = join(dir, 'data');
  const first = await startOnce(data);
  assert.match(first.out, /Studio: http:\/\/127\.0\.0\.1:\d+\//);
  const key = /local API key: (rsk_\S+)/.exec(first.out)?.[1];
  assert.ok(key, first.out);
  const file = join(data, 'local-api-key.txt');
  assert.equal((await readFile(file, 'utf8')).trim(), key);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const second = await startOnce(data);
  assert.equal(/local API key: (rsk_\S+)/.exec(second.out)?.[1], key);
  const listed = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'list', '--json', '--data-dir', data], { encoding: 'utf8' }));
  assert.equal(listed.length, 1, 'no second key on the second start');
});

test('where keys are already managed by hand, no local key is added', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resync-first-'));
  dirs.push(dir);
  const data = join(dir, 'data');
  execFileSync(process.execPath, [BIN, 'keys', 'create', '--name', 'ops', '--data-dir', data], { encoding: 'utf8' });
  const run = await startOnce(data);
  assert.doesNotMatch(run.out, /local API key/);
  const listed = JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'list', '--json', '--data-dir', data], { encoding: 'utf8' }));
  assert.equal(listed.length, 1);
});
