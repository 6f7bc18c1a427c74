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
  /** The mesh kept under `key` (treat as read-only: it may be shared with other callers). */
  get(key: number): Float32Array;
  /** Replaces the mesh under `key` with one of the same length. */
  replace(key: number, mesh: Float32Array): void;
  /** Sets `obj[prop]` to the mesh under `key`: the array itself, or a getter that reads it back. */
  attach<T extends object>(obj: T, prop: keyof T & string, key: number): void;
  /** Frees what the store holds (the file of a FileMeshStore). Later reads fail. */
  dispose(): void;
}

export class MemoryMeshStore implements MeshStore {
  private readonly meshes: Float32Array[] = [];

  put(mesh: Float32Array): number {
    this.meshes.push(mesh);
    return this.meshes.length - 1;
  }

  get(key: number): Float32Array {
    const m = this.meshes[key];
    if (!m) throw new RangeError(`no mesh under key ${key}`);
    return m;
  }

  replace(key: number, mesh: Float32Array): void {
    this.get(key);
    this.meshes[key] = mesh;
  }

  attach<T extends object>(obj: T, prop: keyof T & string, key: number): void {
    (obj as Record<string, unknown>)[prop] = this.get(key);
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

  attach<T extends object>(obj: T, prop: keyof T & string, key: number): void {
    // An enumerable getter: JSON, spreads and track files see an ordinary array property.
    Object.defineProperty(obj, prop, {
      enumerable: true,
      configurable: true,
      get: () => this.get(key),
      // whoever sets a new mesh owns it from then on (a plain property again)
      set: (v: unknown) => Object.defineProperty(obj, prop, { value: v, writable: true, enumerable: true, configurable: true }),
    });
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
