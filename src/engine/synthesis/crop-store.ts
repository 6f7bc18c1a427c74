/**
 * Holds the source mouth crops between the two passes of a streaming render. Crops stay in memory
 * up to a byte budget; beyond it they are spilled to a temporary file and read back when needed,
 * so their memory is bounded even when a long shot uses thousands of distinct source frames.
 */
import { TempFile } from '../temp-dirs.js';
import type { SourceMouth } from './render.js';

interface Spilled {
  frame: number;
  mesh: ArrayLike<number>;
  x: number;
  y: number;
  width: number;
  height: number;
  offset: number;
  length: number;
}

export class CropStore {
  private readonly memory = new Map<number, SourceMouth>();
  private readonly spilled = new Map<number, Spilled>();
  private bytesInMemory = 0;
  private file: TempFile | null = null;
  private spillBytes = 0;

  /**
   * @param budgetBytes crops kept in memory up to this many pixel bytes (default 64 MB: some 250
   *   lower-face crops at 1080p; the crop pass waits for room before it spills, stream.ts)
   */
  constructor(readonly budgetBytes = 64 * 1024 * 1024) {}

  /** Whether a crop of this many bytes would be kept in memory: the crop pass waits (stream.ts) rather than spill when it can. */
  fits(bytes: number): boolean {
    return this.bytesInMemory + bytes <= this.budgetBytes;
  }

  get size(): number {
    return this.memory.size + this.spilled.size;
  }

  get memoryBytes(): number {
    return this.bytesInMemory;
  }

  private spillTotal = 0;
  private peak = 0;

  /** The most bytes of crops held in memory at once. */
  get peakBytes(): number {
    return this.peak;
  }

  /** Crops written to disk since the store was made (a measure of how far the crop pass ran ahead). */
  get spills(): number {
    return this.spillTotal;
  }

  get spilledCount(): number {
    return this.spilled.size;
  }

  put(crop: SourceMouth): void {
    this.delete(crop.frame);
    const len = crop.patch.data.length;
    if (this.fits(len)) {
      this.memory.set(crop.frame, crop);
      this.bytesInMemory += len;
      if (this.bytesInMemory > this.peak) this.peak = this.bytesInMemory;
      return;
    }
    this.file ??= new TempFile('crops', 'crops.bin');
    const { x, y, width, height, data } = crop.patch;
    const offset = this.file.append(data);
    this.spillTotal++;
    this.spillBytes += len;
    this.spilled.set(crop.frame, { frame: crop.frame, mesh: crop.mesh, x, y, width, height, offset, length: len });
  }

  get(frame: number): SourceMouth | undefined {
    const m = this.memory.get(frame);
    if (m) return m;
    const s = this.spilled.get(frame);
    if (!s || !this.file) return undefined;
    const data = new Uint8Array(s.length);
    this.file.read(data, s.offset);
    return { frame, mesh: s.mesh, patch: { x: s.x, y: s.y, width: s.width, height: s.height, data } };
  }

  delete(frame: number): void {
    const m = this.memory.get(frame);
    if (m) {
      this.bytesInMemory -= m.patch.data.length;
      this.memory.delete(frame);
    }
    // spilled bytes stay in the file (it is removed on close); only the index entry goes
    this.spilled.delete(frame);
  }

  /** Bytes written to the spill file. */
  get spilledBytes(): number {
    return this.spillBytes;
  }

  /** Releases memory and removes the spill file. */
  close(): void {
    this.memory.clear();
    this.spilled.clear();
    this.bytesInMemory = 0;
    this.file?.close();
    this.file = null;
  }
}
