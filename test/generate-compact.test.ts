/**
 * What a generation holds per frame while a long clip renders is kept in typed columns (render
 * log, mouth targets, packed mouth track, face table) instead of an object a frame. These check
 * that each gives back exactly what went in, including the edge cases the columns encode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderLog } from '../src/engine/generate/render-log.js';
import { MouthTargets } from '../src/engine/generate/targets.js';
import { PackedMouthTrack } from '../src/engine/audio/packed-track.js';
import { FaceTable, StoredFace, type StoredFaceFields } from '../src/engine/face/stored-face.js';
import { MemoryMeshStore } from '../src/engine/face/mesh-store.js';
import type { MouthFrame, MouthTrack } from '../src/engine/audio/types.js';
import type { ResolvedSegment } from '../src/engine/generate/segments.js';
import type { Box } from '../src/engine/face/types.js';

test('render log: each row comes back as logged (edit with its region, an empty region, pass with its reason); unlogged frames are undefined', () => {
  const log = new RenderLog(5);
  log.add({ frame: 0, action: 'edit', source: 7, matchCost: 0.1, openBy: 0, changedRegion: [10, 20, 30, 40], renderMs: 3 });
  log.add({ frame: 1, action: 'pass', reason: 'occluded' });
  log.add({ frame: 3, action: 'edit', source: 0, changedRegion: [0, 0, 0, 0] });
  log.add({ frame: 4, action: 'pass', reason: 'no-candidates' });
  assert.equal(log.count, 4);
  assert.deepEqual(log.at(0), { frame: 0, action: 'edit', source: 7, changedRegion: [10, 20, 30, 40] });
  assert.deepEqual(log.at(1), { frame: 1, action: 'pass', reason: 'occluded' });
  assert.equal(log.at(2), undefined);
  assert.deepEqual(log.at(3), { frame: 3, action: 'edit', source: 0, changedRegion: [0, 0, 0, 0] });
  assert.deepEqual(log.at(4), { frame: 4, action: 'pass', reason: 'no-candidates' });
  assert.equal(log.at(5), undefined);
  assert.throws(() => log.add({ frame: 5, action: 'pass', reason: 'no-face' }), RangeError);
});

function track(n: number): MouthTrack {
  const frames: MouthFrame[] = Array.from({ length: n }, (_, i) => ({
    t: i / 25,
    lipGap: Math.round(Math.sin(i) * 1e4) / 1e4,
    jaw: i / 7,
    width: -i / 11,
    closure: i % 3 === 0 ? 1 : 0,
    labiodental: i / 100,
    voice: i % 2,
  }));
  return {
    format: 'resync.mouth',
    version: 1,
    fps: 25,
    duration: n / 25,
    settings: { temperature: 0.5, leadMs: 70, model: 'test', speakerAdapted: false },
    face: { lipGap: { rest: 0.05, scale: 0.4 }, jaw: { rest: 1.1, scale: 0.2 }, width: { rest: 0.9, scale: 0.1 }, source: 'general' },
    frames,
    stats: { voicedFraction: 0.5 },
  };
}

test('packed mouth track: frames and the whole track (key order too) come back unchanged', () => {
  const t = track(40);
  const p = new PackedMouthTrack(t);
  assert.equal(p.length, 40);
  assert.equal(p.duration, t.duration);
  for (let i = 0; i < 40; i++) assert.deepEqual(p.frame(i), t.frames[i]);
  assert.equal(p.frame(40), undefined);
  assert.equal(p.frame(-1), undefined);
  assert.equal(JSON.stringify(p.unpack()), JSON.stringify(t));
});

test('mouth targets: the face mapping of each frame, rest past the speech, none outside the segments', () => {
  const t = track(10);
  const f = t.face;
  const all = new MouthTargets(new PackedMouthTrack(t), 14);
  for (let i = 0; i < 10; i++) {
    const m = t.frames[i];
    assert.deepEqual(all.at(i), {
      lipGap: Math.max(0, f.lipGap.rest + m.lipGap * f.lipGap.scale),
      jaw: f.jaw.rest + m.jaw * f.jaw.scale,
      width: f.width.rest + m.width * f.width.scale,
      closure: m.closure,
    });
  }
  assert.ok(t.frames.some((m) => f.lipGap.rest + m.lipGap * f.lipGap.scale < 0), 'the clamp at 0 is exercised');
  // frames 10..13: after the speech (sync_mode silence) the mouth rests
  assert.deepEqual(all.at(12), { lipGap: f.lipGap.rest, jaw: f.jaw.rest, width: f.width.rest, closure: 0 });
  assert.equal(all.at(14), undefined);
  assert.deepEqual(all.slice(8, 20), [all.at(8), all.at(9), all.at(10), all.at(11), all.at(12), all.at(13)]);
  const seg: ResolvedSegment = { startTime: 0.08, endTime: 0.2, audioInput: { refId: 'a' }, startFrame: 2, endFrame: 5 };
  const some = new MouthTargets(new PackedMouthTrack(t), 10, [seg]);
  assert.deepEqual([0, 1, 2, 4, 5, 9].map((i) => some.at(i) !== undefined), [false, false, true, true, false, false]);
});

test('face table: many stored faces (past its growth steps) read back their fields, hidden reasons included', () => {
  const store = new MemoryMeshStore();
  const table = new FaceTable(store);
  const mesh = new Float32Array([1, 2, 3]);
  const reasons = [undefined, 'profile', 'occluded', undefined, 'out-of-frame'];
  const fieldsOf = (i: number): StoredFaceFields => ({
    trackId: i % 4,
    box: [i, i * 0.5, 100 + i / 3, 80.25] as Box,
    score: 1 / (i + 1),
    pose: { yaw: Math.sin(i), pitch: -i / 1000, roll: 0.1 },
    mouth: { lipGap: i / 300, jaw: 1 + i / 7, width: Math.PI / i, visibility: i % 5 === 0 ? 0 : 1, ...(reasons[i % 5] ? { hiddenReason: reasons[i % 5] } : {}) },
  });
  const faces = Array.from({ length: 300 }, (_, i) => new StoredFace(table, store.put(mesh), store.put(mesh), fieldsOf(i)));
  faces.forEach((face, i) => {
    const want = fieldsOf(i);
    assert.deepEqual({ trackId: face.trackId, box: face.box, score: face.score, pose: face.pose, mouth: face.mouth }, want, `face ${i}`);
    assert.deepEqual(Object.keys(face.mouth), Object.keys(want.mouth));
  });
  assert.deepEqual(faces[7].mesh, mesh);
});
