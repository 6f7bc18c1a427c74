/**
 * Crash safety with the real CLI: `resync serve` as a child process, a generation killed with
 * SIGKILL while PROCESSING, a restart on the same data directory that runs it again to
 * COMPLETED with exactly one COMPLETED webhook; then a graceful SIGTERM with no grace period
 * re-queues a running job, and the next start completes it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, makeMedia, staticServer, waitDone, webhookReceiver, type Listening, type Media, type Receiver } from './server-fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
let dir = '';
let data = '';
let media: Media;
let files: Listening;
let hooks: Receiver;
let key = '';
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

function serve(extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', data, '--allow-hosts', '127.0.0.1', '--preset', 'ultrafast', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], exited, stderr: () => err });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

async function waitProcessing(base: string, id: string): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    const r = await api(base, key, 'GET', `/v2/generate/${id}?include=progress`);
    // well inside the run: the face models are loaded and frames are being analysed
    if (r.json.status === 'PROCESSING' && r.json.progress_percent >= 5) return;
    assert.ok(['PENDING', 'PROCESSING'].includes(r.json.status), `unexpected ${r.json.status}`);
    if (Date.now() > until) throw new Error('never reached PROCESSING');
    await new Promise((res) => setTimeout(res, 50));
  }
}

const create = async (base: string, name: string): Promise<string> => {
  const r = await api(base, key, 'POST', '/v2/generate', {
    model: 'lipsync-2',
    input: [{ type: 'video', url: `${files.url}/face.mp4` }, { type: 'audio', url: `${files.url}/talk.wav` }],
    webhookUrl: `${hooks.url}/${name}`,
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.id as string;
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-srv-crash-'));
  data = join(dir, 'data');
  media = await makeMedia(dir, 2);
  files = await staticServer([media.clip, media.wav]);
  hooks = await webhookReceiver();
  key = (JSON.parse(execFileSync(process.execPath, [BIN, 'keys', 'create', '--json', '--name', 'crash', '--data-dir', data], { encoding: 'utf8' })) as { key: string }).key;
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await files?.close();
  await hooks?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('kill -9 mid-generation, restart: the job runs again and completes, one webhook', async () => {
  const first = await serve();
  const id = await create(first.url, 'crash');
  await waitProcessing(first.url, id);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await serve(['--grace', '0']);
  const done = await waitDone(second.url, key, id);
  assert.equal(done.status, 'COMPLETED', JSON.stringify(done));
  assert.match(second.stderr(), /"requeued":\["[^"]+"\]/, 'start-up recovery re-queued the job');
  await hooks.waitFor((d) => d.json.id === id);
  await new Promise((r) => setTimeout(r, 1000));
  const mine = hooks.deliveries.filter((d) => d.json.id === id);
  assert.deepEqual(mine.map((d) => d.json.status), ['COMPLETED']);
  // the killed run's partial file is gone; only the finished output remains
  assert.deepEqual((await readdir(join(data, 'outputs', id))).sort(), [`${id}.mp4`, 'report.json'], 'the output and its report, no partial file left');
  const out = await fetch(done.outputUrl);
  assert.equal(out.status, 200);
  assert.ok((await out.arrayBuffer()).byteLength > 1000);

  // graceful shutdown with no grace: the running job is re-queued, not lost or failed
  const id2 = await create(second.url, 'graceful');
  await waitProcessing(second.url, id2);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
  const third = await serve();
  const done2 = await waitDone(third.url, key, id2);
  assert.equal(done2.status, 'COMPLETED', JSON.stringify(done2));
  await hooks.waitFor((d) => d.json.id === id2);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(hooks.deliveries.filter((d) => d.json.id === id2).length, 1);
  assert.equal(hooks.deliveries.filter((d) => d.json.id === id).length, 1);
  third.child.kill('SIGTERM');
  assert.equal(await third.exited, 0);
});
