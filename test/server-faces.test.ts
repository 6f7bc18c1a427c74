/**
 * POST /v2/analyze/faces: the faces of an upload's first frame, for the Studio's face picker.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer } from '../src/server/server.js';
import { createKey } from '../src/server/keys.js';
import { mediaTools } from '../src/engine/media/tools.js';
import { faceClip } from './generate-fixtures.js';

let dir = '';
let srv: Awaited<ReturnType<typeof startServer>>;
let key = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-faces-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), workers: 0, log: null });
  key = createKey(srv.db, 'faces').key;
});
after(async () => {
  await srv?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function post(field: string, path: string, k = key): Promise<{ status: number; json: any }> {
  const form = new FormData();
  form.append(field, new Blob([await readFile(path)]), path.split('/').pop()!);
  const r = await fetch(`${srv.url}/v2/analyze/faces`, { method: 'POST', headers: k ? { 'x-api-key': k } : {}, body: form });
  return { status: r.status, json: await r.json() };
}

test('a video upload: the face of its first frame, in video pixels', async () => {
  const r = await post('video', faceClip(join(dir, 'face.mp4'), 1));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.width, 400);
  assert.equal(r.json.height, 480);
  assert.equal(r.json.faces.length, 1);
  const f = r.json.faces[0];
  const cx = f.x + f.width / 2, cy = f.y + f.height / 2;
  assert.ok(Math.abs(cx - 146) < 40 && Math.abs(cy - 254) < 40, JSON.stringify(f));
});

test('a PNG still with no face, a missing file, a non-media file and no key', async () => {
  const png = join(dir, 'grey.png');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=160x120', '-frames:v', '1', png]);
  const none = await post('image', png);
  assert.equal(none.status, 200);
  assert.deepEqual(none.json.faces, []);
  const empty = await fetch(`${srv.url}/v2/analyze/faces`, { method: 'POST', headers: { 'x-api-key': key }, body: new FormData() });
  assert.equal(empty.status, 400);
  const text = join(dir, 'notes.txt');
  execFileSync('sh', ['-c', `echo hello > ${text}`]);
  const bad = await post('video', text);
  assert.equal(bad.status, 422);
  assert.equal(bad.json.errorCode, 'generation_input_video_invalid');
  assert.equal((await post('video', png, '')).status, 401);
});
