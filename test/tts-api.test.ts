/**
 * Text input through the API server: a multipart create with a video file and a
 * `{type: "text"}` input runs text-to-speech, lip-syncs the clip to it, and links the kept speech
 * as `synthesizedAudioUrl` (served like outputs); Sync's default provider name "elevenlabs" and
 * unknown voices are refused at create time; cost estimates work from the script.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/server/server.js';
import { createKey } from '../src/server/keys.js';
import { listEspeakVoices } from '../src/engine/tts/espeak.js';
import { faceClip } from './generate-fixtures.js';

let dir = '';
let clip = '';
let server: RunningServer;
let key = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-tts-api-'));
  clip = faceClip(join(dir, 'face.mp4'), 1.5);
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), workers: 1, preset: 'ultrafast', log: null });
  key = createKey(server.db, 'tts-test').key;
});

after(async () => {
  await server?.close(0);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}): Promise<Response> => fetch(server.url + path, { ...init, headers: { 'x-api-key': key, ...(init.headers as Record<string, string>) } });
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function createWithText(provider: Record<string, unknown>): Promise<Response> {
  const form = new FormData();
  form.set('model', 'lipsync-2');
  form.set('input', JSON.stringify([{ type: 'text', provider }]));
  form.set('video', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'face.mp4');
  return api('/v2/generate', { method: 'POST', body: form });
}

test('API: a text input is spoken, lip-synced and its speech kept as synthesizedAudioUrl', async () => {
  const res = await createWithText({ name: 'espeak', voiceId: 'en-us', script: 'Hello, my mama made a pie.' });
  assert.equal(res.status, 201, await res.clone().text());
  const created = (await res.json()) as { id: string; status: string; input: Array<{ type: string; provider?: { script: string } }>; synthesizedAudioUrl: string | null };
  assert.equal(created.status, 'PENDING');
  assert.deepEqual(created.input.map((i) => i.type).sort(), ['text', 'video']);
  assert.equal(created.synthesizedAudioUrl, null);

  let g: Record<string, unknown> = {};
  for (let i = 0; i < 60; i++) {
    g = (await (await api(`/v2/generate/${created.id}?wait=true&timeout=5`)).json()) as Record<string, unknown>;
    if (g.status === 'COMPLETED' || g.status === 'FAILED') break;
  }
  assert.equal(g.status, 'COMPLETED', `${String(g.errorCode)}: ${String(g.error)}`);
  assert.match(String(g.synthesizedAudioUrl), /\/files\/[0-9a-f]+-speech\/synthesized-audio\.wav$/);
  const speech = await fetch(String(g.synthesizedAudioUrl));
  assert.equal(speech.status, 200);
  assert.equal(speech.headers.get('content-type'), 'audio/wav');
  const wav = Buffer.from(await speech.arrayBuffer());
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.ok(wav.length > 22050, 'about a second of speech or more');
  // The output runs as long as the speech (cut_off with a longer clip).
  const seconds = (wav.length - 44) / 2 / 22050;
  assert.ok(Math.abs(Number(g.outputDuration) - Math.min(seconds, 1.5)) < 0.15, `output ${g.outputDuration} s, speech ${seconds.toFixed(2)} s`);
  const out = await fetch(String(g.outputUrl));
  assert.equal(out.status, 200);
  await out.body?.cancel();
});

test('API: a text input can fill a segment (refId) like an audio input', async () => {
  const form = new FormData();
  form.set('model', 'lipsync-2');
  form.set('input', JSON.stringify([{ type: 'text', refId: 'line1', provider: { name: 'espeak', voiceId: 'en', script: 'Hi there.' } }]));
  form.set('segments', JSON.stringify([{ startTime: 0.2, endTime: 1.2, audioInput: { refId: 'line1' } }]));
  form.set('video', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'face.mp4');
  const res = await api('/v2/generate', { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = (await res.json()) as { id: string };
  let g: Record<string, unknown> = {};
  for (let i = 0; i < 60; i++) {
    g = (await (await api(`/v2/generate/${id}?wait=true&timeout=5`)).json()) as Record<string, unknown>;
    if (g.status === 'COMPLETED' || g.status === 'FAILED') break;
  }
  assert.equal(g.status, 'COMPLETED', `${String(g.errorCode)}: ${String(g.error)}`);
  assert.ok(Math.abs(Number(g.outputDuration) - 1.5) < 0.1, `segments keep the video's length (${g.outputDuration} s)`);
  assert.ok(g.synthesizedAudioUrl);
});

test('API: unconfigured providers, unknown voices and empty scripts are refused at create time', async () => {
  // The voice list loads in the background at start-up; espeak calls run in order, so once this
  // one answers the server's copy is in place.
  await listEspeakVoices();
  const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
    [{ name: 'elevenlabs', voiceId: 'EXAVITQu4vr4xnSDxMaL', script: 'Hello there' }, 422, 'tts_provider_not_configured', /"elevenlabs" is not configured/],
    [{ name: 'espeak', voiceId: 'xx-none', script: 'Hello there' }, 422, 'tts_voice_not_found', /no voice "xx-none"/],
    [{ name: 'espeak', script: '' }, 400, 'generation_input_validation_failed', /script must be a non-empty string/],
  ];
  for (const [provider, status, code, msg] of cases) {
    const res = await createWithText(provider);
    const body = (await res.json()) as { statusCode: number; errorCode: string; message: string };
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(body.errorCode, code);
    assert.match(body.message, msg);
  }
  // Audio and text together without segments is one speech input too many.
  const both = await api('/v2/generate', json({ model: 'lipsync-2', input: [{ type: 'video', url: 'https://example.com/v.mp4' }, { type: 'audio', url: 'https://example.com/a.wav' }, { type: 'text', provider: { script: 'hi' } }] }));
  assert.equal(both.status, 400);
});

test('API: the cost of a text input is estimated from the script; voices are listed', async () => {
  const up = (await (await api('/v2/assets/upload', json({ fileName: 'face.mp4', contentType: 'video/mp4' }))).json()) as { uploadUrl: string; url: string };
  assert.equal((await fetch(up.uploadUrl, { method: 'PUT', headers: { 'content-type': 'video/mp4' }, body: await readFile(clip) })).status < 300, true);
  const res = await api('/v2/analyze/cost', json({ model: 'lipsync-2', options: { sync_mode: 'loop' }, input: [{ type: 'video', url: up.url }, { type: 'text', provider: { name: 'espeak', voiceId: 'en', script: 'x'.repeat(140) } }] }));
  assert.equal(res.status, 200, await res.clone().text());
  const [est] = (await res.json()) as Array<{ estimatedFrameCount: number; estimatedGenerationCost: number }>;
  assert.equal(est.estimatedFrameCount, 250, 'about 10 s of speech for 140 characters');

  const voices = (await (await api('/v2/voices')).json()) as Array<{ id: string; languages: string[] }>;
  assert.ok(voices.length >= 100);
  assert.ok(voices.some((v) => v.languages.includes('fr')));
  const eleven = await api('/v2/voices?provider=elevenlabs');
  assert.equal(eleven.status, 422);
});
