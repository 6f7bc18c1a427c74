/**
 * Error answers before anything is queued (one per validation case), auth and key isolation,
 * Idempotency-Key replays, rate and concurrency limits, SSRF refusal (IP literals, a name that
 * resolves to 127.0.0.1, cloud metadata), media problems failing the generation with a code, and
 * webhook retries with verified signatures. No real lip sync runs here (the SDK test does that).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/server/server.js';
import { createKey } from '../src/server/keys.js';
import { verifySignature } from '../src/server/webhooks.js';
import { api, staticServer, waitDone, webhookReceiver, type Listening, type Receiver } from './server-fixtures.js';

let dir = '';
let srv: RunningServer;
let queueOnly: RunningServer;
let files: Listening;
let hooks: Receiver;
let keyA = '';
let keyB = '';
let qKey = '';
let secretA = '';

const V = 'https://media.example.com/face.mp4';
const A = 'https://media.example.com/talk.wav';
const body = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'lipsync-2',
  input: [{ type: 'video', url: V }, { type: 'audio', url: A }],
  ...over,
});

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-srv-api-'));
  await writeFile(join(dir, 'notes.txt'), 'plain text, not a video\n');
  files = await staticServer([join(dir, 'notes.txt')]);
  hooks = await webhookReceiver();
  // workers run (so refused URLs and bad media fail fast), and 127.0.0.1 (only the literal) is allowed
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'a'), allowHosts: ['127.0.0.1'], webhookBaseDelayMs: 100, log: null });
  const a = createKey(srv.db, 'a');
  keyA = a.key;
  secretA = a.record.webhookSecret;
  keyB = createKey(srv.db, 'b').key;
  // queue only (no workers): jobs stay PENDING, so limits and 409s are deterministic
  queueOnly = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'q'), workers: 0, rateLimitPerMinute: 7, concurrencyLimit: 3, log: null });
  qKey = createKey(queueOnly.db, 'q').key;
});

after(async () => {
  await srv?.close(1000);
  await queueOnly?.close(1000);
  await files?.close();
  await hooks?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function expectError(b: unknown, status: number, code: string, message?: RegExp, headers: Record<string, string> = {}): Promise<void> {
  const r = await api(srv.url, keyA, 'POST', '/v2/generate', b, headers);
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(r.json.statusCode, status);
  assert.equal(r.json.errorCode, code, JSON.stringify(r.json));
  assert.equal(typeof r.json.message, 'string');
  if (message) assert.match(r.json.message, message);
}

test('validation: each bad request gets a clear 400/413/422 and nothing is queued', async () => {
  await expectError(body({ model: 'wav2lip' }), 400, 'generation_unsupported_model', /wav2lip/);
  await expectError(body({ model: 'react-1' }), 400, 'generation_unsupported_model', /does not run/);
  await expectError({ input: body().input }, 400, 'generation_input_validation_failed', /model is required/);
  await expectError(body({ input: [{ type: 'audio', url: A }] }), 400, 'generation_input_validation_failed', /no video/);
  await expectError(body({ input: [{ type: 'video', url: V }] }), 400, 'generation_input_validation_failed', /no audio/);
  await expectError(body({ input: [{ type: 'video', url: V, assetId: 'x' }, { type: 'audio', url: A }] }), 400, 'generation_input_validation_failed', /both url and assetId/);
  await expectError(body({ input: [{ type: 'video' }, { type: 'audio', url: A }] }), 400, 'generation_input_validation_failed', /url or an assetId/);
  await expectError(body({ input: [{ type: 'video', url: V }, { type: 'video', url: V }, { type: 'audio', url: A }] }), 400, 'generation_input_too_many_visual');
  await expectError(body({ input: [{ type: 'video', url: 'ftp://x/y.mp4' }, { type: 'audio', url: A }] }), 400, 'generation_input_validation_failed', /http/);
  await expectError(body({ options: { sync_mode: 'stretch' } }), 400, 'generation_input_validation_failed', /sync_mode/);
  await expectError(body({ options: { temperature: 1.5 } }), 400, 'generation_input_validation_failed', /temperature/);
  await expectError(body({ options: { temperature: 'hot' } }), 400, 'generation_input_validation_failed', /temperature/);
  await expectError(body({ options: { active_speaker_detection: { coordinates: [1] } } }), 400, 'generation_input_validation_failed', /coordinates/);
  const seg = (segments: unknown): Record<string, unknown> => body({ input: [{ type: 'video', url: V }, { type: 'audio', url: A, refId: 'a1' }], segments });
  await expectError(seg([{ startTime: 2, endTime: 1, audioInput: { refId: 'a1' } }]), 400, 'generation_input_segments_invalid');
  await expectError(seg([{ startTime: 0, endTime: 2, audioInput: { refId: 'zz' } }]), 400, 'generation_input_segments_invalid', /names no audio/);
  await expectError(seg([{ startTime: 0, endTime: 2, audioInput: { refId: 'a1' } }, { startTime: 1, endTime: 3, audioInput: { refId: 'a1' } }]), 400, 'generation_input_segments_invalid', /overlap/);
  await expectError(seg('all of it'), 400, 'generation_input_segments_invalid');
  await expectError(body({ outputFileName: '../etc/passwd' }), 400, 'generation_input_validation_failed', /outputFileName/);
  await expectError(body({ outputFileName: 'out.mp4' }), 400, 'generation_input_validation_failed', /outputFileName/);
  await expectError('{"model": ', 400, 'generation_input_validation_failed', /JSON/);
  await expectError(JSON.stringify(body({ pad: 'x'.repeat(1_100_000) })), 413, 'generation_input_validation_failed');
  await expectError(body({ input: [{ type: 'video', assetId: 'nope' }, { type: 'audio', url: A }] }), 404, 'asset_not_found');
  await expectError(body(), 400, 'invalid_idempotency_key', undefined, { 'idempotency-key': 'not valid!' });
  // multipart over the parser's field limit
  const form = new FormData();
  for (let i = 0; i < 40; i++) form.append(`f${i}`, 'x');
  const r = await fetch(`${srv.url}/v2/generate`, { method: 'POST', headers: { 'x-api-key': keyA }, body: form });
  assert.equal(r.status, 413);
  assert.equal(((await r.json()) as { errorCode: string }).errorCode, 'generation_input_validation_failed');
  assert.equal((await api(srv.url, keyA, 'GET', '/v2/generations')).json.length, 0, 'nothing was queued');
});

test('auth: no key and a bad key are 401; /v2/errors and health need none', async () => {
  const none = await api(srv.url, undefined, 'GET', '/v2/generations');
  assert.equal(none.status, 401);
  assert.equal(none.json.message, 'Either Cookie or x-api-key header must be provided');
  const bad = await api(srv.url, 'rsk_nope', 'GET', '/v2/generations');
  assert.equal(bad.status, 401);
  assert.equal((await api(srv.url, undefined, 'GET', '/v2/errors')).status, 200);
  assert.equal((await api(srv.url, undefined, 'GET', '/v2/healthcheck')).status, 200);
  assert.equal((await api(srv.url, keyA, 'GET', '/v2/nothing-here')).status, 404);
  // browsers: preflight without a key, then the header-authenticated call carries CORS headers
  const pre = await fetch(`${srv.url}/v2/generate`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, content-type' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /x-api-key/);
  assert.equal(none.headers.get('access-control-allow-origin'), '*');
});

test('SSRF: loopback by name, private and metadata addresses are refused; bad media fails with a code; FAILED webhook is signed', async () => {
  const cases: Array<[string, string]> = [
    [`http://localhost:${files.port}/face.mp4`, 'generation_input_video_inaccessible'], // a name that resolves to 127.0.0.1
    ['http://169.254.169.254/latest/meta-data/', 'generation_input_video_inaccessible'],
    ['http://10.1.2.3/face.mp4', 'generation_input_video_inaccessible'],
    [`http://[::1]:${files.port}/face.mp4`, 'generation_input_video_inaccessible'],
    [`${files.url}/notes.txt`, 'generation_input_video_invalid'], // allowed host, but not a video
  ];
  const created: Array<[string, string]> = [];
  for (const [url, code] of cases) {
    const r = await api(srv.url, keyA, 'POST', '/v2/generate', body({ input: [{ type: 'video', url }, { type: 'audio', url: A }], webhookUrl: `${hooks.url}/failed` }));
    assert.equal(r.status, 201, JSON.stringify(r.json));
    created.push([r.json.id, code]);
  }
  for (const [id, code] of created) {
    const g = await waitDone(srv.url, keyA, id, 60_000);
    assert.equal(g.status, 'FAILED');
    assert.equal(g.errorCode, code, `${id}: ${g.error}`);
    assert.ok(g.error.length > 0);
  }
  const [firstId] = created[0];
  const hook = await hooks.waitFor((d) => d.json.id === firstId);
  assert.equal(hook.json.status, 'FAILED');
  assert.equal(hook.json.error_code, 'generation_input_video_inaccessible');
  assert.ok(verifySignature(secretA, hook.body, String(hook.headers['sync-signature'])));
});

test('webhooks are retried with backoff until the receiver accepts', async () => {
  hooks.failNext(2, '/retry');
  const r = await api(srv.url, keyA, 'POST', '/v2/generate', body({ input: [{ type: 'video', url: 'http://10.9.9.9/x.mp4' }, { type: 'audio', url: A }], webhookUrl: `${hooks.url}/retry` }));
  const d = await hooks.waitFor((x) => x.json.id === r.json.id, 30_000);
  assert.equal(d.json.status, 'FAILED');
  // the receiver has it; the server records the delivery once the 200 is back
  const read = (): { attempts: number; delivered_at: string | null } =>
    srv.db.prepare('SELECT attempts, delivered_at FROM webhook_deliveries WHERE generation_id = ?').get(r.json.id) as { attempts: number; delivered_at: string | null };
  const until = Date.now() + 10_000;
  while (!read().delivered_at && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
  assert.equal(read().attempts, 3);
  assert.ok(read().delivered_at);
  assert.equal(hooks.deliveries.filter((x) => x.json.id === r.json.id).length, 1);
});

test('key isolation: another key sees none of my generations, assets or batches', async () => {
  const mine = await api(srv.url, keyA, 'GET', '/v2/generations');
  assert.ok(mine.json.length > 0);
  const id = mine.json[0].id;
  assert.equal((await api(srv.url, keyB, 'GET', `/v2/generate/${id}`)).status, 404);
  assert.equal((await api(srv.url, keyB, 'GET', `/v2/generations/${id}/download`)).status, 404);
  assert.equal((await api(srv.url, keyB, 'DELETE', `/v2/generations/${id}`)).status, 404);
  assert.equal((await api(srv.url, keyB, 'GET', '/v2/generations')).json.length, 0);
  assert.equal((await api(srv.url, keyB, 'GET', `/v2/generations?ids=${id}`)).json.length, 0);
  const pre = await api(srv.url, keyA, 'POST', '/v2/assets/upload', { fileName: 'n.txt', contentType: 'text/plain', size: 5 });
  await fetch(pre.json.uploadUrl, { method: 'PUT', body: 'hello' });
  const asset = await api(srv.url, keyA, 'POST', '/v2/assets', { url: pre.json.url, type: 'AUDIO' });
  assert.equal(asset.status, 201);
  assert.equal((await api(srv.url, keyB, 'GET', `/v2/assets/${asset.json.id}`)).status, 404);
  assert.equal((await api(srv.url, keyB, 'GET', '/v2/assets')).json.items.length, 0);
  // B cannot use A's asset, nor register A's upload as its own
  const useIt = await api(srv.url, keyB, 'POST', '/v2/generate', body({ input: [{ type: 'video', url: V }, { type: 'audio', assetId: asset.json.id }] }));
  assert.equal(useIt.status, 404);
  assert.equal((await api(srv.url, keyB, 'POST', '/v2/assets', { url: pre.json.url, type: 'AUDIO' })).status, 404);
  const line = JSON.stringify({ request_id: 'r1', endpoint: '/v2/generate', payload: body({ input: [{ type: 'video', url: 'http://10.0.0.8/v.mp4' }, { type: 'audio', url: A }] }) });
  const form = new FormData();
  form.append('input', new Blob([line + '\n']), 'batch.jsonl');
  const batchRes = await fetch(`${srv.url}/v2/batch`, { method: 'POST', headers: { 'x-api-key': keyA }, body: form });
  assert.equal(batchRes.status, 201);
  const batch = (await batchRes.json()) as { id: string };
  assert.equal((await api(srv.url, keyA, 'GET', `/v2/batch/${batch.id}`)).status, 200);
  assert.equal((await api(srv.url, keyB, 'GET', `/v2/batch/${batch.id}`)).status, 404);
  assert.equal((await api(srv.url, keyB, 'GET', '/v2/batch')).json.length, 0);
  assert.equal((await api(srv.url, keyB, 'DELETE', `/v2/assets/${asset.json.id}`)).status, 404);
  assert.equal((await api(srv.url, keyA, 'DELETE', `/v2/assets/${asset.json.id}`)).status, 200);
  assert.equal((await api(srv.url, keyA, 'GET', `/v2/assets/${asset.json.id}`)).status, 404);
});

test('Idempotency-Key: a retried create returns the same generation', async () => {
  const h = { 'idempotency-key': 'order-42.retry_1' };
  const one = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body(), h);
  const two = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body(), h);
  assert.equal(one.status, 201);
  assert.equal(two.status, 201);
  assert.equal(two.json.id, one.json.id);
  assert.equal(two.headers.get('idempotent-replayed'), 'true');
  const reused = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body({ options: { sync_mode: 'loop' } }), h);
  assert.equal(reused.status, 422);
  assert.equal(reused.json.errorCode, 'idempotency_key_reused');
  const other = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body(), { 'idempotency-key': 'order-43' });
  assert.notEqual(other.json.id, one.json.id);
});

test('delete is refused with 409 while a generation is pending', async () => {
  const list = await api(queueOnly.url, qKey, 'GET', '/v2/generations?status=PENDING');
  const del = await api(queueOnly.url, qKey, 'DELETE', `/v2/generations/${list.json[0].id}`);
  assert.equal(del.status, 409);
  assert.equal(del.json.errorCode, 'generation_not_deletable_while_processing');
});

test('per-key concurrency limit (429 concurrency_limit_reached) and rate limit (429 rate_limit_exceeded)', async () => {
  // two generations are pending from the idempotency test; the limit is 3
  const third = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body());
  assert.equal(third.status, 201);
  const fourth = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body());
  assert.equal(fourth.status, 429);
  assert.equal(fourth.json.errorCode, 'concurrency_limit_reached');
  assert.equal(fourth.json.concurrencyLimit, 3);
  // 6 creates so far (a replay and a refused reuse included) against a limit of 7 per minute
  // a refused multipart create leaves no uploaded files behind
  const form = new FormData();
  form.append('model', 'lipsync-2');
  form.append('video', new Blob([Buffer.alloc(2048, 1)]), 'v.mp4');
  form.append('audio', new Blob([Buffer.alloc(2048, 2)]), 'a.wav');
  const sixthRes = await fetch(`${queueOnly.url}/v2/generate`, { method: 'POST', headers: { 'x-api-key': qKey }, body: form });
  assert.equal(sixthRes.status, 429);
  assert.equal(((await sixthRes.json()) as { errorCode: string }).errorCode, 'concurrency_limit_reached');
  assert.equal((queueOnly.db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n, 0);
  const seventh = await api(queueOnly.url, qKey, 'POST', '/v2/generate', body());
  assert.equal(seventh.status, 429);
  assert.equal(seventh.json.errorCode, 'rate_limit_exceeded');
  assert.ok(Number(seventh.headers.get('retry-after')) >= 1);
  // reads have their own budget
  assert.equal((await api(queueOnly.url, qKey, 'GET', '/v2/generations')).status, 200);
});

test('a generation that hangs fails with generation_timed_out instead of staying PROCESSING', async () => {
  const net = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const stall = net.createServer((s) => sockets.push(s)); // accepts, never answers
  await new Promise<void>((r) => stall.listen(0, '127.0.0.1', () => r()));
  const port = (stall.address() as import('node:net').AddressInfo).port;
  const s = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 't'), allowHosts: ['127.0.0.1'], jobTimeoutMs: 500, log: null });
  try {
    const k = createKey(s.db, 't').key;
    const r = await api(s.url, k, 'POST', '/v2/generate', body({ input: [{ type: 'video', url: `http://127.0.0.1:${port}/v.mp4` }, { type: 'audio', url: A }] }));
    const g = await waitDone(s.url, k, r.json.id, 20_000);
    assert.equal(g.status, 'FAILED');
    assert.equal(g.errorCode, 'generation_timed_out');
  } finally {
    await s.close(100);
    for (const x of sockets) x.destroy();
    stall.close();
  }
});

test('webhooks to refused addresses are never sent (same address guard as inputs) and are given up', async () => {
  const s = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'w'), allowHosts: ['127.0.0.1'], webhookMaxAttempts: 2, webhookBaseDelayMs: 50, log: null });
  try {
    const k = createKey(s.db, 'w').key;
    const targets = [`http://localhost:${hooks.port}/ssrf-name`, 'http://169.254.169.254/latest/meta-data/', `http://[::1]:${hooks.port}/ssrf-v6`];
    const ids: string[] = [];
    for (const url of targets) {
      const r = await api(s.url, k, 'POST', '/v2/generate', body({ input: [{ type: 'video', url: 'http://10.0.0.9/v.mp4' }, { type: 'audio', url: A }], webhookUrl: url }));
      assert.equal(r.status, 201);
      ids.push(r.json.id);
    }
    const read = (id: string): { attempts: number; failed_at: string | null; last_error: string | null } =>
      s.db.prepare('SELECT attempts, failed_at, last_error FROM webhook_deliveries WHERE generation_id = ?').get(id) as { attempts: number; failed_at: string | null; last_error: string | null } ?? { attempts: 0, failed_at: null, last_error: null };
    const until = Date.now() + 20_000;
    while (ids.some((id) => !read(id).failed_at) && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
    for (const id of ids) {
      const row = read(id);
      assert.ok(row.failed_at, `${id} given up`);
      assert.equal(row.attempts, 2);
      assert.match(row.last_error ?? '', /refused|not permitted|loopback|link-local|resolves to/i);
    }
    assert.equal(hooks.deliveries.filter((d) => ids.includes(String(d.json.id))).length, 0, 'nothing reached the receiver');
  } finally {
    await s.close(100);
  }
});

test('concurrent asset registrations all succeed (each is numbered after its probe)', async () => {
  const urls: string[] = [];
  for (let i = 0; i < 6; i++) {
    const pre = await api(srv.url, keyA, 'POST', '/v2/assets/upload', { fileName: `n${i}.wav`, contentType: 'audio/wav', size: 4 });
    await fetch(pre.json.uploadUrl, { method: 'PUT', body: 'RIFF' });
    urls.push(pre.json.url);
  }
  const regs = await Promise.all(urls.map((url) => api(srv.url, keyA, 'POST', '/v2/assets', { url, type: 'AUDIO' })));
  assert.deepEqual(regs.map((r) => r.status), [201, 201, 201, 201, 201, 201]);
});
