/**
 * `resync mcp` over stdio, driven by the MCP SDK's own client: tools are listed, create-lipsync on
 * the fixture clip answers PENDING at once, polling reports progress and ends COMPLETED, the
 * output resource is a real MP4; a script with a voice goes through text-to-speech and keeps the
 * speech; errors come back as tool errors with the API's errorCode.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { faceClip, speechWav } from './generate-fixtures.js';
import { call, errorCodeOf, pollToEnd, readOutput, TOOL_NAMES } from './mcp-client.js';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));

let dir = '';
let clip = '';
let talk = '';
let client: Client;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-mcp-stdio-'));
  clip = faceClip(join(dir, 'face.mp4'), 1.2);
  talk = (await speechWav(join(dir, 'talk.wav'), 'Hello, my mama made a pie.', 0.2, 0.2)).path;
  client = new Client({ name: 'resync-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--data-dir', join(dir, 'data'), '--preset', 'ultrafast'], stderr: 'pipe' }));
});

after(async () => {
  await client?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('stdio: the tools are listed with their arguments, and the resource templates', async () => {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const n of TOOL_NAMES) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  const create = tools.find((t) => t.name === 'create-lipsync')!;
  for (const arg of ['videoUrl', 'videoPath', 'videoAssetId', 'imageUrl', 'imageAssetId', 'audioUrl', 'audioAssetId', 'script', 'voiceId', 'model', 'sync_mode', 'temperature']) {
    assert.ok(arg in (create.inputSchema.properties ?? {}), `create-lipsync takes ${arg}`);
  }
  assert.ok(create.outputSchema, 'structured output is declared');
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'resync://generations/{id}/output'));
});

test('stdio: create-lipsync on the fixture clip returns at once, polls to COMPLETED with progress, output resource is the video', async () => {
  const t0 = Date.now();
  const created = await call(client, 'create-lipsync', { videoPath: clip, audioPath: talk, sync_mode: 'cut_off', temperature: 0.5 });
  assert.equal(created.isError, false, created.text);
  assert.ok(Date.now() - t0 < 5000, 'create answers before the job runs');
  assert.equal(created.structured.status, 'PENDING');
  assert.equal(created.structured.model, 'lipsync-2');
  const id = String(created.structured.id);

  const { gen, progress, last } = await pollToEnd(client, id);
  assert.equal(gen.status, 'COMPLETED', String(gen.error));
  assert.ok(Number(gen.outputDuration) > 1, `duration ${gen.outputDuration}`);
  assert.match(String(gen.outputUrl), /^file:\/\//);
  assert.ok(progress.length >= 1 && progress.every((p, i) => i === 0 || p >= progress[i - 1]), `progress ${progress.join(',')}`);
  assert.ok(last.content.some((c) => c.type === 'resource_link' && c.uri === `resync://generations/${id}/output`), 'result links the output resource');
  await readOutput(client, id, dir);

  const listed = await call(client, 'generate_get-generations', { status: ['COMPLETED'] });
  assert.ok((listed.structured.generations as { id: string }[]).some((g) => g.id === id));
  const { resources } = await client.listResources();
  assert.ok(resources.some((r) => r.uri === `resync://generations/${id}/output`));
});

test('stdio: a script and a voice (text-to-speech) from an uploaded asset, with the speech kept', async () => {
  const up = await call(client, 'upload-media', { path: clip });
  assert.equal(up.isError, false, up.text);
  assert.equal(up.structured.type, 'VIDEO');
  const created = await call(client, 'create-lipsync', { videoAssetId: up.structured.id, script: 'Hello, my mama made a pie.', voiceId: 'en-us' });
  assert.equal(created.isError, false, created.text);
  const { gen } = await pollToEnd(client, String(created.structured.id));
  assert.equal(gen.status, 'COMPLETED', String(gen.error));
  assert.match(String(gen.synthesizedAudioUrl), /synthesized-audio\.wav$/);
  assert.deepEqual((gen.input as { type: string }[]).map((i) => i.type), ['video', 'text']);
  const speech = await client.readResource({ uri: `resync://generations/${gen.id}/synthesized-audio` });
  assert.equal((speech.contents[0] as { mimeType?: string }).mimeType, 'audio/wav');
  await readOutput(client, String(gen.id), dir);

  const del = await call(client, 'generations_delete', { id: gen.id });
  assert.equal(del.isError, false, del.text);
  assert.equal(errorCodeOf(await call(client, 'generate_get-generation', { id: gen.id })), 'generation_not_found');
});

test('stdio: models, voices and cost estimates', async () => {
  const models = await call(client, 'models_get', {});
  assert.deepEqual((models.structured.models as { name: string }[]).map((m) => m.name), ['sync-3', 'lipsync-2-pro', 'lipsync-2']);
  const voices = await call(client, 'voices_get-all', {});
  assert.ok((voices.structured.voices as unknown[]).length >= 100);
  const est = await call(client, 'generate_estimate-cost', { model: 'sync-3', duration: 4 });
  assert.deepEqual(est.structured, { estimatedFrameCount: 100, estimatedGenerationCost: 0 });
  const fromAudio = await call(client, 'generate_estimate-cost', { videoPath: clip, audioPath: talk });
  assert.ok(Number(fromAudio.structured.estimatedFrameCount) > 25, fromAudio.text);
});

test('stdio: errors are tool errors with the API errorCode, never a hung call', async () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ audioPath: talk }, 'generation_input_validation_failed', /video|image/],
    [{ videoPath: clip }, 'generation_input_validation_failed', /audio|script/],
    [{ videoPath: clip, script: 'Hi there', ttsProvider: 'elevenlabs', voiceId: 'abc' }, 'tts_provider_not_configured', /"elevenlabs" is not configured/],
    [{ videoPath: clip, script: 'Hi there', voiceId: 'no-such-voice' }, 'tts_voice_not_found', /no voice/],
    [{ videoAssetId: 'nope', audioPath: talk }, 'asset_not_found', /nope/],
    [{ imagePath: clip, audioPath: talk, model: 'lipsync-2' }, 'generation_unsupported_model', /sync-3 only/],
    [{ videoPath: 'relative.mp4', audioPath: talk }, 'generation_input_validation_failed', /absolute/],
  ];
  for (const [args, code, msg] of cases) {
    const r = await call(client, 'create-lipsync', args);
    assert.equal(r.isError, true, JSON.stringify(args));
    assert.equal(errorCodeOf(r), code, r.text);
    assert.match(r.text, msg);
  }
  // Schema violations are tool errors too.
  const badModel = await call(client, 'create-lipsync', { videoPath: clip, audioPath: talk, model: 'wav2lip' });
  assert.equal(badModel.isError, true);
  assert.match(badModel.text, /model/);
  assert.equal(errorCodeOf(await call(client, 'generate_get-generation', { id: 'missing' })), 'generation_not_found');

  // A job that cannot read its input fails with the engine's code.
  const broken = await call(client, 'create-lipsync', { videoPath: join(dir, 'missing.mp4'), audioPath: talk });
  const { gen } = await pollToEnd(client, String(broken.structured.id));
  assert.equal(gen.status, 'FAILED');
  assert.equal(gen.errorCode, 'generation_input_video_inaccessible');

  // Deleting a generation that has not finished is refused.
  const running = await call(client, 'create-lipsync', { videoPath: clip, audioPath: talk });
  const del = await call(client, 'generations_delete', { id: running.structured.id });
  assert.equal(errorCodeOf(del), 'generation_not_deletable_while_processing');
  await pollToEnd(client, String(running.structured.id));
});
