/**
 * The mesh stores: what goes in comes back bit for bit, from memory or from the temporary file,
 * through its read cache, after replacement, and through an attached property.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { FileMeshStore, MemoryMeshStore, type MeshStore } from '../src/engine/face/mesh-store.js';

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

  test(`${name} store: an attached mesh reads as an ordinary property (JSON, spread), and setting it replaces it`, () => {
    const store: MeshStore = make();
    try {
      const face: { id: number; mesh: Float32Array } = { id: 1, mesh: new Float32Array(0) };
      store.attach(face, 'mesh', store.put(mesh(4, 6)));
      assert.deepEqual(face.mesh, mesh(4, 6));
      assert.deepEqual(Object.keys(face), ['id', 'mesh']);
      assert.deepEqual(JSON.parse(JSON.stringify({ ...face, mesh: Array.from(face.mesh) })).mesh, Array.from(mesh(4, 6)));
      assert.deepEqual({ ...face }.mesh, mesh(4, 6));
      face.mesh = mesh(5, 6);
      assert.deepEqual(face.mesh, mesh(5, 6));
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
