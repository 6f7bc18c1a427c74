/**
 * Where the face stage keeps a clip's per-frame arrays. Every face in every frame has two meshes
 * (the model's and the smoothed one), 5.6 KB each in 32-bit floats, and a mouth-appearance patch
 * (1.5 KB packed, appearance.ts); they are most of what grows with the clip's length: in memory,
 * about 20 MB per minute of 25 fps video. `MemoryMeshStore` keeps them as arrays (the default:
 * `resync analyze`, tests, benches). `FileMeshStore` writes each to a temporary file as it is
 * made and reads it back when asked, so a generation's memory no longer grows with them; the
 * plan and render ask for a shot's or a frame's meshes at a time, the occlusion check reads a
 * track's patches a few times over, and a small cache serves the repeats.
 */
import { tmpdir } from 'node:os';
import { TempFile } from '../temp-dirs.js';

export interface MeshStore {
  /** Keeps a mesh; returns its key. The store may keep the array itself: do not change it afterwards. */
  put(mesh: Float32Array): number;
  /** Keeps a copy of `mesh`; returns its key. The caller may reuse its array. */
  putCopy(mesh: Float32Array): number;
  /** The mesh kept under `key` (treat as read-only: it may be shared with other callers). */
  get(key: number): Float32Array;
  /**
   * The mesh under `key` for a moment: a store that must read it back reads it into `into` when
   * that has its length (else into a new array), never handing out an array it caches; a store
   * that holds the mesh returns it and never writes into `into`. Either way, passing back what
   * it returned is safe, and passes over a whole clip use this so they leave no array a frame
   * behind for the collector (`buf = store.read(key, buf)`). Valid until `into` is used again.
   */
  read(key: number, into?: Float32Array): Float32Array;
  /** Replaces the mesh under `key` with one of the same length. */
  replace(key: number, mesh: Float32Array): void;
  /** Frees what the store holds (the file of a FileMeshStore). Later reads fail. */
  dispose(): void;
}

export class MemoryMeshStore implements MeshStore {
  private readonly meshes: Float32Array[] = [];

  put(mesh: Float32Array): number {
    this.meshes.push(mesh);
    return this.meshes.length - 1;
  }

  putCopy(mesh: Float32Array): number {
    return this.put(mesh.slice());
  }

  get(key: number): Float32Array {
    const m = this.meshes[key];
    if (!m) throw new RangeError(`no mesh under key ${key}`);
    return m;
  }

  read(key: number): Float32Array {
    return this.get(key);
  }

  replace(key: number, mesh: Float32Array): void {
    this.get(key);
    this.meshes[key] = mesh;
  }

  dispose(): void {
    this.meshes.length = 0;
  }
}

/** Meshes read back most recently, kept so a frame's several look-ups read the file once. */
const CACHE_SIZE = 256;

export class FileMeshStore implements MeshStore {
  private readonly file: TempFile;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly cache = new Map<number, Float32Array>();

  constructor(parent = tmpdir()) {
    this.file = new TempFile('meshes', 'meshes.f32', parent);
  }

  /** The temporary directory holding the file (removed by dispose). */
  get dir(): string {
    return this.file.dir;
  }

  put(mesh: Float32Array): number {
    this.offsets.push(this.file.append(bytesOf(mesh)));
    this.lengths.push(mesh.length);
    return this.offsets.length - 1;
  }

  putCopy(mesh: Float32Array): number {
    return this.put(mesh); // the file is the copy
  }

  read(key: number, into?: Float32Array): Float32Array {
    const len = this.lengths[key];
    if (len === undefined) throw new RangeError(`no mesh under key ${key}`);
    const out = into?.length === len ? into : new Float32Array(len);
    // never the cached array itself: the caller reads the next mesh into what this returns
    const hit = this.cache.get(key);
    if (hit) out.set(hit);
    else this.file.read(bytesOf(out), this.offsets[key]);
    return out;
  }

  get(key: number): Float32Array {
    const hit = this.cache.get(key);
    if (hit) {
      // most recently used goes to the back; the front is evicted first
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const len = this.lengths[key];
    if (len === undefined) throw new RangeError(`no mesh under key ${key}`);
    const out = new Float32Array(len);
    this.file.read(bytesOf(out), this.offsets[key]);
    this.cache.set(key, out);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return out;
  }

  replace(key: number, mesh: Float32Array): void {
    if (mesh.length !== this.lengths[key]) throw new RangeError(`mesh ${key} has ${this.lengths[key]} values, not ${mesh.length}`);
    this.file.write(bytesOf(mesh), this.offsets[key]);
    this.cache.delete(key);
  }

  dispose(): void {
    this.cache.clear();
    this.file.close();
  }

  /** Bytes written to the file so far. */
  get bytes(): number {
    return this.file.size;
  }
}

function bytesOf(mesh: Float32Array): Uint8Array {
  return new Uint8Array(mesh.buffer, mesh.byteOffset, mesh.byteLength);
}
