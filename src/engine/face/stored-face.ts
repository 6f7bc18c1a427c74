/**
 * A face observation whose two meshes wait in a mesh store (mesh-store.ts) instead of in memory:
 * what a generation's analysis hands on. The other fields are plain data. The meshes are read on
 * access through getters on the class, so a long clip's faces carry no closures or accessor
 * pairs of their own (each face had four closures and two accessor pairs when the getters were
 * attached per object). JSON sees an ordinary face (toJSON), and `read` reads a mesh into the
 * caller's buffer: the passes over a whole clip (plan, render) use it so they leave no array a
 * frame behind for the collector. A spread (`{ ...face }`) copies only the plain fields, not the
 * meshes: `toJSON()` gives a whole plain copy.
 */
import type { MeshStore } from './mesh-store.js';
import type { Box, FaceObservation, MouthMeasures, Pose } from './types.js';

export type StoredFaceFields = Omit<FaceObservation, 'mesh' | 'meshSmoothed'>;

/**
 * A caller's buffer for reading meshes one at a time. The caller owns it: what a read returns
 * may be a face's own array, but only the store's reads are put into `buf`.
 */
export interface MeshScratch {
  buf?: Float32Array;
}

export class StoredFace implements FaceObservation {
  trackId: number;
  box: Box;
  score: number;
  pose: Pose;
  mouth: MouthMeasures;
  readonly #store: MeshStore;
  readonly #meshKey: number;
  readonly #smoothKey: number;
  /** A mesh set from outside replaces the stored one (whoever sets it owns it). */
  #set: { mesh?: Float32Array; meshSmoothed?: Float32Array } | undefined;

  constructor(store: MeshStore, meshKey: number, smoothKey: number, fields: StoredFaceFields) {
    this.trackId = fields.trackId;
    this.box = fields.box;
    this.score = fields.score;
    this.pose = fields.pose;
    this.mouth = fields.mouth;
    this.#store = store;
    this.#meshKey = meshKey;
    this.#smoothKey = smoothKey;
  }

  get mesh(): Float32Array {
    return this.read('mesh');
  }

  set mesh(v: Float32Array) {
    (this.#set ??= {}).mesh = v;
  }

  get meshSmoothed(): Float32Array {
    return this.read('meshSmoothed');
  }

  set meshSmoothed(v: Float32Array) {
    (this.#set ??= {}).meshSmoothed = v;
  }

  /**
   * One of the meshes. Without `scratch`: an array the store may share (its read cache). With
   * it: read into the caller's buffer (`scratch.buf`, made or replaced when missing or of another
   * length; never an array the store keeps or caches), valid until the scratch is used again.
   */
  read(which: 'mesh' | 'meshSmoothed', scratch?: MeshScratch): Float32Array {
    const own = this.#set?.[which];
    if (own) return own;
    const key = which === 'mesh' ? this.#meshKey : this.#smoothKey;
    if (!scratch) return this.#store.get(key);
    return (scratch.buf = this.#store.read(key, scratch.buf));
  }

  toJSON(): FaceObservation {
    return { trackId: this.trackId, box: this.box, score: this.score, mesh: this.mesh, meshSmoothed: this.meshSmoothed, pose: this.pose, mouth: this.mouth };
  }
}
