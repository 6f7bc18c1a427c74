/**
 * A mouth track with its frames in typed columns, for holding one while a long clip renders: a
 * MouthFrame object (seven boxed numbers) cost ~200 B of heap, memory that grew with the clip;
 * here a frame costs 56 bytes, and the values are the same doubles. `unpack` gives the plain
 * track back (for the report).
 */
import type { MouthFrame, MouthTrack } from './types.js';

/** A frame's fields in the order they are packed (`frame` spells the same order out). */
const FIELDS = ['t', 'lipGap', 'jaw', 'width', 'closure', 'labiodental', 'voice'] as const satisfies ReadonlyArray<keyof MouthFrame>;

export class PackedMouthTrack {
  readonly length: number;
  private readonly meta: Omit<MouthTrack, 'frames'>;
  private readonly values: Float64Array;

  constructor(track: MouthTrack) {
    const { frames, ...meta } = track;
    this.meta = meta;
    this.length = frames.length;
    const k = FIELDS.length;
    this.values = new Float64Array(frames.length * k);
    frames.forEach((f, i) => FIELDS.forEach((c, j) => (this.values[i * k + j] = f[c])));
  }

  get duration(): number {
    return this.meta.duration;
  }

  get face(): MouthTrack['face'] {
    return this.meta.face;
  }

  /** Frame i (a fresh object), or undefined past the end. */
  frame(i: number): MouthFrame | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const k = FIELDS.length, v = this.values, o = i * k;
    return { t: v[o], lipGap: v[o + 1], jaw: v[o + 2], width: v[o + 3], closure: v[o + 4], labiodental: v[o + 5], voice: v[o + 6] };
  }

  unpack(): MouthTrack {
    const frames: MouthFrame[] = [];
    for (let i = 0; i < this.length; i++) frames.push(this.frame(i)!);
    const m = this.meta;
    return { format: m.format, version: m.version, fps: m.fps, duration: m.duration, settings: m.settings, face: m.face, frames, stats: m.stats };
  }
}
