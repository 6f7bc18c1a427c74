/**
 * The streamable-HTTP MCP endpoint with the SDK's client: requests without a key or with a wrong
 * key get Sync's 401 before any MCP message is read; with a key the same tools run, a generation
 * polls to COMPLETED with progress notifications over the POST's event stream, and the output
 * resource is the video. Local paths are refused over HTTP (media comes as URLs or uploads).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { handleMcpHttp } from '../src/mcp/http.js';
import { LocalBackend } from '../src/mcp/local-backend.js';
import { faceClip, speechWav } from './generate-fixtures.js';
import { call, errorCodeOf, pollToEnd, readOutput, TOOL_NAMES } from './mcp-client.js';

const KEY = 'rsk_test_key_for_mcp_http';
let dir = '';
let clip = '';
let talk = '';
let http: Server;
let url: URL;
let client: Client;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-mcp-http-'));
  clip = faceClip(join(dir, 'face.mp4'), 1.2);
  talk = (await speechWav(join(dir, 'talk.wav'), 'Hello, my mama made a pie.', 0.2, 0.2)).path;
  // Over HTTP the caller's disk is not the server's: local paths are refused.
  const backend = new LocalBackend({ dataDir: join(dir, 'data'), preset: 'ultrafast', allowLocalPaths: false });
  http = createServer((req, res) => {
    if (req.url?.startsWith('/mcp')) void handleMcpHttp(req, res, { backendFor: (k) => (k === KEY ? backend : undefined) });
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
  client = new Client({ name: 'resync-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { 'x-api-key': KEY } } }));
});

after(async () => {
  await client?.close();
  http?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('http: no key or a wrong key is 401 with Sync\'s body; GET is 405', async () => {
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
  const post = (headers: Record<string, string>): Promise<Response> =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(init) });
  const none = await post({});
  assert.equal(none.status, 401);
  assert.match(((await none.json()) as { message: string }).message, /x-api-key header must be provided/);
  const wrong = await post({ 'x-api-key': 'rsk_nope' });
  assert.equal(wrong.status, 401);
  assert.equal(((await wrong.json()) as { errorCode: string }).errorCode, 'unauthorized');
  const bearer = await post({ authorization: `Bearer ${KEY}` });
  assert.equal(bearer.status, 200);
  await bearer.body?.cancel();
  const get = await fetch(url, { headers: { 'x-api-key': KEY, accept: 'text/event-stream' } });
  assert.equal(get.status, 405);

  // The SDK client surfaces the 401 as a failed connect, not a hang.
  const c = new Client({ name: 'nokey', version: '1' });
  await assert.rejects(c.connect(new StreamableHTTPClientTransport(url)));
});

test('http: tools listed; upload by bytes, create-lipsync, poll with progress to COMPLETED, read the output', async () => {
  const { tools } = await client.listTools();
  for (const n of TOOL_NAMES) assert.ok(tools.some((t) => t.name === n), n);

  const refused = await call(client, 'create-lipsync', { videoPath: clip, audioPath: talk });
  assert.equal(errorCodeOf(refused), 'generation_input_validation_failed');
  assert.match(refused.text, /only accepted by the local \(stdio\) server/);
  assert.equal(errorCodeOf(await call(client, 'upload-media', { path: clip })), 'generation_input_validation_failed');

  const video = await call(client, 'upload-media', { data: (await readFile(clip)).toString('base64'), fileName: 'face.mp4' });
  assert.equal(video.isError, false, video.text);
  const audio = await call(client, 'upload-media', { data: (await readFile(talk)).toString('base64'), fileName: 'talk.wav', type: 'AUDIO' });
  assert.equal(audio.structured.type, 'AUDIO');

  const created = await call(client, 'create-lipsync', { videoAssetId: video.structured.id, audioAssetId: audio.structured.id, model: 'sync-3' });
  assert.equal(created.isError, false, created.text);
  assert.equal(created.structured.status, 'PENDING');
  const { gen, progress } = await pollToEnd(client, String(created.structured.id));
  assert.equal(gen.status, 'COMPLETED', String(gen.error));
  assert.ok(progress.length >= 1, 'progress notifications arrived over HTTP');
  await readOutput(client, String(gen.id), dir);
});

test('http: tool errors carry the API errorCode', async () => {
  const eleven = await call(client, 'generate_create-generation', {
    model: 'lipsync-2',
    input: [{ type: 'video', url: 'https://example.com/v.mp4' }, { type: 'text', provider: { name: 'elevenlabs', voiceId: 'x', script: 'Hello' } }],
  });
  assert.equal(errorCodeOf(eleven), 'tts_provider_not_configured');
  assert.equal(errorCodeOf(await call(client, 'generations_delete', { id: 'nope' })), 'generation_not_found');
  assert.equal(errorCodeOf(await call(client, 'generate_estimate-cost', { model: 'sync-3' })), 'cost_estimate_unavailable');
});
