/**
 * Wire compatibility, judged by the official @sync.so/sdk pointed at a Resync server: every SDK
 * method is called (generations create / createWithFiles / get / list / estimateCost, batch
 * create (dry run and real) / get / list, assets list / get, models list) and three real engine
 * runs complete (asset ids, uploaded files, a batch line with URL inputs). Also: the output MP4
 * serves range requests, the webhook arrives once and its signature verifies, long poll and
 * progress, download, delete, the results JSONL, /api-json, health and the error catalogue.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mediaTools } from '../src/engine/media/tools.js';
import { Sync, SyncClient, SyncError } from '@sync.so/sdk';
import { startServer, type RunningServer } from '../src/server/server.js';
import { createKey } from '../src/server/keys.js';
import { verifySignature } from '../src/server/webhooks.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { api, makeMedia, staticServer, waitDone, webhookReceiver, type Listening, type Media, type Receiver } from './server-fixtures.js';

let dir = '';
let media: Media;
let srv: RunningServer;
let files: Listening;
let hooks: Receiver;
let key = '';
let sync: SyncClient;
const ids: { asset?: string; files?: string; batch?: string; batchGen?: string; videoAsset?: string; audioAsset?: string } = {};

async function uploadAsset(path: string, type: 'VIDEO' | 'AUDIO', contentType: string): Promise<string> {
  const bytes = await readFile(path);
  const pre = await api(srv.url, key, 'POST', '/v2/assets/upload', { fileName: path.split('/').pop(), contentType, size: bytes.length });
  assert.equal(pre.status, 201, JSON.stringify(pre.json));
  const put = await fetch(pre.json.uploadUrl, { method: 'PUT', headers: { 'content-type': contentType }, body: bytes });
  assert.equal(put.status, 200);
  const reg = await api(srv.url, key, 'POST', '/v2/assets', { url: pre.json.url, type });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  return reg.json.id as string;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-srv-sdk-'));
  media = await makeMedia(dir);
  const still = join(dir, 'still.png');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-i', media.clip, '-frames:v', '1', still]);
  files = await staticServer([media.clip, media.wav, still]);
  hooks = await webhookReceiver();
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), preset: 'ultrafast', allowHosts: ['127.0.0.1'], log: null });
  key = createKey(srv.db, 'sdk').key;
  sync = new SyncClient({ baseUrl: srv.url, apiKey: key });
});

after(async () => {
  await srv?.close(1000);
  await files?.close();
  await hooks?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('assets: presign → PUT → register, then the SDK lists and gets them', async () => {
  ids.videoAsset = await uploadAsset(media.clip, 'VIDEO', 'video/mp4');
  ids.audioAsset = await uploadAsset(media.wav, 'AUDIO', 'audio/wav');
  const page = await sync.assets.list({ limit: 10 });
  assert.equal(page.items.length, 2);
  assert.equal(page.totalCount, 2);
  const audioOnly = await sync.assets.list({ types: ['AUDIO'] });
  assert.deepEqual(audioOnly.items.map((a) => a.id), [ids.audioAsset]);
  const first = await sync.assets.list({ limit: 1 });
  assert.equal(first.items.length, 1);
  assert.ok(first.nextCursor);
  const v = await sync.assets.get(ids.videoAsset);
  assert.equal(v.type, 'VIDEO');
  assert.equal(v.inputType, 'UPLOAD');
  assert.ok(Math.abs((v.durationSeconds ?? 0) - 1.2) < 0.1, `duration ${v.durationSeconds}`);
  assert.equal(v.width, 400);
  await assert.rejects(sync.assets.get('no-such-asset'), (e: unknown) => e instanceof SyncError && e.statusCode === 404);
});

test('estimateCost reads the inputs; /v2/generations/estimate works from a duration', async () => {
  const est = await sync.generations.estimateCost({
    model: 'lipsync-2',
    input: [{ type: 'video', assetId: ids.videoAsset }, { type: 'audio', assetId: ids.audioAsset }],
    options: { sync_mode: 'cut_off' },
  });
  assert.equal(est.length, 1);
  assert.ok(est[0].estimatedFrameCount >= 20 && est[0].estimatedFrameCount <= 30, `frames ${est[0].estimatedFrameCount}`);
  assert.ok(est[0].estimatedGenerationCost > 0);
  const d = await api(srv.url, key, 'POST', '/v2/generations/estimate', { model: 'sync-3', duration: 10 });
  assert.equal(d.status, 200);
  assert.equal(d.json.estimatedFrameCount, 300);
});

test('generations.create with asset ids runs the engine to COMPLETED; webhook once, signed', async () => {
  const g = await sync.generations.create({
    model: 'lipsync-2',
    input: [{ type: 'video', assetId: ids.videoAsset }, { type: 'audio', assetId: ids.audioAsset }],
    options: { sync_mode: 'cut_off', temperature: 0.5, active_speaker_detection: { auto_detect: true } },
    webhookUrl: `${hooks.url}/hook`,
    outputFileName: 'first_take',
  });
  assert.equal(g.status, 'PENDING');
  ids.asset = g.id;
  // while it runs, progress is reported (the 409 on delete is checked with a queue-only server in server-api)
  const p = await api(srv.url, key, 'GET', `/v2/generate/${g.id}?include=progress`);
  assert.equal(typeof p.json.progress_percent, 'number');
  const done = await waitDone(srv.url, key, g.id);
  assert.equal(done.status, 'COMPLETED', JSON.stringify(done));
  const got = await sync.generations.get(g.id);
  assert.equal(got.status, 'COMPLETED');
  assert.match(got.outputUrl ?? '', /\/first_take\.mp4$/);
  assert.ok((got.outputDuration ?? 0) > 0.8);

  // the output is a real video and seeks (range request → 206)
  const out = join(dir, 'out.mp4');
  await writeFile(out, Buffer.from(await (await fetch(got.outputUrl!)).arrayBuffer()));
  const info = await probeMedia(out);
  assert.equal(info.video?.width, 400);
  assert.ok(info.audio);
  const part = await fetch(got.outputUrl!, { headers: { range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.equal((await part.arrayBuffer()).byteLength, 100);
  assert.match(part.headers.get('content-range') ?? '', /^bytes 100-199\/\d+$/);

  const dl = await api(srv.url, key, 'GET', `/v2/generations/${g.id}/download`);
  assert.equal(dl.status, 200);
  assert.equal(dl.json, got.outputUrl);

  // the engine's quality report is linked from the generation and needs the same key
  const reportUrl = (done as { reportUrl?: string }).reportUrl;
  assert.equal(reportUrl, `${srv.url}/v2/generations/${g.id}/report`);
  const rep = await api(srv.url, key, 'GET', `/v2/generations/${g.id}/report`);
  assert.equal(rep.status, 200);
  assert.equal(rep.json.format, 'resync.report');
  assert.equal(rep.json.perFrame.length, rep.json.frames.total);
  assert.ok(rep.json.frames.edited > 0);
  assert.equal((await fetch(reportUrl!)).status, 401, 'the report needs a key');

  const hook = await hooks.waitFor((d) => d.json.id === g.id);
  assert.equal(hook.json.status, 'COMPLETED');
  assert.ok('error_code' in hook.json && !('errorCode' in hook.json), 'webhook uses error_code');
  const secret = (await api(srv.url, key, 'GET', '/v2/organizations/webhook/secret')).json.secret as string;
  assert.ok(verifySignature(secret, hook.body, String(hook.headers['sync-signature'])));
  assert.ok(!verifySignature('whsec_wrong', hook.body, String(hook.headers['sync-signature'])));
  // and as a receiver would check it by hand: HMAC-SHA256 over "<t>.<raw body>"
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['sync-signature']))!;
  assert.equal(createHmac('sha256', secret).update(`${t}.${hook.body}`).digest('hex'), v1);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(hooks.deliveries.filter((d) => d.json.id === g.id).length, 1);
});

test('generations.createWithFiles uploads video and audio and completes; long poll answers', async () => {
  const g = await sync.generations.createWithFiles(createReadStream(media.clip), createReadStream(media.wav), { model: 'lipsync-2', options: { sync_mode: 'loop' } });
  assert.equal(g.status, 'PENDING');
  ids.files = g.id;
  const t0 = Date.now();
  const r = await api(srv.url, key, 'GET', `/v2/generate/${g.id}?wait=true&timeout=1`);
  assert.equal(r.headers.get('x-sync-wait-mode'), 'long_poll');
  if (r.json.status !== 'COMPLETED') assert.ok(Date.now() - t0 >= 900, 'long poll waited');
  const done = await waitDone(srv.url, key, g.id);
  assert.equal(done.status, 'COMPLETED', JSON.stringify(done));
  const bad = await api(srv.url, key, 'GET', `/v2/generate/${g.id}?wait=true&timeout=30`);
  assert.equal(bad.status, 400);
});

test('batch: dry run validates, a real batch runs, get/list and the results JSONL', async () => {
  const line = (id: string): string => JSON.stringify({
    request_id: id,
    endpoint: '/v2/generate',
    payload: { model: 'lipsync-2', input: [{ type: 'video', url: `${files.url}/face.mp4` }, { type: 'audio', url: `${files.url}/talk.wav` }] },
  });
  const jsonl = join(dir, 'batch.jsonl');
  await writeFile(jsonl, line('clip_001') + '\n');
  // the real batch also has a still image (sync-3 takes image input)
  const still = JSON.stringify({
    request_id: 'still_001',
    endpoint: '/v2/generate',
    payload: { model: 'sync-3', input: [{ type: 'image', url: `${files.url}/still.png` }, { type: 'audio', url: `${files.url}/talk.wav` }] },
  });
  const jsonl2 = join(dir, 'batch2.jsonl');
  await writeFile(jsonl2, line('clip_001') + '\n' + still + '\n');
  const dry = await sync.batch.create(createReadStream(jsonl), { dry_run: true });
  assert.deepEqual(dry, { status: 'VALIDATED' });
  assert.equal((await sync.batch.list()).length, 0, 'a dry run stores nothing');

  const badFile = join(dir, 'bad.jsonl');
  await writeFile(badFile, '{"request_id":"x","payload":{"model":"lipsync-2","input":[]}}\n');
  await assert.rejects(sync.batch.create(createReadStream(badFile), { dry_run: true }), (e: unknown) => e instanceof SyncError && e.statusCode === 400);

  const b = await sync.batch.create(createReadStream(jsonl2), { webhook_url: `${hooks.url}/batch` });
  assert.ok('id' in b);
  const batch = b as { id: string; metrics: { total_generations: number }; outputUrl: string; created_at: string };
  ids.batch = batch.id;
  assert.equal(batch.metrics.total_generations, 2);
  const until = Date.now() + 120_000;
  let cur = await sync.batch.get(batch.id);
  while (cur.status !== 'COMPLETED' && cur.status !== 'FAILED' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    cur = await sync.batch.get(batch.id);
  }
  assert.equal(cur.status, 'COMPLETED', JSON.stringify(cur));
  assert.deepEqual(cur.metrics, { total_generations: 2, success_count: 2, failed_count: 0, pending_count: 0 });
  const listed = await sync.batch.list();
  assert.deepEqual(listed.map((x) => x.id), [batch.id]);
  assert.equal((await sync.batch.list({ status: 'COMPLETED' })).length, 1);
  assert.equal((await sync.batch.list({ created_after: new Date(Date.now() + 60_000).toISOString() })).length, 0);
  const results = (await (await fetch(cur.outputUrl)).text()).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(results.map((r) => [r.request_id, r.status]), [['clip_001', 'COMPLETED'], ['still_001', 'COMPLETED']]);
  ids.batchGen = results[0].generation_id;
  for (const r of results) await hooks.waitFor((d) => d.json.id === r.generation_id);
  const stillOut = join(dir, 'still-out.mp4');
  await writeFile(stillOut, Buffer.from(await (await fetch(results[1].outputUrl)).arrayBuffer()));
  const info = await probeMedia(stillOut);
  assert.ok(info.video && info.audio && info.duration > 0.8, 'the still image became a talking video');
});

test('segments: audio laid over part of the video (refIds map onto the engine), output keeps the video length', async () => {
  const g = await sync.generations.create({
    model: 'lipsync-2',
    input: [{ type: 'video', url: `${files.url}/face.mp4` }, { type: 'audio', assetId: ids.audioAsset, refId: 'line1' }],
    segments: [{ startTime: 0.2, endTime: 1.0, audioInput: { refId: 'line1' } }],
  });
  const done = await waitDone(srv.url, key, g.id);
  assert.equal(done.status, 'COMPLETED', JSON.stringify(done));
  assert.ok(Math.abs(done.outputDuration - 1.2) < 0.1, `output ${done.outputDuration}s`);
  assert.deepEqual(done.segments, [{ startTime: 0.2, endTime: 1.0, audioInput: { refId: 'line1' } }]);
});

test('generations.list filters by status and ids; get, delete once finished', async () => {
  const all = await sync.generations.list();
  assert.equal(all.length, 5);
  const completed = await sync.generations.list({ status: ['COMPLETED'] });
  assert.equal(completed.length, 5);
  assert.equal((await sync.generations.list({ status: ['FAILED', 'PENDING'] })).length, 0);
  const two = await sync.generations.list({ ids: [ids.asset!, ids.files!] });
  assert.deepEqual(new Set(two.map((g) => g.id)), new Set([ids.asset, ids.files]));
  assert.deepEqual((await api(srv.url, key, 'GET', '/v2/generations/count?status=COMPLETED')).json, { count: 5 });
  const page = await api(srv.url, key, 'GET', '/v2/generations?limit=2');
  assert.equal(page.json.length, 2);
  const next = await api(srv.url, key, 'GET', `/v2/generations?limit=2&cursor=${page.json[1].id}`);
  assert.equal(next.json.length, 2);
  const del = await api(srv.url, key, 'DELETE', `/v2/generations/${ids.files}`);
  assert.equal(del.status, 200);
  await assert.rejects(sync.generations.get(ids.files!), (e: unknown) => e instanceof SyncError && e.statusCode === 404);
});

test('models.list, the error catalogue, health and the OpenAPI document', async () => {
  const models = await sync.models.list();
  assert.deepEqual(models.map((m) => m.id).sort(), ['lipsync-2', 'lipsync-2-pro', 'sync-3']);
  const errors = await api(srv.url, undefined, 'GET', '/v2/errors');
  assert.equal(errors.status, 200);
  const codes = (errors.json as Array<{ code: string }>).map((e) => e.code);
  for (const c of ['generation_input_video_inaccessible', 'rate_limit_exceeded', 'concurrency_limit_reached', 'generation_no_face_detected']) assert.ok(codes.includes(c), c);
  const health = await api(srv.url, undefined, 'GET', '/health');
  assert.equal(health.json.status, 'ok');
  const doc = await api(srv.url, undefined, 'GET', '/api-json');
  assert.equal(doc.json.openapi, '3.0.3');
  assert.ok(doc.json.paths['/v2/generate'].post);
});

test('error answers reach the SDK as its own error classes with Sync bodies', async () => {
  await assert.rejects(
    sync.generations.create({ model: 'lipsync-2', input: [{ type: 'video', url: `${files.url}/face.mp4` }] }),
    (e: unknown) => e instanceof Sync.BadRequestError && (e.body as { errorCode?: string }).errorCode === 'generation_input_validation_failed',
  );
  await assert.rejects(
    sync.generations.create({ model: 'lipsync-2', input: [{ type: 'video', url: `${files.url}/face.mp4` }, { type: 'audio', url: `${files.url}/talk.wav` }], options: { temperature: 3 } }),
    (e: unknown) => e instanceof Sync.BadRequestError && /temperature/.test(String((e.body as { message?: string }).message)),
  );
  const stranger = new SyncClient({ baseUrl: srv.url, apiKey: 'rsk_not_a_key' });
  await assert.rejects(stranger.generations.list(), (e: unknown) => e instanceof Sync.UnauthorizedError);
  await assert.rejects(sync.generations.get('00000000-0000-0000-0000-000000000000'), (e: unknown) => e instanceof Sync.NotFoundError && (e.body as { errorCode?: string }).errorCode === 'generation_not_found');
});
