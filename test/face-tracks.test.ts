import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkTracks, summarizeTracks, type LinkFrame } from '../src/engine/face/tracks.js';
import { selectSpeaker } from '../src/engine/face/speaker.js';
import type { Box } from '../src/engine/face/types.js';

function frames(n: number, shotAt = Infinity): LinkFrame[] {
  return Array.from({ length: n }, (_, i) => ({ index: i, shot: i >= shotAt ? 1 : 0, faces: [] }));
}

test('fragments of one face are joined, a distant face stays separate, duplicates are dropped', () => {
  const fr = frames(40);
  for (let i = 0; i < 40; i++) {
    // face A: lost for frames 15-19, re-detected under a new id nearby
    if (i < 15) fr[i].faces.push({ trackId: 0, box: [100 + i, 100, 80, 80], score: 0.9 });
    if (i >= 20) fr[i].faces.push({ trackId: 5, box: [100 + i, 102, 82, 80], score: 0.9 });
    // face B: far away, whole clip
    fr[i].faces.push({ trackId: 1, box: [400, 120, 60, 60], score: 0.8 });
    // a duplicate of A in frame 3 (detector racing the tracker)
    if (i === 3) fr[i].faces.push({ trackId: 9, box: [104, 101, 80, 80], score: 0.7 });
  }
  linkTracks(fr);
  const tracks = summarizeTracks(fr);
  assert.equal(tracks.length, 2, JSON.stringify(tracks));
  const a = tracks.find((t) => t.meanBox[0] < 300)!;
  assert.equal(a.firstFrame, 0);
  assert.equal(a.lastFrame, 39);
  assert.equal(a.frames, 35);
  assert.equal(fr[3].faces.length, 2);
});

test('tracks never cross a shot boundary', () => {
  const fr = frames(20, 10);
  for (const f of fr) f.faces.push({ trackId: 0, box: [100, 100, 80, 80], score: 0.9 });
  linkTracks(fr);
  const tracks = summarizeTracks(fr);
  assert.equal(tracks.length, 2);
  assert.deepEqual(tracks.map((t) => [t.shot, t.firstFrame, t.lastFrame]), [[0, 0, 9], [1, 10, 19]]);
});

function twoFaces(): LinkFrame[] {
  const fr = frames(30);
  for (const f of fr) {
    f.faces.push({ trackId: 0, box: [40, 60, 60, 60], score: 0.9 }); // small, off-centre
    f.faces.push({ trackId: 1, box: [270, 150, 140, 140], score: 0.9 }); // large, central
  }
  return fr;
}

test('auto speaker picks the large central face; point and boxes pick the asked one', () => {
  const fr = twoFaces();
  const tracks = summarizeTracks(fr);
  assert.equal(selectSpeaker(fr, tracks, 1, { mode: 'auto' }, 640, 480).selectedTrackId, 1);
  assert.equal(selectSpeaker(fr, tracks, 1, { mode: 'point', x: 70, y: 90, frame: 12 }, 640, 480).selectedTrackId, 0);
  const boxes: Record<number, Box> = { 3: [45, 62, 55, 55], 4: [45, 62, 55, 55] };
  assert.equal(selectSpeaker(fr, tracks, 1, { mode: 'boxes', boxes }, 640, 480).selectedTrackId, 0);
});

test('auto prefers a face seen the whole shot over a bigger one seen briefly', () => {
  const fr = frames(50);
  for (const f of fr) {
    f.faces.push({ trackId: 0, box: [250, 180, 100, 100], score: 0.9 });
    if (f.index < 4) f.faces.push({ trackId: 1, box: [200, 100, 220, 220], score: 0.9 });
  }
  linkTracks(fr);
  const tracks = summarizeTracks(fr);
  const sel = selectSpeaker(fr, tracks, 1, { mode: 'auto' }, 640, 480);
  assert.equal(tracks.find((t) => t.id === sel.selectedTrackId)!.frames, 50);
});

test('no faces anywhere: nothing selected', () => {
  const fr = frames(10);
  assert.equal(selectSpeaker(fr, summarizeTracks(fr), 1, { mode: 'auto' }, 640, 480).selectedTrackId, null);
});
