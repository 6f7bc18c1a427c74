/**
 * The mouth each output frame asks for, in the face's measurement units (/ eye distance): the
 * mouth track's unitless values mapped through its face mapping. Computed on demand from the
 * (packed) track, not held: an object a frame cost ~110 B of heap, memory that grew with the clip.
 */
import type { PackedMouthTrack } from '../audio/packed-track.js';
import type { MouthTarget, TargetList } from '../synthesis/types.js';
import type { ResolvedSegment } from './segments.js';

export class MouthTargets implements TargetList {
  /**
   * @param n output frames
   * @param segments when given, frames outside every segment have no target (the original
   *   picture is kept there)
   */
  constructor(
    private readonly mouth: PackedMouthTrack,
    readonly length: number,
    private readonly segments?: ResolvedSegment[],
  ) {}

  at(i: number): MouthTarget | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const segs = this.segments;
    if (segs && !segs.some((s) => i >= s.startFrame && i < s.endFrame)) return undefined;
    const f = this.mouth.face;
    const m = this.mouth.frame(i);
    // Past the end of the speech (sync_mode silence): the mouth rests.
    const lip = m ? m.lipGap : 0;
    const jaw = m ? m.jaw : 0;
    const width = m ? m.width : 0;
    return {
      lipGap: Math.max(0, f.lipGap.rest + lip * f.lipGap.scale),
      jaw: f.jaw.rest + jaw * f.jaw.scale,
      width: f.width.rest + width * f.width.scale,
      closure: m ? m.closure : 0,
    };
  }

  slice(start: number, end: number): Array<MouthTarget | undefined> {
    const out: Array<MouthTarget | undefined> = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.at(i));
    return out;
  }
}
