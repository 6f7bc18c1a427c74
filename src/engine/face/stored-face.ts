/**
 * A face observation whose two meshes wait in a mesh store (mesh-store.ts) instead of in memory,
 * and whose plain fields (track, box, score, pose, mouth measures) sit in typed columns shared by
 * the clip's faces (FaceTable): what a generation's analysis hands on. Why columns: as objects
 * (a box array, pose and mouth objects, a boxed number per fraction) a face cost ~430 B of heap,
 * memory that grew with the clip; here it costs ~160 B. The fields are read through getters on
 * the class, so a long clip's faces carry no closures or accessor pairs of their own; each read of
 * `box`, `pose` or `mouth` gives a fresh plain object (the face is read-only: writing to one
 * changes nothing). JSON sees an ordinary face (toJSON), and `read` reads a mesh into the caller's
 * buffer: the passes over a whole clip (plan, render) use it so they leave no array a frame
 * behind for the collector. A spread (`{ ...face }`) copies nothing: `toJSON()` gives a whole
 * plain copy.
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

// Column layout of FaceTable's rows.
const BOX = 0, SCORE = 4, YAW = 5, PITCH = 6, ROLL = 7, LIP = 8, JAW = 9, WIDTH = 10, VIS = 11, NUMS = 12;
const TRACK = 0, MESH = 1, SMOOTH = 2, REASON = 3, INTS = 4;

/** The plain fields of a clip's stored faces, a row a face, and the mesh store their meshes are in. */
export class FaceTable {
  private nums = new Float64Array(64 * NUMS);
  private ints = new Int32Array(64 * INTS);
  /** hiddenReason strings by code − 1 (code 0: none) */
  private readonly reasons: string[] = [];
  private rows = 0;

  constructor(readonly store: MeshStore) {}

  add(meshKey: number, smoothKey: number, f: StoredFaceFields): number {
    if (this.rows * NUMS === this.nums.length) {
      const nums = new Float64Array(this.nums.length * 2);
      nums.set(this.nums);
      this.nums = nums;
      const ints = new Int32Array(this.ints.length * 2);
      ints.set(this.ints);
      this.ints = ints;
    }
    const row = this.rows++;
    const n = row * NUMS, k = row * INTS;
    this.nums.set(f.box, n + BOX);
    this.nums[n + SCORE] = f.score;
    this.nums[n + YAW] = f.pose.yaw;
    this.nums[n + PITCH] = f.pose.pitch;
    this.nums[n + ROLL] = f.pose.roll;
    this.nums[n + LIP] = f.mouth.lipGap;
    this.nums[n + JAW] = f.mouth.jaw;
    this.nums[n + WIDTH] = f.mouth.width;
    this.nums[n + VIS] = f.mouth.visibility;
    this.ints[k + TRACK] = f.trackId;
    this.ints[k + MESH] = meshKey;
    this.ints[k + SMOOTH] = smoothKey;
    const why = f.mouth.hiddenReason;
    let code = 0;
    if (why !== undefined) {
      code = this.reasons.indexOf(why) + 1 || this.reasons.push(why);
    }
    this.ints[k + REASON] = code;
    return row;
  }

  trackId(row: number): number {
    return this.ints[row * INTS + TRACK];
  }

  meshKey(row: number, which: 'mesh' | 'meshSmoothed'): number {
    return this.ints[row * INTS + (which === 'mesh' ? MESH : SMOOTH)];
  }

  box(row: number): Box {
    const n = row * NUMS + BOX;
    return [this.nums[n], this.nums[n + 1], this.nums[n + 2], this.nums[n + 3]];
  }

  score(row: number): number {
    return this.nums[row * NUMS + SCORE];
  }

  pose(row: number): Pose {
    const n = row * NUMS;
    return { yaw: this.nums[n + YAW], pitch: this.nums[n + PITCH], roll: this.nums[n + ROLL] };
  }

  mouth(row: number): MouthMeasures {
    const n = row * NUMS;
    const m: MouthMeasures = { lipGap: this.nums[n + LIP], jaw: this.nums[n + JAW], width: this.nums[n + WIDTH], visibility: this.nums[n + VIS] };
    const code = this.ints[row * INTS + REASON];
    if (code) m.hiddenReason = this.reasons[code - 1];
    return m;
  }
}

export class StoredFace implements FaceObservation {
  readonly #table: FaceTable;
  readonly #row: number;
  /** A mesh set from outside replaces the stored one (whoever sets it owns it). */
  #set: { mesh?: Float32Array; meshSmoothed?: Float32Array } | undefined;

  constructor(table: FaceTable, meshKey: number, smoothKey: number, fields: StoredFaceFields) {
    this.#table = table;
    this.#row = table.add(meshKey, smoothKey, fields);
  }

  get trackId(): number {
    return this.#table.trackId(this.#row);
  }

  get box(): Box {
    return this.#table.box(this.#row);
  }

  get score(): number {
    return this.#table.score(this.#row);
  }

  get pose(): Pose {
    return this.#table.pose(this.#row);
  }

  get mouth(): MouthMeasures {
    return this.#table.mouth(this.#row);
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
    const key = this.#table.meshKey(this.#row, which);
    const store = this.#table.store;
    if (!scratch) return store.get(key);
    return (scratch.buf = store.read(key, scratch.buf));
  }

  toJSON(): FaceObservation {
    return { trackId: this.trackId, box: this.box, score: this.score, mesh: this.mesh, meshSmoothed: this.meshSmoothed, pose: this.pose, mouth: this.mouth };
  }
}
