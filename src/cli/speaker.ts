/** Parses `--speaker x,y[@frame]` into the engine's speaker selection (Sync's coordinates + frame_number). */
import type { SpeakerSelection } from '../engine/face/types.js';
import { UsageError } from './args.js';

export function parseSpeaker(value: string | undefined): SpeakerSelection {
  if (value === undefined || value === 'auto') return { mode: 'auto' };
  const m = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*(?:@\s*(\d+))?\s*$/.exec(value);
  if (!m) throw new UsageError(`--speaker must look like x,y or x,y@frame (pixels; frame number), got "${value}"`);
  return { mode: 'point', x: Number(m[1]), y: Number(m[2]), frame: m[3] ? Number(m[3]) : 0 };
}
