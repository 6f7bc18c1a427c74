/**
 * End to end: analyzeVideo on clips made here with ffmpeg from a face photo that ships inside the
 * @vladmandic/human package (screenshot-faceid.jpg: a frontal face at about x 40-125, y 160-255).
 * The clip pans and drifts slightly so it is not a still. A second clip puts a skin-toned box over
 * the mouth for part of the time to check the occlusion rule.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mediaTools } from '../src/engine/media/tools.js';
import { analyzeVideo } from '../src/engine/face/analyze.js';
import { FacePoolCache } from '../src/engine/face/pool-cache.js';
import { FacePool } from '../src/engine/face/pool.js';
import { readTrack, writeTrack, parseTrack, stringifyTrack } from '../src/engine/face/track-io.js';
import { FileMeshStore } from '../src/engine/face/mesh-store.js';
import { StoredFace } from '../src/engine/face/stored-face.js';
import { landmarkJitter, lipRetention } from '../src/engine/face/metrics.js';
import type { TrackDocument } from '../src/engine/face/types.js';
import { findSharedData } from '../bench/shared-data.js';

const require = createRequire(import.meta.url);
// the exports map hides package.json; the main entry lives in dist/, assets/ is its sibling
const photo = join(dirname(require.resolve('@vladmandic/human')), '..', 'assets', 'screenshot-faceid.jpg');
let dir = '';
let clip = '';
let doc: TrackDocument;

// crop 200x240 from (10±10, 80+5t), scaled 2x: the face centre sits near (146, 254 - 10t)
const PAN = "crop=200:240:'10+10*sin(2*PI*t/2)':'80+5*t',scale=400:480";

function makeClip(out: string, extra = ''): void {
  const { ffmpeg } = mediaTools();
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-loop', '1', '-framerate', '25', '-i', photo, '-t', '2', '-vf', PAN + extra, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-r', '25', out]);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-face-'));
  clip = join(dir, 'face.mp4');
  makeClip(clip);
  doc = await analyzeVideo(clip);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the face is found in >= 95% of frames, where it is, with a full mesh and finite mouth measures', () => {
  assert.equal(doc.source.frameCount, 50);
  assert.equal(doc.frames.length, 50);
  assert.ok(doc.stats.framesWithFace >= 0.95 * 50, `face in ${doc.stats.framesWithFace}/50 frames`);
  assert.equal(doc.tracks.length, 1, JSON.stringify(doc.tracks));
  assert.equal(doc.selectedTrackId, doc.tracks[0].id);
  for (const f of doc.frames) {
    for (const face of f.faces) {
      const cx = face.box[0] + face.box[2] / 2, cy = face.box[1] + face.box[3] / 2;
      const ey = 254 - (10 * f.index) / 25;
      assert.ok(Math.abs(cx - 146) < 45 && Math.abs(cy - ey) < 45, `frame ${f.index}: box centre ${cx},${cy}`);
      assert.ok(face.box[2] > 120 && face.box[2] < 280, `box width ${face.box[2]}`);
      assert.ok(face.mesh.length >= 468 * 3 && face.meshSmoothed!.length === face.mesh.length);
      for (const v of [face.mouth.lipGap, face.mouth.jaw, face.mouth.width, face.mouth.visibility, face.pose.yaw]) assert.ok(Number.isFinite(v));
      assert.ok(face.mouth.width > 0.3 && face.mouth.width < 1.2, `mouth width ${face.mouth.width}`);
      assert.ok(face.mouth.visibility > 0.8, `visibility ${face.mouth.visibility} (${face.mouth.hiddenReason})`);
    }
  }
  assert.equal(doc.shots.length, 1);
});

test('smoothing lowers landmark jitter and keeps the lip curve', () => {
  const raw = landmarkJitter(doc, 'raw'), sm = landmarkJitter(doc, 'smoothed');
  assert.ok(raw.pairs >= 45);
  assert.ok(sm.mean < raw.mean, `jitter ${raw.mean} -> ${sm.mean}`);
  const lip = lipRetention(doc);
  assert.ok(lip.frames >= 45);
});

test('track files round-trip, and other formats or versions are refused', async () => {
  const p = join(dir, 'track.json');
  await writeTrack(p, doc);
  const back = await readTrack(p);
  assert.equal(back.frames.length, doc.frames.length);
  assert.deepEqual(back.frames[10].faces[0].box, doc.frames[10].faces[0].box);
  // meshes live in Float32Arrays in memory, are plain 0.1 px arrays in the file, and come back exact
  const face = doc.frames[10].faces[0];
  assert.ok(face.mesh instanceof Float32Array && face.meshSmoothed instanceof Float32Array);
  const onDisk = JSON.parse(await readFile(p, 'utf8')) as { frames: Array<{ faces: Array<{ mesh: unknown; meshSmoothed: unknown }> }> };
  const stored = onDisk.frames[10].faces[0];
  assert.ok(Array.isArray(stored.mesh) && Array.isArray(stored.meshSmoothed));
  assert.ok((stored.mesh as number[]).every((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9), 'stored at 0.1 px');
  for (const f of [0, 10, doc.frames.length - 1]) {
    const [a, b] = [doc.frames[f].faces[0], back.frames[f].faces[0]];
    assert.ok(b.mesh instanceof Float32Array && b.meshSmoothed instanceof Float32Array);
    assert.deepEqual(b.mesh, a.mesh);
    assert.deepEqual(b.meshSmoothed, a.meshSmoothed);
  }
  assert.throws(() => parseTrack(JSON.stringify({ ...doc, version: 2 })), /version 2/);
  assert.throws(() => parseTrack(JSON.stringify({ ...doc, format: 'other' })), /not a resync.track/);
  assert.throws(() => parseTrack('{'), /not JSON/);
});

test('a box over the mouth lowers visibility to occluded on those frames only', async () => {
  // the mouth is near (146, 290) in clip pixels around t = 1 s; a flat skin-toned box covers it on frames 20-34
  const occluded = join(dir, 'occluded.mp4');
  makeClip(occluded, ",drawbox=x=86:y=250:w=120:h=70:color=0xC08870@1:t=fill:enable='between(n,20,34)'");
  const d = await analyzeVideo(occluded);
  const vis = (a: number, b: number): number[] => d.frames.slice(a, b).flatMap((f) => f.faces.map((x) => x.mouth.visibility));
  const covered = vis(21, 34), clean = [...vis(0, 19), ...vis(36, 50)];
  const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / (xs.length || 1);
  assert.ok(covered.length >= 10, 'the face must still be tracked under the box');
  assert.ok(mean(covered) < 0.5, `covered visibility ${mean(covered)}`);
  assert.ok(mean(clean) > 0.8, `clean visibility ${mean(clean)}`);
  const reasons = d.frames.slice(21, 34).flatMap((f) => f.faces.map((x) => x.mouth.hiddenReason));
  assert.ok(reasons.filter((r) => r === 'occluded').length >= 8, JSON.stringify(reasons));
});

test('a video without a face returns a document with no selection, not an error', async () => {
  const blank = join(dir, 'blank.mp4');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', blank]);
  const d = await analyzeVideo(blank);
  assert.equal(d.selectedTrackId, null);
  assert.equal(d.stats.framesWithFace, 0);
  assert.ok(d.frames.length >= 24 && d.frames.every((f) => Array.isArray(f.faces) && f.faces.length === 0));
});

const SHARED = join(findSharedData() ?? '/nonexistent', 'raw/OpenTalker__SadTalker/WDA_KatieHill_000.mp4');
test('real clip (shared data): one tracked face through 50 frames', { skip: existsSync(SHARED) ? false : `shared clip not present: ${SHARED}` }, async () => {
  const d = await analyzeVideo(SHARED, { maxFrames: 50 });
  assert.ok(d.stats.framesWithSelected >= 48, `selected face in ${d.stats.framesWithSelected}/50`);
  assert.ok(landmarkJitter(d, 'smoothed').mean < landmarkJitter(d, 'raw').mean);
  assert.ok(lipRetention(d).correlation > 0.9);
});

test('analysis is deterministic: the same clip gives the same track, whatever the machine load', async () => {
  const again = await analyzeVideo(clip);
  assert.equal(again.frames.length, doc.frames.length);
  for (let i = 0; i < doc.frames.length; i++) {
    assert.deepEqual(again.frames[i].faces.map((f) => f.meshSmoothed), doc.frames[i].faces.map((f) => f.meshSmoothed), `frame ${i}`);
  }
});

test('meshes kept in a file (as generation keeps them) give the same document as in memory, and the file goes with dispose', async () => {
  const store = new FileMeshStore();
  try {
    const d = await analyzeVideo(clip, { meshes: store });
    assert.ok(store.bytes >= 2 * 468 * 3 * 4 * doc.stats.framesWithFace, `${store.bytes} bytes written for ${doc.stats.framesWithFace} faces`);
    // the faces are StoredFaces reading their meshes from the file; field for field, the same faces
    const plain = (frames: TrackDocument['frames']): unknown =>
      frames.map((f) => ({ ...f, faces: f.faces.map((x) => ({ trackId: x.trackId, box: x.box, score: x.score, mesh: x.mesh, meshSmoothed: x.meshSmoothed, pose: x.pose, mouth: x.mouth })) }));
    assert.ok(d.frames[10].faces[0] instanceof StoredFace);
    assert.deepEqual(plain(d.frames), plain(doc.frames));
    assert.equal(stringifyTrack({ ...d, stats: { ...d.stats, timings: {} } }), stringifyTrack({ ...doc, stats: { ...doc.stats, timings: {} } }));
    const face = d.frames[10].faces[0];
    assert.ok(face.meshSmoothed instanceof Float32Array && face.meshSmoothed.length === 468 * 3);
  } finally {
    store.dispose();
  }
  assert.equal(existsSync(store.dir), false, 'the temporary directory is removed');
});

test('warm face pools: a cached pool is reused between analyses and gives the same track as fresh workers', async () => {
  const pools = new FacePoolCache({ maxIdle: 1 });
  try {
    const a = await analyzeVideo(clip, { pools });
    assert.equal(pools.idleCount, 1, 'the pool waits warm after a clean analysis');
    const lease = pools.acquire('facemesh', 2);
    assert.equal(pools.idleCount, 0, 'acquiring takes the warm pool');
    await lease.release(true);
    const again = pools.acquire('facemesh', 2);
    assert.equal(again.pool, lease.pool, 'the same workers come back');
    // a second pool released while one already waits is closed, not hoarded
    const extra = pools.acquire('facemesh', 2);
    assert.notEqual(extra.pool, again.pool);
    await again.release(true);
    await extra.release(true);
    assert.equal(pools.idleCount, 1);
    const b = await analyzeVideo(clip, { pools });
    for (const d of [a, b]) assert.deepEqual(d.frames, doc.frames, 'warm and cold workers track identically');
    // an analysis that failed never hands its workers on
    const failed = pools.acquire('facemesh', 2);
    await failed.release(false);
    assert.equal(pools.idleCount, 0);
  } finally {
    await pools.close();
  }
  assert.equal(pools.idleCount, 0);
});

test('face workers hand each frame buffer back with its result, unchanged, for the decoder to reuse', async () => {
  const pool = new FacePool('facemesh', 1);
  try {
    await pool.ready();
    const w = 96, h = 64;
    const sent = new Uint8Array(w * h * 3);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7) & 255;
    const copy = sent.slice();
    const res = await pool.run({ width: w, height: h, data: sent, detect: true, rois: [] });
    assert.equal(sent.byteLength, 0, 'the frame was transferred to the worker, not copied');
    assert.equal(res.frame.byteLength, w * h * 3);
    assert.equal(res.frame.buffer.byteLength, w * h * 3, 'a whole buffer comes back, fit for the pool');
    assert.deepEqual(res.frame, copy, 'the worker does not write into the frame');
  } finally {
    await pool.close();
  }
});
