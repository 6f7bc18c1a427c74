/**
 * What rendering did to each output frame (edited from which source and where, or passed through
 * and why), kept in typed columns until the report is built. Why not the renderer's row objects:
 * a row with its region array costs ~200 B of heap, which over an hour of 25 fps video is 18 MB
 * of memory that grows with the clip (bench memory); here a frame costs 22 bytes.
 */
import { PASS_REASONS, type FrameReport, type PassReason } from '../synthesis/types.js';

const NONE = 0, EDIT = 1, PASS = 2;

export class RenderLog {
  readonly length: number;
  private readonly action: Uint8Array;
  private readonly reason: Uint8Array;
  private readonly source: Int32Array;
  /** x, y, width, height per frame; width −1 where no region was reported */
  private readonly region: Int32Array;
  #count = 0;

  constructor(frames: number) {
    this.length = frames;
    this.action = new Uint8Array(frames);
    this.reason = new Uint8Array(frames);
    this.source = new Int32Array(frames).fill(-1);
    this.region = new Int32Array(frames * 4).fill(-1);
  }

  /** Rows logged so far. */
  get count(): number {
    return this.#count;
  }

  add(r: FrameReport): void {
    const i = r.frame;
    if (!(i >= 0 && i < this.length)) throw new RangeError(`frame ${i} is outside the log's ${this.length} frames`);
    this.action[i] = r.action === 'edit' ? EDIT : PASS;
    this.reason[i] = r.reason ? PASS_REASONS.indexOf(r.reason) + 1 : 0;
    this.source[i] = r.source ?? -1;
    if (r.changedRegion) this.region.set(r.changedRegion, i * 4);
    this.#count++;
  }

  /** The row of frame i as the renderer gave it (without its timing and match cost), or undefined when none was logged. */
  at(i: number): Pick<FrameReport, 'frame' | 'action' | 'reason' | 'source' | 'changedRegion'> | undefined {
    const a = this.action[i];
    if (a === undefined || a === NONE) return undefined;
    const row: Pick<FrameReport, 'frame' | 'action' | 'reason' | 'source' | 'changedRegion'> = { frame: i, action: a === EDIT ? 'edit' : 'pass' };
    if (this.reason[i]) row.reason = PASS_REASONS[this.reason[i] - 1] as PassReason;
    if (this.source[i] >= 0) row.source = this.source[i];
    const k = i * 4;
    if (this.region[k + 2] >= 0) row.changedRegion = [this.region[k], this.region[k + 1], this.region[k + 2], this.region[k + 3]];
    return row;
  }
}
