/**
 * MCP against the running API server, with the SDK's clients: the streamable-HTTP endpoint at /mcp
 * (authenticated with the server's API keys) and `resync mcp --api-url` over stdio. Both run
 * create-lipsync through the server's own queue, poll to COMPLETED, read the output resource, use
 * a script + voice (speech kept as synthesizedAudioUrl), and report the API's errorCodes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startServer, type RunningServer } from '../src/server/server.js';
import { createKey } from '../src/server/keys.js';
import { faceClip, speechWav } from './generate-fixtures.js';
import { call, errorCodeOf, pollToEnd, readOutput, TOOL_NAMES } from './mcp-client.js';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
let dir = '';
let clip = '';
let talk = '';
let server: RunningServer;
let key = '';
let http: Client;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-mcp-server-'));
  clip = faceClip(join(dir, 'face.mp4'), 1.2);
  talk = (await speechWav(join(dir, 'talk.wav'), 'Hello, my mama made a pie.', 0.2, 0.2)).path;
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), workers: 1, preset: 'ultrafast', log: null });
  key = createKey(server.db, 'mcp-test').key;
  http = new Client({ name: 'resync-test', version: '1.0.0' });
  await http.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { 'x-api-key': key } } }));
});

after(async () => {
  await http?.close();
  await server?.close(0);
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('/mcp: the server\'s keys guard it (401 without or with a revoked/unknown key)', async () => {
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const none = await fetch(`${server.url}/mcp`, { method: 'POST', headers, body: init });
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), { message: 'Either Cookie or x-api-key header must be provided', error: 'Unauthorized', statusCode: 401, errorCode: 'unauthorized' });
  const wrong = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { ...headers, 'x-api-key': 'rsk_wrong' }, body: init });
  assert.equal(wrong.status, 401);
  const { tools } = await http.listTools();
  for (const n of TOOL_NAMES) assert.ok(tools.some((t) => t.name === n), n);
});

test('/mcp: upload, create-lipsync, poll with progress to COMPLETED, read the output; the job is the API\'s', async () => {
  const video = await call(http, 'upload-media', { data: (await readFile(clip)).toString('base64'), fileName: 'face.mp4' });
  assert.equal(video.isError, false, video.text);
  assert.equal(video.structured.type, 'VIDEO');
  const audio = await call(http, 'upload-media', { data: (await readFile(talk)).toString('base64'), fileName: 'talk.wav' });
  assert.equal(audio.structured.type, 'AUDIO', audio.text);
  const created = await call(http, 'create-lipsync', { videoAssetId: video.structured.id, audioAssetId: audio.structured.id, sync_mode: 'cut_off' });
  assert.equal(created.isError, false, created.text);
  const id = String(created.structured.id);
  const { gen, progress } = await pollToEnd(http, id);
  assert.equal(gen.status, 'COMPLETED', String(gen.error));
  assert.ok(progress.length >= 1);
  await readOutput(http, id, dir);
  // The same generation through the REST API with the same key.
  const rest = (await (await fetch(`${server.url}/v2/generate/${id}`, { headers: { 'x-api-key': key } })).json()) as { status: string; outputUrl: string };
  assert.equal(rest.status, 'COMPLETED');
  assert.equal(rest.outputUrl, gen.outputUrl);
  // Another key cannot see it.
  const other = createKey(server.db, 'other').key;
  const c2 = new Client({ name: 'other', version: '1' });
  await c2.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { 'x-api-key': other } } }));
  assert.equal(errorCodeOf(await call(c2, 'generate_get-generation', { id })), 'generation_not_found');
  await c2.close();
});

test('/mcp: a script and voice through the server keep the speech; errors carry the API errorCode', async () => {
  const video = await call(http, 'upload-media', { data: (await readFile(clip)).toString('base64'), fileName: 'face.mp4' });
  const created = await call(http, 'create-lipsync', { videoAssetId: video.structured.id, script: 'Hello, my mama made a pie.', voiceId: 'en' });
  assert.equal(created.isError, false, created.text);
  const { gen } = await pollToEnd(http, String(created.structured.id));
  assert.equal(gen.status, 'COMPLETED', String(gen.error));
  assert.match(String(gen.synthesizedAudioUrl), /synthesized-audio\.wav$/);
  const speech = await http.readResource({ uri: `resync://generations/${gen.id}/synthesized-audio` });
  assert.equal((speech.contents[0] as { mimeType?: string }).mimeType, 'audio/wav');

  const eleven = await call(http, 'create-lipsync', { videoAssetId: video.structured.id, script: 'Hi', ttsProvider: 'elevenlabs', voiceId: 'abc' });
  assert.equal(errorCodeOf(eleven), 'tts_provider_not_configured', eleven.text);
  assert.match(eleven.text, /HTTP 422/);
  assert.equal(errorCodeOf(await call(http, 'create-lipsync', { videoPath: clip, audioPath: talk })), 'generation_input_validation_failed');
  assert.equal(errorCodeOf(await call(http, 'create-lipsync', { videoUrl: 'http://127.0.0.1:1/v.mp4', audioAssetId: 'nope' })), 'asset_not_found');
  assert.equal(errorCodeOf(await call(http, 'generations_delete', { id: 'nope' })), 'generation_not_found');
  const est = await call(http, 'generate_estimate-cost', { model: 'lipsync-2', duration: 10 });
  assert.equal(est.structured.estimatedGenerationCost, 0.5);
  const models = await call(http, 'models_get', {});
  assert.ok((models.structured.models as { name: string }[]).some((m) => m.name === 'sync-3'));
  const voices = await call(http, 'voices_get-all', {});
  assert.ok((voices.structured.voices as unknown[]).length >= 100);
  const del = await call(http, 'generations_delete', { id: gen.id });
  assert.equal(del.isError, false, del.text);
});

test('stdio with --api-url: local paths are uploaded and the job runs on the server', async () => {
  const c = new Client({ name: 'resync-test', version: '1.0.0' });
  await c.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--api-url', server.url], env: { ...process.env, RESYNC_API_KEY: key } as Record<string, string>, stderr: 'pipe' }));
  try {
    await c.listTools(); // the client then checks every structured result against the output schemas
    const created = await call(c, 'create-lipsync', { videoPath: clip, audioPath: talk });
    assert.equal(created.isError, false, created.text);
    assert.ok((created.structured.input as { assetId?: string }[]).every((i) => i.assetId), 'paths became assets');
    const { gen } = await pollToEnd(c, String(created.structured.id));
    assert.equal(gen.status, 'COMPLETED', String(gen.error));
    await readOutput(c, String(gen.id), dir);
  } finally {
    await c.close();
  }
  const bad = new Client({ name: 'resync-test', version: '1.0.0' });
  await bad.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--api-url', server.url], env: { ...process.env, RESYNC_API_KEY: 'rsk_wrong' } as Record<string, string>, stderr: 'pipe' }));
  try {
    assert.equal(errorCodeOf(await call(bad, 'generate_get-generations', {})), 'unauthorized');
  } finally {
    await bad.close();
  }
});
