/**
 * The mesh stores: what goes in comes back bit for bit, from memory or from the temporary file,
 * through its read cache, after replacement, read into a caller's buffer, and through a stored face.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { FileMeshStore, MemoryMeshStore, type MeshStore } from '../src/engine/face/mesh-store.js';
import { FaceTable, StoredFace, type MeshScratch } from '../src/engine/face/stored-face.js';
import { stringifyTrack, toTrackPrecision } from '../src/engine/face/track-io.js';
import type { Box, TrackDocument } from '../src/engine/face/types.js';

/** A mesh whose values say which one it is and where in it they are. */
function mesh(i: number, len = 468 * 3): Float32Array {
  return Float32Array.from({ length: len }, (_, k) => i * 1000 + k / 10 + 0.05);
}

for (const [name, make] of [['memory', () => new MemoryMeshStore()], ['file', () => new FileMeshStore()]] as const) {
  test(`${name} store: 600 meshes (more than the read cache) come back exactly, in any order`, () => {
    const store: MeshStore = make();
    try {
      const keys = Array.from({ length: 600 }, (_, i) => store.put(mesh(i, i % 7 === 0 ? 478 * 3 : 468 * 3)));
      // backwards, then a stride through, so reads miss the cache and hit it
      for (const i of [...keys.keys()].reverse()) assert.deepEqual(store.get(keys[i]), mesh(i, i % 7 === 0 ? 478 * 3 : 468 * 3), `mesh ${i}`);
      for (let i = 0; i < 600; i += 37) assert.deepEqual(store.get(keys[i]), mesh(i, i % 7 === 0 ? 478 * 3 : 468 * 3), `mesh ${i} again`);
      assert.throws(() => store.get(600), RangeError);
    } finally {
      store.dispose();
    }
  });

  test(`${name} store: a replaced mesh reads back new, its neighbours unchanged`, () => {
    const store: MeshStore = make();
    try {
      const a = store.put(mesh(1));
      const b = store.put(mesh(2));
      const c = store.put(mesh(3));
      store.get(b); // in the read cache before it is replaced
      store.replace(b, mesh(9));
      assert.deepEqual(store.get(a), mesh(1));
      assert.deepEqual(store.get(b), mesh(9));
      assert.deepEqual(store.get(c), mesh(3));
    } finally {
      store.dispose();
    }
  });

  test(`${name} store: a stored face reads its meshes as properties and into a buffer, writes as an ordinary face to JSON, and setting a mesh replaces it`, () => {
    const store: MeshStore = make();
    try {
      const fields = { trackId: 3, box: [1, 2, 3, 4] as Box, score: 0.9, pose: { yaw: 0.1, pitch: 0, roll: 0 }, mouth: { lipGap: 0.2, jaw: 1, width: 0.8, visibility: 1 } };
      const face = new StoredFace(new FaceTable(store), store.put(mesh(4, 6)), store.putCopy(mesh(5, 6)), fields);
      assert.deepEqual(face.mesh, mesh(4, 6));
      assert.deepEqual(face.meshSmoothed, mesh(5, 6));
      // through a scratch: a file store reads into the caller's buffer, never into or out of its cache
      const scratch: MeshScratch = { buf: new Float32Array(2) };
      const first = face.read('mesh', scratch);
      assert.deepEqual(first, mesh(4, 6));
      assert.equal(scratch.buf?.length, 6, 'a buffer of another length is replaced');
      const shared = face.mesh;
      const second = face.read('meshSmoothed', scratch);
      assert.deepEqual(second, mesh(5, 6));
      if (name === 'file') assert.equal(second, first, 'one buffer for both reads');
      assert.deepEqual(shared, mesh(4, 6), 'what the store shares is untouched by reads into the scratch');
      // an empty scratch while the store caches the mesh (the case that once overwrote a cached mesh)
      const fresh: MeshScratch = {};
      face.read('mesh', fresh);
      face.read('meshSmoothed', fresh);
      assert.deepEqual(face.mesh, mesh(4, 6));
      const json = JSON.parse(stringifyTrack({ frames: [{ faces: [face] }] } as unknown as TrackDocument)).frames[0].faces[0];
      assert.deepEqual(Object.keys(json), ['trackId', 'box', 'score', 'mesh', 'meshSmoothed', 'pose', 'mouth']);
      assert.deepEqual(json.mesh, Array.from(mesh(4, 6), toTrackPrecision));
      face.mesh = mesh(7, 6);
      assert.deepEqual(face.mesh, mesh(7, 6));
      assert.deepEqual(face.read('mesh', scratch), mesh(7, 6));
      assert.deepEqual(face.meshSmoothed, mesh(5, 6), 'the other mesh is still the stored one');
    } finally {
      store.dispose();
    }
  });

  test(`${name} store: a kept copy does not change with the array it was made from`, () => {
    const store: MeshStore = make();
    try {
      const m = mesh(1);
      const k = store.putCopy(m);
      m.fill(0);
      assert.deepEqual(store.get(k), mesh(1));
      assert.deepEqual(store.read(k, new Float32Array(468 * 3)), mesh(1));
      // a read into a buffer never hands out what the store keeps (or caches): reading the next
      // mesh into the buffer it returned leaves the first one as it was
      const k2 = store.putCopy(mesh(2));
      const cached = store.get(k);
      let buf = store.read(k);
      buf = store.read(k2, buf);
      assert.deepEqual(buf, mesh(2));
      assert.deepEqual(cached, mesh(1));
      assert.deepEqual(store.get(k), mesh(1));
    } finally {
      store.dispose();
    }
  });
}

test('file store: counts the bytes it wrote, refuses a replacement of another length, and dispose removes its directory', () => {
  const store = new FileMeshStore();
  const k = store.put(mesh(7));
  assert.equal(store.bytes, 468 * 3 * 4);
  assert.ok(existsSync(store.dir));
  assert.throws(() => store.replace(k, mesh(7, 3)), RangeError, 'a replacement must have the same length');
  store.dispose();
  assert.equal(existsSync(store.dir), false);
  store.dispose(); // twice is harmless
});
